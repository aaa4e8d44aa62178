package dev.ember.data.transforms;

import dev.ember.data.Image;
import dev.ember.data.Transform;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Tensor;

/**
 * An 8-bit HWC {@link Image} to a FLOAT32 CHW tensor in [0, 1]: {@code out[c, y, x] = pixel(y, x, c) / 255}
 * (torchvision's {@code ToTensor}).
 */
public record ToTensor() implements Transform<Image, Tensor> {
    @Override
    public Tensor apply(Image img, Generator rng) {
        int h = img.height(), w = img.width(), c = img.channels(), hw = h * w;
        byte[] px = img.pixels();
        float[] out = new float[c * hw];
        for (int ch = 0; ch < c; ch++) {
            int o = ch * hw;
            for (int p = 0; p < hw; p++) out[o + p] = (px[p * c + ch] & 0xff) / 255f;
        }
        return Tensor.wrap(out, c, h, w);
    }

    /** The value {@link #apply} gives a byte {@code v} (0..255); batched fast paths use this table. */
    public static float value(int v) {
        return v / 255f;
    }
}
