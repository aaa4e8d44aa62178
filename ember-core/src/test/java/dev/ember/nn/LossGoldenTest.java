package dev.ember.nn;

import dev.ember.autograd.Grad;
import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;
import dev.ember.testing.Golden;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every loss, with every option combination the fixture covers (weights, ignoreIndex, label
 * smoothing, probability and K-dimensional targets, all reductions and batchmean), matches PyTorch
 * 1.13 in value and in the gradients of its input and floating target (fixture:
 * tools/golden/gen_losses.py).
 */
class LossGoldenTest {
    private static final double RTOL = 1e-5, ATOL = 1e-6;

    static Reduction reduction(String r) {
        return Reduction.valueOf(r.toUpperCase(Locale.ROOT));
    }

    private static boolean flag(Golden.Case c, String key) {
        return Boolean.TRUE.equals(c.attrs().get(key));
    }

    /** Calls the Ember loss the case names, with its options; in holds the fixture's inputs in order. */
    static Tensor apply(Golden.Case c, Tensor[] in) {
        String r = (String) c.attrs().get("reduction");
        return switch (c.op()) {
            case "cross_entropy" -> {
                CrossEntropyOptions.Builder b = CrossEntropyOptions.builder()
                        .ignoreIndex((long) c.attr("ignore_index"))
                        .labelSmoothing(c.attr("label_smoothing"))
                        .reduction(reduction(r));
                if (flag(c, "has_weight")) b.weight(in[2]);
                yield Losses.crossEntropy(in[0], in[1], b.build());
            }
            case "nll_loss" -> Losses.nllLoss(in[0], in[1], flag(c, "has_weight") ? in[2] : null, (long) c.attr("ignore_index"),
                    reduction(r));
            case "mse_loss" -> Losses.mseLoss(in[0], in[1], reduction(r));
            case "l1_loss" -> Losses.l1Loss(in[0], in[1], reduction(r));
            case "smooth_l1_loss" -> Losses.smoothL1Loss(in[0], in[1], c.attr("beta"), reduction(r));
            case "huber_loss" -> Losses.huberLoss(in[0], in[1], c.attr("delta"), reduction(r));
            case "binary_cross_entropy" -> Losses.binaryCrossEntropy(in[0], in[1], flag(c, "has_weight") ? in[2] : null, reduction(r));
            case "bce_with_logits" -> {
                int k = 2;
                Tensor w = flag(c, "has_weight") ? in[k++] : null;
                Tensor pw = flag(c, "has_pos_weight") ? in[k] : null;
                yield Losses.bceWithLogits(in[0], in[1], w, pw, reduction(r));
            }
            case "kl_div" -> r.equals("batchmean")
                    ? Losses.klDivBatchMean(in[0], in[1], flag(c, "log_target"))
                    : Losses.klDiv(in[0], in[1], reduction(r), flag(c, "log_target"));
            default -> throw new IllegalArgumentException("no mapping for fixture op " + c.op());
        };
    }

    static void check(Golden.Case c) {
        Tensor[] in = new Tensor[c.inputs().size()];
        List<Tensor> diff = new ArrayList<>();
        for (int i = 0; i < in.length; i++) {
            Tensor t = c.input(i);
            if (i == 1 && flag(c, "target_int32")) t = t.to(DType.INT32);
            if (c.grads().get(i) != null) {
                t = t.requiresGrad(true);
                diff.add(t);
            }
            in[i] = t;
        }
        Tensor out = apply(c, in);
        assertEquals(c.output().dtype(), out.dtype(), c.name() + ": dtype");
        Golden.assertClose(c.output(), out, RTOL, ATOL, c.name() + " output");
        Tensor[] g = Grad.of(new Tensor[] {out}, new Tensor[] {c.gradOutput()}, diff.toArray(Tensor[]::new), false, false, true);
        for (int i = 0, k = 0; i < in.length; i++) {
            if (c.grads().get(i) == null) continue;
            Tensor gi = g[k++];
            assertNotNull(gi, c.name() + ": no gradient for input " + i);
            Golden.assertClose(c.grads().get(i), gi, RTOL, ATOL, c.name() + " grad of input " + i);
        }
    }

    @TestFactory
    List<DynamicTest> lossesMatchPyTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Golden.Case c : Golden.load("losses.json")) tests.add(DynamicTest.dynamicTest(c.name(), () -> check(c)));
        return tests;
    }

    /** The fixture really covers what it claims: every loss, every reduction, and the option combinations. */
    @Test
    void fixtureCoversEveryLossAndOption() {
        Set<String> ops = new TreeSet<>(), seen = new TreeSet<>();
        for (Golden.Case c : Golden.load("losses.json")) {
            ops.add(c.op());
            seen.add(c.op() + ":" + c.attrs().get("reduction"));
            if (flag(c, "has_weight")) seen.add(c.op() + ":weight");
            if (c.op().equals("cross_entropy")) {
                if (c.attr("label_smoothing") > 0) seen.add("ce:smoothing");
                if (c.input(1).dtype().isFloating()) seen.add("ce:probabilities");
                if (c.input(0).rank() > 2) seen.add("ce:kdim");
                if (c.input(0).rank() == 1) seen.add("ce:unbatched");
                long ignore = (long) c.attr("ignore_index");
                if (!c.input(1).dtype().isFloating()) {
                    for (long v : c.input(1).toLongArray()) if (v == ignore) seen.add("ce:ignored");
                }
            }
        }
        assertEquals(Set.of("binary_cross_entropy", "bce_with_logits", "cross_entropy", "huber_loss", "kl_div", "l1_loss", "mse_loss",
                "nll_loss", "smooth_l1_loss"), ops);
        for (String op : ops) {
            for (String r : List.of("none", "mean", "sum")) assertTrue(seen.contains(op + ":" + r), op + " lacks reduction " + r);
        }
        for (String s : List.of("kl_div:batchmean", "cross_entropy:weight", "nll_loss:weight", "binary_cross_entropy:weight",
                "bce_with_logits:weight", "ce:smoothing", "ce:probabilities", "ce:kdim", "ce:unbatched", "ce:ignored")) {
            assertTrue(seen.contains(s), "fixture lacks " + s);
        }
    }
}
