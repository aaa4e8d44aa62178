package dev.ember.nn;

import dev.ember.tensor.DType;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;

/**
 * Shared implementation of {@link BatchNorm1d} and {@link BatchNorm2d}: affine weight (ones) and
 * bias (zeros), buffers running_mean (zeros), running_var (ones) and num_batches_tracked (INT64), with
 * PyTorch's names and update rule (see {@link F#batchNorm}).
 */
public abstract class BatchNorm extends Module {
    public final int numFeatures;
    public final double eps;
    /** NaN for a cumulative moving average. */
    public final double momentum;
    public final Tensor weight;
    public final Tensor bias;
    public final Tensor runningMean;
    public final Tensor runningVar;
    public final Tensor numBatchesTracked;

    protected BatchNorm(int numFeatures, double eps, double momentum, boolean affine, boolean trackRunningStats) {
        if (numFeatures <= 0) throw new IllegalArgumentException(getClass().getSimpleName() + ": numFeatures must be positive, got " + numFeatures);
        this.numFeatures = numFeatures;
        this.eps = eps;
        this.momentum = momentum;
        this.weight = affine ? param("weight", Tensor.ones(numFeatures)) : null;
        this.bias = affine ? param("bias", Tensor.zeros(numFeatures)) : null;
        this.runningMean = trackRunningStats ? buffer("running_mean", Tensor.zeros(numFeatures)) : null;
        this.runningVar = trackRunningStats ? buffer("running_var", Tensor.ones(numFeatures)) : null;
        this.numBatchesTracked = trackRunningStats ? buffer("num_batches_tracked", Tensor.zeros(Shape.SCALAR, DType.INT64)) : null;
    }

    /** Checks the input rank for the concrete layer. */
    protected abstract void checkInput(Tensor x);

    @Override
    public Tensor forward(Tensor x) {
        checkInput(x);
        boolean useBatchStats = isTraining() || runningMean == null;
        return Normalization.batchNorm(x, runningMean, runningVar, weight, bias, useBatchStats, momentum, eps,
                isTraining() ? numBatchesTracked : null);
    }

    /** Resets running statistics to mean 0, variance 1. */
    public void resetRunningStats() {
        if (runningMean == null) return;
        Init.zeros(runningMean);
        Init.ones(runningVar);
        try (var g = dev.ember.autograd.Grad.off()) {
            numBatchesTracked.zeroInPlace();
        }
    }

    @Override
    protected String extraRepr() {
        return numFeatures + ", eps=" + eps + ", momentum=" + (Double.isNaN(momentum) ? "None" : momentum) + ", affine=" + (weight != null)
                + ", track_running_stats=" + (runningMean != null);
    }
}
