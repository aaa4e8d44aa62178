package dev.ember.nn;

import dev.ember.tensor.Tensor;

/** Batch normalisation of [N, C] or [N, C, L] input per channel C (defaults as {@link BatchNorm2d}). */
public final class BatchNorm1d extends BatchNorm {
    public BatchNorm1d(int numFeatures) {
        this(numFeatures, 1e-5, 0.1, true, true);
    }

    public BatchNorm1d(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        super(numFeatures, eps, momentum, affine, trackRunningStats);
    }

    @Override
    protected void checkInput(Tensor x) {
        if (x.rank() != 2 && x.rank() != 3) {
            throw new IllegalArgumentException("BatchNorm1d: expected 2D or 3D input [N, C] or [N, C, L], got " + x.shape());
        }
    }
}
