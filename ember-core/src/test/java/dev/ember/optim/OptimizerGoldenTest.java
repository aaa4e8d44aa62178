package dev.ember.optim;

import dev.ember.optim.lr.CosineAnnealingWarmRestarts;
import dev.ember.optim.lr.LRScheduler;
import dev.ember.optim.lr.ReduceLROnPlateau;
import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Replays every case of golden/optim.json: the same problem trained with the same optimizer, groups
 * and scheduler as in PyTorch 1.13, comparing the parameters after every step (float64 to 1e-10
 * relative, float32 to 1e-5) and the learning rates and momenta the schedulers set (1e-12).
 */
class OptimizerGoldenTest {
    private static final double[] WORST = new double[3]; // float64 params, float32 params, learning rates

    static Stream<Arguments> cases() {
        return OptimGolden.cases().stream().map(c -> Arguments.of(c.get("name"), c));
    }

    @Test
    void fixtureCoversEveryOptimizerAndScheduler() {
        var optimizers = new java.util.TreeSet<String>();
        var schedulers = new java.util.TreeSet<String>();
        for (var c : OptimGolden.cases()) {
            optimizers.add((String) c.get("optimizer"));
            if (c.get("scheduler") instanceof Map<?, ?> s) schedulers.add((String) s.get("type"));
        }
        assertEquals("[Adagrad, Adam, AdamW, RMSprop, SGD]", optimizers.toString());
        assertEquals("[CosineAnnealingLR, CosineAnnealingWarmRestarts, ExponentialLR, LinearLR, MultiStepLR, OneCycleLR, "
                + "ReduceLROnPlateau, SequentialLR, StepLR]", schedulers.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void replaysPyTorchTrajectory(String name, Map<String, Object> c) {
        DType dtype = OptimGolden.dtype(c);
        double sign = ((Number) c.get("sign")).doubleValue();
        int steps = ((Number) c.get("steps")).intValue();
        Map<String, Tensor> params = OptimGolden.freshParams(dtype);
        Optimizer opt = OptimGolden.optimizer(c, params);
        Map<String, Object> spec = (Map<String, Object>) c.get("scheduler");
        LRScheduler sched = null;
        ReduceLROnPlateau plateau = null;
        if (spec != null && spec.get("type").equals("ReduceLROnPlateau")) plateau = OptimGolden.plateau(spec, opt);
        else if (spec != null) sched = OptimGolden.scheduler(spec, opt);
        double[] metrics = c.containsKey("metrics") ? OptimGolden.numbers(c.get("metrics")) : null;
        double[] epochs = c.containsKey("epochs") ? OptimGolden.numbers(c.get("epochs")) : null;
        List<Object> traj = (List<Object>) c.get("params");
        List<Object> lrs = (List<Object>) c.get("lrs");
        List<Object> momenta = (List<Object>) c.get("momenta");
        boolean f64 = dtype == DType.FLOAT64;
        for (int step = 0; step < steps; step++) {
            OptimGolden.trainStep(opt, params, dtype, sign);
            if (sched != null && epochs != null) ((CosineAnnealingWarmRestarts) sched).step(epochs[step]);
            else if (sched != null) sched.step();
            if (plateau != null) plateau.step(metrics[step]);
            String where = name + " step " + (step + 1);
            if (traj != null) {
                double[] got = OptimGolden.snapshot(params);
                double[] want = OptimGolden.numbers(traj.get(step));
                WORST[f64 ? 0 : 1] = Math.max(WORST[f64 ? 0 : 1],
                        compare(want, got, f64 ? 1e-10 : 1e-5, f64 ? 1e-12 : 1e-6, where + " params"));
            }
            if (lrs != null) {
                double[] got = new double[opt.paramGroups().size()];
                for (int i = 0; i < got.length; i++) got[i] = opt.paramGroups().get(i).lr();
                WORST[2] = Math.max(WORST[2], compare(OptimGolden.numbers(lrs.get(step)), got, 1e-12, 1e-15, where + " lr"));
                double[] last = sched != null ? sched.getLastLr() : plateau.getLastLr();
                compare(OptimGolden.numbers(lrs.get(step)), last, 1e-12, 1e-15, where + " getLastLr");
            }
            if (momenta != null) {
                double[] got = new double[opt.paramGroups().size()];
                for (int i = 0; i < got.length; i++) {
                    ParamGroup g = opt.paramGroups().get(i);
                    got[i] = g.has("betas") ? g.numbers("betas")[0] : g.number("momentum");
                }
                compare(OptimGolden.numbers(momenta.get(step)), got, 1e-12, 1e-15, where + " momentum");
            }
        }
        assertTrue(traj != null || lrs != null, name + ": the case records nothing to compare");
    }

    /** Asserts |got - want| <= atol + rtol |want| elementwise; returns the worst relative error. */
    static double compare(double[] want, double[] got, double rtol, double atol, String what) {
        assertEquals(want.length, got.length, what + ": length");
        double worst = 0;
        for (int i = 0; i < want.length; i++) {
            double err = Math.abs(got[i] - want[i]);
            if (!(err <= atol + rtol * Math.abs(want[i]))) {
                fail(String.format(Locale.ROOT, "%s: element %d: expected %.15g, got %.15g (error %.3g)", what, i, want[i], got[i], err));
            }
            worst = Math.max(worst, err / Math.max(Math.abs(want[i]), 1e-3));
        }
        return worst;
    }

    @AfterAll
    static void report() {
        System.out.printf(Locale.ROOT, "optim golden: worst relative error float64 params %.3g, float32 params %.3g, learning rates %.3g%n",
                WORST[0], WORST[1], WORST[2]);
    }
}
