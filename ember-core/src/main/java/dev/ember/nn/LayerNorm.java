package dev.ember.nn;

import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;

import java.util.Arrays;

/**
 * Layer normalisation over the trailing {@code normalizedShape} dimensions with elementwise affine
 * weight (ones) and bias (zeros) of that shape; eps 1e-5 by default.
 */
public final class LayerNorm extends Module {
    private final int[] normalizedShape;
    public final double eps;
    public final Tensor weight;
    public final Tensor bias;

    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, 1e-5, true);
    }

    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine) {
        if (normalizedShape.length == 0) throw new IllegalArgumentException("LayerNorm: normalizedShape must not be empty");
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.weight = elementwiseAffine ? param("weight", Tensor.ones(Shape.of(normalizedShape), dev.ember.tensor.DType.FLOAT32)) : null;
        this.bias = elementwiseAffine ? param("bias", Tensor.zeros(Shape.of(normalizedShape), dev.ember.tensor.DType.FLOAT32)) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        return F.layerNorm(x, normalizedShape, weight, bias, eps);
    }

    @Override
    protected String extraRepr() {
        return Arrays.toString(normalizedShape).replace('[', '(').replace(']', ')') + ", eps=" + eps + ", elementwise_affine=" + (weight != null);
    }
}
