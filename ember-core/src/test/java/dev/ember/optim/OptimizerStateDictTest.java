package dev.ember.optim;

import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** stateDict / loadStateDict: PyTorch's layout, snapshots, and resuming training exactly. */
class OptimizerStateDictTest {
    private static Map<String, Tensor> copyOf(Map<String, Tensor> params) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        params.forEach((k, v) -> m.put(k, v.detach().copy().requiresGrad(true)));
        return m;
    }

    @Test
    void resumingFromAStateDictContinuesTheSameTrajectory() {
        for (DType dtype : List.of(DType.FLOAT64, DType.FLOAT32)) {
            for (Function<Map<String, Tensor>, Optimizer> make : OptimizerTest.allKinds()) {
                Map<String, Tensor> p = OptimGolden.freshParams(dtype);
                Optimizer opt = make.apply(p);
                OptimizerTest.train(opt, p, 5);
                OptimizerState saved = opt.stateDict();
                Map<String, Tensor> resumedParams = copyOf(p);
                double[][] uninterrupted = OptimizerTest.train(opt, p, 5);

                // A fresh optimizer with different options; loading restores options and state.
                Optimizer fresh = make.apply(resumedParams);
                fresh.paramGroups().forEach(g -> g.lr(123.0));
                OptimizerState viaJson = OptimizerState.of(saved.tensors(), saved.paramGroupsJson());
                fresh.loadStateDict(viaJson);
                double[][] resumed = OptimizerTest.train(fresh, resumedParams, 5);
                for (int i = 0; i < 5; i++) {
                    assertArrayEquals(uninterrupted[i], resumed[i], 0.0, opt.name() + " " + dtype + " step " + (i + 6));
                }
            }
        }
    }

    @Test
    void layoutFollowsPyTorch() {
        Map<String, Tensor> p = OptimGolden.freshParams(DType.FLOAT64);
        Optimizer opt = new Adam(Adam.options().lr(0.05).amsgrad(true),
                ParamGroup.of(p.get("w")), ParamGroup.of(p.get("b"), p.get("u")).lr(0.02));
        OptimizerTest.train(opt, p, 3);
        OptimizerState s = opt.stateDict();
        // u never gets a gradient, so it has no state (index 2).
        assertEquals(List.of("state.0.step", "state.0.exp_avg", "state.0.exp_avg_sq", "state.0.max_exp_avg_sq",
                "state.1.step", "state.1.exp_avg", "state.1.exp_avg_sq", "state.1.max_exp_avg_sq"), List.copyOf(s.tensors().keySet()));
        assertEquals(3.0, s.tensors().get("state.1.step").item());
        assertEquals(0, s.tensors().get("state.1.step").rank());
        assertEquals(p.get("w").shape(), s.tensors().get("state.0.exp_avg").shape());
        assertEquals(List.of(0L), s.paramGroups().get(0).get("params"));
        assertEquals(List.of(1L, 2L), s.paramGroups().get(1).get("params"));
        assertEquals(0.02, s.paramGroups().get(1).get("lr"));
        assertEquals(List.of(0.9, 0.999), s.paramGroups().get(1).get("betas"));
        assertEquals("[{\"lr\":0.05,\"betas\":[0.9,0.999],\"eps\":1.0E-8,\"weight_decay\":0.0,\"amsgrad\":true,\"maximize\":false,"
                + "\"params\":[0]},{\"lr\":0.02,\"betas\":[0.9,0.999],\"eps\":1.0E-8,\"weight_decay\":0.0,\"amsgrad\":true,"
                + "\"maximize\":false,\"params\":[1,2]}]", s.paramGroupsJson());
    }

    @Test
    void sgdStoresOnlyItsMomentumBuffer() {
        Tensor a = Tensor.of(new double[] {1, 2}).requiresGrad(true);
        var opt = new SGD(List.of(a), 0.1, 0.9);
        a.grad(Tensor.of(new double[] {1, 1}));
        opt.step();
        assertEquals(List.of("state.0.momentum_buffer"), List.copyOf(opt.stateDict().tensors().keySet()));
        var plain = new SGD(List.of(a), 0.1);
        plain.step();
        assertTrue(plain.stateDict().tensors().isEmpty());
    }

    @Test
    void stateDictIsASnapshot() {
        Tensor a = Tensor.of(new double[] {1}).requiresGrad(true);
        var opt = new SGD(List.of(a), 0.1, 0.9);
        a.grad(Tensor.of(new double[] {1}));
        opt.step();
        OptimizerState s = opt.stateDict();
        opt.step();
        assertEquals(1.0, s.tensors().get("state.0.momentum_buffer").item());
        assertEquals(1.9, opt.state(a).buffer("momentum_buffer").item(), 1e-15);
    }

    @Test
    void loadingCastsToTheParameterDtype() {
        Tensor a = Tensor.of(new float[] {1, 2}).requiresGrad(true);
        var opt = new Adam(List.of(a), 0.1);
        Map<String, Tensor> tensors = Map.of("state.0.step", Tensor.scalar(4, DType.FLOAT32),
                "state.0.exp_avg", Tensor.of(new double[] {0.5, 0.25}), "state.0.exp_avg_sq", Tensor.of(new double[] {1, 1}));
        opt.loadStateDict(new OptimizerState(tensors, opt.stateDict().paramGroups()));
        assertEquals(4, opt.state(a).step());
        assertEquals(DType.FLOAT32, opt.state(a).buffer("exp_avg").dtype());
        assertArrayEquals(new float[] {0.5f, 0.25f}, opt.state(a).buffer("exp_avg").toFloatArray());
    }

    @Test
    void mismatchedStateDictsAreRejected() {
        Tensor a = Tensor.of(new double[] {1, 2}).requiresGrad(true), b = Tensor.of(new double[] {3}).requiresGrad(true);
        var two = new SGD(SGD.options().lr(0.1).momentum(0.9), ParamGroup.of(a), ParamGroup.of(b));
        var one = new SGD(List.of(a, b), 0.1, 0.9);
        a.grad(Tensor.of(new double[] {1, 1}));
        b.grad(Tensor.of(new double[] {1}));
        two.step();
        var e = assertThrows(IllegalArgumentException.class, () -> one.loadStateDict(two.stateDict()));
        assertTrue(e.getMessage().contains("different number of parameter groups"), e.getMessage());
        var single = new SGD(List.of(a), 0.1, 0.9);
        e = assertThrows(IllegalArgumentException.class, () -> single.loadStateDict(one.stateDict()));
        assertTrue(e.getMessage().contains("doesn't match the size of optimizer's group"), e.getMessage());
        var swapped = new SGD(SGD.options().lr(0.1).momentum(0.9), ParamGroup.of(b), ParamGroup.of(a));
        e = assertThrows(IllegalArgumentException.class, () -> swapped.loadStateDict(two.stateDict()));
        assertTrue(e.getMessage().contains("state.0.momentum_buffer has shape [2] but parameter 0 has shape [1]"), e.getMessage());
        var groups = two.stateDict().paramGroups();
        e = assertThrows(IllegalArgumentException.class,
                () -> two.loadStateDict(new OptimizerState(Map.of("state.7.momentum_buffer", Tensor.zeros(1)), groups)));
        assertTrue(e.getMessage().contains("names no parameter"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> two.loadStateDict(new OptimizerState(Map.of("momentum", Tensor.zeros(1)), groups)));
        assertTrue(e.getMessage().contains("unexpected key"), e.getMessage());
        var badLr = new java.util.ArrayList<Map<String, Object>>();
        for (var g : groups) {
            var m = new LinkedHashMap<>(g);
            m.put("lr", -1.0);
            badLr.add(m);
        }
        e = assertThrows(IllegalArgumentException.class, () -> two.loadStateDict(new OptimizerState(Map.of(), badLr)));
        assertEquals("SGD: Invalid learning rate: -1.0 (loaded param group 0)", e.getMessage());
        assertEquals(0.1, two.paramGroups().get(0).lr(), "a failed load leaves the optimizer unchanged");
    }
}
