package dev.ember.kernels.cpu;

import static dev.ember.kernels.cpu.VectorGemmKernels.MR;
import static dev.ember.kernels.cpu.VectorGemmKernels.NR;

import jdk.incubator.vector.FloatVector;

/**
 * The Vector API FLOAT32 GEMM (loaded only through {@link Gemm} when the incubator module is
 * present). The blocking, outermost first:
 * <ol>
 *   <li>threads: C is cut into one block of columns (whole B panels) or of rows (whole
 *       micro-tiles) per thread; each runs the serial algorithm below on its block, with no
 *       synchronisation, and packs its own part of B;</li>
 *   <li>{@code jc}: {@link #NC} columns of B at a time;</li>
 *   <li>{@code pc}: K in equal blocks of at most {@link #KC_MAX} (a block that divides K matters:
 *       a short remainder block costs a full pass over C), packed into {@code NR}-wide panels that
 *       stay in L2;</li>
 *   <li>micro-tiles of {@code MR} rows of A, read in place (packing A would cost a full extra
 *       pass over it, which dominates tall-skinny im2col products), each swept across every B
 *       panel of the block while its rows sit in L1.</li>
 * </ol>
 * Transposed A is the exception: it is transposed into a row-major scratch block of {@link #MC}
 * rows first, so the micro-kernels only ever see row-major A. Products with one row or one column
 * go to {@link VectorGemv} instead.
 */
final class VectorSgemm implements SgemmKernel {
    /** Largest K block; K is cut into equal blocks no larger than this. */
    static final int KC_MAX = Integer.getInteger("ember.gemm.kc", 384);
    /** Columns of B packed at a time (a whole number of panels). */
    static final int NC = Math.max(NR, Integer.getInteger("ember.gemm.nc", 512) / NR * NR);
    /** Rows of transposed A copied into row-major scratch at a time. */
    static final int MC = 16 * MR;
    /** Floating-point operations below which a GEMM stays on the calling thread. */
    static final long PARALLEL_MIN_FLOPS = 1L << 22;

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(
            () -> new float[][] {new float[KC_MAX * NC], new float[MC * KC_MAX], new float[MR * NR]});

    private final SgemmKernel fallback = new ScalarSgemm();

    /** Width in bits of the vectors the kernels use. */
    static int vectorBits() {
        return VectorGemmKernels.S.vectorBitSize();
    }

    @Override
    public void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                      float[] c, int cOff, int ldc, boolean accumulate, boolean parallel) {
        if (k == 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) java.util.Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
            }
            return;
        }
        if (ldc < n && m > 1) {
            // Rows of C overlap: only the row-by-row order gives a defined result.
            fallback.sgemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, false);
            return;
        }
        if (m == 1 || n == 1) {
            VectorGemv.gemm(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, parallel);
            return;
        }
        int threads = parallel && 2L * m * n * k >= PARALLEL_MIN_FLOPS && !Parallel.inWorker() ? Parallel.threads() : 1;
        int panels = (n + NR - 1) / NR, tiles = (m + MR - 1) / MR;
        if (threads > 1 && splitColumns(m, n, panels, tiles, threads)) {
            Parallel.forRange(panels, 1, (q0, q1) -> {
                int j0 = q0 * NR, j1 = Math.min(n, q1 * NR);
                serial(transA, transB, m, j1 - j0, k, a, aOff, lda, b, bOff + j0 * (transB ? ldb : 1), ldb,
                        c, cOff + j0, ldc, accumulate);
            });
        } else if (threads > 1 && tiles > 1) {
            Parallel.forRange(tiles, 1, (t0, t1) -> {
                int i0 = t0 * MR, i1 = Math.min(m, t1 * MR);
                serial(transA, transB, i1 - i0, n, k, a, aOff + i0 * (transA ? 1 : lda), lda, b, bOff, ldb,
                        c, cOff + i0 * ldc, ldc, accumulate);
            });
        } else {
            serial(transA, transB, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
        }
    }

    /**
     * Whether threads should share C by columns rather than rows. Columns cost each thread a read
     * of all of A; rows cost each thread a packing of all of B. So columns when N is the larger
     * side and splits into whole panels evenly enough.
     */
    private static boolean splitColumns(int m, int n, int panels, int tiles, int threads) {
        if (panels < threads) return false;
        if (tiles < threads) return true;
        return n >= m && (panels % threads == 0 || panels >= 3 * threads);
    }

    /** The whole GEMM on the calling thread (see the class comment for the blocking). */
    private static void serial(boolean transA, boolean transB, int m, int n, int k,
                               float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                               float[] c, int cOff, int ldc, boolean accumulate) {
        float[][] scratch = SCRATCH.get();
        float[] bp = scratch[0], at = scratch[1], edge = scratch[2];
        int kBlocks = (k + KC_MAX - 1) / KC_MAX;
        int kcStep = (k + kBlocks - 1) / kBlocks;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += kcStep) {
                int kc = Math.min(kcStep, k - pc);
                packB(transB, b, bOff, ldb, pc, kc, jc, nc, bp);
                boolean add = accumulate || pc > 0;
                if (!transA) {
                    block(m, nc, kc, a, aOff + pc, lda, bp, c, cOff + jc, ldc, add, edge);
                } else {
                    for (int ic = 0; ic < m; ic += MC) {
                        int mc = Math.min(MC, m - ic);
                        // at[i*kc + p] = A(ic + i, pc + p) = a[aOff + (pc + p)*lda + ic + i]
                        transpose(kc, mc, a, aOff + pc * lda + ic, lda, at, 0, kc);
                        block(mc, nc, kc, at, 0, kc, bp, c, cOff + ic * ldc + jc, ldc, add, edge);
                    }
                }
            }
        }
    }

    /** C[m x nc] (+)= A[m x kc] (row-major, in place) * packed B[kc x nc], micro-tile by micro-tile. */
    private static void block(int m, int nc, int kc, float[] a, int aOff, int lda, float[] bp,
                              float[] c, int cOff, int ldc, boolean add, float[] edge) {
        int panelSize = kc * NR;
        for (int ir = 0; ir < m; ir += MR) {
            int rows = Math.min(MR, m - ir);
            int aRow = aOff + ir * lda, cRow = cOff + ir * ldc;
            for (int jr = 0, q = 0; jr < nc; jr += NR, q++) {
                VectorGemmKernels.tile(kc, a, aRow, lda, rows, bp, q * panelSize,
                        c, cRow + jr, ldc, Math.min(NR, nc - jr), add, edge);
            }
        }
    }

    /**
     * Packs B(pc .. pc+kc, jc .. jc+nc) into NR-wide panels: {@code bp[q*kc*NR + p*NR + j]} =
     * B(pc + p, jc + q*NR + j), the last panel zero-padded to NR columns.
     */
    static void packB(boolean transB, float[] b, int bOff, int ldb, int pc, int kc, int jc, int nc, float[] bp) {
        for (int j0 = 0, q = 0; j0 < nc; j0 += NR, q++) {
            int w = Math.min(NR, nc - j0);
            int dst = q * kc * NR;
            if (!transB) {
                int src = bOff + pc * ldb + jc + j0;
                if (w == NR) {
                    for (int p = 0; p < kc; p++, src += ldb, dst += NR) copyPanelRow(b, src, bp, dst);
                } else {
                    for (int p = 0; p < kc; p++, src += ldb, dst += NR) {
                        System.arraycopy(b, src, bp, dst, w);
                        java.util.Arrays.fill(bp, dst + w, dst + NR, 0f);
                    }
                }
            } else {
                // B(p, j) = b[bOff + j*ldb + p]: rows of the source are columns of the panel.
                transpose(w, kc, b, bOff + (jc + j0) * ldb + pc, ldb, bp, dst, NR);
                if (w < NR) {
                    for (int p = 0; p < kc; p++) java.util.Arrays.fill(bp, dst + p * NR + w, dst + (p + 1) * NR, 0f);
                }
            }
        }
    }

    private static void copyPanelRow(float[] src, int s, float[] dst, int d) {
        var sp = VectorGemmKernels.S;
        int l = VectorGemmKernels.L;
        FloatVector.fromArray(sp, src, s).intoArray(dst, d);
        FloatVector.fromArray(sp, src, s + l).intoArray(dst, d + l);
        FloatVector.fromArray(sp, src, s + 2 * l).intoArray(dst, d + 2 * l);
        FloatVector.fromArray(sp, src, s + 3 * l).intoArray(dst, d + 3 * l);
    }

    /**
     * {@code dst[dOff + j*dLd + i] = src[sOff + i*sLd + j]} for i in [0, rows), j in [0, cols):
     * eight source rows at a time, so each pass writes eight contiguous floats per column.
     */
    static void transpose(int rows, int cols, float[] src, int sOff, int sLd, float[] dst, int dOff, int dLd) {
        int i = 0;
        for (; i + 8 <= rows; i += 8) {
            int s0 = sOff + i * sLd, s1 = s0 + sLd, s2 = s1 + sLd, s3 = s2 + sLd;
            int s4 = s3 + sLd, s5 = s4 + sLd, s6 = s5 + sLd, s7 = s6 + sLd;
            for (int j = 0, d = dOff + i; j < cols; j++, d += dLd) {
                dst[d] = src[s0 + j];
                dst[d + 1] = src[s1 + j];
                dst[d + 2] = src[s2 + j];
                dst[d + 3] = src[s3 + j];
                dst[d + 4] = src[s4 + j];
                dst[d + 5] = src[s5 + j];
                dst[d + 6] = src[s6 + j];
                dst[d + 7] = src[s7 + j];
            }
        }
        for (; i < rows; i++) {
            int s = sOff + i * sLd;
            for (int j = 0, d = dOff + i; j < cols; j++, d += dLd) dst[d] = src[s + j];
        }
    }
}
