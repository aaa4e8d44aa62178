package dev.ember.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Matrix-vector products for GEMMs with one row or one column ({@code m == 1} or {@code n == 1}),
 * as in batch-1 inference: packing B for a single row of A would cost as much as the product, so
 * these read both operands in place. Two shapes cover every transpose combination:
 * {@link #dotRows} (the matrix's rows are dotted with x) and {@link #axpyCols} (x weighs the
 * matrix's rows, summed along contiguous columns).
 */
final class VectorGemv {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /**
     * Multiply-adds below which a GEMV stays on the calling thread. Low since the kernel threads spin
     * between chunks: a batch-1 Linear(3136, 128) (400K) is faster on two threads (CNN batch-1 latency
     * 0.196 -> 0.171 ms with 2^17 instead of 2^20).
     */
    private static final long PARALLEL_MIN_WORK = 1L << 17;

    private VectorGemv() {
    }

    /** {@link Gemm#sgemm} for {@code m == 1 || n == 1} (and {@code k >= 1}). */
    static void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc, boolean add, boolean parallel) {
        boolean par = parallel && (long) Math.max(m, n) * k >= PARALLEL_MIN_WORK && !Parallel.inWorker();
        if (m == 1) {
            // C row (1 x n) = x^T op(B), x = the row of op(A).
            int xInc = transA ? lda : 1;
            if (!transB) {
                axpyCols(k, n, b, bOff, ldb, a, aOff, xInc, c, cOff, add, par);
            } else {
                float[] x = contiguous(a, aOff, xInc, k);
                dotRows(n, k, b, bOff, ldb, x, x == a ? aOff : 0, c, cOff, 1, add, par);
            }
        } else {
            // C column (m x 1) = op(A) x, x = the column of op(B).
            int xInc = transB ? 1 : ldb;
            if (!transA) {
                float[] x = contiguous(b, bOff, xInc, k);
                dotRows(m, k, a, aOff, lda, x, x == b ? bOff : 0, c, cOff, ldc, add, par);
            } else if (ldc == 1) {
                axpyCols(k, m, a, aOff, lda, b, bOff, xInc, c, cOff, add, par);
            } else {
                float[] y = new float[m];
                if (add) for (int i = 0; i < m; i++) y[i] = c[cOff + i * ldc];
                axpyCols(k, m, a, aOff, lda, b, bOff, xInc, y, 0, add, par);
                for (int i = 0; i < m; i++) c[cOff + i * ldc] = y[i];
            }
        }
    }

    private static float[] contiguous(float[] v, int off, int inc, int len) {
        if (inc == 1) return v;
        float[] out = new float[len];
        for (int p = 0; p < len; p++) out[p] = v[off + p * inc];
        return out;
    }

    /**
     * {@code y[r*yInc] (+)= sum_p mat[off + r*ld + p] * x[xOff + p]} for r in [0, rows): dot
     * products of contiguous rows with a contiguous x, four rows at a time.
     */
    static void dotRows(int rows, int k, float[] mat, int off, int ld, float[] x, int xOff,
                        float[] y, int yOff, int yInc, boolean add, boolean parallel) {
        if (!parallel) {
            dotRows(0, rows, k, mat, off, ld, x, xOff, y, yOff, yInc, add);
            return;
        }
        Parallel.forRange((rows + 3) / 4, 16, (q0, q1) ->
                dotRows(q0 * 4, Math.min(rows, q1 * 4), k, mat, off, ld, x, xOff, y, yOff, yInc, add));
    }

    private static void dotRows(int r0, int r1, int k, float[] mat, int off, int ld, float[] x, int xOff,
                                float[] y, int yOff, int yInc, boolean add) {
        int r = r0;
        for (; r + 4 <= r1; r += 4) {
            int o0 = off + r * ld, o1 = o0 + ld, o2 = o1 + ld, o3 = o2 + ld;
            FloatVector s0 = FloatVector.zero(S), s1 = s0, s2 = s0, s3 = s0;
            int p = 0;
            for (; p <= k - L; p += L) {
                FloatVector xv = FloatVector.fromArray(S, x, xOff + p);
                s0 = FloatVector.fromArray(S, mat, o0 + p).fma(xv, s0);
                s1 = FloatVector.fromArray(S, mat, o1 + p).fma(xv, s1);
                s2 = FloatVector.fromArray(S, mat, o2 + p).fma(xv, s2);
                s3 = FloatVector.fromArray(S, mat, o3 + p).fma(xv, s3);
            }
            float t0 = VectorMath.sumLanes(s0), t1 = VectorMath.sumLanes(s1);
            float t2 = VectorMath.sumLanes(s2), t3 = VectorMath.sumLanes(s3);
            for (; p < k; p++) {
                float xp = x[xOff + p];
                t0 += mat[o0 + p] * xp;
                t1 += mat[o1 + p] * xp;
                t2 += mat[o2 + p] * xp;
                t3 += mat[o3 + p] * xp;
            }
            put(y, yOff + r * yInc, t0, add);
            put(y, yOff + (r + 1) * yInc, t1, add);
            put(y, yOff + (r + 2) * yInc, t2, add);
            put(y, yOff + (r + 3) * yInc, t3, add);
        }
        for (; r < r1; r++) {
            int o = off + r * ld;
            FloatVector s = FloatVector.zero(S);
            int p = 0;
            for (; p <= k - L; p += L) {
                s = FloatVector.fromArray(S, mat, o + p).fma(FloatVector.fromArray(S, x, xOff + p), s);
            }
            float t = VectorMath.sumLanes(s);
            for (; p < k; p++) t += mat[o + p] * x[xOff + p];
            put(y, yOff + r * yInc, t, add);
        }
    }

    private static void put(float[] y, int i, float v, boolean add) {
        y[i] = add ? y[i] + v : v;
    }

    /**
     * {@code y[j] (+)= sum_p x[xOff + p*xInc] * mat[off + p*ld + j]} for j in [0, cols), y
     * contiguous: each row of the matrix is scaled and added, 4 vectors of columns at a time held
     * in registers over the whole k loop.
     */
    static void axpyCols(int k, int cols, float[] mat, int off, int ld, float[] x, int xOff, int xInc,
                         float[] y, int yOff, boolean add, boolean parallel) {
        if (!parallel) {
            axpyCols(0, cols, k, mat, off, ld, x, xOff, xInc, y, yOff, add);
            return;
        }
        int w = 4 * L;
        Parallel.forRange((cols + w - 1) / w, 4, (q0, q1) ->
                axpyCols(q0 * w, Math.min(cols, q1 * w), k, mat, off, ld, x, xOff, xInc, y, yOff, add));
    }

    private static void axpyCols(int j0, int j1, int k, float[] mat, int off, int ld, float[] x, int xOff, int xInc,
                                 float[] y, int yOff, boolean add) {
        int j = j0;
        for (; j + 4 * L <= j1; j += 4 * L) {
            FloatVector s0, s1, s2, s3;
            if (add) {
                s0 = FloatVector.fromArray(S, y, yOff + j);
                s1 = FloatVector.fromArray(S, y, yOff + j + L);
                s2 = FloatVector.fromArray(S, y, yOff + j + 2 * L);
                s3 = FloatVector.fromArray(S, y, yOff + j + 3 * L);
            } else {
                s0 = s1 = s2 = s3 = FloatVector.zero(S);
            }
            for (int p = 0; p < k; p++) {
                FloatVector xv = FloatVector.broadcast(S, x[xOff + p * xInc]);
                int o = off + p * ld + j;
                s0 = FloatVector.fromArray(S, mat, o).fma(xv, s0);
                s1 = FloatVector.fromArray(S, mat, o + L).fma(xv, s1);
                s2 = FloatVector.fromArray(S, mat, o + 2 * L).fma(xv, s2);
                s3 = FloatVector.fromArray(S, mat, o + 3 * L).fma(xv, s3);
            }
            s0.intoArray(y, yOff + j);
            s1.intoArray(y, yOff + j + L);
            s2.intoArray(y, yOff + j + 2 * L);
            s3.intoArray(y, yOff + j + 3 * L);
        }
        for (; j < j1; j += L) {
            VectorMask<Float> m = S.indexInRange(j, j1);
            FloatVector s = add ? FloatVector.fromArray(S, y, yOff + j, m) : FloatVector.zero(S);
            for (int p = 0; p < k; p++) {
                FloatVector xv = FloatVector.broadcast(S, x[xOff + p * xInc]);
                s = FloatVector.fromArray(S, mat, off + p * ld + j, m).fma(xv, s);
            }
            s.intoArray(y, yOff + j, m);
        }
    }
}
