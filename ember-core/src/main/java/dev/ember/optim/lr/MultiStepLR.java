package dev.ember.optim.lr;

import dev.ember.optim.Optimizer;

import java.util.Arrays;

/**
 * Multiplies each group's learning rate by {@code gamma} when the epoch reaches a milestone (by
 * {@code gamma^k} if a milestone is listed k times).
 *
 * <pre>{@code
 * var sched = new MultiStepLR(opt, new int[] {30, 80}, 0.1);   // 0.05, then 0.005 from 30, 0.0005 from 80
 * }</pre>
 */
public final class MultiStepLR extends LRScheduler {
    private final int[] milestones;
    private final double gamma;

    /** Decays by {@code gamma} at each milestone epoch. */
    public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma) {
        this(optimizer, milestones, gamma, -1);
    }

    /** Same, resuming after epoch {@code lastEpoch} (-1 to start fresh). */
    public MultiStepLR(Optimizer optimizer, int[] milestones, double gamma, int lastEpoch) {
        int[] sorted = milestones.clone();
        Arrays.sort(sorted);
        this.milestones = sorted;
        this.gamma = gamma;
        super(optimizer, lastEpoch);
    }

    private int count(int epoch) {
        int c = 0;
        for (int m : milestones) {
            if (m == epoch) c++;
        }
        return c;
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = currentLrs();
        int c = count(lastEpoch);
        if (c == 0) return lrs;
        for (int i = 0; i < lrs.length; i++) lrs[i] *= Math.pow(gamma, c);
        return lrs;
    }

    @Override
    protected double[] closedFormLr() {
        int passed = 0; // bisect_right: milestones <= lastEpoch
        while (passed < milestones.length && milestones[passed] <= lastEpoch) passed++;
        double[] lrs = new double[baseLrs.length];
        for (int i = 0; i < lrs.length; i++) lrs[i] = baseLrs[i] * Math.pow(gamma, passed);
        return lrs;
    }
}
