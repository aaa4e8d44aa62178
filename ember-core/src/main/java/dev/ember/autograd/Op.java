package dev.ember.autograd;

import dev.ember.tensor.Tensor;

/**
 * A differentiable operation, defined once: its forward (shape rule, validation and kernel call) and
 * its backward (the vector-Jacobian product, written with tensor ops so that it is itself
 * differentiable for higher-order gradients) sit side by side in one class.
 *
 * <p>Every primitive of Ember's op catalogue implements this interface, and so can users, for custom
 * differentiable functions (PyTorch's {@code torch.autograd.Function}):
 *
 * <pre>{@code
 * record Cube() implements Op {
 *     public String name() { return "cube"; }
 *     public Tensor forward(Context ctx, Tensor... in) {
 *         ctx.save(in[0]);
 *         return in[0].mul(in[0]).mul(in[0]);
 *     }
 *     public Tensor[] backward(Context ctx, Tensor grad) {
 *         Tensor x = ctx.saved(0);
 *         return new Tensor[] {grad.mul(x.mul(x)).mul(3.0)};
 *     }
 * }
 * Tensor y = Op.apply(new Cube(), x);
 * }</pre>
 *
 * <p>{@link #apply} runs {@code forward} with gradient recording off and, if any input requires a
 * gradient, records a {@link Node} for the backward pass. Implementations should be immutable
 * records of their attributes (stride, dims, ...): the same object may be replayed by a compiled graph.
 */
public interface Op {
    /** Short lower-case name used in error messages, anomaly reports and printed graphs. */
    String name();

    /**
     * Computes the output. Validates the inputs (throwing a message that names the op and the
     * shapes/dtypes), then allocates and fills the result. Saves what backward needs with
     * {@link Context#save}.
     */
    Tensor forward(Context ctx, Tensor... inputs);

    /**
     * Given the gradient of the loss with respect to the output, returns one gradient per input (same
     * shape as that input), or {@code null} for an input that does not need one
     * ({@link Context#needsInputGrad}).
     */
    Tensor[] backward(Context ctx, Tensor grad);

    /** False for ops with no gradient (comparisons, argmax, random draws): they never record a node. */
    default boolean differentiable() {
        return true;
    }

    /** Runs {@code op} on {@code inputs}, recording it for autograd when needed. */
    static Tensor apply(Op op, Tensor... inputs) {
        return Dispatch.apply(op, inputs);
    }
}
