package dev.ember.optim.lr;

import dev.ember.optim.Optimizer;
import dev.ember.optim.ParamGroup;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Base class of learning-rate schedulers (PyTorch's {@code torch.optim.lr_scheduler._LRScheduler}),
 * with PyTorch's semantics: construction sets each group's {@code initial_lr} (when
 * {@code lastEpoch == -1}) and performs an initial step to epoch 0; each {@link #step()} advances
 * {@link #lastEpoch()} by one and writes the new learning rates into the optimizer's groups. Call it
 * once per epoch or once per batch, after {@code optimizer.step()}:
 *
 * <pre>{@code
 * var opt = new SGD(model.parameters(), 0.1, 0.9);
 * var sched = new StepLR(opt, 30, 0.1);
 * for (int epoch = 0; epoch < 100; epoch++) {
 *     trainOneEpoch(model, opt);
 *     sched.step();
 * }
 * }</pre>
 *
 * <p>To resume, pass {@code lastEpoch} (the groups must then already hold {@code initial_lr}, as
 * after loading an optimizer state dict), or load a {@link #stateDict()}. Subclasses implement
 * {@link #computeLr()}, PyTorch's recursive {@code get_lr}, and, where the schedule has one,
 * {@link #closedFormLr()}. A subclass that needs its own fields in {@code computeLr} assigns them
 * before calling {@code super(...)} (Java 25 flexible constructor bodies), because the base
 * constructor already steps, exactly as PyTorch's does.
 */
public abstract class LRScheduler {
    /** The optimizer whose groups this scheduler drives. */
    protected final Optimizer optimizer;
    /** The {@code initial_lr} of each group. */
    protected double[] baseLrs;
    /** Index of the last epoch (or batch) stepped; -1 before the initial step. */
    protected int lastEpoch;
    /** Number of {@link #step} calls, including the initial one. */
    protected int stepCount;
    /** Learning rates after the last step, one per group. */
    protected double[] lastLr;

    /**
     * Sets up the schedule and performs the initial step.
     *
     * @param lastEpoch -1 to start fresh, else the index of the last epoch done (resuming)
     */
    protected LRScheduler(Optimizer optimizer, int lastEpoch) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        List<ParamGroup> groups = optimizer.paramGroups();
        if (lastEpoch == -1) {
            for (ParamGroup g : groups) {
                if (!g.has("initial_lr")) g.put("initial_lr", g.lr());
            }
        } else {
            for (int i = 0; i < groups.size(); i++) {
                if (!groups.get(i).has("initial_lr")) {
                    throw new IllegalArgumentException(getClass().getSimpleName() + ": param 'initial_lr' is not specified in param_groups["
                            + i + "] when resuming an optimizer (lastEpoch " + lastEpoch + ")");
                }
            }
        }
        this.baseLrs = new double[groups.size()];
        for (int i = 0; i < baseLrs.length; i++) baseLrs[i] = groups.get(i).number("initial_lr");
        this.lastEpoch = lastEpoch;
        initialStep();
    }

    /** For composite schedulers ({@link SequentialLR}) that set up their own state and do no initial step. */
    protected LRScheduler(Optimizer optimizer) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.baseLrs = new double[0];
        this.lastLr = currentLrs();
    }

    /** Resets the step count and steps to the first epoch (PyTorch's {@code _initial_step}). */
    final void initialStep() {
        stepCount = 0;
        step();
    }

    /** Advances one epoch (or batch) and sets the groups' learning rates. */
    public void step() {
        stepCount++;
        lastEpoch++;
        apply(computeLr());
    }

    /**
     * Jumps to {@code epoch}, using the closed form of the schedule where it has one (PyTorch's
     * deprecated {@code step(epoch)}; {@link SequentialLR} uses it to restart a schedule at 0).
     */
    public void step(int epoch) {
        stepCount++;
        lastEpoch = epoch;
        apply(closedFormLr());
    }

    /** The learning rate of each group for the new {@link #lastEpoch}, from the groups' current ones. */
    protected abstract double[] computeLr();

    /** The learning rates at {@link #lastEpoch} from the base rates alone; defaults to {@link #computeLr()}. */
    protected double[] closedFormLr() {
        return computeLr();
    }

    /** Writes {@code lrs} into the groups and records them as the last learning rates. */
    protected final void apply(double[] lrs) {
        List<ParamGroup> groups = optimizer.paramGroups();
        for (int i = 0; i < groups.size(); i++) groups.get(i).lr(lrs[i]);
        lastLr = currentLrs();
    }

    /** The groups' current learning rates. */
    protected final double[] currentLrs() {
        List<ParamGroup> groups = optimizer.paramGroups();
        double[] r = new double[groups.size()];
        for (int i = 0; i < r.length; i++) r[i] = groups.get(i).lr();
        return r;
    }

    /** The learning rate of each group after the last step (PyTorch's {@code get_last_lr()}). */
    public double[] getLastLr() {
        return lastLr.clone();
    }

    /** Index of the last epoch (or batch) stepped. */
    public int lastEpoch() {
        return lastEpoch;
    }

    /** The scheduled optimizer. */
    public Optimizer optimizer() {
        return optimizer;
    }

    // ------------------------------------------------------------------ state dict

    /**
     * The scheduler's progress as a JSON-able map with PyTorch's keys ({@code last_epoch},
     * {@code _step_count}, {@code base_lrs}, {@code _last_lr}, plus what a subclass adds).
     * Hyper-parameters come from the constructor and are not part of it.
     */
    public Map<String, Object> stateDict() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("last_epoch", (long) lastEpoch);
        m.put("_step_count", (long) stepCount);
        m.put("base_lrs", list(baseLrs));
        m.put("_last_lr", list(lastLr));
        saveState(m);
        return m;
    }

    /** Restores the progress saved by {@link #stateDict()}. */
    public void loadStateDict(Map<String, Object> state) {
        lastEpoch = intOf(state, "last_epoch");
        stepCount = intOf(state, "_step_count");
        baseLrs = doublesOf(state, "base_lrs");
        lastLr = doublesOf(state, "_last_lr");
        loadState(state);
    }

    /** Adds subclass state to a state dict. */
    protected void saveState(Map<String, Object> state) {
    }

    /** Restores subclass state. */
    protected void loadState(Map<String, Object> state) {
    }

    static List<Double> list(double[] a) {
        List<Double> l = new ArrayList<>(a.length);
        for (double x : a) l.add(x);
        return l;
    }

    static Object require(Map<String, Object> state, String key) {
        Object v = state.get(key);
        if (v == null) throw new IllegalArgumentException("loadStateDict: missing key '" + key + "'");
        return v;
    }

    static int intOf(Map<String, Object> state, String key) {
        return ((Number) require(state, key)).intValue();
    }

    static double doubleOf(Map<String, Object> state, String key) {
        return ((Number) require(state, key)).doubleValue();
    }

    static double[] doublesOf(Map<String, Object> state, String key) {
        List<?> l = (List<?>) require(state, key);
        double[] r = new double[l.size()];
        for (int i = 0; i < r.length; i++) r[i] = ((Number) l.get(i)).doubleValue();
        return r;
    }

    /** One value per group: a single value is repeated, a list must have one entry per group. */
    static double[] perGroup(String what, Optimizer optimizer, double... values) {
        int n = optimizer.paramGroups().size();
        if (values.length == 1) {
            double[] r = new double[n];
            java.util.Arrays.fill(r, values[0]);
            return r;
        }
        if (values.length != n) throw new IllegalArgumentException("expected " + n + " values for " + what + ", got " + values.length);
        return values.clone();
    }
}
