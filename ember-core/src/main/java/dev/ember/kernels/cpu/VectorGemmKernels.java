package dev.ember.kernels.cpu;

import jdk.incubator.vector.FloatVector;
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
 * {@code c[cOff + r*ldc + j]}; {@code add} adds the tile to C instead of overwriting it. Partial
 * tiles are spilled to {@code edge} (at least {@code MR * NR} floats) and copied from there.
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
                     float[] c, int cOff, int ldc, int cols, boolean add, float[] edge) {
        if (WIDE && cols > 2 * L) {
            kernel4(kc, a, aOff, lda, rows, bp, bpOff, c, cOff, ldc, cols, add, edge);
            return;
        }
        for (int j = 0; j < cols; j += 2 * L) {
            int w = Math.min(2 * L, cols - j);
            if (w > L) {
                kernel2(kc, a, aOff, lda, rows, bp, bpOff + j, c, cOff + j, ldc, w, add, edge);
            } else {
                kernel1(kc, a, aOff, lda, rows, bp, bpOff + j, c, cOff + j, ldc, w, add, edge);
            }
        }
    }

    /** MR x 4 vectors: 24 accumulators. */
    static void kernel4(int kc, float[] a, int aOff, int lda, int rows, float[] bp, int bpOff,
                        float[] c, int cOff, int ldc, int cols, boolean add, float[] edge) {
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
        if (rows == MR && cols == NR) {
            // The common case, written out: a helper taking vectors would box them.
            if (add) {
                c00 = c00.add(FloatVector.fromArray(S, c, cOff));
                c01 = c01.add(FloatVector.fromArray(S, c, cOff + L));
                c02 = c02.add(FloatVector.fromArray(S, c, cOff + 2 * L));
                c03 = c03.add(FloatVector.fromArray(S, c, cOff + 3 * L));
                c10 = c10.add(FloatVector.fromArray(S, c, cOff + ldc));
                c11 = c11.add(FloatVector.fromArray(S, c, cOff + ldc + L));
                c12 = c12.add(FloatVector.fromArray(S, c, cOff + ldc + 2 * L));
                c13 = c13.add(FloatVector.fromArray(S, c, cOff + ldc + 3 * L));
                c20 = c20.add(FloatVector.fromArray(S, c, cOff + 2 * ldc));
                c21 = c21.add(FloatVector.fromArray(S, c, cOff + 2 * ldc + L));
                c22 = c22.add(FloatVector.fromArray(S, c, cOff + 2 * ldc + 2 * L));
                c23 = c23.add(FloatVector.fromArray(S, c, cOff + 2 * ldc + 3 * L));
                c30 = c30.add(FloatVector.fromArray(S, c, cOff + 3 * ldc));
                c31 = c31.add(FloatVector.fromArray(S, c, cOff + 3 * ldc + L));
                c32 = c32.add(FloatVector.fromArray(S, c, cOff + 3 * ldc + 2 * L));
                c33 = c33.add(FloatVector.fromArray(S, c, cOff + 3 * ldc + 3 * L));
                c40 = c40.add(FloatVector.fromArray(S, c, cOff + 4 * ldc));
                c41 = c41.add(FloatVector.fromArray(S, c, cOff + 4 * ldc + L));
                c42 = c42.add(FloatVector.fromArray(S, c, cOff + 4 * ldc + 2 * L));
                c43 = c43.add(FloatVector.fromArray(S, c, cOff + 4 * ldc + 3 * L));
                c50 = c50.add(FloatVector.fromArray(S, c, cOff + 5 * ldc));
                c51 = c51.add(FloatVector.fromArray(S, c, cOff + 5 * ldc + L));
                c52 = c52.add(FloatVector.fromArray(S, c, cOff + 5 * ldc + 2 * L));
                c53 = c53.add(FloatVector.fromArray(S, c, cOff + 5 * ldc + 3 * L));
            }
            c00.intoArray(c, cOff);
            c01.intoArray(c, cOff + L);
            c02.intoArray(c, cOff + 2 * L);
            c03.intoArray(c, cOff + 3 * L);
            c10.intoArray(c, cOff + ldc);
            c11.intoArray(c, cOff + ldc + L);
            c12.intoArray(c, cOff + ldc + 2 * L);
            c13.intoArray(c, cOff + ldc + 3 * L);
            c20.intoArray(c, cOff + 2 * ldc);
            c21.intoArray(c, cOff + 2 * ldc + L);
            c22.intoArray(c, cOff + 2 * ldc + 2 * L);
            c23.intoArray(c, cOff + 2 * ldc + 3 * L);
            c30.intoArray(c, cOff + 3 * ldc);
            c31.intoArray(c, cOff + 3 * ldc + L);
            c32.intoArray(c, cOff + 3 * ldc + 2 * L);
            c33.intoArray(c, cOff + 3 * ldc + 3 * L);
            c40.intoArray(c, cOff + 4 * ldc);
            c41.intoArray(c, cOff + 4 * ldc + L);
            c42.intoArray(c, cOff + 4 * ldc + 2 * L);
            c43.intoArray(c, cOff + 4 * ldc + 3 * L);
            c50.intoArray(c, cOff + 5 * ldc);
            c51.intoArray(c, cOff + 5 * ldc + L);
            c52.intoArray(c, cOff + 5 * ldc + 2 * L);
            c53.intoArray(c, cOff + 5 * ldc + 3 * L);
            return;
        }
        int w = NR;
        c00.intoArray(edge, 0);
        c01.intoArray(edge, L);
        c02.intoArray(edge, 2 * L);
        c03.intoArray(edge, 3 * L);
        c10.intoArray(edge, w);
        c11.intoArray(edge, w + L);
        c12.intoArray(edge, w + 2 * L);
        c13.intoArray(edge, w + 3 * L);
        c20.intoArray(edge, 2 * w);
        c21.intoArray(edge, 2 * w + L);
        c22.intoArray(edge, 2 * w + 2 * L);
        c23.intoArray(edge, 2 * w + 3 * L);
        c30.intoArray(edge, 3 * w);
        c31.intoArray(edge, 3 * w + L);
        c32.intoArray(edge, 3 * w + 2 * L);
        c33.intoArray(edge, 3 * w + 3 * L);
        c40.intoArray(edge, 4 * w);
        c41.intoArray(edge, 4 * w + L);
        c42.intoArray(edge, 4 * w + 2 * L);
        c43.intoArray(edge, 4 * w + 3 * L);
        c50.intoArray(edge, 5 * w);
        c51.intoArray(edge, 5 * w + L);
        c52.intoArray(edge, 5 * w + 2 * L);
        c53.intoArray(edge, 5 * w + 3 * L);
        storeEdge(edge, w, rows, cols, c, cOff, ldc, add);
    }

    /** MR x 2 vectors: 12 accumulators. */
    static void kernel2(int kc, float[] a, int aOff, int lda, int rows, float[] bp, int bpOff,
                        float[] c, int cOff, int ldc, int cols, boolean add, float[] edge) {
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
        if (rows == MR && cols == 2 * L) {
            // The common case, written out: a helper taking vectors would box them.
            if (add) {
                c00 = c00.add(FloatVector.fromArray(S, c, cOff));
                c01 = c01.add(FloatVector.fromArray(S, c, cOff + L));
                c10 = c10.add(FloatVector.fromArray(S, c, cOff + ldc));
                c11 = c11.add(FloatVector.fromArray(S, c, cOff + ldc + L));
                c20 = c20.add(FloatVector.fromArray(S, c, cOff + 2 * ldc));
                c21 = c21.add(FloatVector.fromArray(S, c, cOff + 2 * ldc + L));
                c30 = c30.add(FloatVector.fromArray(S, c, cOff + 3 * ldc));
                c31 = c31.add(FloatVector.fromArray(S, c, cOff + 3 * ldc + L));
                c40 = c40.add(FloatVector.fromArray(S, c, cOff + 4 * ldc));
                c41 = c41.add(FloatVector.fromArray(S, c, cOff + 4 * ldc + L));
                c50 = c50.add(FloatVector.fromArray(S, c, cOff + 5 * ldc));
                c51 = c51.add(FloatVector.fromArray(S, c, cOff + 5 * ldc + L));
            }
            c00.intoArray(c, cOff);
            c01.intoArray(c, cOff + L);
            c10.intoArray(c, cOff + ldc);
            c11.intoArray(c, cOff + ldc + L);
            c20.intoArray(c, cOff + 2 * ldc);
            c21.intoArray(c, cOff + 2 * ldc + L);
            c30.intoArray(c, cOff + 3 * ldc);
            c31.intoArray(c, cOff + 3 * ldc + L);
            c40.intoArray(c, cOff + 4 * ldc);
            c41.intoArray(c, cOff + 4 * ldc + L);
            c50.intoArray(c, cOff + 5 * ldc);
            c51.intoArray(c, cOff + 5 * ldc + L);
            return;
        }
        int w = 2 * L;
        c00.intoArray(edge, 0);
        c01.intoArray(edge, L);
        c10.intoArray(edge, w);
        c11.intoArray(edge, w + L);
        c20.intoArray(edge, 2 * w);
        c21.intoArray(edge, 2 * w + L);
        c30.intoArray(edge, 3 * w);
        c31.intoArray(edge, 3 * w + L);
        c40.intoArray(edge, 4 * w);
        c41.intoArray(edge, 4 * w + L);
        c50.intoArray(edge, 5 * w);
        c51.intoArray(edge, 5 * w + L);
        storeEdge(edge, w, rows, cols, c, cOff, ldc, add);
    }

    /** MR x 1 vector: 6 accumulators. */
    static void kernel1(int kc, float[] a, int aOff, int lda, int rows, float[] bp, int bpOff,
                        float[] c, int cOff, int ldc, int cols, boolean add, float[] edge) {
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
        if (rows == MR && cols == L) {
            // The common case, written out: a helper taking vectors would box them.
            if (add) {
                c0 = c0.add(FloatVector.fromArray(S, c, cOff));
                c1 = c1.add(FloatVector.fromArray(S, c, cOff + ldc));
                c2 = c2.add(FloatVector.fromArray(S, c, cOff + 2 * ldc));
                c3 = c3.add(FloatVector.fromArray(S, c, cOff + 3 * ldc));
                c4 = c4.add(FloatVector.fromArray(S, c, cOff + 4 * ldc));
                c5 = c5.add(FloatVector.fromArray(S, c, cOff + 5 * ldc));
            }
            c0.intoArray(c, cOff);
            c1.intoArray(c, cOff + ldc);
            c2.intoArray(c, cOff + 2 * ldc);
            c3.intoArray(c, cOff + 3 * ldc);
            c4.intoArray(c, cOff + 4 * ldc);
            c5.intoArray(c, cOff + 5 * ldc);
            return;
        }
        int w = L;
        c0.intoArray(edge, 0);
        c1.intoArray(edge, w);
        c2.intoArray(edge, 2 * w);
        c3.intoArray(edge, 3 * w);
        c4.intoArray(edge, 4 * w);
        c5.intoArray(edge, 5 * w);
        storeEdge(edge, w, rows, cols, c, cOff, ldc, add);
    }

    /** Writes (or adds) the valid rows x cols corner of a spilled w-wide tile into C. */
    private static void storeEdge(float[] edge, int w, int rows, int cols, float[] c, int cOff, int ldc, boolean add) {
        for (int r = 0; r < rows; r++) {
            int t = r * w, o = cOff + r * ldc;
            if (add) {
                for (int j = 0; j < cols; j++) c[o + j] += edge[t + j];
            } else {
                System.arraycopy(edge, t, c, o, cols);
            }
        }
    }
}
