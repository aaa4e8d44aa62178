package dev.ember.optim.lr;

import dev.ember.optim.Optimizer;

/**
 * Cosine annealing from each group's initial learning rate down to {@code etaMin} over {@code tMax}
 * epochs (the annealing part of SGDR):
 * <pre>
 * lr = eta_min + (initial_lr - eta_min) * (1 + cos(pi * epoch / T_max)) / 2
 * </pre>
 * Like PyTorch it is computed recursively from the current learning rate, so it composes with other
 * changes, and past {@code T_max} it rises again along the cosine.
 *
 * <pre>{@code
 * var sched = new CosineAnnealingLR(opt, 100, 1e-5);
 * }</pre>
 */
public final class CosineAnnealingLR extends LRScheduler {
    private final int tMax;
    private final double etaMin;

    /** Anneals over {@code tMax} epochs to zero. */
    public CosineAnnealingLR(Optimizer optimizer, int tMax) {
        this(optimizer, tMax, 0, -1);
    }

    /** Anneals over {@code tMax} epochs to {@code etaMin}. */
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin) {
        this(optimizer, tMax, etaMin, -1);
    }

    /** Same, resuming after epoch {@code lastEpoch} (-1 to start fresh). */
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin, int lastEpoch) {
        if (tMax <= 0) throw new IllegalArgumentException("CosineAnnealingLR: T_max must be positive, got " + tMax);
        this.tMax = tMax;
        this.etaMin = etaMin;
        super(optimizer, lastEpoch);
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = currentLrs();
        if (lastEpoch == 0) return lrs;
        if (stepCount == 1 && lastEpoch > 0) return closedFormLr(); // resumed: start from the closed form
        if (Math.floorMod(lastEpoch - 1 - tMax, 2 * tMax) == 0) {
            for (int i = 0; i < lrs.length; i++) lrs[i] += (baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
            return lrs;
        }
        double ratio = (1 + Math.cos(Math.PI * lastEpoch / tMax)) / (1 + Math.cos(Math.PI * (lastEpoch - 1) / tMax));
        for (int i = 0; i < lrs.length; i++) lrs[i] = ratio * (lrs[i] - etaMin) + etaMin;
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        double[] lrs = new double[baseLrs.length];
        for (int i = 0; i < lrs.length; i++) {
            lrs[i] = etaMin + (baseLrs[i] - etaMin) * (1 + Math.cos(Math.PI * lastEpoch / tMax)) / 2;
        }
        return lrs;
    }
}
