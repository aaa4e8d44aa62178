package dev.ember.optim.lr;

import dev.ember.optim.Optimizer;
import dev.ember.optim.ParamGroup;

import java.util.List;

/**
 * The 1cycle policy (PyTorch's {@code OneCycleLR}): the learning rate rises from
 * {@code max_lr / div_factor} to {@code max_lr} over the first {@code pct_start} of
 * {@code total_steps}, then anneals to {@code initial_lr / final_div_factor}; momentum (or Adam's
 * beta1) cycles inversely between {@code max_momentum} and {@code base_momentum}. With
 * {@code threePhase} the rate comes back down symmetrically to the initial rate before the final
 * annealing. Step it once per batch, {@code total_steps} times in all.
 *
 * <pre>{@code
 * var sched = new OneCycleLR(opt, OneCycleLR.options(0.1, epochs * batchesPerEpoch).pctStart(0.25));
 * }</pre>
 */
public final class OneCycleLR extends LRScheduler {
    /** How the rate moves between two values within a phase. */
    public enum Anneal {
        /** {@code end + (start - end) / 2 * (1 + cos(pi * pct))}. */
        COS,
        /** {@code (end - start) * pct + start}. */
        LINEAR
    }

    /** OneCycleLR's options, with PyTorch's defaults. */
    public static final class Options {
        private final double[] maxLr;
        private final int totalSteps;
        private double pctStart = 0.3;
        private Anneal anneal = Anneal.COS;
        private boolean cycleMomentum = true;
        private double[] baseMomentum = {0.85};
        private double[] maxMomentum = {0.95};
        private double divFactor = 25;
        private double finalDivFactor = 1e4;
        private boolean threePhase;
        private int lastEpoch = -1;

        private Options(int totalSteps, double... maxLr) {
            this.maxLr = maxLr.clone();
            this.totalSteps = totalSteps;
        }

        /** Fraction of the cycle spent increasing the learning rate (default 0.3). */
        public Options pctStart(double pctStart) {
            this.pctStart = pctStart;
            return this;
        }

        /** Cosine (default) or linear annealing. */
        public Options anneal(Anneal anneal) {
            this.anneal = anneal;
            return this;
        }

        /** Cycle momentum (or beta1) inversely to the learning rate (default true). */
        public Options cycleMomentum(boolean cycleMomentum) {
            this.cycleMomentum = cycleMomentum;
            return this;
        }

        /** Lowest momentum, reached at the peak learning rate (default 0.85); one value or one per group. */
        public Options baseMomentum(double... baseMomentum) {
            this.baseMomentum = baseMomentum.clone();
            return this;
        }

        /** Highest momentum (default 0.95); one value or one per group. */
        public Options maxMomentum(double... maxMomentum) {
            this.maxMomentum = maxMomentum.clone();
            return this;
        }

        /** {@code initial_lr = max_lr / divFactor} (default 25). */
        public Options divFactor(double divFactor) {
            this.divFactor = divFactor;
            return this;
        }

        /** {@code min_lr = initial_lr / finalDivFactor} (default 1e4). */
        public Options finalDivFactor(double finalDivFactor) {
            this.finalDivFactor = finalDivFactor;
            return this;
        }

        /** Use three phases (up, back down to the initial rate, then annihilate) instead of two. */
        public Options threePhase(boolean threePhase) {
            this.threePhase = threePhase;
            return this;
        }

        /** Index of the last batch done, when resuming (default -1). */
        public Options lastEpoch(int lastEpoch) {
            this.lastEpoch = lastEpoch;
            return this;
        }
    }

    private record Phase(double endStep, String startLr, String endLr, String startMomentum, String endMomentum) {
    }

    private final int totalSteps;
    private final List<Phase> phases;
    private final Anneal anneal;
    private final boolean cycleMomentum;
    private final boolean useBeta1;

    /**
     * Options for a cycle of {@code totalSteps} steps peaking at {@code maxLr} (one value, or one per
     * group).
     */
    public static Options options(double maxLr, int totalSteps) {
        return new Options(totalSteps, maxLr);
    }

    /** Options with one peak learning rate per group. */
    public static Options options(double[] maxLr, int totalSteps) {
        return new Options(totalSteps, maxLr);
    }

    /** A cycle with PyTorch's default options. */
    public OneCycleLR(Optimizer optimizer, double maxLr, int totalSteps) {
        this(optimizer, options(maxLr, totalSteps));
    }

    /** A cycle with the given options. */
    public OneCycleLR(Optimizer optimizer, Options o) {
        if (o.totalSteps <= 0) throw new IllegalArgumentException("OneCycleLR: Expected positive integer total_steps, but got " + o.totalSteps);
        if (!(o.pctStart >= 0 && o.pctStart <= 1)) {
            throw new IllegalArgumentException("OneCycleLR: Expected float between 0 and 1 pct_start, but got " + o.pctStart);
        }
        double total = o.totalSteps;
        this.totalSteps = o.totalSteps;
        this.phases = o.threePhase
                ? List.of(new Phase(o.pctStart * total - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                        new Phase(2 * o.pctStart * total - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"),
                        new Phase(total - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"))
                : List.of(new Phase(o.pctStart * total - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                        new Phase(total - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"));
        this.anneal = o.anneal;
        this.cycleMomentum = o.cycleMomentum;
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] maxLrs = perGroup("max_lr", optimizer, o.maxLr);
        if (o.lastEpoch == -1) {
            for (int i = 0; i < groups.size(); i++) {
                ParamGroup g = groups.get(i);
                g.put("initial_lr", maxLrs[i] / o.divFactor);
                g.put("max_lr", maxLrs[i]);
                g.put("min_lr", g.number("initial_lr") / o.finalDivFactor);
            }
        }
        boolean beta1 = optimizer.defaults().containsKey("betas");
        this.useBeta1 = beta1;
        if (o.cycleMomentum) {
            if (!optimizer.defaults().containsKey("momentum") && !beta1) {
                throw new IllegalArgumentException("OneCycleLR: optimizer must support momentum with `cycle_momentum` option enabled ("
                        + optimizer.name() + " has neither momentum nor betas)");
            }
            double[] maxMom = perGroup("max_momentum", optimizer, o.maxMomentum);
            double[] baseMom = perGroup("base_momentum", optimizer, o.baseMomentum);
            if (o.lastEpoch == -1) {
                for (int i = 0; i < groups.size(); i++) {
                    setMomentum(groups.get(i), maxMom[i], beta1);
                    groups.get(i).put("max_momentum", maxMom[i]);
                    groups.get(i).put("base_momentum", baseMom[i]);
                }
            }
        }
        super(optimizer, o.lastEpoch);
    }

    private static void setMomentum(ParamGroup g, double momentum, boolean beta1) {
        if (beta1) {
            double[] betas = g.numbers("betas");
            betas[0] = momentum;
            g.put("betas", betas);
        } else {
            g.put("momentum", momentum);
        }
    }

    private double anneal(double start, double end, double pct) {
        return switch (anneal) {
            case COS -> end + (start - end) / 2.0 * (Math.cos(Math.PI * pct) + 1);
            case LINEAR -> (end - start) * pct + start;
        };
    }

    @Override
    protected double[] computeLr() {
        int stepNum = lastEpoch;
        if (stepNum > totalSteps) {
            throw new IllegalStateException("OneCycleLR: Tried to step " + (stepNum + 1) + " times. The specified number of total steps is "
                    + totalSteps);
        }
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] lrs = new double[groups.size()];
        for (int gi = 0; gi < lrs.length; gi++) {
            ParamGroup g = groups.get(gi);
            double startStep = 0;
            for (int i = 0; i < phases.size(); i++) {
                Phase phase = phases.get(i);
                if (stepNum <= phase.endStep() || i == phases.size() - 1) {
                    double pct = (stepNum - startStep) / (phase.endStep() - startStep);
                    lrs[gi] = anneal(g.number(phase.startLr()), g.number(phase.endLr()), pct);
                    if (cycleMomentum) {
                        setMomentum(g, anneal(g.number(phase.startMomentum()), g.number(phase.endMomentum()), pct), useBeta1);
                    }
                    break;
                }
                startStep = phase.endStep();
            }
        }
        return lrs;
    }
}
