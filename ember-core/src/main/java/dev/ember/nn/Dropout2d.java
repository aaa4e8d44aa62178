package dev.ember.nn;

import dev.ember.tensor.Tensor;

/** Randomly zeroes whole channels of [N, C, H, W] input with probability p during training. */
public final class Dropout2d extends Module {
    public final double p;

    public Dropout2d() {
        this(0.5);
    }

    public Dropout2d(double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("Dropout2d: probability has to be between 0 and 1, got " + p);
        this.p = p;
    }

    @Override
    public Tensor forward(Tensor x) {
        return F.dropout2d(x, p, isTraining(), dev.ember.tensor.Generator.global());
    }

    @Override
    protected String extraRepr() {
        return "p=" + p;
    }
}
