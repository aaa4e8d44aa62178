package dev.ember.kernels.cpu;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fused cross-entropy's row loops ({@link FloatKernels#logSumExpRow}, {@link FloatKernels#crossEntropyGradRow})
 * in every implementation, against double-precision references: random rows of every length around
 * the vector width and the block size, offsets, and rows with NaN and infinities.
 */
class LossKernelsTest {
    static List<Named<FloatKernels>> kernels() {
        return KernelImplementations.all();
    }

    private static double referenceLse(float[] x, int off, int len) {
        double m = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < len; i++) m = Math.max(m, x[off + i]);
        if (m == Double.NEGATIVE_INFINITY) return m;
        double s = 0;
        for (int i = 0; i < len; i++) s += Math.exp(x[off + i] - m);
        return m + Math.log(s);
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void logSumExpRowMatchesDouble(FloatKernels k) {
        Random r = new Random(5);
        int[] lens = {1, 2, 3, 7, 15, 16, 17, 31, 33, 64, 100, 257, 4095, 4096, 4097, 9000};
        for (int len : lens) {
            for (int rep = 0; rep < 3; rep++) {
                int off = r.nextInt(5);
                float[] x = KernelImplementations.uniform(r, off + len, 20f * (rep + 1));
                double e = referenceLse(x, off, len), a = k.logSumExpRow(x, off, len);
                assertEquals(e, a, 2e-6 * Math.max(1, Math.abs(e)), "len " + len + " off " + off);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void logSumExpRowSpecialValues(FloatKernels k) {
        float inf = Float.POSITIVE_INFINITY;
        assertEquals(Double.NEGATIVE_INFINITY, k.logSumExpRow(new float[] {-inf, -inf, -inf}, 0, 3));
        assertEquals(Double.NEGATIVE_INFINITY, k.logSumExpRow(new float[0], 0, 0));
        assertTrue(Double.isNaN(k.logSumExpRow(new float[] {1, Float.NaN, 2}, 0, 3)));
        assertTrue(Double.isNaN(k.logSumExpRow(new float[] {1, inf, 2}, 0, 3)), "inf - inf in the shift");
        assertEquals(5.0, k.logSumExpRow(new float[] {-inf, 5f, -inf}, 0, 3), 0);
        float[] big = new float[40];
        java.util.Arrays.fill(big, 1e30f);
        assertEquals(1e30 + Math.log(40), k.logSumExpRow(big, 0, 40), 1e24);
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void gradRowMatchesDouble(FloatKernels k) {
        Random r = new Random(9);
        for (int len : new int[] {1, 5, 16, 17, 40, 130, 1000}) {
            int xo = r.nextInt(4), oo = r.nextInt(4);
            float[] x = KernelImplementations.uniform(r, xo + len, 6f);
            float lse = (float) referenceLse(x, xo, len), scale = r.nextFloat() * 2 - 1, shift = r.nextFloat() * 0.1f;
            float[] o = new float[oo + len + 3];
            o[oo + len] = 42f;
            k.crossEntropyGradRow(x, xo, lse, scale, shift, o, oo, len);
            for (int j = 0; j < len; j++) {
                double e = scale * (Math.exp(x[xo + j] - (double) lse) - shift);
                assertEquals(e, o[oo + j], 1e-6 * Math.max(1e-2, Math.abs(e)), "len " + len + " j " + j);
            }
            assertEquals(42f, o[oo + len], "wrote past the row");
        }
    }
}
