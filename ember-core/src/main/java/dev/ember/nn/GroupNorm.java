package dev.ember.nn;

import dev.ember.tensor.Tensor;

/** Group normalisation of [N, C, *] input over {@code numGroups} groups, with per-channel affine weight and bias. */
public final class GroupNorm extends Module {
    public final int numGroups;
    public final int numChannels;
    public final double eps;
    public final Tensor weight;
    public final Tensor bias;

    public GroupNorm(int numGroups, int numChannels) {
        this(numGroups, numChannels, 1e-5, true);
    }

    public GroupNorm(int numGroups, int numChannels, double eps, boolean affine) {
        if (numGroups <= 0 || numChannels % numGroups != 0) {
            throw new IllegalArgumentException("GroupNorm: numChannels (" + numChannels + ") must be divisible by numGroups (" + numGroups + ")");
        }
        this.numGroups = numGroups;
        this.numChannels = numChannels;
        this.eps = eps;
        this.weight = affine ? param("weight", Tensor.ones(numChannels)) : null;
        this.bias = affine ? param("bias", Tensor.zeros(numChannels)) : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() < 2 || x.size(1) != numChannels) {
            throw new IllegalArgumentException("GroupNorm: expected input [N, " + numChannels + ", *], got " + x.shape());
        }
        return F.groupNorm(x, numGroups, weight, bias, eps);
    }

    @Override
    protected String extraRepr() {
        return numGroups + ", " + numChannels + ", eps=" + eps + ", affine=" + (weight != null);
    }
}
