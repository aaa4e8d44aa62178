package dev.ember.nn;

import dev.ember.tensor.Tensor;

/**
 * Batch normalisation of [N, C, H, W] input per channel C. Defaults as PyTorch: eps 1e-5, momentum
 * 0.1, affine, tracking running statistics.
 */
public final class BatchNorm2d extends BatchNorm {
    public BatchNorm2d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    public BatchNorm2d(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    protected void checkInput(Tensor x) {
        if (x.rank() != 4) throw new IllegalArgumentException("BatchNorm2d: expected 4D input [N, C, H, W], got " + x.shape());
    }
}
