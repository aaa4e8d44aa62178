package dev.ember.nn;

import dev.ember.ops.Conv;
import dev.ember.tensor.Tensor;

/**
 * A 1-D convolution layer over [N, C, L] input: weight [out, in/groups, k], bias [out] (PyTorch's names,
 * layout and initialisation).
 *
 * <pre>{@code
 * Conv1d conv = new Conv1d(16, 32, 5, 1, 2);            // in, out, kernel, stride, padding
 * Tensor y = conv.forward(Tensor.randn(4, 16, 100));   // [4, 32, 100]
 * }</pre>
 */
public final class Conv1d extends Module {
    public final int inChannels, outChannels, kernelSize, stride, padding, dilation, groups;
    public final Tensor weight;
    /** Null when constructed without bias. */
    public final Tensor bias;

    public Conv1d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, 1, 0, 1, 1, true);
    }

    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(inChannels, outChannels, kernelSize, stride, padding, 1, 1, true);
    }

    /** All options, in PyTorch's argument order. */
    public Conv1d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int dilation, int groups, boolean bias) {
        if (inChannels <= 0 || outChannels <= 0 || kernelSize <= 0 || stride <= 0 || dilation <= 0 || padding < 0) {
            throw new IllegalArgumentException("Conv1d: channels, kernel size, stride and dilation must be positive and padding non-negative, got in="
                    + inChannels + ", out=" + outChannels + ", kernel=" + kernelSize + ", stride=" + stride + ", padding=" + padding
                    + ", dilation=" + dilation);
        }
        SpatialPair.checkGroups("Conv1d", inChannels, outChannels, groups);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = kernelSize;
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.groups = groups;
        this.weight = param("weight", Tensor.zeros(outChannels, inChannels / groups, kernelSize));
        this.bias = bias ? param("bias", Tensor.zeros(outChannels)) : null;
        resetParameters();
    }

    /** Re-draws the parameters as PyTorch's {@code reset_parameters}. */
    public void resetParameters() {
        Init.layerDefaults(weight, bias);
    }

    @Override
    public Tensor forward(Tensor x) {
        return Conv.conv1d(x, weight, bias, stride, padding, dilation, groups);
    }

    @Override
    protected String extraRepr() {
        return inChannels + ", " + outChannels + ", kernel_size=(" + kernelSize + ",), stride=(" + stride + ",)"
                + (padding != 0 ? ", padding=(" + padding + ",)" : "") + (dilation != 1 ? ", dilation=(" + dilation + ",)" : "")
                + (groups != 1 ? ", groups=" + groups : "") + (bias == null ? ", bias=False" : "");
    }
}
