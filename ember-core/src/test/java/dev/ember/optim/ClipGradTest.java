package dev.ember.optim;

import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;
import dev.ember.testing.Golden;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Gradient clipping against PyTorch's clip_grad_norm_ and by hand. */
class ClipGradTest {
    private static Tensor paramWithGrad(double[] grad) {
        Tensor p = Tensor.of(new double[grad.length]).requiresGrad(true);
        p.grad(Tensor.of(grad));
        return p;
    }

    @Test
    @SuppressWarnings("unchecked")
    void matchesPyTorchClipGradNorm() {
        List<Object> cases = (List<Object>) OptimGolden.DOC.get("clip");
        assertTrue(cases.size() >= 10);
        for (Object o : cases) {
            Map<String, Object> c = (Map<String, Object>) o;
            DType dtype = c.get("dtype").equals("float32") ? DType.FLOAT32 : DType.FLOAT64;
            double normType = c.get("norm_type").equals("inf") ? Double.POSITIVE_INFINITY : ((Number) c.get("norm_type")).doubleValue();
            double maxNorm = ((Number) c.get("max_norm")).doubleValue();
            List<Tensor> params = new ArrayList<>();
            for (Object g : (List<Object>) c.get("grads")) {
                Tensor grad = Golden.tensor((Map<String, Object>) g).to(dtype);
                Tensor p = grad.zerosLike().requiresGrad(true);
                p.grad(grad.copy());
                params.add(p);
            }
            Tensor noGrad = Tensor.zeros(Golden.shape(2), dtype).requiresGrad(true);
            params.add(noGrad);
            String what = "clip p=" + normType + " max=" + maxNorm + " " + dtype;
            double rtol = dtype == DType.FLOAT64 ? 1e-12 : 1e-6;
            double total = ClipGrad.clipGradNorm(params, maxNorm, normType);
            double want = ((Number) c.get("total")).doubleValue();
            assertEquals(want, total, rtol * want, what + ": total norm");
            List<Object> clipped = (List<Object>) c.get("clipped");
            for (int i = 0; i < clipped.size(); i++) {
                Golden.assertClose(Golden.tensor((Map<String, Object>) clipped.get(i)), params.get(i).grad(), rtol, 1e-12, what);
            }
            assertNull(noGrad.grad(), "a parameter without a gradient is skipped");
        }
    }

    @Test
    void l2NormScalesAllGradientsTogether() {
        Tensor a = paramWithGrad(new double[] {3, 4}), b = paramWithGrad(new double[] {12});
        double total = ClipGrad.clipGradNorm(List.of(a, b), 6.5);
        assertEquals(13.0, total, 1e-12);
        double coef = 6.5 / (13 + 1e-6);
        assertArrayEquals(new double[] {3 * coef, 4 * coef}, a.grad().toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {12 * coef}, b.grad().toDoubleArray(), 1e-12);
    }

    @Test
    void smallGradientsAreLeftAlone() {
        Tensor a = paramWithGrad(new double[] {0.3, -0.4});
        assertEquals(0.5, ClipGrad.clipGradNorm(List.of(a), 1.0), 1e-15);
        assertArrayEquals(new double[] {0.3, -0.4}, a.grad().toDoubleArray(), 0.0);
        assertEquals(0.4, ClipGrad.clipGradNorm(List.of(a), 1.0, Double.POSITIVE_INFINITY), 1e-15);
    }

    @Test
    void noGradientsGiveZero() {
        Tensor p = Tensor.zeros(3).requiresGrad(true);
        assertEquals(0.0, ClipGrad.clipGradNorm(List.of(p), 1.0));
        assertEquals(0.0, ClipGrad.clipGradNorm(List.of(), 1.0));
    }

    @Test
    void nonFiniteNorms() {
        Tensor a = paramWithGrad(new double[] {Double.NaN, 1});
        var e = assertThrows(IllegalStateException.class, () -> ClipGrad.clipGradNorm(List.of(a), 1.0, 2.0, true));
        assertTrue(e.getMessage().contains("non-finite"), e.getMessage());
        assertEquals(1.0, a.grad().toDoubleArray()[1], "the error leaves gradients untouched");
        assertTrue(Double.isNaN(ClipGrad.clipGradNorm(List.of(a), 1.0)), "without the check the NaN norm is returned");
        assertTrue(Double.isNaN(a.grad().toDoubleArray()[1]), "and scales the gradients by NaN, as PyTorch does");
        Tensor b = paramWithGrad(new double[] {Double.POSITIVE_INFINITY, 1});
        assertThrows(IllegalStateException.class, () -> ClipGrad.clipGradNorm(List.of(b), 1.0, Double.POSITIVE_INFINITY, true));
    }

    @Test
    void badArguments() {
        Tensor a = paramWithGrad(new double[] {1});
        assertThrows(IllegalArgumentException.class, () -> ClipGrad.clipGradNorm(List.of(a), 1.0, 0.0));
        assertThrows(IllegalArgumentException.class, () -> ClipGrad.clipGradNorm(List.of(a), 1.0, -2.0));
        assertThrows(IllegalArgumentException.class, () -> ClipGrad.clipGradValue(List.of(a), -1.0));
    }

    @Test
    void clipGradValueClampsElementwise() {
        Tensor a = paramWithGrad(new double[] {-3, -0.5, 0.2, 7});
        Tensor none = Tensor.zeros(2).requiresGrad(true);
        ClipGrad.clipGradValue(List.of(a, none), 1.0);
        assertArrayEquals(new double[] {-1, -0.5, 0.2, 1}, a.grad().toDoubleArray(), 0.0);
        assertNull(none.grad());
        Tensor f = Tensor.of(new float[] {5f, -5f}).requiresGrad(true);
        f.grad(Tensor.of(new float[] {5f, -5f}));
        ClipGrad.clipGradValue(List.of(f), 2.5);
        assertArrayEquals(new float[] {2.5f, -2.5f}, f.grad().toFloatArray(), 0f);
    }
}
