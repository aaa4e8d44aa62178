package dev.ember.kernels.cpu;

import dev.ember.kernels.BinaryOp;
import dev.ember.kernels.Conv2dParams;

import java.util.Arrays;

/**
 * Geometry of one FLOAT32 convolution call and the data movements around its GEMMs (see
 * {@link CpuConv}). Two im2col layouts, each chosen so that the big matrix is what
 * {@link Gemm#sgemm} handles best (A read in place, B packed):
 * <ul>
 *   <li>pixel-major (forward): one row per output pixel, columns ordered (i, j, c), built from a
 *       zero-padded channels-last copy of the image ({@link #toPaddedNhwc}, {@link #im2colPixels}),
 *       so a row is a few contiguous copies; the weight is permuted to match
 *       ({@link #tapsLastWeight});</li>
 *   <li>channel-major (backward): one row per (c, i, j) in the weight's own order, columns the
 *       output pixels, built straight from the NCHW image ({@link #im2colRows}) and scattered back
 *       by {@link #col2imRows}.</li>
 * </ul>
 * The padded buffer covers exactly the input region the output reads: {@code hp} rows of
 * {@code wp} pixels of {@code c} channels, input pixel (h, w) at padded (h + padH, w + padW).
 */
final class ConvLayout {
    final int n, c, h, w, cout, kh, kw, ho, wo, groups, cg, coutG;
    final int sH, sW, pH, pW, dH, dW, hp, wp;

    private ConvLayout(int[] x, int[] wt, int[] out, Conv2dParams p) {
        n = x[0];
        c = x[1];
        h = x[2];
        w = x[3];
        cout = wt[0];
        kh = wt[2];
        kw = wt[3];
        ho = out[2];
        wo = out[3];
        groups = p.groups();
        cg = c / groups;
        coutG = cout / groups;
        sH = p.strideH();
        sW = p.strideW();
        pH = p.padH();
        pW = p.padW();
        dH = p.dilationH();
        dW = p.dilationW();
        hp = (ho - 1) * sH + (kh - 1) * dH + 1;
        wp = (wo - 1) * sW + (kw - 1) * dW + 1;
    }

    /** Geometry from the input [N, C, H, W], weight [Cout, C/groups, kH, kW] and output [N, Cout, Ho, Wo] dims. */
    static ConvLayout of(int[] xDims, int[] wDims, int[] outDims, Conv2dParams p) {
        return new ConvLayout(xDims, wDims, outDims, p);
    }

    /** Columns (pixel-major) or rows (channel-major) of the im2col matrix per group: taps times channels. */
    int kc() {
        return kh * kw * cg;
    }

    int pixels() {
        return ho * wo;
    }

    int imageSize() {
        return c * h * w;
    }

    int outImageSize() {
        return cout * ho * wo;
    }

    int paddedSize() {
        return hp * wp * c;
    }

    /** True for 1x1, stride 1, unpadded, ungrouped convolutions: the padded buffer already is the pixel-major im2col. */
    boolean identityIm2col() {
        return kh == 1 && kw == 1 && sH == 1 && sW == 1 && pH == 0 && pW == 0 && groups == 1;
    }

    /** Images per chunk so that one chunk's im2col matrix holds about {@code targetFloats}. */
    int imagesPerChunk(int targetFloats) {
        long perImage = Math.max(1L, (long) pixels() * Math.max(kc(), cout));
        return (int) Math.max(1, Math.min(n, targetFloats / perImage));
    }

    // ------------------------------------------------------------------ pixel-major im2col (forward)

    /** Copies image {@code src[sOff..]} (C, H, W) into padded channels-last {@code dst[dOff..]} (hp, wp, C). */
    void toPaddedNhwc(float[] src, int sOff, float[] dst, int dOff) {
        int rows = Math.max(0, Math.min(h, hp - pH)), cols = Math.max(0, Math.min(w, wp - pW));
        if (pH > 0 || pW > 0 || rows + pH < hp || cols + pW < wp) Arrays.fill(dst, dOff, dOff + paddedSize(), 0f);
        int plane = h * w, ch = 0;
        // Eight channels at a time: eight streaming reads, eight contiguous writes per pixel.
        for (; ch + 8 <= c; ch += 8) {
            int s0 = sOff + ch * plane;
            for (int y = 0; y < rows; y++) {
                int s = s0 + y * w, d = dOff + ((y + pH) * wp + pW) * c + ch;
                for (int x = 0; x < cols; x++, s++, d += c) {
                    dst[d] = src[s];
                    dst[d + 1] = src[s + plane];
                    dst[d + 2] = src[s + 2 * plane];
                    dst[d + 3] = src[s + 3 * plane];
                    dst[d + 4] = src[s + 4 * plane];
                    dst[d + 5] = src[s + 5 * plane];
                    dst[d + 6] = src[s + 6 * plane];
                    dst[d + 7] = src[s + 7 * plane];
                }
            }
        }
        for (; ch < c; ch++) {
            for (int y = 0; y < rows; y++) {
                int s = sOff + ch * plane + y * w, d = dOff + ((y + pH) * wp + pW) * c + ch;
                for (int x = 0; x < cols; x++) dst[d + x * c] = src[s + x];
            }
        }
    }

    /**
     * Writes group {@code gi}'s pixel-major im2col rows of one padded image: row {@code oh*wo + ow},
     * column {@code (i*kw + j)*cg + ci} holds padded pixel {@code (oh*sH + i*dH, ow*sW + j*dW)},
     * channel {@code gi*cg + ci}.
     */
    void im2colPixels(float[] xp, int xpOff, int gi, float[] col, int colOff) {
        int kc = kc(), rowStep = wp * c;
        boolean wholeRows = dW == 1 && groups == 1; // the kw taps of a kernel row are one contiguous run
        for (int oh = 0; oh < ho; oh++) {
            for (int ow = 0; ow < wo; ow++) {
                int row = colOff + (oh * wo + ow) * kc;
                int base = xpOff + (oh * sH * wp + ow * sW) * c + gi * cg;
                for (int i = 0; i < kh; i++, base += dH * rowStep) {
                    if (wholeRows) {
                        System.arraycopy(xp, base, col, row + i * kw * c, kw * c);
                    } else {
                        for (int j = 0; j < kw; j++) copy(xp, base + j * dW * c, col, row + (i * kw + j) * cg, cg);
                    }
                }
            }
        }
    }

    /** Pixel-major rows {@code y[yOff + q*cout + co]} of one image to NCHW {@code out[oOff + co*pixels + q]}, plus bias. */
    void pixelsToNchw(float[] y, int yOff, float[] out, int oOff, float[] bias, int bOff) {
        int pix = pixels();
        // A transpose (16 x 16 register blocks with the Vector API), then the bias along each contiguous channel row.
        Simd.FLOAT.transpose(pix, cout, y, yOff, cout, out, oOff, pix);
        addBias(out, oOff, bias, bOff);
    }

    /** Adds {@code bias[bOff + co]} to every pixel of channel co of one NCHW output image at {@code out[oOff..]}; null: none. */
    void addBias(float[] out, int oOff, float[] bias, int bOff) {
        if (bias == null) return;
        int pix = pixels();
        for (int co = 0; co < cout; co++) {
            float b = bias[bOff + co];
            int d = oOff + co * pix;
            for (int q = 0; q < pix; q++) out[d + q] += b;
        }
    }

    /**
     * The weight [Cout, Cg, kH, kW] permuted to taps-last [Cout, kH, kW, Cg] (the pixel-major column order)
     * into the first {@code Cout * kc} floats of {@code r}, which is returned.
     */
    float[] tapsLastWeight(float[] wt, int wOff, float[] r) {
        int kc = kc(), taps = kh * kw;
        // Written in order (reads stride over the taps): scattered writes made this a visible part of batch-1 latency.
        for (int co = 0, d = 0; co < cout; co++) {
            int src = wOff + co * kc;
            for (int t = 0; t < taps; t++) {
                for (int ci = 0; ci < cg; ci++) r[d++] = wt[src + ci * taps + t];
            }
        }
        return r;
    }

    // ------------------------------------------------------------------ channel-major im2col (backward)

    /**
     * Channel-major im2col of group {@code gi} of one NCHW image, straight from the image: row
     * {@code (ci*kh + i)*kw + j}, column {@code oh*wo + ow} at {@code col[colOff + row*ld + column]},
     * holding input {@code (oh*sH - pH + i*dH, ow*sW - pW + j*dW)} of channel {@code gi*cg + ci}
     * (zero outside the image).
     */
    void im2colRows(float[] x, int xOff, int gi, float[] col, int colOff, int ld) {
        for (int ci = 0; ci < cg; ci++) {
            int plane = xOff + (gi * cg + ci) * h * w;
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    int row = colOff + ((ci * kh + i) * kw + j) * ld;
                    int lo = owLo(j), hi = owHi(j), shift = j * dW - pW;
                    if (rowsAreShiftedPlane()) {
                        int oh0 = ohLo(i), oh1 = ohHi(i);
                        Arrays.fill(col, row, row + oh0 * wo, 0f);
                        Arrays.fill(col, row + oh1 * wo, row + pixels(), 0f);
                        if (oh0 >= oh1 || lo >= hi) {
                            Arrays.fill(col, row + oh0 * wo, row + Math.max(oh0, oh1) * wo, 0f);
                            continue;
                        }
                        // One copy of the whole shifted plane, then zero the columns that wrapped around.
                        int first = oh0 * wo + lo, last = (oh1 - 1) * wo + hi;
                        System.arraycopy(x, plane + (oh0 - pH + i * dH) * w + lo + shift, col, row + first, last - first);
                        zeroWrapped(col, row, oh0, oh1, lo, hi);
                        continue;
                    }
                    for (int oh = 0; oh < ho; oh++) {
                        int ih = oh * sH - pH + i * dH, d = row + oh * wo;
                        if (ih < 0 || ih >= h || lo >= hi) {
                            Arrays.fill(col, d, d + wo, 0f);
                            continue;
                        }
                        if (lo > 0) Arrays.fill(col, d, d + lo, 0f);
                        if (hi < wo) Arrays.fill(col, d + hi, d + wo, 0f);
                        int s = plane + ih * w + shift;
                        if (sW == 1) {
                            copy(x, s + lo, col, d + lo, hi - lo);
                        } else {
                            Simd.FLOAT.copy(x, s + lo * sW, sW, col, d + lo, 1, hi - lo);
                        }
                    }
                }
            }
        }
    }

    /** The adjoint of {@link #im2colRows}: adds every entry back onto the input pixel it came from. */
    void col2imRows(float[] col, int colOff, int ld, int gi, float[] x, int xOff) {
        for (int ci = 0; ci < cg; ci++) {
            int plane = xOff + (gi * cg + ci) * h * w;
            for (int i = 0; i < kh; i++) {
                for (int j = 0; j < kw; j++) {
                    int row = colOff + ((ci * kh + i) * kw + j) * ld;
                    int lo = owLo(j), hi = owHi(j), shift = j * dW - pW;
                    if (rowsAreShiftedPlane()) {
                        int oh0 = ohLo(i), oh1 = ohHi(i);
                        if (oh0 >= oh1 || lo >= hi) continue;
                        // Entries for taps outside the image are dropped: zero them (col is scratch), then add the
                        // whole shifted plane in one run, where they land on wrapped-around columns as zeros.
                        zeroWrapped(col, row, oh0, oh1, lo, hi);
                        int first = oh0 * wo + lo, last = (oh1 - 1) * wo + hi;
                        addRun(col, row + first, x, plane + (oh0 - pH + i * dH) * w + lo + shift, last - first);
                        continue;
                    }
                    for (int oh = 0; oh < ho; oh++) {
                        int ih = oh * sH - pH + i * dH;
                        if (ih < 0 || ih >= h) continue;
                        int s = row + oh * wo, d = plane + ih * w + shift;
                        if (sW == 1) {
                            for (int ow = lo; ow < hi; ow++) x[d + ow] += col[s + ow];
                        } else {
                            for (int ow = lo; ow < hi; ow++) x[d + ow * sW] += col[s + ow];
                        }
                    }
                }
            }
        }
    }

    /**
     * True when output row oh + 1 of a channel-major im2col row continues input row ih + 1 right after
     * row ih in memory (stride 1 and as many output as input columns, e.g. "same" 3x3 convs): a whole
     * row is then one shifted copy of the input plane.
     */
    private boolean rowsAreShiftedPlane() {
        return sH == 1 && sW == 1 && wo == w;
    }

    /** First output row whose tap row i lands inside the input (stride 1). */
    private int ohLo(int i) {
        return Math.min(ho, Math.max(0, pH - i * dH));
    }

    /** One past the last output row whose tap row i lands inside the input (stride 1). */
    private int ohHi(int i) {
        return Math.max(0, Math.min(ho, h + pH - i * dH));
    }

    /** Zeroes columns outside [lo, hi) of output rows [oh0, oh1) of one channel-major row. */
    private void zeroWrapped(float[] col, int row, int oh0, int oh1, int lo, int hi) {
        // Column by column down the rows: one or two strided loops of ho stores for a 3x3 kernel. Row by row
        // (two loops of 0 or 1 iteration per row) it was 3% of the default CNN's training step.
        for (int ow = 0; ow < lo; ow++) {
            for (int d = row + oh0 * wo + ow, end = row + oh1 * wo; d < end; d += wo) col[d] = 0f;
        }
        for (int ow = hi; ow < wo; ow++) {
            for (int d = row + oh0 * wo + ow, end = row + oh1 * wo; d < end; d += wo) col[d] = 0f;
        }
    }

    /** {@code dst[d..d+len) += src[s..s+len)} with the SIMD loops (long runs: whole shifted planes). */
    private static void addRun(float[] src, int s, float[] dst, int d, int len) {
        Simd.FLOAT.binary(BinaryOp.ADD, dst, d, 1, src, s, 1, dst, d, 1, len, 0f);
    }

    /** First output column whose tap j lands inside the input ({@code ow*sW - pW + j*dW >= 0}). */
    int owLo(int j) {
        return Math.min(wo, Math.max(0, Math.ceilDiv(pW - j * dW, sW)));
    }

    /** One past the last output column whose tap j lands inside the input ({@code ow*sW - pW + j*dW < w}). */
    int owHi(int j) {
        return Math.max(0, Math.min(wo, Math.floorDiv(w - 1 + pW - j * dW, sW) + 1));
    }

    /** Copies images' [cout, pixels] gradients to channel-major {@code gc[co*ld + q*pixels + p]}, image q of the chunk. */
    void toChannelMajor(float[] g, int gOff, int images, float[] gc, int ld) {
        int pix = pixels();
        for (int q = 0; q < images; q++) {
            for (int co = 0; co < cout; co++) System.arraycopy(g, gOff + (q * cout + co) * pix, gc, co * ld + q * pix, pix);
        }
    }

    /** Per group, the weight block [coutG, kc] transposed to [kc, coutG] (the input-gradient GEMM's A). */
    float[] transposedWeight(float[] wt, int wOff) {
        int kc = kc();
        float[] r = new float[cout * kc];
        for (int gi = 0; gi < groups; gi++) {
            int base = gi * coutG * kc;
            for (int co = 0; co < coutG; co++) {
                for (int k = 0; k < kc; k++) r[base + k * coutG + co] = wt[wOff + base + co * kc + k];
            }
        }
        return r;
    }

    /** The inverse of {@link #transposedWeight}, into {@code dst[dOff..]}. */
    void untransposeWeight(float[] r, float[] dst, int dOff) {
        int kc = kc();
        for (int gi = 0; gi < groups; gi++) {
            int base = gi * coutG * kc;
            for (int co = 0; co < coutG; co++) {
                for (int k = 0; k < kc; k++) dst[dOff + base + co * kc + k] = r[base + k * coutG + co];
            }
        }
    }

    private static void copy(float[] src, int s, float[] dst, int d, int len) {
        if (len > 16) {
            System.arraycopy(src, s, dst, d, len);
        } else {
            for (int k = 0; k < len; k++) dst[d + k] = src[s + k];
        }
    }
}
