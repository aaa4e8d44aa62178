package dev.ember.optim;

import dev.ember.autograd.Grad;
import dev.ember.tensor.DType;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Optimizer mechanics: groups, skipping, zeroGrad, closures, layouts, errors. */
class OptimizerTest {
    static Tensor leaf(double... v) {
        return Tensor.of(v).requiresGrad(true);
    }

    static void expectMessage(String message, Executable e) {
        var ex = assertThrows(IllegalArgumentException.class, e);
        assertEquals(message, ex.getMessage());
    }

    @Test
    void groupsUseTheirOwnLearningRates() {
        Tensor a = leaf(1, 2), b = leaf(3);
        var opt = new SGD(SGD.options().lr(0.1), ParamGroup.of(a), ParamGroup.of(b).lr(0.01));
        a.grad(Tensor.of(new double[] {1, -1}));
        b.grad(Tensor.of(new double[] {2}));
        opt.step();
        assertArrayEquals(new double[] {0.9, 2.1}, a.toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {2.98}, b.toDoubleArray(), 1e-15);
        assertEquals(0.1, opt.paramGroups().get(0).lr());
        assertEquals(0.01, opt.paramGroups().get(1).lr());
        assertEquals(0.0, opt.paramGroups().get(1).number("momentum"), "unset options come from the defaults");
        assertTrue(opt.toString().contains("Parameter Group 1\n    dampening: 0.0\n    lr: 0.01"), opt.toString());
    }

    @Test
    void changingAGroupsOptionsBetweenStepsTakesEffect() {
        Tensor a = leaf(1);
        var opt = new SGD(List.of(a), 0.5);
        a.grad(Tensor.of(new double[] {1}));
        opt.step();
        opt.paramGroups().get(0).lr(0.25);
        opt.step();
        assertArrayEquals(new double[] {0.25}, a.toDoubleArray(), 1e-15);
    }

    @Test
    void addParamGroupLater() {
        Tensor a = leaf(1), b = leaf(1);
        var opt = new Adam(List.of(a), 0.1);
        opt.addParamGroup(ParamGroup.of(b).lr(0.2).put("amsgrad", true));
        assertEquals(2, opt.paramGroups().size());
        assertEquals(List.of(0.9, 0.999), opt.paramGroups().get(1).get("betas"));
        a.grad(Tensor.of(new double[] {1}));
        b.grad(Tensor.of(new double[] {1}));
        opt.step();
        // Adam's first step moves each parameter by about lr (m / sqrt(v) = 1 after bias correction).
        assertEquals(0.9, a.item(), 1e-6);
        assertEquals(0.8, b.item(), 1e-6);
        assertNotNull(opt.state(b).buffer("max_exp_avg_sq"));
        assertNull(opt.state(a).buffer("max_exp_avg_sq"));
    }

    @Test
    void parametersWithoutGradientsAreSkipped() {
        Tensor a = leaf(1), b = leaf(5);
        var opt = new Adam(List.of(a, b), 0.1);
        a.grad(Tensor.of(new double[] {1}));
        opt.step();
        assertEquals(5.0, b.item());
        assertNull(opt.state(b), "no state is created for a parameter that got no gradient");
        assertEquals(1, opt.state(a).step());
    }

    @Test
    void zeroGradClearsGradients() {
        Tensor a = leaf(1), b = leaf(2);
        var opt = new SGD(List.of(a, b), 0.1);
        a.grad(Tensor.of(new double[] {1}));
        opt.zeroGrad();
        assertNull(a.grad());
        assertNull(b.grad());
    }

    @Test
    void stepWithClosureReturnsTheLossAndUpdates() {
        Tensor w = leaf(2);
        var opt = new SGD(List.of(w), 0.25);
        Tensor loss;
        try (var off = Grad.off()) { // the closure runs with gradients enabled whatever the caller's mode
            loss = opt.step(() -> {
                opt.zeroGrad();
                Tensor l = w.mul(w).sum();
                l.backward();
                return l;
            });
        }
        assertEquals(4.0, loss.item());
        assertEquals(1.0, w.item(), 1e-15); // w - 0.25 * 2w
    }

    @Test
    void updatedParametersStayLeavesWithoutHistory() {
        Tensor w = leaf(1, 2);
        var opt = new Adam(List.of(w), 0.1);
        w.mul(w).sum().backward();
        opt.step();
        assertTrue(w.isLeaf());
        assertNull(w.gradFn());
        assertTrue(w.requiresGrad());
    }

    @Test
    void anInPlaceUpdateInvalidatesAGraphThatSavedTheParameter() {
        Tensor w = leaf(1, 2);
        var opt = new SGD(List.of(w), 0.1);
        Tensor y = w.mul(w).sum(); // saves w for backward
        w.grad(Tensor.of(new double[] {1, 1}));
        opt.step();
        assertThrows(RuntimeException.class, y::backward);
    }

    @Test
    void stridedParametersAndGradientsAreUpdatedInPlace() {
        Generator gen = new Generator(3);
        Tensor base = Tensor.randn(gen, Shape.of(3, 4), DType.FLOAT32);
        Tensor strided = base.t().detach().requiresGrad(true); // a non-contiguous leaf [4, 3]
        Tensor plain = base.t().contiguous().detach().requiresGrad(true);
        assertFalse(strided.isContiguous());
        Tensor grad = Tensor.randn(gen, Shape.of(3, 4), DType.FLOAT32).t(); // non-contiguous gradient
        var optA = new Adam(List.of(strided), Adam.options().lr(0.1).amsgrad(true));
        var optB = new Adam(List.of(plain), Adam.options().lr(0.1).amsgrad(true));
        for (int i = 0; i < 3; i++) {
            strided.grad(grad);
            plain.grad(grad.contiguous());
            optA.step();
            optB.step();
        }
        assertArrayEquals(plain.toFloatArray(), strided.toFloatArray(), 0f);
        assertArrayEquals(plain.toFloatArray(), base.t().toFloatArray(), 0f, "the update landed in the original storage");
    }

    @Test
    void float32AndFloat64ParametersInOneOptimizer() {
        Tensor f = Tensor.of(new float[] {1f}).requiresGrad(true);
        Tensor d = leaf(1);
        var opt = new RMSprop(List.of(f, d), 0.01);
        f.grad(Tensor.of(new float[] {0.5f}));
        d.grad(Tensor.of(new double[] {0.5}));
        opt.step();
        assertEquals(d.item(), f.item(), 1e-6);
        assertEquals(DType.FLOAT32, opt.state(f).buffer("square_avg").dtype());
        assertEquals(DType.FLOAT64, opt.state(d).buffer("square_avg").dtype());
    }

    @Test
    void adagradCreatesItsStateUpFront() {
        Tensor a = leaf(1, 2);
        var opt = new Adagrad(List.of(a), Adagrad.options().initialAccumulatorValue(0.5));
        assertArrayEquals(new double[] {0.5, 0.5}, opt.state(a).buffer("sum").toDoubleArray());
        assertEquals(0, opt.state(a).step());
        assertTrue(opt.stateDict().tensors().containsKey("state.0.sum"));
    }

    // ------------------------------------------------------------------ argument errors

    @Test
    void invalidHyperParametersAreRejectedWithPyTorchsMessages() {
        List<Tensor> ps = List.of(leaf(1));
        expectMessage("SGD: Invalid learning rate: -0.1", () -> new SGD(ps, -0.1));
        expectMessage("SGD: Invalid momentum value: -0.5", () -> new SGD(ps, 0.1, -0.5));
        expectMessage("SGD: Invalid weight_decay value: -1.0", () -> new SGD(ps, SGD.options().lr(0.1).weightDecay(-1)));
        expectMessage("SGD: Nesterov momentum requires a momentum and zero dampening",
                () -> new SGD(ps, SGD.options().lr(0.1).nesterov(true)));
        expectMessage("SGD: Nesterov momentum requires a momentum and zero dampening",
                () -> new SGD(ps, SGD.options().lr(0.1).momentum(0.9).dampening(0.1).nesterov(true)));
        expectMessage("SGD: parameter group didn't specify a value of required optimization parameter lr",
                () -> new SGD(SGD.options(), ParamGroup.of(ps)));
        expectMessage("Adam: Invalid learning rate: -0.001", () -> new Adam(ps, -1e-3));
        expectMessage("Adam: Invalid epsilon value: -1.0", () -> new Adam(ps, Adam.options().eps(-1)));
        expectMessage("Adam: Invalid beta parameter at index 0: -0.1", () -> new Adam(ps, Adam.options().betas(-0.1, 0.9)));
        expectMessage("Adam: Invalid beta parameter at index 1: 1.0", () -> new Adam(ps, Adam.options().betas(0.9, 1.0)));
        expectMessage("Adam: Invalid weight_decay value: -0.01", () -> new Adam(ps, Adam.options().weightDecay(-0.01)));
        expectMessage("AdamW: Invalid beta parameter at index 0: 1.5", () -> new AdamW(ps, AdamW.options().betas(1.5, 0.9)));
        expectMessage("AdamW: Invalid learning rate: NaN", () -> new AdamW(ps, Double.NaN));
        expectMessage("RMSprop: Invalid alpha value: -0.5", () -> new RMSprop(ps, RMSprop.options().alpha(-0.5)));
        expectMessage("RMSprop: Invalid momentum value: -0.9", () -> new RMSprop(ps, RMSprop.options().momentum(-0.9)));
        expectMessage("RMSprop: Invalid epsilon value: -1.0", () -> new RMSprop(ps, RMSprop.options().eps(-1)));
        expectMessage("Adagrad: Invalid lr_decay value: -1.0", () -> new Adagrad(ps, Adagrad.options().lrDecay(-1)));
        expectMessage("Adagrad: Invalid initial_accumulator_value value: -0.1",
                () -> new Adagrad(ps, Adagrad.options().initialAccumulatorValue(-0.1)));
        expectMessage("Adam: Invalid learning rate: -1.0 (param group 1)",
                () -> new Adam(Adam.options(), ParamGroup.of(leaf(1)), ParamGroup.of(leaf(2)).lr(-1)));
    }

    @Test
    void invalidParameterListsAreRejected() {
        Tensor a = leaf(1);
        expectMessage("SGD: optimizer got an empty parameter list", () -> new SGD(List.of(), 0.1));
        expectMessage("Adam: some parameters appear in more than one parameter group",
                () -> new Adam(Adam.options(), ParamGroup.of(a), ParamGroup.of(a)));
        expectMessage("Adam: parameter group 0 contains parameter 1 twice", () -> new Adam(List.of(a, a)));
        var e = assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(a.mul(2.0)), 0.1));
        assertTrue(e.getMessage().startsWith("SGD: can't optimize a non-leaf Tensor"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SGD(List.of(Tensor.arange(3)), 0.1));
        assertEquals("SGD: can only optimize float32 or float64 tensors, but parameter 0 of group 0 is int64", e.getMessage());
        var opt = new SGD(List.of(a), 0.1);
        assertThrows(IllegalArgumentException.class, () -> opt.addParamGroup(ParamGroup.of(a)));
        assertThrows(IllegalArgumentException.class, () -> ParamGroup.of(a).put("lr", new Object()));
        assertThrows(IllegalArgumentException.class, () -> ParamGroup.of(a).put("params", 1.0));
    }

    // ------------------------------------------------------------------ helpers for other tests

    /** Runs {@code steps} training steps of the golden problem and returns the parameters after each. */
    static double[][] train(Optimizer opt, Map<String, Tensor> params, int steps) {
        double[][] traj = new double[steps][];
        for (int i = 0; i < steps; i++) {
            OptimGolden.trainStep(opt, params, params.get("w").dtype(), 1);
            traj[i] = OptimGolden.snapshot(params);
        }
        return traj;
    }

    /** Every optimizer kind with non-default options over the golden problem's two groups. */
    static List<Function<Map<String, Tensor>, Optimizer>> allKinds() {
        return List.of(
                p -> new SGD(SGD.options().lr(0.05).momentum(0.9).nesterov(true).weightDecay(0.01),
                        ParamGroup.of(p.get("w")), ParamGroup.of(p.get("b"), p.get("u")).lr(0.1)),
                p -> new Adam(Adam.options().lr(0.05).amsgrad(true).weightDecay(0.1),
                        ParamGroup.of(p.get("w")), ParamGroup.of(p.get("b"), p.get("u")).put("betas", List.of(0.5, 0.9))),
                p -> new AdamW(AdamW.options().lr(0.05).amsgrad(true), ParamGroup.of(p.get("w")), ParamGroup.of(p.get("b"), p.get("u"))),
                p -> new RMSprop(RMSprop.options().lr(0.01).momentum(0.5).centered(true),
                        ParamGroup.of(p.get("w")), ParamGroup.of(p.get("b"), p.get("u"))),
                p -> new Adagrad(Adagrad.options().lr(0.1).lrDecay(0.1).initialAccumulatorValue(0.2),
                        ParamGroup.of(p.get("w")), ParamGroup.of(p.get("b"), p.get("u"))));
    }

    @Test
    void stateBuffersHaveTheParametersShapeAndDtype() {
        for (var make : allKinds()) {
            Map<String, Tensor> p = OptimGolden.freshParams(DType.FLOAT32);
            Optimizer opt = make.apply(p);
            train(opt, p, 2);
            for (Tensor t : List.of(p.get("w"), p.get("b"))) {
                for (Tensor buf : opt.state(t).buffers().values()) {
                    assertEquals(t.shape(), buf.shape(), opt.name());
                    assertSame(DType.FLOAT32, buf.dtype(), opt.name());
                    assertTrue(buf.isContiguous());
                }
            }
        }
    }
}
