package dev.ember.kernels.cpu;

import static dev.ember.kernels.cpu.VectorGemmKernels.L;
import static dev.ember.kernels.cpu.VectorGemmKernels.MR;
import static dev.ember.kernels.cpu.VectorGemmKernels.NATIVE;
import static dev.ember.kernels.cpu.VectorGemmKernels.NR;
import static dev.ember.kernels.cpu.VectorGemmKernels.S;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * The FLOAT32 convolution forward pass as one GEMM per group whose B operand is packed straight from
 * the image (loaded only through {@link CpuConv} when the incubator module is present):
 * <pre>
 *   Y[coutG, pixels] = W[coutG, K] x col[K, pixels]        W read in place, in its own (c, i, j) order
 * </pre>
 * No im2col matrix is written: each NR-wide panel of {@code col} (NR output pixels, possibly of two
 * images) is gathered from a zero-padded copy of a few images' planes into the GEMM's packed-panel
 * buffer, where the micro-kernels read it. Row {@code k = (c, i, j)} of a panel is, for each of its
 * pixels {@code (q, oh, ow)}, padded input {@code (q, c, oh*sH + i*dH, ow*sW + j*dW)}, with a pixel's
 * offset computed once per panel and the row's once per row: per L pixels, two contiguous vector loads
 * and a permute, or a gather where the pixels span more than 2L floats (see {@link #planWindows}). The
 * product tile lands in NCHW order, so no transpose follows; the bias is added as the tile is stored.
 *
 * <p>Against the pixel-major im2col form (a channels-last padded copy, the im2col matrix, the GEMM,
 * a transpose of the [pixels, Cout] result) this moves the input once instead of three times.
 */
final class VectorConv implements CpuConv.FusedForward {
    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    /** One thread's buffers, grown on demand and kept. */
    private static final class Buffers {
        MemorySegment panel = MemorySegment.NULL;
        float[] padded = new float[0];
        final int[] pixelOffset = new int[NR];
        final int[] windowStart = new int[NR / L];
        final float[] select = new float[NR];
        final float[] tile = new float[MR * NR];
        VectorGemmKernels.Scratch edge = new VectorGemmKernels.Scratch(1);
        int edgeKc = 1;

        MemorySegment panel(long floats) {
            if (panel.byteSize() < floats * Float.BYTES) panel = Arena.ofAuto().allocate(floats * Float.BYTES, 64);
            return panel;
        }

        float[] padded(int floats) {
            if (padded.length < floats) padded = new float[floats];
            return padded;
        }

        VectorGemmKernels.Scratch edge(int kc) {
            if (edgeKc < kc) {
                edge = new VectorGemmKernels.Scratch(kc);
                edgeKc = kc;
            }
            return edge;
        }
    }

    /**
     * As many images as keep the chunk's padded planes near half of {@link CpuConv#chunkFloats} (512 KB),
     * so they stay in L2 while the chunk's panels are gathered from them.
     */
    @Override
    public int imagesPerChunk(ConvLayout g) {
        return Math.max(1, Math.min(g.n, CpuConv.chunkFloats / 2 / Math.max(1, g.c * g.hp * g.wp)));
    }

    @Override
    public void forward(ConvLayout g, float[] x, int xOff, float[] w, int wOff, float[] bias, int bOff,
                        float[] out, int oOff, int n0, int n1) {
        Buffers buf = BUFFERS.get();
        int kc = g.kc(), pix = g.pixels(), plane = g.hp * g.wp, chunk = imagesPerChunk(g);
        MemorySegment panel = buf.panel((long) kc * NR);
        VectorGemmKernels.Scratch edge = buf.edge(kc);
        int[] rowOffset = rowOffsets(g);
        int[] pixelOffset = buf.pixelOffset, windowStart = buf.windowStart;
        float[] tile = buf.tile, select = buf.select;
        for (int c0 = n0; c0 < n1; c0 += chunk) {
            int nb = Math.min(chunk, n1 - c0), cols = nb * pix;
            float[] xp = buf.padded(nb * g.c * plane + 2 * L); // whole-vector window loads may read 2L past the last pixel
            for (int q = 0; q < nb; q++) toPaddedPlanes(g, x, xOff + (c0 + q) * g.imageSize(), xp, q * g.c * plane);
            for (int j0 = 0; j0 < cols; j0 += NR) {
                int width = Math.min(NR, cols - j0);
                pixelOffsets(g, j0, width, pixelOffset);
                planWindows(pixelOffset, windowStart, select);
                for (int gi = 0; gi < g.groups; gi++) {
                    packPanel(xp, gi * g.cg * plane, rowOffset, kc, pixelOffset, windowStart, select, panel);
                    for (int r = 0; r < g.coutG; r += MR) {
                        // A last tile short of rows starts earlier and redoes a few: cheaper than the
                        // kernels' partial-tile path, which copies and zero-pads A's rows on every panel.
                        int r0 = g.coutG >= MR ? Math.min(r, g.coutG - MR) : r;
                        int rows = Math.min(MR, g.coutG - r0), co0 = gi * g.coutG + r0;
                        VectorGemmKernels.tile(kc, w, wOff + co0 * kc, kc, 1, rows, panel, 0, tile, 0, NR, width, false, edge);
                        store(g, tile, rows, width, co0, c0, j0, bias, bOff, out, oOff);
                    }
                }
            }
        }
    }

    /** Offset in the padded planes of row k = (c, i, j) of a group's im2col, from the group's first plane. */
    private static int[] rowOffsets(ConvLayout g) {
        int[] r = new int[g.kc()];
        int plane = g.hp * g.wp;
        for (int ci = 0, k = 0; ci < g.cg; ci++) {
            for (int i = 0; i < g.kh; i++) {
                for (int j = 0; j < g.kw; j++) r[k++] = ci * plane + i * g.dH * g.wp + j * g.dW;
            }
        }
        return r;
    }

    /**
     * Offset in a chunk's padded planes of each of the NR pixels from chunk column j0 on (image q,
     * output pixel (oh, ow): {@code q*C*plane + oh*sH*wp + ow*sW}); lanes past the last column repeat it.
     * Walked with counters: four divisions per lane were a seventh of the pass.
     */
    private static void pixelOffsets(ConvLayout g, int j0, int width, int[] pixelOffset) {
        int pix = g.pixels(), image = g.c * g.hp * g.wp;
        int q = j0 / pix, p = j0 % pix, oh = p / g.wo, ow = p % g.wo;
        for (int j = 0; j < NR; j++) {
            pixelOffset[j] = q * image + oh * g.sH * g.wp + ow * g.sW;
            if (j + 1 >= width) continue; // the rest repeat the last pixel
            if (++ow == g.wo) {
                ow = 0;
                if (++oh == g.ho) {
                    oh = 0;
                    q++;
                }
            }
        }
    }

    /**
     * For each vector of a panel's pixels: when they lie within 2L consecutive floats of the padded
     * planes (the common case: a stride-1 row of pixels, a row break skipping the padding), the window's
     * first offset and each lane's index into it, for a two-vector permute; otherwise window start -1,
     * and the vector is gathered. Gathers are slow on CPUs with the Downfall microcode fix (~20 cycles for
     * 16 floats here, against ~3 for two loads and a permute), which made an all-gather panel cost half
     * as much as the GEMM.
     */
    private static void planWindows(int[] pixelOffset, int[] windowStart, float[] select) {
        for (int v = 0; v < NR / L; v++) {
            int lo = Integer.MAX_VALUE, hi = Integer.MIN_VALUE;
            for (int j = v * L; j < (v + 1) * L; j++) {
                lo = Math.min(lo, pixelOffset[j]);
                hi = Math.max(hi, pixelOffset[j]);
            }
            boolean window = hi - lo < 2 * L;
            windowStart[v] = window ? lo : -1;
            for (int j = v * L; j < (v + 1) * L; j++) select[j] = window ? pixelOffset[j] - lo : 0f;
        }
    }

    /**
     * Panel row k, lane j = {@code xp[base + rowOffset[k] + pixelOffset[j]]}, NR floats per row: per
     * vector, a permute of a two-vector window or a gather (see {@link #planWindows}).
     */
    private static void packPanel(float[] xp, int base, int[] rowOffset, int kc, int[] pixelOffset, int[] windowStart,
                                  float[] select, MemorySegment panel) {
        for (int v = 0; v < NR / L; v++) {
            int w = windowStart[v];
            long d = (long) v * L * Float.BYTES;
            if (w >= 0) {
                FloatVector sel = FloatVector.fromArray(S, select, v * L);
                for (int k = 0; k < kc; k++, d += NR * Float.BYTES) {
                    int o = base + rowOffset[k] + w;
                    sel.selectFrom(FloatVector.fromArray(S, xp, o), FloatVector.fromArray(S, xp, o + L))
                            .intoMemorySegment(panel, d, NATIVE);
                }
            } else {
                for (int k = 0; k < kc; k++, d += NR * Float.BYTES) {
                    FloatVector.fromArray(S, xp, base + rowOffset[k], pixelOffset, v * L).intoMemorySegment(panel, d, NATIVE);
                }
            }
        }
    }

    /**
     * Tile rows (channels co0..) to the NCHW output, plus the bias: columns j0.. are the chunk's pixels,
     * split where an image ends. Whole vectors with the Vector API (a scalar loop here took as long as
     * the panel packing and the padded copy together).
     */
    private static void store(ConvLayout g, float[] tile, int rows, int width, int co0, int c0, int j0,
                              float[] bias, int bOff, float[] out, int oOff) {
        int pix = g.pixels(), outImage = g.outImageSize();
        for (int j = 0; j < width; ) {
            int col = j0 + j, q = col / pix, p = col % pix, run = Math.min(width - j, pix - p);
            int d0 = oOff + (c0 + q) * outImage + co0 * pix + p;
            for (int r = 0; r < rows; r++) {
                FloatVector b = FloatVector.broadcast(S, bias == null ? 0f : bias[bOff + co0 + r]);
                int s = r * NR + j, d = d0 + r * pix, e = 0;
                for (; e + L <= run; e += L) FloatVector.fromArray(S, tile, s + e).add(b).intoArray(out, d + e);
                if (e < run) {
                    VectorMask<Float> m = S.indexInRange(e, run);
                    FloatVector.fromArray(S, tile, s + e, m).add(b).intoArray(out, d + e, m);
                }
            }
            j += run;
        }
    }

    /** Image {@code src[sOff..]} (C, H, W) into zero-padded planes {@code dst[dOff..]} (C, hp, wp). */
    private static void toPaddedPlanes(ConvLayout g, float[] src, int sOff, float[] dst, int dOff) {
        int plane = g.hp * g.wp, rows = Math.max(0, Math.min(g.h, g.hp - g.pH)), cols = Math.max(0, Math.min(g.w, g.wp - g.pW));
        Arrays.fill(dst, dOff, dOff + g.c * plane, 0f);
        for (int ch = 0; ch < g.c; ch++) {
            for (int y = 0; y < rows; y++) {
                System.arraycopy(src, sOff + (ch * g.h + y) * g.w, dst, dOff + ch * plane + (y + g.pH) * g.wp + g.pW, cols);
            }
        }
    }
}
