package dev.ember.kernels.cpu;

import static dev.ember.kernels.cpu.VectorGemmKernels.MR;
import static dev.ember.kernels.cpu.VectorGemmKernels.NR;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The Vector API FLOAT32 GEMM (loaded only through {@link Gemm} when the incubator module is
 * present). The blocking, outermost first:
 * <ol>
 *   <li>threads: C is cut into one block of columns (whole B panels) or of rows (whole
 *       micro-tiles) per thread; each runs the serial algorithm below on its block, with no
 *       synchronisation, and packs its own part of B;</li>
 *   <li>{@code pc}: K in equal blocks of at most {@link #KC_MAX} (a block that divides K matters:
 *       a short remainder block costs a full pass over C);</li>
 *   <li>{@code jc}: {@link #NC} columns of B at a time, packed into {@code NR}-wide panels that
 *       stay in L2;</li>
 *   <li>micro-tiles of {@code MR} rows of A, read in place (packing A would cost a full extra
 *       pass over it, which dominates tall-skinny im2col products), each swept across every B
 *       panel of the block while its rows sit in L1.</li>
 * </ol>
 * Transposed A is the exception: it is packed into MR-row tiles (for each p, MR contiguous
 * values: a cheap copy), which the same micro-kernels read with different strides; once per K
 * block when that fits in {@link #A_PACK_LIMIT}, else {@link #MC} rows at a time. Products with
 * one row or one column go to {@link VectorGemv} instead.
 */
final class VectorSgemm implements SgemmKernel {
    /**
     * Largest K block; K is cut into equal blocks no larger than this. An A micro-panel (MR x KC,
     * 24 KiB) stays in L1 and a B panel (KC x NR, 256 KiB with 512-bit vectors) streams from L2.
     * Long K blocks win because every block after the first is a pass over C: on a Xeon with 48 KiB
     * L1 and 2 MiB L2, 1024 ran n = 1024 at 267 GFLOP/s on 2 threads against 259 with 512 (131 vs
     * 126 on one), and shorter blocks that keep the B panel in L1 (128 to 192) were slower still:
     * the kernel streams B from L2 at ~140 GFLOP/s a core, against ~155 with everything in L1.
     * On Zen 5, 384 to 768 measured the same within noise at n = 1024 and 2048.
     */
    static final int KC_MAX = 1024;
    /** Columns of B packed at a time, a whole number of panels (KC x NC: 1 MiB, half of L2). */
    static final int NC = Math.max(NR, 256 / NR * NR);
    /** Rows of transposed A packed at a time. */
    static final int MC = 16 * MR;
    /** Largest packed transposed A (floats) kept for a whole K block: 4 MiB. */
    static final int A_PACK_LIMIT = 1 << 20;
    /** Floating-point operations below which a GEMM stays on the calling thread. */
    static final long PARALLEL_MIN_FLOPS = 1L << 22;

    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    /** One thread's packing buffers. */
    private static final class Buffers {
        /** Packed B, 64-byte aligned in native memory (see {@link VectorGemmKernels}); freed with the thread's buffers. */
        final MemorySegment packedB = Arena.ofAuto().allocate((long) KC_MAX * NC * Float.BYTES, 64);
        /** One 16 x 16 block of a transposed B on its way into packedB. */
        final float[] stage = new float[16 * 16];
        float[] packedA = new float[MC * KC_MAX + VectorPacking.A_SLACK];
        final VectorGemmKernels.Scratch tile = new VectorGemmKernels.Scratch(KC_MAX);
    }

    private final SgemmKernel fallback = new ScalarSgemm();

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
        Buffers buffers = BUFFERS.get();
        MemorySegment bp = buffers.packedB;
        VectorGemmKernels.Scratch edge = buffers.tile;
        int kBlocks = (k + KC_MAX - 1) / KC_MAX;
        int kcStep = (k + kBlocks - 1) / kBlocks;
        int tiles = (m + MR - 1) / MR;
        // Transposed A is packed once per K block when it fits, rather than once per (K, N) block.
        boolean packAOnce = transA && n > NC && (long) tiles * MR * kcStep <= A_PACK_LIMIT;
        float[] ap = buffers.packedA;
        if (packAOnce && ap.length < tiles * MR * kcStep + VectorPacking.A_SLACK) {
            ap = buffers.packedA = new float[tiles * MR * kcStep + VectorPacking.A_SLACK];
        }
        for (int pc = 0; pc < k; pc += kcStep) {
            int kc = Math.min(kcStep, k - pc);
            boolean add = accumulate || pc > 0;
            if (packAOnce) VectorPacking.packTransposedA(a, aOff + pc * lda, lda, m, kc, ap);
            for (int jc = 0; jc < n; jc += NC) {
                int nc = Math.min(NC, n - jc);
                VectorPacking.packB(transB, b, bOff, ldb, pc, kc, jc, nc, bp, buffers.stage);
                if (!transA) {
                    block(m, nc, kc, a, aOff + pc, MR * lda, lda, 1, bp, c, cOff + jc, ldc, add, edge);
                } else if (packAOnce) {
                    block(m, nc, kc, ap, 0, kc * MR, 1, MR, bp, c, cOff + jc, ldc, add, edge);
                } else {
                    for (int ic = 0; ic < m; ic += MC) {
                        int mc = Math.min(MC, m - ic);
                        VectorPacking.packTransposedA(a, aOff + pc * lda + ic, lda, mc, kc, ap);
                        block(mc, nc, kc, ap, 0, kc * MR, 1, MR, bp, c, cOff + ic * ldc + jc, ldc, add, edge);
                    }
                }
            }
        }
    }

    /**
     * C[m x nc] (+)= A[m x kc] * packed B[kc x nc], micro-tile by micro-tile. Element (r, p) of the
     * t-th row tile of A is {@code a[aOff + t*tileStep + r*rs + p*cs]}: in place, or packed by
     * {@link VectorPacking#packTransposedA}.
     */
    private static void block(int m, int nc, int kc, float[] a, int aOff, int tileStep, int rs, int cs, MemorySegment bp,
                              float[] c, int cOff, int ldc, boolean add, VectorGemmKernels.Scratch edge) {
        int panelSize = kc * NR;
        // One panel of 17..32 columns and A in place: two row tiles at a time through the 12-row kernel.
        boolean twelve = VectorGemmKernels.WIDE && cs == 1 && nc > VectorGemmKernels.L && nc <= 2 * VectorGemmKernels.L;
        for (int ir = 0, t = 0; ir < m; ir += MR, t++) {
            int rows = Math.min(MR, m - ir);
            int aTile = aOff + t * tileStep, cRow = cOff + ir * ldc;
            if (twelve && ir + 2 * MR <= m) {
                VectorGemmKernels.tile12(kc, a, aTile, rs, bp, 0, c, cRow, ldc, nc, add, edge);
                ir += MR;
                t++;
                continue;
            }
            for (int jr = 0, q = 0; jr < nc; jr += NR, q++) {
                VectorGemmKernels.tile(kc, a, aTile, rs, cs, rows, bp, q * panelSize,
                        c, cRow + jr, ldc, Math.min(NR, nc - jr), add, edge);
            }
        }
    }
}
