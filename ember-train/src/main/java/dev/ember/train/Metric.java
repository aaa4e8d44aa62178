package dev.ember.train;

import dev.ember.tensor.Tensor;

/**
 * A streaming metric: {@link #update} with each batch's model output and target, {@link #result}
 * at any point, {@link #reset} between epochs. Implementations keep running counts, never the data.
 */
public interface Metric {
    /** The key under which results appear in {@link Logs}, e.g. {@code accuracy}. */
    String name();

    /** Clears the running state. */
    void reset();

    /** Adds one batch: {@code output} is the model's output (e.g. logits [N, C]), {@code target} the labels. */
    void update(Tensor output, Tensor target);

    /** The metric over everything seen since the last reset (NaN before any update). */
    double result();
}
