package dev.ember.data.transforms;

import dev.ember.data.Image;
import dev.ember.data.Transform;
import dev.ember.tensor.Generator;

/**
 * Mirrors the image left to right with probability {@code p} (torchvision's {@code RandomHorizontalFlip}).
 *
 * @param p probability of flipping, in [0, 1]
 */
public record RandomHorizontalFlip(double p) implements Transform<Image, Image> {
    public RandomHorizontalFlip {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("RandomHorizontalFlip: p must be in [0, 1], got " + p);
    }

    /** Flips half of the time. */
    public RandomHorizontalFlip() {
        this(0.5);
    }

    @Override
    public Image apply(Image img, Generator rng) {
        // Always draw, so the random stream does not depend on the outcome.
        return rng.nextDouble() < p ? ImageOps.flipHorizontal(img) : img;
    }
}
