package dev.ember.kernels.cpu;

import dev.ember.kernels.Conv2dParams;

import java.util.Arrays;

/**
 * Geometry of one FLOAT32 convolution call and the data movements around its GEMMs (see
 * {@link CpuConv}): NCHW images to and from zero-padded channels-last buffers, im2col and col2im
 * between those buffers and pixel-major matrices, and the weight permutation to taps-last order.
 *
 * <p>The padded buffer of an image covers exactly the input region the output reads: {@code hp}
 * rows of {@code wp} pixels of {@code c} channels, input pixel (h, w) at padded (h + padH, w + padW).
 * Input rows and columns outside that region never meet a kernel tap; they are not copied (forward)
 * and receive zero gradient (backward).
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

    /** Columns of the im2col matrix (per group): taps times channels. */
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

    /** True for 1x1, stride 1, unpadded, ungrouped convolutions: the padded buffer already is the im2col matrix. */
    boolean identityIm2col() {
        return kh == 1 && kw == 1 && sH == 1 && sW == 1 && pH == 0 && pW == 0 && groups == 1;
    }

    /** Images per chunk so that one chunk's im2col matrix holds about {@code targetFloats}. */
    int imagesPerChunk(int targetFloats) {
        long perImage = Math.max(1L, (long) pixels() * Math.max(kc(), cout));
        return (int) Math.max(1, Math.min(n, targetFloats / perImage));
    }

    /** Copies image {@code src[sOff..]} (C, H, W) into padded channels-last {@code dst[dOff..]} (hp, wp, C). */
    void toPaddedNhwc(float[] src, int sOff, float[] dst, int dOff) {
        int rows = Math.max(0, Math.min(h, hp - pH)), cols = Math.max(0, Math.min(w, wp - pW));
        if (pH > 0 || pW > 0 || rows + pH < hp || cols + pW < wp) Arrays.fill(dst, dOff, dOff + paddedSize(), 0f);
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < rows; y++) {
                int s = sOff + (ch * h + y) * w;
                int d = dOff + ((y + pH) * wp + pW) * c + ch;
                for (int x = 0; x < cols; x++) dst[d + x * c] = src[s + x];
            }
        }
    }

    /** The inverse of {@link #toPaddedNhwc} for the region it copies (writes every element of the image; zero outside it). */
    void fromPaddedNhwc(float[] src, int sOff, float[] dst, int dOff) {
        int rows = Math.max(0, Math.min(h, hp - pH)), cols = Math.max(0, Math.min(w, wp - pW));
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                int d = dOff + (ch * h + y) * w;
                if (y >= rows) {
                    Arrays.fill(dst, d, d + w, 0f);
                    continue;
                }
                int s = sOff + ((y + pH) * wp + pW) * c + ch;
                for (int x = 0; x < cols; x++) dst[d + x] = src[s + x * c];
                if (cols < w) Arrays.fill(dst, d + cols, d + w, 0f);
            }
        }
    }

    /**
     * Writes group {@code gi}'s im2col rows of one padded image: row {@code oh*wo + ow}, column
     * {@code (i*kw + j)*cg + ci} holds padded pixel {@code (oh*sH + i*dH, ow*sW + j*dW)}, channel
     * {@code gi*cg + ci}.
     */
    void im2col(float[] xp, int xpOff, int gi, float[] col, int colOff) {
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

    /** The adjoint of {@link #im2col}: adds each im2col row back onto the padded pixels it came from. */
    void col2im(float[] col, int colOff, int gi, float[] xp, int xpOff) {
        int kc = kc(), rowStep = wp * c;
        boolean wholeRows = dW == 1 && groups == 1;
        for (int oh = 0; oh < ho; oh++) {
            for (int ow = 0; ow < wo; ow++) {
                int row = colOff + (oh * wo + ow) * kc;
                int base = xpOff + (oh * sH * wp + ow * sW) * c + gi * cg;
                for (int i = 0; i < kh; i++, base += dH * rowStep) {
                    if (wholeRows) {
                        add(col, row + i * kw * c, xp, base, kw * c);
                    } else {
                        for (int j = 0; j < kw; j++) add(col, row + (i * kw + j) * cg, xp, base + j * dW * c, cg);
                    }
                }
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

    private static void add(float[] src, int s, float[] dst, int d, int len) {
        for (int k = 0; k < len; k++) dst[d + k] += src[s + k];
    }

    /** Pixel-major rows {@code y[yOff + q*cout + co]} of one image to NCHW {@code out[oOff + co*pixels + q]}, plus bias. */
    void pixelsToNchw(float[] y, int yOff, float[] out, int oOff, float[] bias, int bOff) {
        int pix = pixels();
        for (int co = 0; co < cout; co++) {
            float b = bias == null ? 0f : bias[bOff + co];
            int d = oOff + co * pix;
            for (int q = 0; q < pix; q++) out[d + q] = y[yOff + q * cout + co] + b;
        }
    }

    /** NCHW {@code g[gOff + co*pixels + q]} of one image to pixel-major {@code gt[gtOff + q*cout + co]}. */
    void nchwToPixels(float[] g, int gOff, float[] gt, int gtOff) {
        int pix = pixels();
        for (int co = 0; co < cout; co++) {
            int s = gOff + co * pix;
            for (int q = 0; q < pix; q++) gt[gtOff + q * cout + co] = g[s + q];
        }
    }

    /** The weight [Cout, Cg, kH, kW] permuted to taps-last [Cout, kH, kW, Cg] (the im2col column order). */
    float[] tapsLastWeight(float[] wt, int wOff) {
        float[] r = new float[cout * kc()];
        int kc = kc();
        for (int co = 0; co < cout; co++) {
            for (int ci = 0; ci < cg; ci++) {
                for (int i = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++) r[co * kc + (i * kw + j) * cg + ci] = wt[wOff + ((co * cg + ci) * kh + i) * kw + j];
                }
            }
        }
        return r;
    }

    /** The inverse of {@link #tapsLastWeight}, into {@code dst[dOff..]}. */
    void tapsLastToWeight(float[] r, float[] dst, int dOff) {
        int kc = kc();
        for (int co = 0; co < cout; co++) {
            for (int ci = 0; ci < cg; ci++) {
                for (int i = 0; i < kh; i++) {
                    for (int j = 0; j < kw; j++) dst[dOff + ((co * cg + ci) * kh + i) * kw + j] = r[co * kc + (i * kw + j) * cg + ci];
                }
            }
        }
    }
}
