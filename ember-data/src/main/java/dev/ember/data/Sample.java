package dev.ember.data;

import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;

/**
 * One example of a dataset: an input {@code x} and a target {@code y}.
 *
 * <p>For classification {@code y} is a 0-d INT64 tensor holding the class index (see
 * {@link #of(Tensor, long)}); for regression it is any float tensor. The default collate
 * ({@link Collate#stack()}) stacks a list of samples into a {@link Batch}.
 *
 * @param x the input, e.g. a CHW FLOAT32 image or a feature vector
 * @param y the target
 */
public record Sample(Tensor x, Tensor y) {
    public Sample {
        if (x == null || y == null) {
            throw new IllegalArgumentException("Sample: x and y must not be null, got x=" + x + ", y=" + y);
        }
    }

    /** A classification sample: {@code y} becomes a 0-d INT64 tensor holding {@code label}. */
    public static Sample of(Tensor x, long label) {
        return new Sample(x, Tensor.scalar(label, DType.INT64));
    }

    /** The class index held by a 0-d (or one-element) integer {@code y}. */
    public long label() {
        return y.itemLong();
    }
}
