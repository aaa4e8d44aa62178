package dev.ember.optim.lr;

import dev.ember.optim.Optimizer;

import java.util.Map;

/**
 * Cosine annealing with warm restarts (SGDR): the learning rate follows a cosine from the initial
 * rate down to {@code etaMin} over {@code T_i} epochs, then restarts; the first period is
 * {@code T_0} and each next one is {@code T_mult} times longer.
 * <pre>
 * lr = eta_min + (initial_lr - eta_min) * (1 + cos(pi * T_cur / T_i)) / 2
 * </pre>
 * It can be stepped per epoch ({@link #step()}) or with a fractional epoch per batch
 * ({@link #step(double)}, e.g. {@code epoch + i / batches}).
 *
 * <pre>{@code
 * var sched = new CosineAnnealingWarmRestarts(opt, 10, 2, 1e-5);   // periods 10, 20, 40, ...
 * }</pre>
 */
public final class CosineAnnealingWarmRestarts extends LRScheduler {
    private final int t0;
    private final int tMult;
    private final double etaMin;
    private double tI;
    private double tCur;

    /** Restarts every {@code t0} epochs, annealing to zero. */
    public CosineAnnealingWarmRestarts(Optimizer optimizer, int t0) {
        this(optimizer, t0, 1, 0, -1);
    }

    /** First period {@code t0}, each next one {@code tMult} times longer, annealing to {@code etaMin}. */
    public CosineAnnealingWarmRestarts(Optimizer optimizer, int t0, int tMult, double etaMin) {
        this(optimizer, t0, tMult, etaMin, -1);
    }

    /** Same, resuming after epoch {@code lastEpoch} (-1 to start fresh). */
    public CosineAnnealingWarmRestarts(Optimizer optimizer, int t0, int tMult, double etaMin, int lastEpoch) {
        if (t0 <= 0) throw new IllegalArgumentException("CosineAnnealingWarmRestarts: Expected positive integer T_0, but got " + t0);
        if (tMult < 1) throw new IllegalArgumentException("CosineAnnealingWarmRestarts: Expected integer T_mult >= 1, but got " + tMult);
        this.t0 = t0;
        this.tI = t0;
        this.tMult = tMult;
        this.etaMin = etaMin;
        this.tCur = lastEpoch;
        super(optimizer, lastEpoch);
    }

    @Override
    protected double[] computeLr() {
        double[] lrs = new double[baseLrs.length];
        for (int i = 0; i < lrs.length; i++) lrs[i] = etaMin + (baseLrs[i] - etaMin) * (1 + Math.cos(Math.PI * tCur / tI)) / 2;
        return lrs;
    }

    /** Advances one epoch (restarting when the period is over). */
    @Override
    public void step() {
        if (lastEpoch < 0) {
            step(0.0);
            return;
        }
        tCur = tCur + 1;
        if (tCur >= tI) {
            tCur = tCur - tI;
            tI = tI * tMult;
        }
        lastEpoch = lastEpoch + 1;
        apply(computeLr());
    }

    /** Jumps to {@code epoch}. */
    @Override
    public void step(int epoch) {
        step((double) epoch);
    }

    /** Jumps to a possibly fractional {@code epoch} (for per-batch stepping). */
    public void step(double epoch) {
        if (epoch < 0) throw new IllegalArgumentException("CosineAnnealingWarmRestarts: Expected non-negative epoch, but got " + epoch);
        if (epoch >= t0) {
            if (tMult == 1) {
                tCur = epoch % t0;
            } else {
                int n = (int) (Math.log(epoch / t0 * (tMult - 1) + 1) / Math.log(tMult));
                tCur = epoch - t0 * (Math.pow(tMult, n) - 1) / (tMult - 1);
                tI = t0 * Math.pow(tMult, n);
            }
        } else {
            tI = t0;
            tCur = epoch;
        }
        lastEpoch = (int) Math.floor(epoch);
        apply(computeLr());
    }

    @Override
    protected void saveState(Map<String, Object> state) {
        state.put("T_i", tI);
        state.put("T_cur", tCur);
    }

    @Override
    protected void loadState(Map<String, Object> state) {
        tI = doubleOf(state, "T_i");
        tCur = doubleOf(state, "T_cur");
    }
}
