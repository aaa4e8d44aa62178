package dev.ember.nn;

import dev.ember.tensor.Tensor;

/** x if x > 0 else alpha * (e^x - 1) (default alpha 1). */
public final class ELU extends Module {
    public final double alpha;

    public ELU() {
        this(1.0);
    }

    public ELU(double alpha) {
        this.alpha = alpha;
    }

    @Override
    public Tensor forward(Tensor x) {
        return F.elu(x, alpha);
    }

    @Override
    protected String extraRepr() {
        return "alpha=" + alpha;
    }
}
