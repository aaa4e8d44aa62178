package dev.ember.optim;

import dev.ember.autograd.Context;
import dev.ember.autograd.InPlaceOp;
import dev.ember.kernels.Backends;
import dev.ember.kernels.OptimizerUpdate;
import dev.ember.tensor.Tensor;

import java.util.Arrays;

/**
 * The in-place op that applies one {@link OptimizerUpdate} to a parameter: inputs are
 * {@code [param, grad, state...]}; the parameter and the state buffers are written in one backend
 * call. Not differentiable. Running it through the dispatcher bumps the parameter's storage
 * version, so a graph that saved the old parameter value refuses to backpropagate through it.
 */
record FusedStep(OptimizerUpdate update) implements InPlaceOp {
    @Override
    public String name() {
        return update.name() + "Step";
    }

    @Override
    public boolean differentiable() {
        return false;
    }

    @Override
    public Tensor forward(Context ctx, Tensor... inputs) {
        throw new UnsupportedOperationException(name() + ": an optimizer update only runs in place");
    }

    @Override
    public void forwardInto(Context ctx, Tensor target, Tensor... inputs) {
        Tensor[] state = Arrays.copyOfRange(inputs, 2, inputs.length);
        Backends.get(target.device()).optimizerStep(update, target, inputs[1], state);
    }

    @Override
    public Tensor[] backward(Context ctx, Tensor grad) {
        throw new IllegalStateException(name() + " is not differentiable");
    }
}
