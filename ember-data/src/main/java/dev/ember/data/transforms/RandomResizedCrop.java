package dev.ember.data.transforms;

import dev.ember.data.Image;
import dev.ember.data.Transform;
import dev.ember.tensor.Generator;

/**
 * A random window covering a {@code scale} fraction of the image with aspect ratio in {@code ratio},
 * resized to {@code height x width} (torchvision's {@code RandomResizedCrop}, the ImageNet augmentation).
 * Ten tries at a window that fits; otherwise the central crop with the closest allowed ratio.
 *
 * @param height output height
 * @param width output width
 * @param scaleMin smallest area fraction (default 0.08)
 * @param scaleMax largest area fraction (default 1)
 * @param ratioMin smallest aspect ratio w/h (default 3/4)
 * @param ratioMax largest aspect ratio w/h (default 4/3)
 */
public record RandomResizedCrop(int height, int width, double scaleMin, double scaleMax, double ratioMin, double ratioMax)
        implements Transform<Image, Image> {
    public RandomResizedCrop {
        ImageOps.checkSize("RandomResizedCrop", height, width);
        if (!(scaleMin > 0 && scaleMin <= scaleMax && scaleMax <= 1)) {
            throw new IllegalArgumentException("RandomResizedCrop: need 0 < scaleMin <= scaleMax <= 1, got " + scaleMin + ", " + scaleMax);
        }
        if (!(ratioMin > 0 && ratioMin <= ratioMax)) {
            throw new IllegalArgumentException("RandomResizedCrop: need 0 < ratioMin <= ratioMax, got " + ratioMin + ", " + ratioMax);
        }
    }

    /** Square output with torchvision's defaults: scale (0.08, 1), ratio (3/4, 4/3). */
    public RandomResizedCrop(int size) {
        this(size, size, 0.08, 1.0, 3.0 / 4, 4.0 / 3);
    }

    @Override
    public Image apply(Image img, Generator rng) {
        int ih = img.height(), iw = img.width();
        double area = (double) ih * iw, logMin = Math.log(ratioMin), logMax = Math.log(ratioMax);
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * (scaleMin + (scaleMax - scaleMin) * rng.nextDouble());
            double aspect = Math.exp(logMin + (logMax - logMin) * rng.nextDouble());
            int w = (int) Math.rint(Math.sqrt(target * aspect));
            int h = (int) Math.rint(Math.sqrt(target / aspect));
            if (w > 0 && h > 0 && w <= iw && h <= ih) {
                int top = rng.nextInt(ih - h + 1), left = rng.nextInt(iw - w + 1);
                return ImageOps.resize(img, top, left, h, w, height, width);
            }
        }
        double inRatio = (double) iw / ih;
        int w, h;
        if (inRatio < ratioMin) {
            w = iw;
            h = (int) Math.rint(w / ratioMin);
        } else if (inRatio > ratioMax) {
            h = ih;
            w = (int) Math.rint(h * ratioMax);
        } else {
            w = iw;
            h = ih;
        }
        h = Math.max(1, Math.min(h, ih));
        w = Math.max(1, Math.min(w, iw));
        return ImageOps.resize(img, (ih - h) / 2, (iw - w) / 2, h, w, height, width);
    }
}
