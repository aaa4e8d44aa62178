package dev.ember.nn;

import dev.ember.tensor.Tensor;

/** Splits one dimension into several (inverse of Flatten). */
public final class Unflatten extends Module {
    public final int dim;
    private final int[] sizes;

    public Unflatten(int dim, int... sizes) {
        this.dim = dim;
        this.sizes = sizes.clone();
    }

    @Override
    public Tensor forward(Tensor x) {
        return x.unflatten(dim, sizes);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim + ", unflattened_size=" + java.util.Arrays.toString(sizes);
    }
}
