package dev.ember.nn;

import dev.ember.tensor.Tensor;

/** Hyperbolic tangent. */
public final class Tanh extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.tanh();
    }
}
