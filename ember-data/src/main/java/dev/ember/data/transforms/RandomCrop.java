package dev.ember.data.transforms;

import dev.ember.data.Image;
import dev.ember.data.Transform;
import dev.ember.tensor.Generator;

/**
 * A random {@code height x width} window of the image after padding every side with {@code padding}
 * pixels of value {@code fill} (torchvision's {@code RandomCrop(size, padding)}): the classic CIFAR
 * augmentation is {@code new RandomCrop(32, 4)}.
 *
 * @param height crop height
 * @param width crop width
 * @param padding pixels added on each side before cropping (>= 0)
 * @param fill value of the padding pixels (0..255)
 */
public record RandomCrop(int height, int width, int padding, int fill) implements Transform<Image, Image> {
    public RandomCrop {
        ImageOps.checkSize("RandomCrop", height, width);
        if (padding < 0) throw new IllegalArgumentException("RandomCrop: padding must be >= 0, got " + padding);
        if (fill < 0 || fill > 255) throw new IllegalArgumentException("RandomCrop: fill must be in 0..255, got " + fill);
    }

    /** A square crop of {@code size} after zero padding of {@code padding} on each side. */
    public RandomCrop(int size, int padding) {
        this(size, size, padding, 0);
    }

    @Override
    public Image apply(Image img, Generator rng) {
        int ph = img.height() + 2 * padding, pw = img.width() + 2 * padding;
        if (ph < height || pw < width) {
            throw new IllegalArgumentException("RandomCrop: crop " + height + "x" + width + " is larger than the padded image "
                    + ph + "x" + pw);
        }
        int top = rng.nextInt(ph - height + 1);
        int left = rng.nextInt(pw - width + 1);
        return ImageOps.crop(img, top - padding, left - padding, height, width, fill);
    }
}
