package dev.ember.nn;

import dev.ember.tensor.Tensor;

/** Returns its input unchanged (a placeholder, e.g. for a removed classifier head). */
public final class Identity extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x;
    }
}
