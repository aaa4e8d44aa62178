package dev.ember.optim.lr;

import dev.ember.optim.Optimizer;

/**
 * Multiplies each group's learning rate by {@code gamma} every epoch: {@code lr = initial_lr * gamma^epoch}.
 *
 * <pre>{@code
 * var sched = new ExponentialLR(opt, 0.95);
 * }</pre>
 */
public final class ExponentialLR extends LRScheduler {
    private final double gamma;

    /** Decays by {@code gamma} every epoch. */
    public ExponentialLR(Optimizer optimizer, double gamma) {
        this(optimizer, gamma, -1);
    }

    /** Same, resuming after epoch {@code lastEpoch} (-1 to start fresh). */
    public ExponentialLR(Optimizer optimizer, double gamma, int lastEpoch) {
        this.gamma = gamma;
        super(optimizer, lastEpoch);
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = currentLrs();
        if (lastEpoch == 0) return lrs;
        for (int i = 0; i < lrs.length; i++) lrs[i] *= gamma;
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = new double[baseLrs.length];
        for (int i = 0; i < lrs.length; i++) lrs[i] = baseLrs[i] * Math.pow(gamma, lastEpoch);
        return lrs;
    }
}
