package dev.ember.data.transforms;

import dev.ember.data.Image;

/** Pixel loops shared by the image transforms: crop with zero padding, flip, bilinear resampling. */
final class ImageOps {
    private ImageOps() {
    }

    /**
     * The {@code h x w} window whose top-left corner is at ({@code top}, {@code left}) in {@code img}'s
     * coordinates; parts outside the image are filled with {@code fill} (so negative corners pad).
     */
    static Image crop(Image img, int top, int left, int h, int w, int fill) {
        int c = img.channels(), ih = img.height(), iw = img.width();
        byte[] src = img.pixels(), out = new byte[h * w * c];
        if (fill != 0) java.util.Arrays.fill(out, (byte) fill);
        int y0 = Math.max(0, -top), y1 = Math.min(h, ih - top);
        int x0 = Math.max(0, -left), x1 = Math.min(w, iw - left);
        if (x1 > x0) {
            for (int y = y0; y < y1; y++) {
                System.arraycopy(src, ((top + y) * iw + left + x0) * c, out, (y * w + x0) * c, (x1 - x0) * c);
            }
        }
        return new Image(h, w, c, out);
    }

    /** Mirrored left to right. */
    static Image flipHorizontal(Image img) {
        int c = img.channels(), h = img.height(), w = img.width();
        byte[] src = img.pixels(), out = new byte[src.length];
        for (int y = 0; y < h; y++) {
            int row = y * w * c;
            for (int x = 0; x < w; x++) {
                int s = row + x * c, d = row + (w - 1 - x) * c;
                for (int k = 0; k < c; k++) out[d + k] = src[s + k];
            }
        }
        return new Image(h, w, c, out);
    }

    /**
     * Bilinear resampling of the window (top, left, h, w) of {@code img} to {@code outH x outW}, with
     * half-pixel centres (PyTorch's {@code align_corners=False}) and edge clamping; no antialiasing, so
     * large downscales alias. Results are rounded to the nearest integer.
     */
    static Image resize(Image img, int top, int left, int h, int w, int outH, int outW) {
        int c = img.channels(), iw = img.width();
        byte[] src = img.pixels(), out = new byte[outH * outW * c];
        float sy = (float) h / outH, sx = (float) w / outW;
        int[] x0 = new int[outW], x1 = new int[outW];
        float[] fx = new float[outW];
        for (int x = 0; x < outW; x++) {
            float p = Math.max((x + 0.5f) * sx - 0.5f, 0f);
            int i = Math.min((int) p, w - 1);
            x0[x] = left + i;
            x1[x] = left + Math.min(i + 1, w - 1);
            fx[x] = Math.min(p - i, 1f);
        }
        for (int y = 0; y < outH; y++) {
            float p = Math.max((y + 0.5f) * sy - 0.5f, 0f);
            int i = Math.min((int) p, h - 1);
            int r0 = (top + i) * iw, r1 = (top + Math.min(i + 1, h - 1)) * iw;
            float fy = Math.min(p - i, 1f);
            for (int x = 0; x < outW; x++) {
                int a = (r0 + x0[x]) * c, b = (r0 + x1[x]) * c, d = (r1 + x0[x]) * c, e = (r1 + x1[x]) * c;
                for (int k = 0; k < c; k++) {
                    float top0 = (src[a + k] & 0xff) + ((src[b + k] & 0xff) - (src[a + k] & 0xff)) * fx[x];
                    float bot0 = (src[d + k] & 0xff) + ((src[e + k] & 0xff) - (src[d + k] & 0xff)) * fx[x];
                    float v = top0 + (bot0 - top0) * fy;
                    out[(y * outW + x) * c + k] = (byte) Math.min(255, Math.max(0, Math.round(v)));
                }
            }
        }
        return new Image(outH, outW, c, out);
    }

    static void checkSize(String op, int h, int w) {
        if (h < 1 || w < 1) throw new IllegalArgumentException(op + ": size must be >= 1, got " + h + "x" + w);
    }
}
