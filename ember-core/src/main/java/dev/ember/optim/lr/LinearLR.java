package dev.ember.optim.lr;

import dev.ember.optim.Optimizer;

/**
 * Scales each group's learning rate by a factor that moves linearly from {@code startFactor} to
 * {@code endFactor} over {@code totalIters} epochs, then stays there: the usual warm-up.
 * <pre>
 * lr = initial_lr * (start + (end - start) * min(epoch, total_iters) / total_iters)
 * </pre>
 *
 * <pre>{@code
 * var warmup = new LinearLR(opt, 0.1, 1.0, 500);   // step per batch: 10% to 100% over 500 batches
 * }</pre>
 */
public final class LinearLR extends LRScheduler {
    private final double startFactor;
    private final double endFactor;
    private final int totalIters;

    /** PyTorch's defaults: from 1/3 to 1 over 5 epochs. */
    public LinearLR(Optimizer optimizer) {
        this(optimizer, 1.0 / 3, 1.0, 5, -1);
    }

    /** From {@code startFactor} to {@code endFactor} over {@code totalIters} epochs. */
    public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters) {
        this(optimizer, startFactor, endFactor, totalIters, -1);
    }

    /** Same, resuming after epoch {@code lastEpoch} (-1 to start fresh). */
    public LinearLR(Optimizer optimizer, double startFactor, double endFactor, int totalIters, int lastEpoch) {
        if (!(startFactor > 0 && startFactor <= 1)) {
            throw new IllegalArgumentException("LinearLR: Starting multiplicative factor expected to be greater than 0 and less or "
                    + "equal to 1, got " + startFactor);
        }
        if (!(endFactor >= 0 && endFactor <= 1)) {
            throw new IllegalArgumentException("LinearLR: Ending multiplicative factor expected to be between 0 and 1, got " + endFactor);
        }
        if (totalIters <= 0) throw new IllegalArgumentException("LinearLR: total_iters must be positive, got " + totalIters);
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        this.totalIters = totalIters;
        super(optimizer, lastEpoch);
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = currentLrs();
        if (lastEpoch == 0) {
            for (int i = 0; i < lrs.length; i++) lrs[i] *= startFactor;
            return lrs;
        }
        if (lastEpoch > totalIters) return lrs;
        double factor = 1.0 + (endFactor - startFactor)
                / (totalIters * startFactor + (lastEpoch - 1) * (endFactor - startFactor));
        for (int i = 0; i < lrs.length; i++) lrs[i] *= factor;
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = new double[baseLrs.length];
        double f = startFactor + (endFactor - startFactor) * Math.min(totalIters, lastEpoch) / totalIters;
        for (int i = 0; i < lrs.length; i++) lrs[i] = baseLrs[i] * f;
        return lrs;
    }
}
