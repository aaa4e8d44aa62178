package dev.ember.nn;

import dev.ember.tensor.Tensor;

/** x * sigmoid(x) (swish). */
public final class SiLU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return F.silu(x);
    }
}
