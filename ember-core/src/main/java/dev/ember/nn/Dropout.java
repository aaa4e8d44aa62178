package dev.ember.nn;

import dev.ember.tensor.Tensor;

/** Randomly zeroes elements with probability p during training and scales the rest by 1/(1-p); the identity in eval mode. */
public final class Dropout extends Module {
    public final double p;

    public Dropout() {
        this(0.5);
    }

    public Dropout(double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("Dropout: probability has to be between 0 and 1, got " + p);
        this.p = p;
    }

    @Override
    public Tensor forward(Tensor x) {
        return F.dropout(x, p, isTraining());
    }

    @Override
    protected String extraRepr() {
        return "p=" + p;
    }
}
