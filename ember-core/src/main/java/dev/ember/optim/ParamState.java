package dev.ember.optim;

import dev.ember.tensor.Tensor;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The optimizer's state for one parameter (PyTorch's {@code optimizer.state[p]}): named buffers with
 * the parameter's shape and dtype ({@code "exp_avg"}, {@code "momentum_buffer"}, ...) and the number
 * of updates applied so far. Optimizers create the buffers lazily on a parameter's first update.
 */
public final class ParamState {
    private long step;
    private final Map<String, Tensor> buffers = new LinkedHashMap<>();

    /** Number of updates applied to the parameter (the bias-correction step {@code t}). */
    public long step() {
        return step;
    }

    /** Sets the step count (used by optimizers and when loading a state dict). */
    public void step(long step) {
        if (step < 0) throw new IllegalArgumentException("ParamState: step must be >= 0, got " + step);
        this.step = step;
    }

    /** The named buffer, or null if the optimizer has not created it. */
    public Tensor buffer(String name) {
        return buffers.get(name);
    }

    /** Stores a buffer (a contiguous tensor with the parameter's shape and dtype). */
    public void put(String name, Tensor buffer) {
        buffers.put(name, buffer);
    }

    /** All buffers in creation order (unmodifiable). */
    public Map<String, Tensor> buffers() {
        return Collections.unmodifiableMap(buffers);
    }

    /** True if nothing has been recorded for the parameter yet. */
    public boolean isEmpty() {
        return step == 0 && buffers.isEmpty();
    }

    @Override
    public String toString() {
        return "ParamState(step=" + step + ", buffers=" + buffers.keySet() + ")";
    }
}
