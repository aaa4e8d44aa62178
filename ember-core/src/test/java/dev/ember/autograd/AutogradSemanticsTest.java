package dev.ember.autograd;

import dev.ember.tensor.DType;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PyTorch's autograd semantics: accumulation, retain/create graph, hooks, custom ops, in-place checks, anomaly mode. */
class AutogradSemanticsTest {
    private static Tensor leaf(float... v) {
        return Tensor.of(v).requiresGrad(true);
    }

    @Test
    void gradientsAccumulateUntilZeroed() {
        Tensor x = leaf(1, 2, 3);
        x.mul(x).sum().backward();
        assertArrayEquals(new float[] {2, 4, 6}, x.grad().toFloatArray());
        x.mul(3.0).sum().backward();
        assertArrayEquals(new float[] {5, 7, 9}, x.grad().toFloatArray());
        x.zeroGrad();
        assertNull(x.grad());
    }

    @Test
    void sharedSubexpressionsSumTheirGradients() {
        Tensor x = leaf(2);
        Tensor y = x.mul(x);          // y = x^2
        Tensor z = y.add(y).add(x);   // z = 2x^2 + x -> dz/dx = 4x + 1 = 9
        z.sum().backward();
        assertEquals(9f, x.grad().toFloatArray()[0]);
    }

    @Test
    void nonScalarBackwardNeedsAGradient() {
        Tensor x = leaf(1, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> x.mul(2.0).backward());
        assertTrue(e.getMessage().contains("only for scalar outputs"), e.getMessage());
        x.mul(2.0).backward(Tensor.of(new float[] {1, 10}));
        assertArrayEquals(new float[] {2, 20}, x.grad().toFloatArray());
    }

    @Test
    void secondBackwardNeedsRetainGraph() {
        Tensor x = leaf(1, 2);
        Tensor loss = x.exp().sum();
        loss.backward(null, true, false);
        loss.backward(); // allowed: the graph was retained
        assertArrayEquals(new float[] {(float) (2 * Math.E), (float) (2 * Math.exp(2))}, x.grad().toFloatArray(), 1e-5f);
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().contains("backward through the graph a second time"), e.getMessage());
    }

    @Test
    void detachAndNonGradLeavesStopGradients() {
        Tensor x = leaf(3);
        Tensor c = Tensor.of(new float[] {5});
        Tensor y = x.mul(x.detach()).add(c.mul(x));
        y.sum().backward();
        assertEquals(3f + 5f, x.grad().toFloatArray()[0]);
        assertNull(c.grad());
        assertFalse(x.detach().requiresGrad());
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new long[] {1}).requiresGrad(true));
    }

    @Test
    void noGradScopesRecordNothing() {
        Tensor x = leaf(1);
        try (var g = Grad.off()) {
            Tensor y = x.mul(2.0);
            assertFalse(y.requiresGrad());
            try (var on = Grad.on()) {
                assertTrue(x.mul(2.0).requiresGrad());
            }
            assertFalse(Grad.isEnabled());
        }
        assertTrue(Grad.isEnabled());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
            try (var g = Grad.off()) {
                x.mul(2.0).backward();
            }
        });
        assertTrue(e.getMessage().contains("does not require grad"), e.getMessage());
    }

    @Test
    void functionalGradientsDoNotAccumulate() {
        Tensor x = leaf(1, 2), w = leaf(3, 4);
        Tensor loss = x.mul(w).sum();
        List<Tensor> g = Grad.of(loss, List.of(x, w));
        assertArrayEquals(new float[] {3, 4}, g.get(0).toFloatArray());
        assertArrayEquals(new float[] {1, 2}, g.get(1).toFloatArray());
        assertNull(x.grad());
        assertNull(w.grad());
    }

    @Test
    void gradientsWithRespectToIntermediates() {
        Tensor x = leaf(1, 2);
        Tensor h = x.mul(3.0);
        Tensor loss = h.square().sum();
        Tensor[] g = Grad.of(loss, h);
        assertArrayEquals(new float[] {6, 12}, g[0].toFloatArray());
    }

    @Test
    void unusedInputsAreReportedOrNull() {
        Tensor x = leaf(1), y = leaf(2);
        Tensor loss = x.mul(2.0).sum();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Grad.of(new Tensor[] {loss}, null, new Tensor[] {x, y}, true, false, false));
        assertTrue(e.getMessage().contains("was not used"), e.getMessage());
        Tensor[] g = Grad.of(new Tensor[] {loss}, null, new Tensor[] {x, y}, false, false, true);
        assertNull(g[1]);
    }

    @Test
    void higherOrderDerivatives() {
        Tensor x = Tensor.of(new double[] {2}).requiresGrad(true);
        Tensor y = x.pow(3.0);
        Tensor[] d1 = Grad.of(new Tensor[] {y.sum()}, null, new Tensor[] {x}, true, true, false);
        assertEquals(12.0, d1[0].item(), 1e-12);
        Tensor[] d2 = Grad.of(new Tensor[] {d1[0].sum()}, null, new Tensor[] {x}, true, true, false);
        assertEquals(12.0, d2[0].item(), 1e-12);   // 6x
        Tensor[] d3 = Grad.of(d2[0].sum(), x);
        assertEquals(6.0, d3[0].item(), 1e-12);
    }

    @Test
    void gradientPenaltyStyleDoubleBackward() {
        // || d/dx (sum(tanh(x W))) ||^2 differentiated w.r.t. W, checked by finite differences.
        Generator g = new Generator(3);
        Tensor x = Tensor.randn(g, Shape.of(4, 3), DType.FLOAT64);
        Tensor w = Tensor.randn(g, Shape.of(3, 2), DType.FLOAT64).requiresGrad(true);
        GradCheck.Result r = GradCheck.check(in -> {
            Tensor xi = x.detach().requiresGrad(true);
            Tensor out = xi.matmul(in[0]).tanh().sum();
            Tensor gx = Grad.of(new Tensor[] {out}, null, new Tensor[] {xi}, true, true, false)[0];
            return gx.square().sum();
        }, w);
        assertTrue(r.passed(), r.message());
    }

    @Test
    void hooksSeeAndReplaceGradients() {
        Tensor x = leaf(1, 2);
        x.registerHook(g -> g.mul(10.0));
        Tensor h = x.mul(2.0);
        Tensor[] seen = new Tensor[1];
        h.registerHook(g -> {
            seen[0] = g;
            return g;
        });
        h.sum().backward();
        assertArrayEquals(new float[] {1, 1}, seen[0].toFloatArray());
        assertArrayEquals(new float[] {20, 20}, x.grad().toFloatArray());
    }

    @Test
    void retainGradKeepsIntermediateGradients() {
        Tensor x = leaf(1, 2);
        Tensor h = x.mul(3.0).retainGrad();
        h.square().sum().backward();
        assertArrayEquals(new float[] {6, 12}, h.grad().toFloatArray());
    }

    /** A user-defined differentiable function, as in the {@link Op} javadoc. */
    record Cube() implements Op {
        @Override
        public String name() {
            return "cube";
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            ctx.save(in[0]);
            return in[0].mul(in[0]).mul(in[0]);
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor grad) {
            Tensor x = ctx.saved(0);
            return new Tensor[] {grad.mul(x.square()).mul(3.0)};
        }
    }

    @Test
    void customOpsAreDifferentiableToSecondOrder() {
        Tensor x = Tensor.randn(new Generator(1), Shape.of(5), DType.FLOAT64).requiresGrad(true);
        Tensor y = Op.apply(new Cube(), x);
        assertEquals("cube", y.gradFn().name());
        assertTrue(GradCheck.check(in -> Op.apply(new Cube(), in[0]), x).passed());
        assertTrue(GradCheck.checkSecondOrder(in -> Op.apply(new Cube(), in[0]), GradCheck.Options.DEFAULT, x).passed());
    }

    @Test
    void inPlaceModificationOfSavedTensorsIsDetected() {
        Tensor x = leaf(1, 2);
        Tensor y = x.exp();
        Tensor loss = y.sum();
        y.addInPlace(1);
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().startsWith("exp: one of the tensors needed for gradient computation has been modified by an "
                + "in-place operation"), e.getMessage());

        Tensor a = leaf(1, 2).mul(1.0), w = leaf(3, 4);
        Tensor b = a.mul(w);
        a.mulInPlace(2.0);
        IllegalStateException e2 = assertThrows(IllegalStateException.class, () -> b.sum().backward());
        assertTrue(e2.getMessage().startsWith("mul: "), e2.getMessage());
    }

    @Test
    void inPlaceOnLeafThatRequiresGradIsRefused() {
        Tensor x = leaf(1, 2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> x.addInPlace(1));
        assertTrue(e.getMessage().contains("leaf tensor that requires grad"), e.getMessage());
        try (var g = Grad.off()) {
            x.addInPlace(1); // optimizer-style update is fine
        }
        assertArrayEquals(new float[] {2, 3}, x.toFloatArray());
    }

    @Test
    void inPlaceOpsOnIntermediatesAreDifferentiated() {
        Tensor x = leaf(-1, 2, 3);
        Tensor y = x.mul(2.0);
        y.mulInPlace(3.0);
        y.reluInPlace();
        y.sum().backward();
        assertArrayEquals(new float[] {0, 6, 6}, x.grad().toFloatArray());
        assertEquals("relu", y.gradFn().name());
        // relu saved its output; scaling it afterwards invalidates that, exactly as in PyTorch.
        Tensor z = leaf(1, 2).mul(2.0);
        z.reluInPlace();
        z.mulInPlace(3.0);
        assertThrows(IllegalStateException.class, () -> z.sum().backward());
    }

    @Test
    void anomalyModeNamesTheOp() {
        try (var a = Anomaly.detect()) {
            ArithmeticException fwd = assertThrows(ArithmeticException.class, () -> leaf(-1).log());
            assertTrue(fwd.getMessage().startsWith("anomaly: forward of 'log' produced NaN"), fwd.getMessage());
            Tensor x = leaf(0, 1);
            Tensor loss = x.sqrt().sum();
            ArithmeticException bwd = assertThrows(ArithmeticException.class, loss::backward);
            assertTrue(bwd.getMessage().startsWith("anomaly: backward of 'sqrt'"), bwd.getMessage());
            assertTrue(bwd.getMessage().contains("AutogradSemanticsTest"), "names where the op was called: " + bwd.getMessage());
        }
        leaf(-1).log(); // off again: no exception
    }

    @Test
    void savedTensorsAreReleasedAfterBackward() {
        Tensor x = Tensor.randn(1000).requiresGrad(true);
        Tensor y = x.exp();
        WeakReference<Tensor> ref = new WeakReference<>(y);
        Tensor loss = y.sum();
        y = null;
        loss.backward();
        for (int i = 0; i < 20 && ref.get() != null; i++) {
            System.gc();
        }
        assertNull(ref.get(), "exp's saved output should be freed once backward is done, though `loss` is still alive");
        assertTrue(loss.requiresGrad());
    }
}
