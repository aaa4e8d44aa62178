package dev.ember.nn;

import dev.ember.tensor.Tensor;

/** Logistic sigmoid, 1 / (1 + e^-x). */
public final class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor x) {
        return x.sigmoid();
    }
}
