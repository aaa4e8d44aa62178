package dev.ember.nn;

import dev.ember.tensor.Tensor;

/** Gaussian error linear unit: exact x * Phi(x), or the tanh approximation. */
public final class GELU extends Module {
    public final boolean tanhApproximation;

    /** Exact GELU. */
    public GELU() {
        this(false);
    }

    public GELU(boolean tanhApproximation) {
        this.tanhApproximation = tanhApproximation;
    }

    @Override
    public Tensor forward(Tensor x) {
        return tanhApproximation ? F.geluTanh(x) : F.gelu(x);
    }

    @Override
    protected String extraRepr() {
        return "approximate=" + (tanhApproximation ? "tanh" : "none");
    }
}
