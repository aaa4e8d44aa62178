package dev.ember.ops;

import dev.ember.tensor.DType;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The unrolled 2x2 stride-2 max pooling (float32) picks exactly the indices of the general window loop
 * (float64 takes that path) under PyTorch's rules: first index on ties, NaN wins, a later NaN over an
 * earlier one, -infinity windows keep their first index; odd sizes drop the last row/column.
 */
class MaxPoolFastPathTest {
    @Test
    void sameIndicesAsTheGeneralLoopOnTiesNaNsAndInfinities() {
        Generator g = new Generator(31);
        float[] pool = {0f, 1f, -1f, 2f, Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};
        for (int round = 0; round < 200; round++) {
            int n = 1 + g.nextInt(2), c = 1 + g.nextInt(3), h = 2 + g.nextInt(7), w = 2 + g.nextInt(7);
            float[] v = new float[n * c * h * w];
            for (int i = 0; i < v.length; i++) v[i] = pool[g.nextInt(round % 2 == 0 ? 4 : pool.length)];
            Tensor x32 = Tensor.of(v, n, c, h, w);
            Tensor x64 = x32.to(DType.FLOAT64);
            var fast = Pooling.maxPool2dWithIndices(x32, new int[] {2}, null, null, null, false);
            var general = Pooling.maxPool2dWithIndices(x64, new int[] {2}, null, null, null, false);
            assertArrayEquals(general.indices().toLongArray(), fast.indices().toLongArray(), "round " + round + " shape " + x32.shape());
            assertArrayEquals(general.values().to(DType.FLOAT32).toFloatArray(), fast.values().toFloatArray(), "values, round " + round);
        }
    }

    /**
     * The fused op that nn.MaxPool2d uses (values and indices in one pass, values alone without autograd)
     * gives the bits of the two-step form and routes the gradient to the same elements, for the 2x2 fast
     * path and a general window, in float32 and float64.
     */
    @Test
    void fusedOpMatchesTheTwoStepFormWithAndWithoutAutograd() {
        Generator g = new Generator(5);
        int[][] windows = {{2}, {3}};
        int[][] strides = {null, {2}};
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int c = 0; c < windows.length; c++) {
                Tensor x = Tensor.randn(g, dev.ember.tensor.Shape.of(2, 3, 9, 8), DType.FLOAT32).relu().to(dt);
                var twoStep = Pooling.maxPool2dWithIndices(x, windows[c], strides[c], null, null, false);
                Tensor inference;
                try (var off = dev.ember.autograd.Grad.off()) {
                    inference = Pooling.maxPool2d(x, windows[c], strides[c], null, null, false);
                }
                Tensor xr = x.detach().requiresGrad(true);
                Tensor recorded = Pooling.maxPool2d(xr, windows[c], strides[c], null, null, false);
                String what = dt + " window " + windows[c][0];
                assertArrayEquals(twoStep.values().to(DType.FLOAT64).toDoubleArray(), inference.to(DType.FLOAT64).toDoubleArray(), what);
                assertArrayEquals(twoStep.values().to(DType.FLOAT64).toDoubleArray(), recorded.detach().to(DType.FLOAT64).toDoubleArray(), what);
                Tensor up = Tensor.randn(g, recorded.shape(), DType.FLOAT32).to(dt);
                recorded.backward(up);
                Tensor xt = x.detach().requiresGrad(true);
                Pooling.maxPool2dWithIndices(xt, windows[c], strides[c], null, null, false).values().backward(up);
                assertArrayEquals(xt.grad().to(DType.FLOAT64).toDoubleArray(), xr.grad().to(DType.FLOAT64).toDoubleArray(), what + " gradient");
            }
        }
    }
}
