package dev.ember.nn;

import dev.ember.Ember;
import dev.ember.tensor.DType;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModuleTest {
    static final class Block extends Module {
        final Linear fc = register("fc", new Linear(4, 3));
        final BatchNorm1d bn = register("bn", new BatchNorm1d(3));

        @Override
        public Tensor forward(Tensor x) {
            return bn.call(fc.call(x)).relu();
        }
    }

    @Test
    void namesFollowPyTorch() {
        var model = new Sequential(new Block(), new Dropout(0.1), new Linear(3, 2));
        assertEquals(List.of("0.fc.weight", "0.fc.bias", "0.bn.weight", "0.bn.bias", "2.weight", "2.bias"),
                List.copyOf(model.namedParameters().keySet()));
        assertEquals(List.of("0.fc.weight", "0.fc.bias", "0.bn.weight", "0.bn.bias", "0.bn.running_mean", "0.bn.running_var",
                "0.bn.num_batches_tracked", "2.weight", "2.bias"), List.copyOf(model.stateDict().keySet()));
        assertEquals(Shape.of(3, 4), model.stateDict().get("0.fc.weight").shape());
        assertEquals(6, model.parameters().size());
        assertTrue(model.parameters().stream().allMatch(Tensor::requiresGrad));
    }

    @Test
    void stateDictRoundTripKeepsParameterIdentity() {
        Ember.manualSeed(1);
        var a = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));
        Ember.manualSeed(2);
        var b = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));
        Tensor w = b.parameters().get(0);
        b.loadStateDict(a.stateDict(), true);
        assertSame(w, b.parameters().get(0), "loading copies in place so optimizers keep their references");
        Tensor x = Tensor.randn(5, 4);
        assertArrayEquals(a.forward(x).toFloatArray(), b.forward(x).toFloatArray());
    }

    @Test
    void loadStateDictReportsEveryProblemAtOnce() {
        var m = new Sequential(new Linear(4, 3), new Linear(3, 2));
        Map<String, Tensor> sd = new HashMap<>(m.stateDict());
        sd.remove("1.bias");
        sd.put("2.weight", Tensor.zeros(1));
        sd.put("0.weight", Tensor.zeros(3, 5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(sd, true));
        String msg = e.getMessage();
        assertTrue(msg.contains("missing keys: [1.bias]"), msg);
        assertTrue(msg.contains("unexpected keys: [2.weight]"), msg);
        assertTrue(msg.contains("size mismatch: 0.weight: checkpoint [3, 5] vs model [3, 4]"), msg);
        sd.put("0.weight", Tensor.zeros(3, 4));
        m.loadStateDict(sd, false); // non-strict tolerates missing/unexpected keys
    }

    @Test
    void trainEvalPropagates() {
        var m = new Sequential(new Dropout(0.5), new Sequential(new Dropout(0.5)));
        m.eval();
        assertFalse(((Sequential) m.get(1)).get(0).isTraining());
        Tensor x = Tensor.ones(1000);
        assertArrayEquals(x.toFloatArray(), m.forward(x).toFloatArray());
        m.train();
        Tensor y = m.forward(x);
        double zeros = y.eq(0.0).to(DType.FLOAT32).mean().item();
        assertTrue(zeros > 0.6 && zeros < 0.9, "about 75% dropped by two dropouts, got " + zeros);
    }

    @Test
    void printsLikePyTorch() {
        var m = new Sequential(new Linear(784, 10), new ReLU());
        assertEquals("Sequential(\n  (0): Linear(in_features=784, out_features=10, bias=true)\n  (1): ReLU()\n)", m.toString());
    }

    @Test
    void summaryListsLayersShapesAndCounts() {
        var m = new Sequential(new Flatten(), new Linear(12, 6), new ReLU(), new Linear(6, 2));
        String s = m.summary(1, 3, 4);
        assertTrue(s.contains("1 (Linear)"), s);
        assertTrue(s.contains("[1, 6]"), s);
        assertTrue(s.contains("Total params: 92"), s);
        assertTrue(s.contains("Trainable params: 92"), s);
    }

    @Test
    void registrationErrorsAreClear() {
        Module m = new Module() {
            @Override
            public Tensor forward(Tensor x) {
                return x;
            }
        };
        m.param("w", Tensor.zeros(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.param("w", Tensor.zeros(2)));
        assertTrue(e.getMessage().contains("already registered"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.param("a.b", Tensor.zeros(2)));
    }

    @Test
    void linearInitialisationBounds() {
        Ember.manualSeed(3);
        Linear l = new Linear(100, 50);
        double bound = 1 / Math.sqrt(100);
        assertTrue(l.weight.abs().max().item() <= bound);
        assertTrue(l.weight.abs().max().item() > 0.8 * bound);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> l.forward(Tensor.zeros(2, 99)));
        assertEquals("linear: input [2, 99] has 99 features but the weight [50, 100] expects 100", e.getMessage());
    }

    @Test
    void orthogonalInitIsOrthogonal() {
        Tensor w = Tensor.zeros(Shape.of(6, 4), DType.FLOAT64);
        Init.orthogonal(w, 1.0, new Generator(5));
        Tensor wtw = w.t().matmul(w);
        Tensor eye = Tensor.eye(4, 4, DType.FLOAT64);
        assertTrue(wtw.sub(eye).abs().max().item() < 1e-12);
        Tensor wide = Tensor.zeros(Shape.of(3, 8), DType.FLOAT64);
        Init.orthogonal(wide, 2.0, new Generator(6));
        assertTrue(wide.matmul(wide.t()).sub(Tensor.eye(3, 3, DType.FLOAT64).mul(4.0)).abs().max().item() < 1e-12);
    }

    @Test
    void fansAndGains() {
        assertArrayEquals(new int[] {3 * 9, 32 * 9}, Init.fans(Tensor.zeros(32, 3, 3, 3)));
        assertEquals(Math.sqrt(2), Init.calculateGain("relu", 0), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> Init.fans(Tensor.zeros(5)));
    }
}
