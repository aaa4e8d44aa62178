package dev.ember.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector reductions over contiguous float runs: sums (float partial sums in four independent
 * accumulators, folded into a double every {@link #BLOCK} elements so the error stays near that of a
 * pairwise sum), max/min (NaN propagates), and the column ("outer") forms that add whole rows into
 * an accumulator row, which is how a sum over dim 0 of [128, 256] reads memory in order instead of
 * walking 256 strided columns.
 */
final class VectorReduceLoops {
    private static final VectorSpecies<Float> S = VectorMath.S;
    private static final int L = S.length();
    /** Species of the streaming reductions: 256-bit where the machine has at least that (see {@link #sum}). */
    private static final VectorSpecies<Float> R = S.vectorBitSize() >= 256 ? FloatVector.SPECIES_256 : S;
    private static final int RL = R.length();
    /** Elements summed in float before the partial sum is folded into a double. */
    static final int BLOCK = 4096;

    private VectorReduceLoops() {
    }

    /**
     * Sum of x[xo .. xo + n). Streams with 256-bit vectors into eight accumulators: Java arrays are not
     * 64-byte aligned, so nearly every 512-bit load straddles two cache lines, and on Zen 4 that made
     * the 512-bit loop read about 15% slower (41 vs 48 GB/s on one core).
     */
    static double sum(float[] x, int xo, int n) {
        double total = 0;
        for (int start = 0; start < n; start += BLOCK) {
            int end = Math.min(n, start + BLOCK);
            FloatVector a0 = FloatVector.zero(R), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
            int i = start;
            for (; i <= end - 8 * RL; i += 8 * RL) {
                int p = xo + i;
                a0 = a0.add(FloatVector.fromArray(R, x, p));
                a1 = a1.add(FloatVector.fromArray(R, x, p + RL));
                a2 = a2.add(FloatVector.fromArray(R, x, p + 2 * RL));
                a3 = a3.add(FloatVector.fromArray(R, x, p + 3 * RL));
                a4 = a4.add(FloatVector.fromArray(R, x, p + 4 * RL));
                a5 = a5.add(FloatVector.fromArray(R, x, p + 5 * RL));
                a6 = a6.add(FloatVector.fromArray(R, x, p + 6 * RL));
                a7 = a7.add(FloatVector.fromArray(R, x, p + 7 * RL));
            }
            for (; i <= end - RL; i += RL) a0 = a0.add(FloatVector.fromArray(R, x, xo + i));
            if (i < end) a1 = a1.add(FloatVector.fromArray(R, x, xo + i, R.indexInRange(i, end)));
            total += VectorMath.sumLanes(a0.add(a1).add(a2.add(a3)).add(a4.add(a5).add(a6.add(a7))));
        }
        return total;
    }

    /** Max (or min) of a non-empty x[xo .. xo + n); NaN if any element is NaN. */
    static float max(float[] x, int xo, int n, boolean min) {
        return min ? minRun(x, xo, n) : maxRun(x, xo, n);
    }

    private static float maxRun(float[] x, int xo, int n) {
        FloatVector a0 = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY), a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (; i <= n - 4 * L; i += 4 * L) {
            a0 = a0.max(FloatVector.fromArray(S, x, xo + i));
            a1 = a1.max(FloatVector.fromArray(S, x, xo + i + L));
            a2 = a2.max(FloatVector.fromArray(S, x, xo + i + 2 * L));
            a3 = a3.max(FloatVector.fromArray(S, x, xo + i + 3 * L));
        }
        for (; i <= n - L; i += L) a0 = a0.max(FloatVector.fromArray(S, x, xo + i));
        if (i < n) a1 = a1.lanewise(VectorOperators.MAX, FloatVector.fromArray(S, x, xo + i, S.indexInRange(i, n)), S.indexInRange(i, n));
        FloatVector r = a0.max(a1).max(a2.max(a3));
        return r.test(VectorOperators.IS_NAN).anyTrue() ? Float.NaN : r.reduceLanes(VectorOperators.MAX);
    }

    private static float minRun(float[] x, int xo, int n) {
        FloatVector a0 = FloatVector.broadcast(S, Float.POSITIVE_INFINITY), a1 = a0, a2 = a0, a3 = a0;
        int i = 0;
        for (; i <= n - 4 * L; i += 4 * L) {
            a0 = a0.min(FloatVector.fromArray(S, x, xo + i));
            a1 = a1.min(FloatVector.fromArray(S, x, xo + i + L));
            a2 = a2.min(FloatVector.fromArray(S, x, xo + i + 2 * L));
            a3 = a3.min(FloatVector.fromArray(S, x, xo + i + 3 * L));
        }
        for (; i <= n - L; i += L) a0 = a0.min(FloatVector.fromArray(S, x, xo + i));
        if (i < n) a1 = a1.lanewise(VectorOperators.MIN, FloatVector.fromArray(S, x, xo + i, S.indexInRange(i, n)), S.indexInRange(i, n));
        FloatVector r = a0.min(a1).min(a2.min(a3));
        return r.test(VectorOperators.IS_NAN).anyTrue() ? Float.NaN : r.reduceLanes(VectorOperators.MIN);
    }

    /**
     * acc[ao + j] += x[xo + r * rowStride + j] over r < rows, j < width. Four rows are added together
     * before touching acc, which keeps the accumulator's store-to-load chain off the critical path
     * when rows are short.
     *
     * <p>Kept in small methods on purpose: as one method, C1's tier-3 compile of it failed ("out of
     * virtual registers in linear scan"), which left it at tier 2 for good, never reaching C2, so every
     * vector operation ran the Vector API's Java fallback (about 10% of an MLP training step).
     */
    static void sumRows(float[] x, int xo, int rowStride, int rows, float[] acc, int ao, int width) {
        int r = 0;
        for (; r <= rows - 4; r += 4) sumFourRows(x, xo + r * rowStride, rowStride, acc, ao, width);
        for (; r < rows; r++) sumOneRow(x, xo + r * rowStride, acc, ao, width);
    }

    private static void sumFourRows(float[] x, int r0, int rowStride, float[] acc, int ao, int width) {
        int r1 = r0 + rowStride, r2 = r1 + rowStride, r3 = r2 + rowStride;
        int j = 0;
        for (; j <= width - L; j += L) {
            FloatVector s = FloatVector.fromArray(S, x, r0 + j).add(FloatVector.fromArray(S, x, r1 + j))
                    .add(FloatVector.fromArray(S, x, r2 + j).add(FloatVector.fromArray(S, x, r3 + j)));
            FloatVector.fromArray(S, acc, ao + j).add(s).intoArray(acc, ao + j);
        }
        if (j < width) sumFourRowsTail(x, r0 + j, rowStride, acc, ao + j, S.indexInRange(j, width));
    }

    private static void sumFourRowsTail(float[] x, int r0, int rowStride, float[] acc, int ao, VectorMask<Float> m) {
        int r1 = r0 + rowStride, r2 = r1 + rowStride, r3 = r2 + rowStride;
        FloatVector s = FloatVector.fromArray(S, x, r0, m).add(FloatVector.fromArray(S, x, r1, m))
                .add(FloatVector.fromArray(S, x, r2, m).add(FloatVector.fromArray(S, x, r3, m)));
        FloatVector.fromArray(S, acc, ao, m).add(s).intoArray(acc, ao, m);
    }

    private static void sumOneRow(float[] x, int r0, float[] acc, int ao, int width) {
        int j = 0;
        for (; j <= width - L; j += L) {
            FloatVector.fromArray(S, acc, ao + j).add(FloatVector.fromArray(S, x, r0 + j)).intoArray(acc, ao + j);
        }
        if (j < width) {
            VectorMask<Float> m = S.indexInRange(j, width);
            FloatVector.fromArray(S, acc, ao + j, m).add(FloatVector.fromArray(S, x, r0 + j, m)).intoArray(acc, ao + j, m);
        }
    }

    /** acc[ao + j] = max (or min) of itself and x[xo + r * rowStride + j] over r < rows; NaN propagates. */
    static void maxRows(float[] x, int xo, int rowStride, int rows, float[] acc, int ao, int width, boolean min) {
        for (int r = 0; r < rows; r++) {
            int r0 = xo + r * rowStride;
            int j = 0;
            for (; j <= width - L; j += L) {
                FloatVector a = FloatVector.fromArray(S, acc, ao + j), v = FloatVector.fromArray(S, x, r0 + j);
                (min ? a.min(v) : a.max(v)).intoArray(acc, ao + j);
            }
            if (j < width) {
                VectorMask<Float> m = S.indexInRange(j, width);
                FloatVector a = FloatVector.fromArray(S, acc, ao + j, m), v = FloatVector.fromArray(S, x, r0 + j, m);
                (min ? a.min(v) : a.max(v)).intoArray(acc, ao + j, m);
            }
        }
    }

    /**
     * {@link FloatKernels#squaredDeviations}: four vector accumulators, the tail in scalar code (rows of
     * batch norm end at the array's end, where a masked load would take the Vector API's slow path).
     */
    static double squaredDeviations(float[] x, int xo, int n, float m) {
        FloatVector mv = FloatVector.broadcast(S, m);
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
        int k = 0;
        for (; k <= n - 4 * L; k += 4 * L) {
            FloatVector d0 = FloatVector.fromArray(S, x, xo + k).sub(mv), d1 = FloatVector.fromArray(S, x, xo + k + L).sub(mv);
            FloatVector d2 = FloatVector.fromArray(S, x, xo + k + 2 * L).sub(mv), d3 = FloatVector.fromArray(S, x, xo + k + 3 * L).sub(mv);
            a0 = d0.fma(d0, a0);
            a1 = d1.fma(d1, a1);
            a2 = d2.fma(d2, a2);
            a3 = d3.fma(d3, a3);
        }
        for (; k <= n - L; k += L) {
            FloatVector d = FloatVector.fromArray(S, x, xo + k).sub(mv);
            a0 = d.fma(d, a0);
        }
        double total = VectorMath.sumLanes(a0.add(a1).add(a2.add(a3)));
        for (; k < n; k++) {
            float d = x[xo + k] - m;
            total += d * d;
        }
        return total;
    }

    /** {@link FloatKernels#dotCentered}, in the manner of {@link #squaredDeviations}. */
    static double dotCentered(float[] g, int go, float[] x, int xo, int n, float m) {
        FloatVector mv = FloatVector.broadcast(S, m);
        FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
        int k = 0;
        for (; k <= n - 4 * L; k += 4 * L) {
            a0 = FloatVector.fromArray(S, x, xo + k).sub(mv).fma(FloatVector.fromArray(S, g, go + k), a0);
            a1 = FloatVector.fromArray(S, x, xo + k + L).sub(mv).fma(FloatVector.fromArray(S, g, go + k + L), a1);
            a2 = FloatVector.fromArray(S, x, xo + k + 2 * L).sub(mv).fma(FloatVector.fromArray(S, g, go + k + 2 * L), a2);
            a3 = FloatVector.fromArray(S, x, xo + k + 3 * L).sub(mv).fma(FloatVector.fromArray(S, g, go + k + 3 * L), a3);
        }
        for (; k <= n - L; k += L) a0 = FloatVector.fromArray(S, x, xo + k).sub(mv).fma(FloatVector.fromArray(S, g, go + k), a0);
        double total = VectorMath.sumLanes(a0.add(a1).add(a2.add(a3)));
        for (; k < n; k++) total += g[go + k] * (x[xo + k] - m);
        return total;
    }
}
