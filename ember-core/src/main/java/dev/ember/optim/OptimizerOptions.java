package dev.ember.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Default options of an optimizer, set fluently; each optimizer has a subclass with its own options
 * and PyTorch's defaults pre-filled ({@code Adam.options().lr(3e-4).weightDecay(1e-4)}). Options are
 * stored under PyTorch's names ({@code "weight_decay"}), the names parameter groups and state dicts use.
 *
 * @param <T> the concrete options type, returned by the setters for chaining
 */
public abstract class OptimizerOptions<T extends OptimizerOptions<T>> {
    private final Map<String, Object> values = new LinkedHashMap<>();

    protected OptimizerOptions() {
    }

    /** Sets option {@code key} (see {@link ParamGroup#put}); returns this. */
    @SuppressWarnings("unchecked")
    public final T set(String key, Object value) {
        values.put(key, ParamGroup.normalize(key, value));
        return (T) this;
    }

    /** Learning rate. */
    public T lr(double lr) {
        return set("lr", lr);
    }

    /** Weight decay (an L2 penalty, or decoupled decay for AdamW). */
    public T weightDecay(double weightDecay) {
        return set("weight_decay", weightDecay);
    }

    /** Maximize the objective instead of minimizing it. */
    public T maximize(boolean maximize) {
        return set("maximize", maximize);
    }

    /** A copy of the options. */
    public final Map<String, Object> toMap() {
        return new LinkedHashMap<>(values);
    }

    @Override
    public String toString() {
        return getClass().getEnclosingClass() == null ? values.toString() : getClass().getEnclosingClass().getSimpleName() + values;
    }
}
