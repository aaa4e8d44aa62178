package dev.ember.data;

import dev.ember.tensor.Tensor;

/**
 * A mini-batch: inputs {@code x} with the batch as dimension 0 (images are FLOAT32 {@code [B, C, H, W]})
 * and targets {@code y} (class labels are INT64 {@code [B]}).
 *
 * <pre>{@code
 * for (Batch b : loader) {
 *     Tensor loss = F.crossEntropy(model.forward(b.x()), b.y());
 * }
 * }</pre>
 *
 * @param x inputs, batch first
 * @param y targets, batch first
 */
public record Batch(Tensor x, Tensor y) {
    public Batch {
        if (x == null || y == null) {
            throw new IllegalArgumentException("Batch: x and y must not be null");
        }
        if (x.rank() == 0 || y.rank() == 0 || x.size(0) != y.size(0)) {
            throw new IllegalArgumentException("Batch: x and y must have the same batch size in dimension 0, got x "
                    + x.shape() + " and y " + y.shape());
        }
    }

    /** Number of examples in the batch. */
    public int size() {
        return x.size(0);
    }
}
