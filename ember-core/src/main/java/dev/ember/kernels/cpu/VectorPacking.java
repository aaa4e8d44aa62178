package dev.ember.kernels.cpu;

import static dev.ember.kernels.cpu.VectorGemmKernels.MR;
import static dev.ember.kernels.cpu.VectorGemmKernels.NR;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Packing for {@link VectorSgemm}: B into NR-wide panels (native memory, see {@link VectorGemmKernels}),
 * transposed A into MR-row tiles, and the transposes that need. With 16-float vectors, a transposed B
 * is packed 16 x 16 blocks at a time in registers (four rounds of two-vector shuffles, through a small
 * staging block), about twice as fast as element by element.
 */
final class VectorPacking {
    private static final VectorSpecies<Float> S = VectorGemmKernels.S;
    private static final int L = VectorGemmKernels.L;
    private static final ByteOrder NATIVE = VectorGemmKernels.NATIVE;
    /** A float in native byte order, at any 4-byte alignment. */
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(NATIVE);
    /** Shuffle indices that interleave the low (high) halves of two vectors: a0 b0 a1 b1 ... */
    private static final float[] ZIP_LO = zipIndices(0), ZIP_HI = zipIndices(L / 2);

    /** Floats a packed-A buffer needs past its tiles (whole-vector copies overrun by up to L - MR). */
    static final int A_SLACK = L;

    private VectorPacking() {
    }

    private static float[] zipIndices(int from) {
        float[] idx = new float[L];
        for (int i = 0; i < L; i++) idx[i] = (i % 2 == 0 ? 0 : L) + from + i / 2;
        return idx;
    }

    /**
     * Packs mc rows of a transposed A block into MR-row tiles, {@code ap[t*kc*MR + p*MR + r] =
     * A(t*MR + r, p) = a[aOff + p*lda + t*MR + r]}: for each p the MR values are contiguous in
     * both source and destination, so this is a plain strided copy. A short last tile leaves its
     * missing rows unset; the kernels never read them. {@code ap} needs {@link #A_SLACK} floats
     * past the packed tiles.
     */
    static void packTransposedA(float[] a, int aOff, int lda, int mc, int kc, float[] ap) {
        for (int i0 = 0, t = 0; i0 < mc; i0 += MR, t++) {
            int rows = Math.min(MR, mc - i0);
            int dst = t * kc * MR, src = aOff + i0, p = 0;
            if (rows == MR) {
                // One whole-vector copy per p: its lanes past MR land where the next p (or the next
                // tile, or the buffer's slack) is written later, so they need no mask.
                for (; p < kc && src + L <= a.length; p++, src += lda, dst += MR) {
                    FloatVector.fromArray(S, a, src).intoArray(ap, dst);
                }
                for (; p < kc; p++, src += lda, dst += MR) System.arraycopy(a, src, ap, dst, MR);
            } else {
                for (; p < kc; p++, src += lda, dst += MR) System.arraycopy(a, src, ap, dst, rows);
            }
        }
    }

    /**
     * Packs B(pc .. pc+kc, jc .. jc+nc) into NR-wide panels in native memory: float
     * {@code q*kc*NR + p*NR + j} of {@code bp} is B(pc + p, jc + q*NR + j), the last panel
     * zero-padded to NR columns. {@code stage} (at least 256 floats) holds one 16 x 16 block of a
     * transposed B on its way into the panel.
     */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int kc, int jc, int nc,
                      MemorySegment bp, float[] stage) {
        for (int j0 = 0, q = 0; j0 < nc; j0 += NR, q++) {
            int w = Math.min(NR, nc - j0);
            long dst = (long) q * kc * NR;
            if (!transB) {
                int src = bOff + pc * ldb + jc + j0;
                if (w == NR) {
                    for (int p = 0; p < kc; p++, src += ldb, dst += NR) copyPanelRow(b, src, bp, dst);
                } else {
                    for (int p = 0; p < kc; p++, src += ldb, dst += NR) copyPartialPanelRow(b, src, w, bp, dst);
                }
            } else {
                // B(p, j) = b[bOff + j*ldb + p]: rows of the source are columns of the panel.
                int src = bOff + (jc + j0) * ldb + pc, j = 0;
                if (w < NR) {
                    // Zero the padding columns first (whole vectors from the one holding column w on), then write
                    // the columns over them.
                    FloatVector z = FloatVector.zero(S);
                    for (int p = 0; p < kc; p++) {
                        for (int v = w / L * L; v < NR; v += L) z.intoMemorySegment(bp, (dst + (long) p * NR + v) * Float.BYTES, NATIVE);
                    }
                }
                if (L == 16) {
                    for (; j + 16 <= w; j += 16) {
                        int p = 0;
                        for (; p + 16 <= kc; p += 16) {
                            transpose16(b, src + j * ldb + p, ldb, stage, 0, 16);
                            for (int r = 0; r < 16; r++) {
                                FloatVector.fromArray(S, stage, r * 16)
                                        .intoMemorySegment(bp, (dst + (long) (p + r) * NR + j) * Float.BYTES, NATIVE);
                            }
                        }
                        transposeInto(16, kc - p, b, src + j * ldb + p, ldb, bp, dst + (long) p * NR + j);
                    }
                }
                transposeInto(w - j, kc, b, src + j * ldb, ldb, bp, dst + j);
            }
        }
    }

    private static void copyPanelRow(float[] src, int s, MemorySegment dst, long d) {
        long o = d * Float.BYTES;
        FloatVector.fromArray(S, src, s).intoMemorySegment(dst, o, NATIVE);
        FloatVector.fromArray(S, src, s + L).intoMemorySegment(dst, o + L * Float.BYTES, NATIVE);
        FloatVector.fromArray(S, src, s + 2 * L).intoMemorySegment(dst, o + 2 * L * Float.BYTES, NATIVE);
        FloatVector.fromArray(S, src, s + 3 * L).intoMemorySegment(dst, o + 3 * L * Float.BYTES, NATIVE);
    }

    /**
     * A panel row of {@code w < NR} floats from {@code src[s..]}, zero-padded to NR: whole-vector stores of masked
     * loads (a bulk copy plus a fill of a slice, which allocated, was visible in the ResNet's profile).
     */
    private static void copyPartialPanelRow(float[] src, int s, int w, MemorySegment dst, long d) {
        for (int v = 0; v < NR; v += L) {
            FloatVector.fromArray(S, src, s + v, S.indexInRange(v, w)).intoMemorySegment(dst, (d + v) * Float.BYTES, NATIVE);
        }
    }

    /**
     * Float {@code dOff + j*NR + i} of {@code dst} = {@code src[sOff + i*sLd + j]} for a rows x cols
     * block: {@link Transposes#scalar} into a packed panel.
     */
    private static void transposeInto(int rows, int cols, float[] src, int sOff, int sLd, MemorySegment dst, long dOff) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0, s = sOff + i * sLd; j < cols; j++, s++) dst.setAtIndex(FLOAT, dOff + (long) j * NR + i, src[s]);
        }
    }

    /**
     * {@link Transposes#scalar} with 16 x 16 blocks done in registers ({@link #transpose16}) when vectors
     * hold 16 floats; edges by the scalar loop.
     */
    static void transposeBlocked(int rows, int cols, float[] src, int sOff, int sLd, float[] dst, int dOff, int dLd) {
        int i = 0;
        if (L == 16) {
            for (; i + 16 <= rows; i += 16) {
                int j = 0;
                for (; j + 16 <= cols; j += 16) transpose16(src, sOff + i * sLd + j, sLd, dst, dOff + j * dLd + i, dLd);
                Transposes.scalar(16, cols - j, src, sOff + i * sLd + j, sLd, dst, dOff + j * dLd + i, dLd);
            }
        }
        Transposes.scalar(rows - i, cols, src, sOff + i * sLd, sLd, dst, dOff + i, dLd);
    }

    /**
     * {@code dst[dOff + j*dLd + i] = src[sOff + i*sLd + j]} for a 16 x 16 block, in registers: after
     * log2(16) rounds of "row 2i = zip of the low halves of rows i and i + 8, row 2i + 1 = zip of
     * the high halves" the rows are the columns. Only called when vectors hold 16 floats.
     */
    private static void transpose16(float[] src, int sOff, int sLd, float[] dst, int dOff, int dLd) {
        FloatVector lo = FloatVector.fromArray(S, ZIP_LO, 0), hi = FloatVector.fromArray(S, ZIP_HI, 0);
        FloatVector v0 = FloatVector.fromArray(S, src, sOff);
        FloatVector v1 = FloatVector.fromArray(S, src, sOff + 1 * sLd);
        FloatVector v2 = FloatVector.fromArray(S, src, sOff + 2 * sLd);
        FloatVector v3 = FloatVector.fromArray(S, src, sOff + 3 * sLd);
        FloatVector v4 = FloatVector.fromArray(S, src, sOff + 4 * sLd);
        FloatVector v5 = FloatVector.fromArray(S, src, sOff + 5 * sLd);
        FloatVector v6 = FloatVector.fromArray(S, src, sOff + 6 * sLd);
        FloatVector v7 = FloatVector.fromArray(S, src, sOff + 7 * sLd);
        FloatVector v8 = FloatVector.fromArray(S, src, sOff + 8 * sLd);
        FloatVector v9 = FloatVector.fromArray(S, src, sOff + 9 * sLd);
        FloatVector v10 = FloatVector.fromArray(S, src, sOff + 10 * sLd);
        FloatVector v11 = FloatVector.fromArray(S, src, sOff + 11 * sLd);
        FloatVector v12 = FloatVector.fromArray(S, src, sOff + 12 * sLd);
        FloatVector v13 = FloatVector.fromArray(S, src, sOff + 13 * sLd);
        FloatVector v14 = FloatVector.fromArray(S, src, sOff + 14 * sLd);
        FloatVector v15 = FloatVector.fromArray(S, src, sOff + 15 * sLd);
        FloatVector t0_0 = lo.selectFrom(v0, v8), t1_0 = hi.selectFrom(v0, v8);
        FloatVector t2_0 = lo.selectFrom(v1, v9), t3_0 = hi.selectFrom(v1, v9);
        FloatVector t4_0 = lo.selectFrom(v2, v10), t5_0 = hi.selectFrom(v2, v10);
        FloatVector t6_0 = lo.selectFrom(v3, v11), t7_0 = hi.selectFrom(v3, v11);
        FloatVector t8_0 = lo.selectFrom(v4, v12), t9_0 = hi.selectFrom(v4, v12);
        FloatVector t10_0 = lo.selectFrom(v5, v13), t11_0 = hi.selectFrom(v5, v13);
        FloatVector t12_0 = lo.selectFrom(v6, v14), t13_0 = hi.selectFrom(v6, v14);
        FloatVector t14_0 = lo.selectFrom(v7, v15), t15_0 = hi.selectFrom(v7, v15);
        v0 = t0_0;
        v1 = t1_0;
        v2 = t2_0;
        v3 = t3_0;
        v4 = t4_0;
        v5 = t5_0;
        v6 = t6_0;
        v7 = t7_0;
        v8 = t8_0;
        v9 = t9_0;
        v10 = t10_0;
        v11 = t11_0;
        v12 = t12_0;
        v13 = t13_0;
        v14 = t14_0;
        v15 = t15_0;
        FloatVector t0_1 = lo.selectFrom(v0, v8), t1_1 = hi.selectFrom(v0, v8);
        FloatVector t2_1 = lo.selectFrom(v1, v9), t3_1 = hi.selectFrom(v1, v9);
        FloatVector t4_1 = lo.selectFrom(v2, v10), t5_1 = hi.selectFrom(v2, v10);
        FloatVector t6_1 = lo.selectFrom(v3, v11), t7_1 = hi.selectFrom(v3, v11);
        FloatVector t8_1 = lo.selectFrom(v4, v12), t9_1 = hi.selectFrom(v4, v12);
        FloatVector t10_1 = lo.selectFrom(v5, v13), t11_1 = hi.selectFrom(v5, v13);
        FloatVector t12_1 = lo.selectFrom(v6, v14), t13_1 = hi.selectFrom(v6, v14);
        FloatVector t14_1 = lo.selectFrom(v7, v15), t15_1 = hi.selectFrom(v7, v15);
        v0 = t0_1;
        v1 = t1_1;
        v2 = t2_1;
        v3 = t3_1;
        v4 = t4_1;
        v5 = t5_1;
        v6 = t6_1;
        v7 = t7_1;
        v8 = t8_1;
        v9 = t9_1;
        v10 = t10_1;
        v11 = t11_1;
        v12 = t12_1;
        v13 = t13_1;
        v14 = t14_1;
        v15 = t15_1;
        FloatVector t0_2 = lo.selectFrom(v0, v8), t1_2 = hi.selectFrom(v0, v8);
        FloatVector t2_2 = lo.selectFrom(v1, v9), t3_2 = hi.selectFrom(v1, v9);
        FloatVector t4_2 = lo.selectFrom(v2, v10), t5_2 = hi.selectFrom(v2, v10);
        FloatVector t6_2 = lo.selectFrom(v3, v11), t7_2 = hi.selectFrom(v3, v11);
        FloatVector t8_2 = lo.selectFrom(v4, v12), t9_2 = hi.selectFrom(v4, v12);
        FloatVector t10_2 = lo.selectFrom(v5, v13), t11_2 = hi.selectFrom(v5, v13);
        FloatVector t12_2 = lo.selectFrom(v6, v14), t13_2 = hi.selectFrom(v6, v14);
        FloatVector t14_2 = lo.selectFrom(v7, v15), t15_2 = hi.selectFrom(v7, v15);
        v0 = t0_2;
        v1 = t1_2;
        v2 = t2_2;
        v3 = t3_2;
        v4 = t4_2;
        v5 = t5_2;
        v6 = t6_2;
        v7 = t7_2;
        v8 = t8_2;
        v9 = t9_2;
        v10 = t10_2;
        v11 = t11_2;
        v12 = t12_2;
        v13 = t13_2;
        v14 = t14_2;
        v15 = t15_2;
        FloatVector t0_3 = lo.selectFrom(v0, v8), t1_3 = hi.selectFrom(v0, v8);
        FloatVector t2_3 = lo.selectFrom(v1, v9), t3_3 = hi.selectFrom(v1, v9);
        FloatVector t4_3 = lo.selectFrom(v2, v10), t5_3 = hi.selectFrom(v2, v10);
        FloatVector t6_3 = lo.selectFrom(v3, v11), t7_3 = hi.selectFrom(v3, v11);
        FloatVector t8_3 = lo.selectFrom(v4, v12), t9_3 = hi.selectFrom(v4, v12);
        FloatVector t10_3 = lo.selectFrom(v5, v13), t11_3 = hi.selectFrom(v5, v13);
        FloatVector t12_3 = lo.selectFrom(v6, v14), t13_3 = hi.selectFrom(v6, v14);
        FloatVector t14_3 = lo.selectFrom(v7, v15), t15_3 = hi.selectFrom(v7, v15);
        v0 = t0_3;
        v1 = t1_3;
        v2 = t2_3;
        v3 = t3_3;
        v4 = t4_3;
        v5 = t5_3;
        v6 = t6_3;
        v7 = t7_3;
        v8 = t8_3;
        v9 = t9_3;
        v10 = t10_3;
        v11 = t11_3;
        v12 = t12_3;
        v13 = t13_3;
        v14 = t14_3;
        v15 = t15_3;
        v0.intoArray(dst, dOff);
        v1.intoArray(dst, dOff + 1 * dLd);
        v2.intoArray(dst, dOff + 2 * dLd);
        v3.intoArray(dst, dOff + 3 * dLd);
        v4.intoArray(dst, dOff + 4 * dLd);
        v5.intoArray(dst, dOff + 5 * dLd);
        v6.intoArray(dst, dOff + 6 * dLd);
        v7.intoArray(dst, dOff + 7 * dLd);
        v8.intoArray(dst, dOff + 8 * dLd);
        v9.intoArray(dst, dOff + 9 * dLd);
        v10.intoArray(dst, dOff + 10 * dLd);
        v11.intoArray(dst, dOff + 11 * dLd);
        v12.intoArray(dst, dOff + 12 * dLd);
        v13.intoArray(dst, dOff + 13 * dLd);
        v14.intoArray(dst, dOff + 14 * dLd);
        v15.intoArray(dst, dOff + 15 * dLd);
    }
}
