package dev.ember.data.transforms;

import dev.ember.data.Image;
import dev.ember.data.Transform;
import dev.ember.tensor.Generator;

/**
 * The central {@code height x width} window (torchvision's {@code CenterCrop}); an image smaller than the
 * window is padded with zeros around it.
 *
 * @param height crop height
 * @param width crop width
 */
public record CenterCrop(int height, int width) implements Transform<Image, Image> {
    public CenterCrop {
        ImageOps.checkSize("CenterCrop", height, width);
    }

    /** A square central crop. */
    public CenterCrop(int size) {
        this(size, size);
    }

    @Override
    public Image apply(Image img, Generator rng) {
        // torchvision: top = int(round((H - h) / 2)), Python rounding half to even.
        int top = (int) Math.rint((img.height() - height) / 2.0);
        int left = (int) Math.rint((img.width() - width) / 2.0);
        return ImageOps.crop(img, top, left, height, width, 0);
    }
}
