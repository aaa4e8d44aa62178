package dev.ember.optim.lr;

import dev.ember.optim.Optimizer;

/**
 * Multiplies each group's learning rate by {@code gamma} every {@code stepSize} epochs:
 * {@code lr = initial_lr * gamma^(epoch / stepSize)} (integer division) when nothing else changes it.
 *
 * <pre>{@code
 * var sched = new StepLR(opt, 30, 0.1);   // lr 0.05 for epochs 0-29, 0.005 for 30-59, ...
 * }</pre>
 */
public final class StepLR extends LRScheduler {
    private final int stepSize;
    private final double gamma;

    /** Decays by {@code gamma} every {@code stepSize} epochs. */
    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        this(optimizer, stepSize, gamma, -1);
    }

    /** Same, resuming after epoch {@code lastEpoch} (-1 to start fresh). */
    public StepLR(Optimizer optimizer, int stepSize, double gamma, int lastEpoch) {
        if (stepSize <= 0) throw new IllegalArgumentException("StepLR: step_size must be positive, got " + stepSize);
        this.stepSize = stepSize;
        this.gamma = gamma;
        super(optimizer, lastEpoch);
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = currentLrs();
        if (lastEpoch == 0 || lastEpoch % stepSize != 0) return lrs;
        for (int i = 0; i < lrs.length; i++) lrs[i] *= gamma;
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = new double[baseLrs.length];
        for (int i = 0; i < lrs.length; i++) lrs[i] = baseLrs[i] * Math.pow(gamma, Math.floorDiv(lastEpoch, stepSize));
        return lrs;
    }
}
