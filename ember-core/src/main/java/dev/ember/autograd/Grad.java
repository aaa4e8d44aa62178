package dev.ember.autograd;

import dev.ember.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * Gradient-mode scopes and functional gradients.
 *
 * <pre>{@code
 * try (var g = Grad.off()) {          // no history recorded: evaluation, parameter updates
 *     param.subInPlace(param.grad().mul(lr));
 * }
 * List<Tensor> grads = Grad.of(loss, params);   // TF GradientTape style: nothing accumulates
 * }</pre>
 */
public final class Grad {
    private Grad() {
    }

    /** A scope restored on close; {@code close} throws nothing. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** Disables gradient recording on this thread until closed (PyTorch {@code no_grad}). */
    public static Scope off() {
        boolean prev = GradMode.set(false);
        return () -> GradMode.set(prev);
    }

    /** Enables gradient recording on this thread until closed (PyTorch {@code enable_grad}). */
    public static Scope on() {
        boolean prev = GradMode.set(true);
        return () -> GradMode.set(prev);
    }

    /**
     * Inference mode: records nothing, like {@link #off()}. Tensors created here can still be used
     * later; Ember keeps no extra bookkeeping to elide, so the two scopes behave the same.
     */
    public static Scope inference() {
        return off();
    }

    /** Whether recording is enabled on this thread. */
    public static boolean isEnabled() {
        return GradMode.isEnabled();
    }

    /** Gradients of a scalar {@code output} with respect to {@code inputs}; frees the graph. */
    public static List<Tensor> of(Tensor output, List<Tensor> inputs) {
        return Arrays.asList(Engine.grad(new Tensor[] {output}, null, inputs.toArray(Tensor[]::new), false, false, false));
    }

    /** Gradients of a scalar {@code output} with respect to {@code inputs}; frees the graph. */
    public static Tensor[] of(Tensor output, Tensor... inputs) {
        return Engine.grad(new Tensor[] {output}, null, inputs, false, false, false);
    }

    /**
     * The general form.
     *
     * @param outputs     tensors to differentiate
     * @param gradOutputs gradient for each output (null entries, or a null array, mean ones for scalars)
     * @param inputs      tensors to differentiate with respect to
     * @param retainGraph keep the graph for another backward
     * @param createGraph record the gradient computation (for higher-order derivatives); implies retain
     * @param allowUnused return null for inputs the outputs do not depend on instead of failing
     */
    public static Tensor[] of(Tensor[] outputs, Tensor[] gradOutputs, Tensor[] inputs, boolean retainGraph,
                              boolean createGraph, boolean allowUnused) {
        if (gradOutputs != null && gradOutputs.length != outputs.length) {
            throw new IllegalArgumentException("Grad.of: " + outputs.length + " outputs but " + gradOutputs.length + " gradOutputs");
        }
        return Engine.grad(outputs, gradOutputs, inputs, retainGraph || createGraph, createGraph, allowUnused);
    }
}
