package dev.ember.kernels.cpu;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Batch norm's per-row reductions ({@link FloatKernels#squaredDeviations}, {@link FloatKernels#dotCentered})
 * in every implementation against double-precision sums: lengths around the vector width and its
 * multiples (the four-accumulator body, the one-vector loop, the scalar tail), rows at an array's end;
 * and its elementwise rows ({@link FloatKernels#scaleShift}, {@link FloatKernels#batchNormInputGrad}),
 * which every implementation computes to the same floats as the formula in float arithmetic.
 */
class BatchNormKernelsTest {
    static List<Named<FloatKernels>> kernels() {
        return KernelImplementations.all();
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void rowReductionsMatchDoubleSums(FloatKernels k) {
        Random r = new Random(99);
        for (int round = 0; round < 400; round++) {
            int n = round < 140 ? round : r.nextInt(2000), off = r.nextInt(5), goff = r.nextInt(5);
            float[] x = new float[off + n], g = new float[goff + n];
            for (int i = 0; i < x.length; i++) x[i] = (float) (3 + r.nextGaussian());
            for (int i = 0; i < g.length; i++) g[i] = (float) r.nextGaussian();
            float m = (float) (3 + 0.1 * r.nextGaussian());
            double sq = 0, dot = 0, scale = 0;
            for (int q = 0; q < n; q++) {
                double d = (double) x[off + q] - m;
                sq += d * d;
                dot += g[goff + q] * d;
                scale += Math.abs(g[goff + q] * d);
            }
            String at = "round " + round + ", n " + n;
            assertEquals(sq, k.squaredDeviations(x, off, n, m), 1e-5 * (1 + sq), at);
            assertEquals(dot, k.dotCentered(g, goff, x, off, n, m), 1e-5 * (1 + scale), at);
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void elementwiseRowsMatchTheFloatFormula(FloatKernels k) {
        Random r = new Random(7);
        for (int round = 0; round < 300; round++) {
            int n = round < 100 ? round : r.nextInt(1500), xo = r.nextInt(5), go = r.nextInt(5), oo = r.nextInt(5);
            float[] x = new float[xo + n], g = new float[go + n];
            for (int i = 0; i < x.length; i++) x[i] = (float) (2 + r.nextGaussian());
            for (int i = 0; i < g.length; i++) g[i] = (float) r.nextGaussian();
            float scale = (float) r.nextGaussian(), shift = (float) r.nextGaussian(), meanG = (float) (0.1 * r.nextGaussian());
            float m = (float) (2 + 0.1 * r.nextGaussian()), xhatScale = (float) (0.01 * r.nextGaussian());
            // Rows end at the output's end and stop short of it: nothing past n may be written.
            float[] out = new float[oo + n + (round % 2) * 3], grad = new float[out.length];
            java.util.Arrays.fill(out, Float.NaN);
            java.util.Arrays.fill(grad, Float.NaN);
            k.scaleShift(x, xo, out, oo, n, scale, shift);
            k.batchNormInputGrad(g, go, x, xo, grad, oo, n, scale, meanG, m, xhatScale);
            for (int q = 0; q < out.length; q++) {
                String at = "round " + round + ", n " + n + ", element " + q;
                if (q < oo || q >= oo + n) {
                    assertEquals(Float.NaN, out[q], at + " (outside the row)");
                    assertEquals(Float.NaN, grad[q], at + " (outside the row)");
                    continue;
                }
                float xv = x[xo + q - oo], gv = g[go + q - oo];
                assertEquals(xv * scale + shift, out[q], 0f, at);
                assertEquals(scale * (gv - meanG - (xv - m) * xhatScale), grad[q], 0f, at);
            }
        }
    }
}
