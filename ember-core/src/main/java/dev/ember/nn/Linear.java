package dev.ember.nn;

import dev.ember.tensor.Tensor;

/**
 * A fully connected layer: {@code y = x W^T + b}.
 *
 * <p>Shapes: input [*, in], output [*, out]; weight [out, in], bias [out] (PyTorch's layout, so
 * state dicts move between the two unchanged). Initialisation as PyTorch: weight and bias from
 * U(-1/sqrt(in), 1/sqrt(in)).
 *
 * <pre>{@code
 * Linear fc = new Linear(784, 10);
 * Tensor logits = fc.forward(Tensor.randn(32, 784));   // [32, 10]
 * }</pre>
 */
public final class Linear extends Module {
    public final int inFeatures;
    public final int outFeatures;
    public final Tensor weight;
    /** Null when constructed without bias. */
    public final Tensor bias;

    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true);
    }

    public Linear(int inFeatures, int outFeatures, boolean bias) {
        if (inFeatures <= 0 || outFeatures <= 0) {
            throw new IllegalArgumentException("Linear: feature sizes must be positive, got in=" + inFeatures + ", out=" + outFeatures);
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = param("weight", Tensor.zeros(outFeatures, inFeatures));
        this.bias = bias ? param("bias", Tensor.zeros(outFeatures)) : null;
        resetParameters();
    }

    /** Re-draws the parameters as PyTorch's {@code reset_parameters}. */
    public void resetParameters() {
        Init.layerDefaults(weight, bias);
    }

    @Override
    public Tensor forward(Tensor x) {
        return F.linear(x, weight, bias);
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + (bias != null);
    }
}
