package dev.ember.nn;

/**
 * Where the channel axis of an image batch is. Ember, like PyTorch, defaults to {@link #NCHW}; layers
 * that take a data format accept {@link #NHWC} input (Keras/TensorFlow's default) and give output in
 * the same layout, while their weights keep PyTorch's layout so state dicts stay interchangeable.
 */
public enum DataFormat {
    /** [batch, channels, height, width] (channels first). */
    NCHW,
    /** [batch, height, width, channels] (channels last). */
    NHWC;

    /** Moves an input in this format to NCHW (a view, no copy). */
    dev.ember.tensor.Tensor toNchw(dev.ember.tensor.Tensor x) {
        return this == NCHW ? x : x.permute(0, 3, 1, 2);
    }

    /** Moves an NCHW result back to this format (a view, no copy). */
    dev.ember.tensor.Tensor fromNchw(dev.ember.tensor.Tensor y) {
        return this == NCHW ? y : y.permute(0, 2, 3, 1);
    }
}
