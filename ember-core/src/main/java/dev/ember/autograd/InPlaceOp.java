package dev.ember.autograd;

import dev.ember.tensor.Tensor;

/**
 * An {@link Op} that can also write its result into its first input (PyTorch's {@code add_} family).
 * Its backward is the out-of-place op's backward, so the two share one definition.
 */
public interface InPlaceOp extends Op {
    /**
     * Computes the op on {@code inputs} (where {@code inputs[0] == target}) and writes the result into
     * {@code target}, whose shape and dtype the result must have. Saves what backward needs.
     */
    void forwardInto(Context ctx, Tensor target, Tensor... inputs);
}
