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
 * multiples (the four-accumulator body, the one-vector loop, the scalar tail), rows at an array's end.
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
}
