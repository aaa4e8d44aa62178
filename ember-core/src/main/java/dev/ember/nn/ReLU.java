package dev.ember.nn;

import dev.ember.tensor.Tensor;

/** Rectified linear unit, max(x, 0). */
public final class ReLU extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.relu();
    }
}
