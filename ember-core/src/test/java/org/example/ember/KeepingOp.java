package org.example.ember;

import dev.ember.autograd.Context;
import dev.ember.autograd.Op;
import dev.ember.tensor.Tensor;

/**
 * A user's op (outside Ember's packages) whose backward keeps the gradient tensor it returns, as a user's
 * code may: autograd must not hand that tensor to a leaf as its {@code .grad} without a copy. Not final:
 * {@code GradientOwnershipTest} subclasses it inside {@code dev.ember} to stand for one of Ember's own ops.
 */
public class KeepingOp implements Op {
    /** The gradient the last backward returned. */
    public Tensor returned;

    @Override
    public String name() {
        return "keeping";
    }

    @Override
    public Tensor forward(Context ctx, Tensor... in) {
        return in[0].mul(2.0);
    }

    @Override
    public Tensor[] backward(Context ctx, Tensor grad) {
        returned = grad.mul(2.0);
        return new Tensor[] {returned};
    }
}
