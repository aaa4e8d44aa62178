package dev.ember.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-blocked GEMM micro-kernels: {@code C[rows x cols] (+)= A[rows x kc] * Bp[kc x cols]} for
 * a tile of at most {@link #MR} rows and {@link #NR} columns, with the whole tile of C held in
 * vector registers across the k loop (with 512-bit vectors, 6 x 64 floats in 24 accumulators: the
 * shape that reaches ~85% of the FMA peak on Zen 4).
 *
 * <p>A is read in place, row-major: {@code A(r, p) = a[aOff + r*lda + p]}. Rows past {@code rows}
 * re-read row 0, so edge tiles need no padding; they are computed and never stored. B is a packed
 * panel: {@code Bp(p, j) = bp[bpOff + p*NR + j]}, zero-padded to a whole number of vectors. C is
 * {@code c[cOff + r*ldc + j]}; {@code add} adds the tile to C instead of overwriting it.
 *
 * <p>Three widths exist so a narrow last panel (or a narrow N, like a 32-channel convolution)
 * does not pay for 4 vectors of work: {@link #kernel4}, {@link #kernel2} and {@link #kernel1}.
 */
final class VectorGemmKernels {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Floats per vector. */
    static final int L = S.length();
    /** Rows of a micro-tile. */
    static final int MR = 6;
    /** Columns of a micro-tile (and the stride of a packed B panel): 4 vectors. */
    static final int NR = 4 * L;
    /** Whether the 24-accumulator kernel fits the register file (32 registers with AVX-512). */
    static final boolean WIDE = S.vectorBitSize() >= 512;

    private VectorGemmKernels() {
    }

    /**
     * The micro-kernel(s) for a tile of up to {@code cols <= NR} columns, choosing the narrowest
     * that covers them. Below 512 bits (e.g. AVX2 with 16 registers) 24 accumulators would spill,
     * so there the 2-vector kernel does the work.
     */
    static void tile(int kc, float[] a, int aOff, int lda, int rows, float[] bp, int bpOff,
                     float[] c, int cOff, int ldc, int cols, boolean add) {
        if (WIDE && cols > 2 * L) {
            kernel4(kc, a, aOff, lda, rows, bp, bpOff, c, cOff, ldc, cols, add);
            return;
        }
        for (int j = 0; j < cols; j += 2 * L) {
            int w = Math.min(2 * L, cols - j);
            if (w > L) {
                kernel2(kc, a, aOff, lda, rows, bp, bpOff + j, c, cOff + j, ldc, w, add);
            } else {
                kernel1(kc, a, aOff, lda, rows, bp, bpOff + j, c, cOff + j, ldc, w, add);
            }
        }
    }

    /** MR x 4 vectors: 24 accumulators. */
    static void kernel4(int kc, float[] a, int aOff, int lda, int rows, float[] bp, int bpOff,
                        float[] c, int cOff, int ldc, int cols, boolean add) {
        int a0 = aOff;
        int a1 = rows > 1 ? aOff + lda : aOff;
        int a2 = rows > 2 ? aOff + 2 * lda : aOff;
        int a3 = rows > 3 ? aOff + 3 * lda : aOff;
        int a4 = rows > 4 ? aOff + 4 * lda : aOff;
        int a5 = rows > 5 ? aOff + 5 * lda : aOff;
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c02 = z, c03 = z;
        FloatVector c10 = z, c11 = z, c12 = z, c13 = z;
        FloatVector c20 = z, c21 = z, c22 = z, c23 = z;
        FloatVector c30 = z, c31 = z, c32 = z, c33 = z;
        FloatVector c40 = z, c41 = z, c42 = z, c43 = z;
        FloatVector c50 = z, c51 = z, c52 = z, c53 = z;
        int bo = bpOff;
        for (int p = 0; p < kc; p++, bo += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
            FloatVector b2 = FloatVector.fromArray(S, bp, bo + 2 * L);
            FloatVector b3 = FloatVector.fromArray(S, bp, bo + 3 * L);
            FloatVector av = FloatVector.broadcast(S, a[a0 + p]);
            c00 = b0.fma(av, c00);
            c01 = b1.fma(av, c01);
            c02 = b2.fma(av, c02);
            c03 = b3.fma(av, c03);
            av = FloatVector.broadcast(S, a[a1 + p]);
            c10 = b0.fma(av, c10);
            c11 = b1.fma(av, c11);
            c12 = b2.fma(av, c12);
            c13 = b3.fma(av, c13);
            av = FloatVector.broadcast(S, a[a2 + p]);
            c20 = b0.fma(av, c20);
            c21 = b1.fma(av, c21);
            c22 = b2.fma(av, c22);
            c23 = b3.fma(av, c23);
            av = FloatVector.broadcast(S, a[a3 + p]);
            c30 = b0.fma(av, c30);
            c31 = b1.fma(av, c31);
            c32 = b2.fma(av, c32);
            c33 = b3.fma(av, c33);
            av = FloatVector.broadcast(S, a[a4 + p]);
            c40 = b0.fma(av, c40);
            c41 = b1.fma(av, c41);
            c42 = b2.fma(av, c42);
            c43 = b3.fma(av, c43);
            av = FloatVector.broadcast(S, a[a5 + p]);
            c50 = b0.fma(av, c50);
            c51 = b1.fma(av, c51);
            c52 = b2.fma(av, c52);
            c53 = b3.fma(av, c53);
        }
        store4(c, cOff, cols, add, c00, c01, c02, c03);
        if (rows > 1) store4(c, cOff + ldc, cols, add, c10, c11, c12, c13);
        if (rows > 2) store4(c, cOff + 2 * ldc, cols, add, c20, c21, c22, c23);
        if (rows > 3) store4(c, cOff + 3 * ldc, cols, add, c30, c31, c32, c33);
        if (rows > 4) store4(c, cOff + 4 * ldc, cols, add, c40, c41, c42, c43);
        if (rows > 5) store4(c, cOff + 5 * ldc, cols, add, c50, c51, c52, c53);
    }

    /** MR x 2 vectors: 12 accumulators. */
    static void kernel2(int kc, float[] a, int aOff, int lda, int rows, float[] bp, int bpOff,
                        float[] c, int cOff, int ldc, int cols, boolean add) {
        int a0 = aOff;
        int a1 = rows > 1 ? aOff + lda : aOff;
        int a2 = rows > 2 ? aOff + 2 * lda : aOff;
        int a3 = rows > 3 ? aOff + 3 * lda : aOff;
        int a4 = rows > 4 ? aOff + 4 * lda : aOff;
        int a5 = rows > 5 ? aOff + 5 * lda : aOff;
        FloatVector z = FloatVector.zero(S);
        FloatVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z;
        FloatVector c30 = z, c31 = z, c40 = z, c41 = z, c50 = z, c51 = z;
        int bo = bpOff;
        for (int p = 0; p < kc; p++, bo += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            FloatVector b1 = FloatVector.fromArray(S, bp, bo + L);
            FloatVector av = FloatVector.broadcast(S, a[a0 + p]);
            c00 = b0.fma(av, c00);
            c01 = b1.fma(av, c01);
            av = FloatVector.broadcast(S, a[a1 + p]);
            c10 = b0.fma(av, c10);
            c11 = b1.fma(av, c11);
            av = FloatVector.broadcast(S, a[a2 + p]);
            c20 = b0.fma(av, c20);
            c21 = b1.fma(av, c21);
            av = FloatVector.broadcast(S, a[a3 + p]);
            c30 = b0.fma(av, c30);
            c31 = b1.fma(av, c31);
            av = FloatVector.broadcast(S, a[a4 + p]);
            c40 = b0.fma(av, c40);
            c41 = b1.fma(av, c41);
            av = FloatVector.broadcast(S, a[a5 + p]);
            c50 = b0.fma(av, c50);
            c51 = b1.fma(av, c51);
        }
        store2(c, cOff, cols, add, c00, c01);
        if (rows > 1) store2(c, cOff + ldc, cols, add, c10, c11);
        if (rows > 2) store2(c, cOff + 2 * ldc, cols, add, c20, c21);
        if (rows > 3) store2(c, cOff + 3 * ldc, cols, add, c30, c31);
        if (rows > 4) store2(c, cOff + 4 * ldc, cols, add, c40, c41);
        if (rows > 5) store2(c, cOff + 5 * ldc, cols, add, c50, c51);
    }

    /** MR x 1 vector: 6 accumulators. */
    static void kernel1(int kc, float[] a, int aOff, int lda, int rows, float[] bp, int bpOff,
                        float[] c, int cOff, int ldc, int cols, boolean add) {
        int a0 = aOff;
        int a1 = rows > 1 ? aOff + lda : aOff;
        int a2 = rows > 2 ? aOff + 2 * lda : aOff;
        int a3 = rows > 3 ? aOff + 3 * lda : aOff;
        int a4 = rows > 4 ? aOff + 4 * lda : aOff;
        int a5 = rows > 5 ? aOff + 5 * lda : aOff;
        FloatVector z = FloatVector.zero(S);
        FloatVector c0 = z, c1 = z, c2 = z, c3 = z, c4 = z, c5 = z;
        int bo = bpOff;
        for (int p = 0; p < kc; p++, bo += NR) {
            FloatVector b0 = FloatVector.fromArray(S, bp, bo);
            c0 = b0.fma(FloatVector.broadcast(S, a[a0 + p]), c0);
            c1 = b0.fma(FloatVector.broadcast(S, a[a1 + p]), c1);
            c2 = b0.fma(FloatVector.broadcast(S, a[a2 + p]), c2);
            c3 = b0.fma(FloatVector.broadcast(S, a[a3 + p]), c3);
            c4 = b0.fma(FloatVector.broadcast(S, a[a4 + p]), c4);
            c5 = b0.fma(FloatVector.broadcast(S, a[a5 + p]), c5);
        }
        store(c, cOff, cols, add, c0, 0);
        if (rows > 1) store(c, cOff + ldc, cols, add, c1, 0);
        if (rows > 2) store(c, cOff + 2 * ldc, cols, add, c2, 0);
        if (rows > 3) store(c, cOff + 3 * ldc, cols, add, c3, 0);
        if (rows > 4) store(c, cOff + 4 * ldc, cols, add, c4, 0);
        if (rows > 5) store(c, cOff + 5 * ldc, cols, add, c5, 0);
    }

    private static void store4(float[] c, int off, int cols, boolean add,
                               FloatVector v0, FloatVector v1, FloatVector v2, FloatVector v3) {
        store(c, off, cols, add, v0, 0);
        store(c, off, cols, add, v1, L);
        store(c, off, cols, add, v2, 2 * L);
        store(c, off, cols, add, v3, 3 * L);
    }

    private static void store2(float[] c, int off, int cols, boolean add, FloatVector v0, FloatVector v1) {
        store(c, off, cols, add, v0, 0);
        store(c, off, cols, add, v1, L);
    }

    /** Writes (or adds) the columns [j, j + L) of a row of C that lie below {@code cols}. */
    private static void store(float[] c, int rowOff, int cols, boolean add, FloatVector v, int j) {
        if (j + L <= cols) {
            if (add) v = v.add(FloatVector.fromArray(S, c, rowOff + j));
            v.intoArray(c, rowOff + j);
        } else if (j < cols) {
            VectorMask<Float> m = S.indexInRange(j, cols);
            if (add) v = v.add(FloatVector.fromArray(S, c, rowOff + j, m));
            v.intoArray(c, rowOff + j, m);
        }
    }
}
