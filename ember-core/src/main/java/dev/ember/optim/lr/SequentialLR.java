package dev.ember.optim.lr;

import dev.ember.optim.Optimizer;
import dev.ember.optim.ParamGroup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs schedulers one after another: scheduler {@code i} drives the learning rate from milestone
 * {@code i-1} on, restarted at its epoch 0 when its turn comes. The usual use is a warm-up followed
 * by a decay:
 *
 * <pre>{@code
 * var warmup = new LinearLR(opt, 0.1, 1.0, 5);
 * var decay = new CosineAnnealingLR(opt, 95);
 * var sched = new SequentialLR(opt, List.of(warmup, decay), new int[] {5});
 * }</pre>
 */
public final class SequentialLR extends LRScheduler {
    private final List<LRScheduler> schedulers;
    private final int[] milestones;

    /** {@code milestones} has one entry fewer than {@code schedulers}. */
    public SequentialLR(Optimizer optimizer, List<LRScheduler> schedulers, int[] milestones) {
        this(optimizer, schedulers, milestones, -1);
    }

    /** Same, resuming after epoch {@code lastEpoch} (-1 to start fresh). */
    public SequentialLR(Optimizer optimizer, List<LRScheduler> schedulers, int[] milestones, int lastEpoch) {
        super(optimizer);
        if (schedulers.isEmpty()) throw new IllegalArgumentException("SequentialLR: expects at least one scheduler");
        for (int i = 0; i < schedulers.size(); i++) {
            if (schedulers.get(i).optimizer() != optimizer) {
                throw new IllegalArgumentException("SequentialLR: Sequential Schedulers expects all schedulers to belong to the same "
                        + "optimizer, but got schedulers at index " + i + " to be different than the optimizer passed in.");
            }
        }
        if (milestones.length != schedulers.size() - 1) {
            throw new IllegalArgumentException("SequentialLR: Sequential Schedulers expects number of schedulers provided to be one "
                    + "more than the number of milestone points, but got number of schedulers " + schedulers.size()
                    + " and the number of milestones to be equal to " + milestones.length);
        }
        this.schedulers = List.copyOf(schedulers);
        this.milestones = milestones.clone();
        this.lastEpoch = lastEpoch + 1;
        // Undo the initial steps the schedulers took when they were built, then restart the first one.
        for (ParamGroup g : optimizer.paramGroups()) g.lr(g.number("initial_lr"));
        for (LRScheduler s : this.schedulers) s.lastEpoch -= 1;
        this.schedulers.get(0).initialStep();
        this.lastLr = this.schedulers.get(0).getLastLr();
    }

    @Override
    public void step() {
        lastEpoch++;
        int idx = 0; // bisect_right(milestones, lastEpoch)
        while (idx < milestones.length && milestones[idx] <= lastEpoch) idx++;
        LRScheduler s = schedulers.get(idx);
        if (idx > 0 && milestones[idx - 1] == lastEpoch) s.step(0);
        else s.step();
        lastLr = s.getLastLr();
    }

    @Override
    public void step(int epoch) {
        throw new UnsupportedOperationException("SequentialLR: step(epoch) is not supported; call step()");
    }

    @Override
    protected double[] computeLr() {
        return currentLrs();
    }

    /** The composed schedulers. */
    public List<LRScheduler> schedulers() {
        return schedulers;
    }

    @Override
    public Map<String, Object> stateDict() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("last_epoch", (long) lastEpoch);
        m.put("_milestones", java.util.Arrays.stream(milestones).mapToObj(x -> (long) x).toList());
        m.put("_last_lr", list(lastLr));
        List<Object> children = new ArrayList<>();
        for (LRScheduler s : schedulers) children.add(s.stateDict());
        m.put("_schedulers", children);
        return m;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void loadStateDict(Map<String, Object> state) {
        lastEpoch = intOf(state, "last_epoch");
        lastLr = doublesOf(state, "_last_lr");
        List<Object> children = (List<Object>) require(state, "_schedulers");
        if (children.size() != schedulers.size()) {
            throw new IllegalArgumentException("SequentialLR.loadStateDict: " + children.size() + " saved schedulers, "
                    + schedulers.size() + " here");
        }
        for (int i = 0; i < children.size(); i++) schedulers.get(i).loadStateDict((Map<String, Object>) children.get(i));
    }
}
