package dev.ember.data.transforms;

import dev.ember.data.Image;
import dev.ember.data.Transform;
import dev.ember.tensor.Generator;

/**
 * Bilinear resize (torchvision's {@code Resize}): to exactly {@code height x width}, or, with
 * {@link #shorterSide(int)}, so that the shorter side becomes {@code size} and the aspect ratio is kept.
 * Half-pixel centres, no antialiasing.
 *
 * @param height output height (or the shorter-side size when {@code width} is -1)
 * @param width output width, or -1 for "match the shorter side to {@code height}"
 */
public record Resize(int height, int width) implements Transform<Image, Image> {
    public Resize {
        if (width != -1) ImageOps.checkSize("Resize", height, width);
        else ImageOps.checkSize("Resize", height, 1);
    }

    /** Resizes so the shorter side is {@code size}, keeping the aspect ratio (torchvision's {@code Resize(int)}). */
    public static Resize shorterSide(int size) {
        return new Resize(size, -1);
    }

    @Override
    public Image apply(Image img, Generator rng) {
        int oh = height, ow = width;
        if (width == -1) {
            int h = img.height(), w = img.width();
            if (h <= w) {
                oh = height;
                ow = (int) ((long) height * w / h);
            } else {
                ow = height;
                oh = (int) ((long) height * h / w);
            }
        }
        if (oh == img.height() && ow == img.width()) return img;
        return ImageOps.resize(img, 0, 0, img.height(), img.width(), oh, ow);
    }
}
