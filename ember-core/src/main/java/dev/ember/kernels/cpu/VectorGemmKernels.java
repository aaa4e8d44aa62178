package dev.ember.kernels.cpu;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Register-blocked GEMM micro-kernels: {@code C[rows x cols] (+)= A[rows x kc] * Bp[kc x cols]} for
 * a tile of at most {@link #MR} rows and {@link #NR} columns, with the whole tile of C held in
 * vector registers across the k loop (with 512-bit vectors, 6 x 64 floats in 24 accumulators).
 *
 * <p>A(r, p) is {@code a[aOff + r*rs + p*cs]}: read in place when row-major ({@code rs = lda,
 * cs = 1}) or from a packed MR-row tile ({@code rs = 1, cs = MR}). B is a packed panel in
 * native memory, float {@code bpOff + p*NR + j} of {@code bp} being Bp(p, j), zero-padded to a whole
 * number of vectors. Native memory because it can be aligned: the kernel loads a vector of B for
 * every 6 multiply-adds, and with the panel on the Java heap, where an array's data lands at any
 * multiple of 8 bytes, most loads straddled two cache lines: the kernels ran 15-20% slower (a
 * GEMM at n = 1024 on 2 threads: 225 against 270 GFLOP/s, depending on where the collector put
 * the buffer). Panels start on 64-byte boundaries and every vector of them is aligned.
 *
 * <p>The kernels themselves are as small as they can be: zero the accumulators, run the k loop,
 * store a whole tile to {@code t[tOff + r*ldt + j]}. No branch, so the JIT cannot prune a path
 * from a warm-up profile and trap on it later (recompiling a kernel this size takes C2 up to a
 * second on a busy machine), and C1 can still compile them (a bigger one ran out of virtual
 * registers there and stayed ~100x slower). {@link #tile} does the rest: a whole tile that
 * overwrites C is stored in place; a partial one, or one added to C, goes through a
 * {@link Scratch} tile; a tile short of rows reads A from a zero-padded copy.
 *
 * <p>Three widths exist so a narrow last panel (or a narrow N, like a 32-channel convolution)
 * does not pay for 4 vectors of work: {@link #kernel4}, {@link #kernel2} and {@link #kernel1}, and the
 * same three for packed A ({@link #packed4}, {@link #packed2}, {@link #packed1}). For C of 17 to 32
 * columns with A in place, {@link #tile12} runs two row tiles at once in {@link #kernel12x2}.
 */
final class VectorGemmKernels {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Byte order of the packed B panels (native memory). */
    static final ByteOrder NATIVE = ByteOrder.nativeOrder();
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

    /** Per-thread scratch for partial tiles: C's tile (MR x NR) and A's rows (MR x kc). */
    static final class Scratch {
        final float[] cEdge = new float[MR * NR];
        final float[] aEdge;

        Scratch(int maxKc) {
            aEdge = new float[MR * maxKc];
        }
    }

    /**
     * {@code C[rows x cols] (+)= A * Bp} for one tile of up to MR rows and {@code cols <= NR}
     * columns ({@code C(r, j) = c[cOff + r*ldc + j]}), with the narrowest kernel that covers the
     * columns. Below 512 bits (e.g. AVX2 with 16 registers) 24 accumulators would spill, so there
     * the 2-vector kernel does the work.
     */
    static void tile(int kc, float[] a, int aOff, int rs, int cs, int rows, MemorySegment bp, int bpOff,
                     float[] c, int cOff, int ldc, int cols, boolean add, Scratch scratch) {
        if (WIDE && cols > 2 * L) {
            run(4, kc, a, aOff, rs, cs, rows, bp, bpOff, c, cOff, ldc, cols, add, scratch);
            return;
        }
        for (int j = 0; j < cols; j += 2 * L) {
            int w = Math.min(2 * L, cols - j);
            run(w > L ? 2 : 1, kc, a, aOff, rs, cs, rows, bp, bpOff + j, c, cOff + j, ldc, w, add, scratch);
        }
    }

    /**
     * One kernel of {@code vectors} vectors for one tile: straight into C when the tile is whole and
     * overwrites C; otherwise into the scratch tile, then copied or added to the valid corner of C.
     */
    private static void run(int vectors, int kc, float[] a, int aOff, int rs, int cs, int rows, MemorySegment bp, int bpOff,
                            float[] c, int cOff, int ldc, int cols, boolean add, Scratch scratch) {
        int width = vectors * L;
        if (rows < MR) {
            // Copy the short tile's rows of A, zero-padded to MR, so the kernel reads nothing past them.
            float[] at = scratch.aEdge;
            for (int r = 0; r < rows; r++) {
                for (int p = 0, src = aOff + r * rs; p < kc; p++, src += cs) at[r * kc + p] = a[src];
            }
            java.util.Arrays.fill(at, rows * kc, MR * kc, 0f);
            a = at;
            aOff = 0;
            rs = kc;
            cs = 1;
        }
        if (!add && rows == MR && cols == width) {
            kernel(vectors, kc, a, aOff, rs, cs, bp, bpOff, c, cOff, ldc);
            return;
        }
        float[] t = scratch.cEdge;
        kernel(vectors, kc, a, aOff, rs, cs, bp, bpOff, t, 0, width);
        fromScratch(t, width, rows, cols, c, cOff, ldc, add);
    }

    /**
     * The valid corner ({@code rows x cols}) of a scratch tile {@code t} (rows {@code width} apart) copied,
     * or added, to C.
     */
    private static void fromScratch(float[] t, int width, int rows, int cols, float[] c, int cOff, int ldc, boolean add) {
        for (int r = 0; r < rows; r++) {
            int o = cOff + r * ldc, src = r * width;
            if (!add) {
                System.arraycopy(t, src, c, o, cols);
                continue;
            }
            int j = 0;
            for (; j + L <= cols; j += L) {
                FloatVector.fromArray(S, t, src + j).add(FloatVector.fromArray(S, c, o + j)).intoArray(c, o + j);
            }
            for (; j < cols; j++) c[o + j] += t[src + j];
        }
    }

    /**
     * One kernel into {@code t}: A read in place ({@code cs == 1}, rows {@code rs} apart) or from a
     * packed tile ({@code rs == 1, cs == MR}). The two layouts have kernels of their own because with
     * a constant stride in the index the JIT drops the bounds check on each broadcast of A (a
     * variable stride kept six compares and branches per step of k, ~5% of the GEMM's time).
     */
    private static void kernel(int vectors, int kc, float[] a, int aOff, int rs, int cs, MemorySegment bp, int bpOff,
                               float[] t, int tOff, int ldt) {
        if (cs == 1) {
            switch (vectors) {
                case 4 -> kernel4(kc, a, aOff, rs, bp, bpOff, t, tOff, ldt);
                case 2 -> kernel2(kc, a, aOff, rs, bp, bpOff, t, tOff, ldt);
                default -> kernel1(kc, a, aOff, rs, bp, bpOff, t, tOff, ldt);
            }
        } else {
            assert rs == 1 && cs == MR : "packed A tiles are read with rs = 1, cs = MR, not " + rs + ", " + cs;
            switch (vectors) {
                case 4 -> packed4(kc, a, aOff, bp, bpOff, t, tOff, ldt);
                case 2 -> packed2(kc, a, aOff, bp, bpOff, t, tOff, ldt);
                default -> packed1(kc, a, aOff, bp, bpOff, t, tOff, ldt);
            }
        }
    }

    /** MR x 4 vectors (24 accumulators), A in place: row r of the tile is {@code a[aOff + r*lda ..]}. */
    static void kernel4(int kc, float[] a, int aOff, int lda, MemorySegment bp, int bpOff, float[] t, int tOff, int ldt) {
        int a0 = aOff;
        int a1 = aOff + 1 * lda;
        int a2 = aOff + 2 * lda;
        int a3 = aOff + 3 * lda;
        int a4 = aOff + 4 * lda;
        int a5 = aOff + 5 * lda;
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        FloatVector c02 = FloatVector.zero(S);
        FloatVector c03 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c11 = FloatVector.zero(S);
        FloatVector c12 = FloatVector.zero(S);
        FloatVector c13 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c21 = FloatVector.zero(S);
        FloatVector c22 = FloatVector.zero(S);
        FloatVector c23 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c31 = FloatVector.zero(S);
        FloatVector c32 = FloatVector.zero(S);
        FloatVector c33 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S);
        FloatVector c41 = FloatVector.zero(S);
        FloatVector c42 = FloatVector.zero(S);
        FloatVector c43 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S);
        FloatVector c51 = FloatVector.zero(S);
        FloatVector c52 = FloatVector.zero(S);
        FloatVector c53 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            long bo = (bpOff + (long) p * NR) * Float.BYTES;
            FloatVector b0 = FloatVector.fromMemorySegment(S, bp, bo, NATIVE);
            FloatVector b1 = FloatVector.fromMemorySegment(S, bp, bo + L * Float.BYTES, NATIVE);
            FloatVector b2 = FloatVector.fromMemorySegment(S, bp, bo + 2 * L * Float.BYTES, NATIVE);
            FloatVector b3 = FloatVector.fromMemorySegment(S, bp, bo + 3 * L * Float.BYTES, NATIVE);
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
        c00.intoArray(t, tOff);
        c01.intoArray(t, tOff + L);
        c02.intoArray(t, tOff + 2 * L);
        c03.intoArray(t, tOff + 3 * L);
        c10.intoArray(t, tOff + ldt);
        c11.intoArray(t, tOff + ldt + L);
        c12.intoArray(t, tOff + ldt + 2 * L);
        c13.intoArray(t, tOff + ldt + 3 * L);
        c20.intoArray(t, tOff + 2 * ldt);
        c21.intoArray(t, tOff + 2 * ldt + L);
        c22.intoArray(t, tOff + 2 * ldt + 2 * L);
        c23.intoArray(t, tOff + 2 * ldt + 3 * L);
        c30.intoArray(t, tOff + 3 * ldt);
        c31.intoArray(t, tOff + 3 * ldt + L);
        c32.intoArray(t, tOff + 3 * ldt + 2 * L);
        c33.intoArray(t, tOff + 3 * ldt + 3 * L);
        c40.intoArray(t, tOff + 4 * ldt);
        c41.intoArray(t, tOff + 4 * ldt + L);
        c42.intoArray(t, tOff + 4 * ldt + 2 * L);
        c43.intoArray(t, tOff + 4 * ldt + 3 * L);
        c50.intoArray(t, tOff + 5 * ldt);
        c51.intoArray(t, tOff + 5 * ldt + L);
        c52.intoArray(t, tOff + 5 * ldt + 2 * L);
        c53.intoArray(t, tOff + 5 * ldt + 3 * L);
    }

    /**
     * {@code 2 * MR} rows x 2 vectors (24 accumulators), A in place, for a C of L + 1 to 2L columns (a
     * 32-channel layer's weight gradient). There the MR-row {@link #kernel2} holds only 12 accumulators and
     * loads a B vector for every 6 multiply-adds: 117 GFLOP/s on one thread against 152-156 with this
     * kernel (288 x 32, K = 1024). Accumulator {@code cRV} is row R, vector V.
     */
    static void kernel12x2(int kc, float[] a, int aOff, int lda, MemorySegment bp, int bpOff, float[] t, int tOff, int ldt) {
        int a0 = aOff + 0 * lda;
        int a1 = aOff + 1 * lda;
        int a2 = aOff + 2 * lda;
        int a3 = aOff + 3 * lda;
        int a4 = aOff + 4 * lda;
        int a5 = aOff + 5 * lda;
        int a6 = aOff + 6 * lda;
        int a7 = aOff + 7 * lda;
        int a8 = aOff + 8 * lda;
        int a9 = aOff + 9 * lda;
        int a10 = aOff + 10 * lda;
        int a11 = aOff + 11 * lda;
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        FloatVector c60 = FloatVector.zero(S), c61 = FloatVector.zero(S);
        FloatVector c70 = FloatVector.zero(S), c71 = FloatVector.zero(S);
        FloatVector c80 = FloatVector.zero(S), c81 = FloatVector.zero(S);
        FloatVector c90 = FloatVector.zero(S), c91 = FloatVector.zero(S);
        FloatVector c100 = FloatVector.zero(S), c101 = FloatVector.zero(S);
        FloatVector c110 = FloatVector.zero(S), c111 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            long bo = (bpOff + (long) p * NR) * Float.BYTES;
            FloatVector b0 = FloatVector.fromMemorySegment(S, bp, bo, NATIVE);
            FloatVector b1 = FloatVector.fromMemorySegment(S, bp, bo + L * Float.BYTES, NATIVE);
            FloatVector av;
            av = FloatVector.broadcast(S, a[a0 + p]);
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
            av = FloatVector.broadcast(S, a[a6 + p]);
            c60 = b0.fma(av, c60);
            c61 = b1.fma(av, c61);
            av = FloatVector.broadcast(S, a[a7 + p]);
            c70 = b0.fma(av, c70);
            c71 = b1.fma(av, c71);
            av = FloatVector.broadcast(S, a[a8 + p]);
            c80 = b0.fma(av, c80);
            c81 = b1.fma(av, c81);
            av = FloatVector.broadcast(S, a[a9 + p]);
            c90 = b0.fma(av, c90);
            c91 = b1.fma(av, c91);
            av = FloatVector.broadcast(S, a[a10 + p]);
            c100 = b0.fma(av, c100);
            c101 = b1.fma(av, c101);
            av = FloatVector.broadcast(S, a[a11 + p]);
            c110 = b0.fma(av, c110);
            c111 = b1.fma(av, c111);
        }
        c00.intoArray(t, tOff + 0 * ldt);
        c01.intoArray(t, tOff + 0 * ldt + L);
        c10.intoArray(t, tOff + 1 * ldt);
        c11.intoArray(t, tOff + 1 * ldt + L);
        c20.intoArray(t, tOff + 2 * ldt);
        c21.intoArray(t, tOff + 2 * ldt + L);
        c30.intoArray(t, tOff + 3 * ldt);
        c31.intoArray(t, tOff + 3 * ldt + L);
        c40.intoArray(t, tOff + 4 * ldt);
        c41.intoArray(t, tOff + 4 * ldt + L);
        c50.intoArray(t, tOff + 5 * ldt);
        c51.intoArray(t, tOff + 5 * ldt + L);
        c60.intoArray(t, tOff + 6 * ldt);
        c61.intoArray(t, tOff + 6 * ldt + L);
        c70.intoArray(t, tOff + 7 * ldt);
        c71.intoArray(t, tOff + 7 * ldt + L);
        c80.intoArray(t, tOff + 8 * ldt);
        c81.intoArray(t, tOff + 8 * ldt + L);
        c90.intoArray(t, tOff + 9 * ldt);
        c91.intoArray(t, tOff + 9 * ldt + L);
        c100.intoArray(t, tOff + 10 * ldt);
        c101.intoArray(t, tOff + 10 * ldt + L);
        c110.intoArray(t, tOff + 11 * ldt);
        c111.intoArray(t, tOff + 11 * ldt + L);
    }

    /**
     * {@code C[2*MR x cols] (+)= A * Bp} for {@code L < cols <= 2L} with A read in place (rows {@code lda}
     * apart): {@link #kernel12x2}, straight into C when the tile overwrites all of it, else through the
     * scratch tile (2*MR x 2L floats, the size of an MR x NR one).
     */
    static void tile12(int kc, float[] a, int aOff, int lda, MemorySegment bp, int bpOff, float[] c, int cOff, int ldc, int cols,
                       boolean add, Scratch scratch) {
        if (!add && cols == 2 * L) {
            kernel12x2(kc, a, aOff, lda, bp, bpOff, c, cOff, ldc);
            return;
        }
        float[] t = scratch.cEdge;
        kernel12x2(kc, a, aOff, lda, bp, bpOff, t, 0, 2 * L);
        fromScratch(t, 2 * L, 2 * MR, cols, c, cOff, ldc, add);
    }

    /** MR x 2 vectors (12 accumulators), A in place. */
    static void kernel2(int kc, float[] a, int aOff, int lda, MemorySegment bp, int bpOff, float[] t, int tOff, int ldt) {
        int a0 = aOff;
        int a1 = aOff + 1 * lda;
        int a2 = aOff + 2 * lda;
        int a3 = aOff + 3 * lda;
        int a4 = aOff + 4 * lda;
        int a5 = aOff + 5 * lda;
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S);
        FloatVector c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S);
        FloatVector c51 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            long bo = (bpOff + (long) p * NR) * Float.BYTES;
            FloatVector b0 = FloatVector.fromMemorySegment(S, bp, bo, NATIVE);
            FloatVector b1 = FloatVector.fromMemorySegment(S, bp, bo + L * Float.BYTES, NATIVE);
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
        c00.intoArray(t, tOff);
        c01.intoArray(t, tOff + L);
        c10.intoArray(t, tOff + ldt);
        c11.intoArray(t, tOff + ldt + L);
        c20.intoArray(t, tOff + 2 * ldt);
        c21.intoArray(t, tOff + 2 * ldt + L);
        c30.intoArray(t, tOff + 3 * ldt);
        c31.intoArray(t, tOff + 3 * ldt + L);
        c40.intoArray(t, tOff + 4 * ldt);
        c41.intoArray(t, tOff + 4 * ldt + L);
        c50.intoArray(t, tOff + 5 * ldt);
        c51.intoArray(t, tOff + 5 * ldt + L);
    }

    /** MR x 1 vector (6 accumulators), A in place. */
    static void kernel1(int kc, float[] a, int aOff, int lda, MemorySegment bp, int bpOff, float[] t, int tOff, int ldt) {
        int a0 = aOff;
        int a1 = aOff + 1 * lda;
        int a2 = aOff + 2 * lda;
        int a3 = aOff + 3 * lda;
        int a4 = aOff + 4 * lda;
        int a5 = aOff + 5 * lda;
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            long bo = (bpOff + (long) p * NR) * Float.BYTES;
            FloatVector b0 = FloatVector.fromMemorySegment(S, bp, bo, NATIVE);
            FloatVector av = FloatVector.broadcast(S, a[a0 + p]);
            c00 = b0.fma(av, c00);
            av = FloatVector.broadcast(S, a[a1 + p]);
            c10 = b0.fma(av, c10);
            av = FloatVector.broadcast(S, a[a2 + p]);
            c20 = b0.fma(av, c20);
            av = FloatVector.broadcast(S, a[a3 + p]);
            c30 = b0.fma(av, c30);
            av = FloatVector.broadcast(S, a[a4 + p]);
            c40 = b0.fma(av, c40);
            av = FloatVector.broadcast(S, a[a5 + p]);
            c50 = b0.fma(av, c50);
        }
        c00.intoArray(t, tOff);
        c10.intoArray(t, tOff + ldt);
        c20.intoArray(t, tOff + 2 * ldt);
        c30.intoArray(t, tOff + 3 * ldt);
        c40.intoArray(t, tOff + 4 * ldt);
        c50.intoArray(t, tOff + 5 * ldt);
    }

    /** MR x 4 vectors, A from a packed tile: A(r, p) is {@code a[aOff + p*MR + r]}. */
    static void packed4(int kc, float[] a, int aOff, MemorySegment bp, int bpOff, float[] t, int tOff, int ldt) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        FloatVector c02 = FloatVector.zero(S);
        FloatVector c03 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c11 = FloatVector.zero(S);
        FloatVector c12 = FloatVector.zero(S);
        FloatVector c13 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c21 = FloatVector.zero(S);
        FloatVector c22 = FloatVector.zero(S);
        FloatVector c23 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c31 = FloatVector.zero(S);
        FloatVector c32 = FloatVector.zero(S);
        FloatVector c33 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S);
        FloatVector c41 = FloatVector.zero(S);
        FloatVector c42 = FloatVector.zero(S);
        FloatVector c43 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S);
        FloatVector c51 = FloatVector.zero(S);
        FloatVector c52 = FloatVector.zero(S);
        FloatVector c53 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            long bo = (bpOff + (long) p * NR) * Float.BYTES;
            int ap = aOff + p * MR;
            FloatVector b0 = FloatVector.fromMemorySegment(S, bp, bo, NATIVE);
            FloatVector b1 = FloatVector.fromMemorySegment(S, bp, bo + L * Float.BYTES, NATIVE);
            FloatVector b2 = FloatVector.fromMemorySegment(S, bp, bo + 2 * L * Float.BYTES, NATIVE);
            FloatVector b3 = FloatVector.fromMemorySegment(S, bp, bo + 3 * L * Float.BYTES, NATIVE);
            FloatVector av = FloatVector.broadcast(S, a[ap]);
            c00 = b0.fma(av, c00);
            c01 = b1.fma(av, c01);
            c02 = b2.fma(av, c02);
            c03 = b3.fma(av, c03);
            av = FloatVector.broadcast(S, a[ap + 1]);
            c10 = b0.fma(av, c10);
            c11 = b1.fma(av, c11);
            c12 = b2.fma(av, c12);
            c13 = b3.fma(av, c13);
            av = FloatVector.broadcast(S, a[ap + 2]);
            c20 = b0.fma(av, c20);
            c21 = b1.fma(av, c21);
            c22 = b2.fma(av, c22);
            c23 = b3.fma(av, c23);
            av = FloatVector.broadcast(S, a[ap + 3]);
            c30 = b0.fma(av, c30);
            c31 = b1.fma(av, c31);
            c32 = b2.fma(av, c32);
            c33 = b3.fma(av, c33);
            av = FloatVector.broadcast(S, a[ap + 4]);
            c40 = b0.fma(av, c40);
            c41 = b1.fma(av, c41);
            c42 = b2.fma(av, c42);
            c43 = b3.fma(av, c43);
            av = FloatVector.broadcast(S, a[ap + 5]);
            c50 = b0.fma(av, c50);
            c51 = b1.fma(av, c51);
            c52 = b2.fma(av, c52);
            c53 = b3.fma(av, c53);
        }
        c00.intoArray(t, tOff);
        c01.intoArray(t, tOff + L);
        c02.intoArray(t, tOff + 2 * L);
        c03.intoArray(t, tOff + 3 * L);
        c10.intoArray(t, tOff + ldt);
        c11.intoArray(t, tOff + ldt + L);
        c12.intoArray(t, tOff + ldt + 2 * L);
        c13.intoArray(t, tOff + ldt + 3 * L);
        c20.intoArray(t, tOff + 2 * ldt);
        c21.intoArray(t, tOff + 2 * ldt + L);
        c22.intoArray(t, tOff + 2 * ldt + 2 * L);
        c23.intoArray(t, tOff + 2 * ldt + 3 * L);
        c30.intoArray(t, tOff + 3 * ldt);
        c31.intoArray(t, tOff + 3 * ldt + L);
        c32.intoArray(t, tOff + 3 * ldt + 2 * L);
        c33.intoArray(t, tOff + 3 * ldt + 3 * L);
        c40.intoArray(t, tOff + 4 * ldt);
        c41.intoArray(t, tOff + 4 * ldt + L);
        c42.intoArray(t, tOff + 4 * ldt + 2 * L);
        c43.intoArray(t, tOff + 4 * ldt + 3 * L);
        c50.intoArray(t, tOff + 5 * ldt);
        c51.intoArray(t, tOff + 5 * ldt + L);
        c52.intoArray(t, tOff + 5 * ldt + 2 * L);
        c53.intoArray(t, tOff + 5 * ldt + 3 * L);
    }

    /** MR x 2 vectors, A from a packed tile. */
    static void packed2(int kc, float[] a, int aOff, MemorySegment bp, int bpOff, float[] t, int tOff, int ldt) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S);
        FloatVector c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S);
        FloatVector c51 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            long bo = (bpOff + (long) p * NR) * Float.BYTES;
            int ap = aOff + p * MR;
            FloatVector b0 = FloatVector.fromMemorySegment(S, bp, bo, NATIVE);
            FloatVector b1 = FloatVector.fromMemorySegment(S, bp, bo + L * Float.BYTES, NATIVE);
            FloatVector av = FloatVector.broadcast(S, a[ap]);
            c00 = b0.fma(av, c00);
            c01 = b1.fma(av, c01);
            av = FloatVector.broadcast(S, a[ap + 1]);
            c10 = b0.fma(av, c10);
            c11 = b1.fma(av, c11);
            av = FloatVector.broadcast(S, a[ap + 2]);
            c20 = b0.fma(av, c20);
            c21 = b1.fma(av, c21);
            av = FloatVector.broadcast(S, a[ap + 3]);
            c30 = b0.fma(av, c30);
            c31 = b1.fma(av, c31);
            av = FloatVector.broadcast(S, a[ap + 4]);
            c40 = b0.fma(av, c40);
            c41 = b1.fma(av, c41);
            av = FloatVector.broadcast(S, a[ap + 5]);
            c50 = b0.fma(av, c50);
            c51 = b1.fma(av, c51);
        }
        c00.intoArray(t, tOff);
        c01.intoArray(t, tOff + L);
        c10.intoArray(t, tOff + ldt);
        c11.intoArray(t, tOff + ldt + L);
        c20.intoArray(t, tOff + 2 * ldt);
        c21.intoArray(t, tOff + 2 * ldt + L);
        c30.intoArray(t, tOff + 3 * ldt);
        c31.intoArray(t, tOff + 3 * ldt + L);
        c40.intoArray(t, tOff + 4 * ldt);
        c41.intoArray(t, tOff + 4 * ldt + L);
        c50.intoArray(t, tOff + 5 * ldt);
        c51.intoArray(t, tOff + 5 * ldt + L);
    }

    /** MR x 1 vector, A from a packed tile. */
    static void packed1(int kc, float[] a, int aOff, MemorySegment bp, int bpOff, float[] t, int tOff, int ldt) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S);
        for (int p = 0; p < kc; p++) {
            long bo = (bpOff + (long) p * NR) * Float.BYTES;
            int ap = aOff + p * MR;
            FloatVector b0 = FloatVector.fromMemorySegment(S, bp, bo, NATIVE);
            FloatVector av = FloatVector.broadcast(S, a[ap]);
            c00 = b0.fma(av, c00);
            av = FloatVector.broadcast(S, a[ap + 1]);
            c10 = b0.fma(av, c10);
            av = FloatVector.broadcast(S, a[ap + 2]);
            c20 = b0.fma(av, c20);
            av = FloatVector.broadcast(S, a[ap + 3]);
            c30 = b0.fma(av, c30);
            av = FloatVector.broadcast(S, a[ap + 4]);
            c40 = b0.fma(av, c40);
            av = FloatVector.broadcast(S, a[ap + 5]);
            c50 = b0.fma(av, c50);
        }
        c00.intoArray(t, tOff);
        c10.intoArray(t, tOff + ldt);
        c20.intoArray(t, tOff + 2 * ldt);
        c30.intoArray(t, tOff + 3 * ldt);
        c40.intoArray(t, tOff + 4 * ldt);
        c50.intoArray(t, tOff + 5 * ldt);
    }
}
