package dev.ember.ops;

import dev.ember.tensor.DType;
import dev.ember.tensor.PadMode;
import dev.ember.tensor.Tensor;
import dev.ember.testing.Golden;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Compares indexing, joining and shape ops (outputs and input gradients) with PyTorch values from
 * tools/golden/gen_indexing.py, at 1e-6. Cases with an index input also run with INT32 indices.
 */
class GoldenIndexingTest {
    private static final double TOL = 1e-6;

    @TestFactory
    List<DynamicTest> matchesPyTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Golden.Case c : Golden.load("indexing.json")) {
            tests.add(DynamicTest.dynamicTest(c.name(), () -> check(c, false)));
            if (hasIndexInput(c)) tests.add(DynamicTest.dynamicTest(c.name() + " (int32 index)", () -> check(c, true)));
        }
        return tests;
    }

    private static boolean hasIndexInput(Golden.Case c) {
        return switch (c.op()) {
            case "gather", "scatter", "scatterValue", "scatterAdd", "indexSelect", "indexAdd", "index" -> true;
            default -> false;
        };
    }

    private static void check(Golden.Case c, boolean int32Index) {
        boolean grads = c.gradOutput() != null;
        Tensor[] in = new Tensor[c.inputs().size()];
        for (int i = 0; i < in.length; i++) {
            Tensor t = c.input(i).detach(); // a fresh leaf per run: gradients must not accumulate across runs
            if (int32Index && t.dtype() == DType.INT64) t = t.to(DType.INT32);
            in[i] = grads && t.dtype().isFloating() ? t.requiresGrad(true) : t;
        }
        Tensor out = op(c).apply(in);
        Golden.assertClose(c.output(), out, TOL, TOL, c.name() + " output");
        assertEquals(c.output().dtype(), out.dtype(), c.name() + " output dtype");
        if (!grads) return;
        out.backward(c.gradOutput());
        for (int i = 0; i < in.length; i++) {
            Tensor expected = c.grads().get(i);
            if (expected == null) continue;
            Tensor actual = in[i].grad() == null ? expected.zerosLike() : in[i].grad(); // an unused input has zero gradient
            Golden.assertClose(expected, actual, TOL, TOL, c.name() + " gradient of input " + i);
        }
    }

    private static Function<Tensor[], Tensor> op(Golden.Case c) {
        return switch (c.op()) {
            case "gather" -> in -> in[0].gather(dim(c), in[1]);
            case "scatter" -> in -> in[0].scatter(dim(c), in[1], in[2]);
            case "scatterValue" -> in -> in[0].scatter(dim(c), in[1], c.attr("value"));
            case "scatterAdd" -> in -> in[0].scatterAdd(dim(c), in[1], in[2]);
            case "indexSelect" -> in -> in[0].indexSelect(dim(c), in[1]);
            case "indexAdd" -> in -> in[0].indexAdd(dim(c), in[1], in[2]);
            case "maskedFill" -> in -> in[0].maskedFill(in[1], c.attr("value"));
            case "maskedFillTensor" -> in -> in[0].maskedFill(in[1], in[2]);
            case "oneHot" -> in -> Tensor.oneHot(in[0], (int) c.attr("num_classes"));
            case "index" -> in -> in[0].index(in[1]);
            case "cat" -> in -> Tensor.cat(List.of(in), dim(c));
            case "stack" -> in -> Tensor.stack(List.of(in), dim(c));
            case "split" -> in -> weighted(in[0].split((int) c.attr("split_size"), dim(c)), dim(c));
            case "splitSizes" -> in -> weighted(in[0].split(c.intsAttr("sizes"), dim(c)), dim(c));
            case "chunk" -> in -> weighted(in[0].chunk((int) c.attr("chunks"), dim(c)), dim(c));
            case "pad" -> in -> {
                PadMode mode = PadMode.valueOf(((String) c.attrs().get("mode")).toUpperCase(Locale.ROOT));
                return mode == PadMode.CONSTANT ? in[0].pad(c.intsAttr("pads"), c.attr("value")) : in[0].pad(c.intsAttr("pads"), mode);
            };
            case "repeat" -> in -> in[0].repeat(c.intsAttr("repeats"));
            case "flip" -> in -> in[0].flip(c.intsAttr("dims"));
            case "tril" -> in -> in[0].tril((int) c.attr("k"));
            case "triu" -> in -> in[0].triu((int) c.attr("k"));
            default -> throw new IllegalArgumentException("no Ember op for golden op " + c.op());
        };
    }

    private static int dim(Golden.Case c) {
        return (int) c.attr("dim");
    }

    /** The generator's check of split pieces: piece k scaled by k + 1, concatenated back. */
    private static Tensor weighted(List<Tensor> pieces, int dim) {
        List<Tensor> scaled = new ArrayList<>();
        for (int k = 0; k < pieces.size(); k++) scaled.add(pieces.get(k).mul(k + 1.0));
        return Tensor.cat(scaled, dim);
    }
}
