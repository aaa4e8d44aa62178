package dev.ember.optim.lr;

import dev.ember.optim.Optimizer;
import dev.ember.optim.ParamGroup;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reduces the learning rate when a metric stops improving (PyTorch's {@code ReduceLROnPlateau}):
 * after more than {@code patience} epochs without a significant improvement, every group's rate is
 * multiplied by {@code factor} (not below its {@code minLr}), then {@code cooldown} epochs pass
 * before bad epochs count again. "Significant" means better than {@code best * (1 - threshold)}
 * (mode min, relative threshold), {@code best - threshold} (min, absolute), or the mirror images
 * in mode max. Step it with the metric, typically the validation loss, once per epoch.
 *
 * <pre>{@code
 * var plateau = new ReduceLROnPlateau(opt, ReduceLROnPlateau.options().factor(0.5).patience(3));
 * for (int epoch = 0; epoch < 50; epoch++) {
 *     train(...);
 *     plateau.step(validationLoss());
 * }
 * }</pre>
 */
public final class ReduceLROnPlateau {
    /** Whether the metric should decrease (loss) or increase (accuracy). */
    public enum Mode { MIN, MAX }

    /** Whether the threshold is a fraction of the best value or an absolute amount. */
    public enum ThresholdMode { REL, ABS }

    /** Options with PyTorch's defaults. */
    public static final class Options {
        private Mode mode = Mode.MIN;
        private double factor = 0.1;
        private int patience = 10;
        private double threshold = 1e-4;
        private ThresholdMode thresholdMode = ThresholdMode.REL;
        private int cooldown;
        private double[] minLr = {0};
        private double eps = 1e-8;

        private Options() {
        }

        /** MIN (default) or MAX. */
        public Options mode(Mode mode) {
            this.mode = mode;
            return this;
        }

        /** Multiplier applied on a plateau, in [0, 1) (default 0.1). */
        public Options factor(double factor) {
            this.factor = factor;
            return this;
        }

        /** Epochs without improvement tolerated before reducing (default 10). */
        public Options patience(int patience) {
            this.patience = patience;
            return this;
        }

        /** Minimum significant improvement (default 1e-4). */
        public Options threshold(double threshold) {
            this.threshold = threshold;
            return this;
        }

        /** REL (default) or ABS. */
        public Options thresholdMode(ThresholdMode thresholdMode) {
            this.thresholdMode = thresholdMode;
            return this;
        }

        /** Epochs to wait after a reduction before counting bad epochs again (default 0). */
        public Options cooldown(int cooldown) {
            this.cooldown = cooldown;
            return this;
        }

        /** Lower bound of the learning rate: one value, or one per group (default 0). */
        public Options minLr(double... minLr) {
            this.minLr = minLr.clone();
            return this;
        }

        /** Reductions smaller than this are skipped (default 1e-8). */
        public Options eps(double eps) {
            this.eps = eps;
            return this;
        }
    }

    private final Optimizer optimizer;
    private final Mode mode;
    private final double factor;
    private final int patience;
    private final double threshold;
    private final ThresholdMode thresholdMode;
    private final int cooldown;
    private final double[] minLrs;
    private final double eps;
    private double best;
    private int numBadEpochs;
    private int cooldownCounter;
    private int lastEpoch;
    private double[] lastLr;

    /** New options with PyTorch's defaults (min mode, factor 0.1, patience 10, rel threshold 1e-4). */
    public static Options options() {
        return new Options();
    }

    /** With PyTorch's defaults. */
    public ReduceLROnPlateau(Optimizer optimizer) {
        this(optimizer, options());
    }

    /** With the given options. */
    public ReduceLROnPlateau(Optimizer optimizer, Options o) {
        if (o.factor >= 1.0) throw new IllegalArgumentException("ReduceLROnPlateau: Factor should be < 1.0, got " + o.factor);
        if (o.patience < 0 || o.cooldown < 0) {
            throw new IllegalArgumentException("ReduceLROnPlateau: patience and cooldown must be >= 0, got " + o.patience + " and "
                    + o.cooldown);
        }
        this.optimizer = optimizer;
        this.mode = o.mode;
        this.factor = o.factor;
        this.patience = o.patience;
        this.threshold = o.threshold;
        this.thresholdMode = o.thresholdMode;
        this.cooldown = o.cooldown;
        this.minLrs = LRScheduler.perGroup("min_lr", optimizer, o.minLr);
        this.eps = o.eps;
        this.lastLr = currentLrs();
        reset();
    }

    private double modeWorse() {
        return mode == Mode.MIN ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    private void reset() {
        best = modeWorse();
        cooldownCounter = 0;
        numBadEpochs = 0;
    }

    /** Records this epoch's metric and reduces the learning rates if it has plateaued. */
    public void step(double metric) {
        lastEpoch++;
        if (isBetter(metric, best)) {
            best = metric;
            numBadEpochs = 0;
        } else {
            numBadEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            numBadEpochs = 0; // bad epochs in cooldown are ignored
        }
        if (numBadEpochs > patience) {
            reduceLr();
            cooldownCounter = cooldown;
            numBadEpochs = 0;
        }
        lastLr = currentLrs();
    }

    private void reduceLr() {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) {
            double old = groups.get(i).lr();
            double next = Math.max(old * factor, minLrs[i]);
            if (old - next > eps) groups.get(i).lr(next);
        }
    }

    private boolean isBetter(double a, double best) {
        return switch (mode) {
            case MIN -> thresholdMode == ThresholdMode.REL ? a < best * (1 - threshold) : a < best - threshold;
            case MAX -> thresholdMode == ThresholdMode.REL ? a > best * (threshold + 1) : a > best + threshold;
        };
    }

    private double[] currentLrs() {
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] r = new double[groups.size()];
        for (int i = 0; i < r.length; i++) r[i] = groups.get(i).lr();
        return r;
    }

    /** The learning rate of each group after the last step. */
    public double[] getLastLr() {
        return lastLr.clone();
    }

    /** The best metric seen so far (infinite before the first step). */
    public double best() {
        return best;
    }

    /** Epochs since the last significant improvement. */
    public int numBadEpochs() {
        return numBadEpochs;
    }

    /** Number of steps taken. */
    public int lastEpoch() {
        return lastEpoch;
    }

    /** The scheduled optimizer. */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** Progress as a JSON-able map with PyTorch's keys ({@code best} is null before the first step). */
    public Map<String, Object> stateDict() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("best", Double.isInfinite(best) ? null : best);
        m.put("num_bad_epochs", (long) numBadEpochs);
        m.put("cooldown_counter", (long) cooldownCounter);
        m.put("last_epoch", (long) lastEpoch);
        m.put("_last_lr", LRScheduler.list(lastLr));
        return m;
    }

    /** Restores the progress saved by {@link #stateDict()}. */
    public void loadStateDict(Map<String, Object> state) {
        Object b = state.get("best");
        best = b == null ? modeWorse() : ((Number) b).doubleValue();
        numBadEpochs = LRScheduler.intOf(state, "num_bad_epochs");
        cooldownCounter = LRScheduler.intOf(state, "cooldown_counter");
        lastEpoch = LRScheduler.intOf(state, "last_epoch");
        lastLr = LRScheduler.doublesOf(state, "_last_lr");
    }
}
