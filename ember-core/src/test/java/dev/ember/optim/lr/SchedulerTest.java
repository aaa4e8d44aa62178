package dev.ember.optim.lr;

import dev.ember.io.Json;
import dev.ember.optim.Adagrad;
import dev.ember.optim.Adam;
import dev.ember.optim.Optimizer;
import dev.ember.optim.ParamGroup;
import dev.ember.optim.SGD;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scheduler semantics beyond the golden trajectories: closed forms, resuming, state dicts, errors. */
class SchedulerTest {
    private static Optimizer sgd(double... lrs) {
        ParamGroup[] groups = new ParamGroup[lrs.length];
        for (int i = 0; i < lrs.length; i++) groups[i] = ParamGroup.of(Tensor.of(new double[] {1}).requiresGrad(true)).lr(lrs[i]);
        return new SGD(SGD.options().lr(1.0).momentum(0.9), groups);
    }

    private static double[][] run(LRScheduler s, int steps) {
        double[][] r = new double[steps][];
        for (int i = 0; i < steps; i++) {
            s.step();
            r[i] = s.getLastLr();
        }
        return r;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> viaJson(Map<String, Object> state) {
        return (Map<String, Object>) Json.parse(Json.write(state));
    }

    @Test
    void constructionStepsToEpochZeroAndRecordsInitialLr() {
        Optimizer opt = sgd(0.1, 0.01);
        var s = new StepLR(opt, 2, 0.5);
        assertEquals(0, s.lastEpoch());
        assertArrayEquals(new double[] {0.1, 0.01}, s.getLastLr());
        assertEquals(0.1, opt.paramGroups().get(0).number("initial_lr"));
        double[][] lrs = run(s, 4);
        assertArrayEquals(new double[] {0.1, 0.01}, lrs[0]);
        assertArrayEquals(new double[] {0.05, 0.005}, lrs[1]);
        assertArrayEquals(new double[] {0.025, 0.0025}, lrs[3]);
        s.getLastLr()[0] = 99;
        assertEquals(0.025, s.getLastLr()[0], "getLastLr returns a copy");
    }

    @Test
    void closedFormsAgreeWithTheRecursiveForms() {
        List<Function<Optimizer, LRScheduler>> makers = List.of(
                o -> new StepLR(o, 3, 0.5),
                o -> new MultiStepLR(o, new int[] {2, 5, 5}, 0.3),
                o -> new ExponentialLR(o, 0.9),
                o -> new CosineAnnealingLR(o, 7, 0.001),
                o -> new LinearLR(o, 0.25, 1.0, 6));
        for (var make : makers) {
            Optimizer a = sgd(0.1, 0.05), b = sgd(0.1, 0.05);
            LRScheduler recursive = make.apply(a), jumping = make.apply(b);
            for (int epoch = 1; epoch <= 12; epoch++) {
                recursive.step();
                jumping.step(epoch);
                assertArrayEquals(recursive.getLastLr(), jumping.getLastLr(), 1e-12, recursive.getClass().getSimpleName() + " epoch " + epoch);
            }
        }
    }

    @Test
    void resumingWithLastEpochNeedsInitialLr() {
        Optimizer opt = sgd(0.1);
        var e = assertThrows(IllegalArgumentException.class, () -> new ExponentialLR(opt, 0.9, 4));
        assertTrue(e.getMessage().contains("param 'initial_lr' is not specified in param_groups[0]"), e.getMessage());
        opt.paramGroups().get(0).put("initial_lr", 0.2);
        var s = new ExponentialLR(opt, 0.9, 4);
        assertEquals(5, s.lastEpoch());
        assertEquals(0.1 * 0.9, s.getLastLr()[0], 1e-15, "the recursive form continues from the group's current lr");
    }

    @Test
    void stateDictRoundTripResumesTheSchedule() {
        List<Function<Optimizer, LRScheduler>> makers = List.of(
                o -> new StepLR(o, 3, 0.5),
                o -> new CosineAnnealingLR(o, 5, 0.01),
                o -> new CosineAnnealingWarmRestarts(o, 3, 2, 0.001),
                o -> new OneCycleLR(o, OneCycleLR.options(new double[] {0.5, 0.2}, 20).threePhase(true)),
                o -> new SequentialLR(o, List.of(new LinearLR(o, 0.1, 1.0, 3), new ExponentialLR(o, 0.8)), new int[] {3}));
        for (var make : makers) {
            Optimizer a = sgd(0.1, 0.05);
            LRScheduler s = make.apply(a);
            run(s, 7);
            Map<String, Object> state = viaJson(s.stateDict());
            var optState = a.stateDict();
            double[][] rest = run(s, 8);

            Optimizer b = sgd(0.1, 0.05);
            LRScheduler t = make.apply(b);
            b.loadStateDict(optState); // group options (lr, initial_lr, momentum...) come back with the optimizer
            t.loadStateDict(state);
            double[][] resumed = run(t, 8);
            for (int i = 0; i < rest.length; i++) {
                assertArrayEquals(rest[i], resumed[i], 1e-15, s.getClass().getSimpleName() + " step " + (i + 8));
            }
        }
    }

    @Test
    void lambdaLrMultipliesTheInitialRate() {
        Optimizer opt = sgd(0.1, 1.0);
        var s = new LambdaLR(opt, List.of(e -> Math.min(1.0, (e + 1) / 4.0), e -> Math.pow(0.5, e)), -1);
        assertArrayEquals(new double[] {0.025, 1.0}, s.getLastLr(), 1e-15);
        double[][] lrs = run(s, 4);
        assertArrayEquals(new double[] {0.05, 0.5}, lrs[0], 1e-15);
        assertArrayEquals(new double[] {0.1, 0.0625}, lrs[3], 1e-15);
        assertThrows(IllegalArgumentException.class, () -> new LambdaLR(opt, List.of(e -> 1.0), -1));
    }

    @Test
    void warmRestartsFractionalEpochsFollowTheFormula() {
        Optimizer opt = sgd(0.1);
        var s = new CosineAnnealingWarmRestarts(opt, 10, 1, 0.0);
        s.step(13.5);
        assertEquals(0.1 * (1 + Math.cos(Math.PI * 3.5 / 10)) / 2, s.getLastLr()[0], 1e-15);
        assertEquals(13, s.lastEpoch());
        assertThrows(IllegalArgumentException.class, () -> s.step(-1.0));
    }

    @Test
    void oneCycleCyclesAdamsBeta1AndStopsAtTheEnd() {
        Tensor p = Tensor.of(new double[] {1}).requiresGrad(true);
        var opt = new Adam(List.of(p), Adam.options().betas(0.9, 0.99));
        var s = new OneCycleLR(opt, 0.01, 10);
        assertEquals(0.01 / 25, opt.paramGroups().get(0).lr(), 1e-18);
        assertEquals(0.95, opt.paramGroups().get(0).numbers("betas")[0], 1e-15);
        assertEquals(0.99, opt.paramGroups().get(0).numbers("betas")[1]);
        for (int i = 0; i < 9; i++) s.step();
        assertEquals(0.01 / 25 / 1e4, opt.paramGroups().get(0).lr(), 1e-18);
        s.step(); // step 10 of 10 is allowed (PyTorch checks step_num > total_steps)
        var e = assertThrows(IllegalStateException.class, s::step);
        assertEquals("OneCycleLR: Tried to step 12 times. The specified number of total steps is 10", e.getMessage());
    }

    @Test
    void badSchedulerArguments() {
        Optimizer opt = sgd(0.1);
        assertThrows(IllegalArgumentException.class, () -> new LinearLR(opt, 0.0, 1.0, 5));
        assertThrows(IllegalArgumentException.class, () -> new LinearLR(opt, 0.5, 1.5, 5));
        assertThrows(IllegalArgumentException.class, () -> new StepLR(opt, 0, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new CosineAnnealingWarmRestarts(opt, 0));
        assertThrows(IllegalArgumentException.class, () -> new CosineAnnealingWarmRestarts(opt, 5, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new OneCycleLR(opt, 0.1, 0));
        assertThrows(IllegalArgumentException.class, () -> new OneCycleLR(opt, OneCycleLR.options(0.1, 10).pctStart(1.5)));
        assertThrows(IllegalArgumentException.class, () -> new OneCycleLR(opt, OneCycleLR.options(new double[] {0.1, 0.2}, 10)));
        Optimizer adagrad = new Adagrad(List.of(Tensor.of(new double[] {1}).requiresGrad(true)));
        var e = assertThrows(IllegalArgumentException.class, () -> new OneCycleLR(adagrad, 0.1, 10));
        assertTrue(e.getMessage().contains("optimizer must support momentum"), e.getMessage());
        new OneCycleLR(adagrad, OneCycleLR.options(0.1, 10).cycleMomentum(false));
        e = assertThrows(IllegalArgumentException.class,
                () -> new ReduceLROnPlateau(opt, ReduceLROnPlateau.options().factor(1.0)));
        assertTrue(e.getMessage().contains("Factor should be < 1.0"), e.getMessage());
        var first = new StepLR(opt, 2, 0.5);
        e = assertThrows(IllegalArgumentException.class, () -> new SequentialLR(opt, List.of(first), new int[] {3}));
        assertTrue(e.getMessage().contains("one more than the number of milestone points"), e.getMessage());
        Optimizer other = sgd(0.1);
        e = assertThrows(IllegalArgumentException.class,
                () -> new SequentialLR(opt, List.of(first, new StepLR(other, 2, 0.5)), new int[] {3}));
        assertTrue(e.getMessage().contains("belong to the same optimizer"), e.getMessage());
    }

    @Test
    void plateauStateDictRoundTrip() {
        double[] metrics = {1.0, 0.9, 0.95, 0.96, 0.97, 0.98, 0.85, 0.86, 0.87, 0.88};
        Optimizer a = sgd(0.1);
        var p = new ReduceLROnPlateau(a, ReduceLROnPlateau.options().patience(1).factor(0.5).cooldown(1));
        assertEquals(null, viaJson(p.stateDict()).get("best"), "no best value before the first step (infinity is not JSON)");
        for (int i = 0; i < 5; i++) p.step(metrics[i]);
        Map<String, Object> state = viaJson(p.stateDict());
        Optimizer b = sgd(0.1);
        b.paramGroups().get(0).lr(a.paramGroups().get(0).lr());
        var q = new ReduceLROnPlateau(b, ReduceLROnPlateau.options().patience(1).factor(0.5).cooldown(1));
        q.loadStateDict(state);
        for (int i = 5; i < metrics.length; i++) {
            p.step(metrics[i]);
            q.step(metrics[i]);
            assertArrayEquals(p.getLastLr(), q.getLastLr(), 0.0);
            assertEquals(p.numBadEpochs(), q.numBadEpochs());
        }
        assertTrue(p.getLastLr()[0] < 0.1, "the metric plateaued, so the rate was reduced");
    }
}
