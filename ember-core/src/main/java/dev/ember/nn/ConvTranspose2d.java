package dev.ember.nn;

import dev.ember.ops.Conv;
import dev.ember.tensor.Tensor;

/**
 * A 2-D transposed convolution ("deconvolution") layer over [N, C, H, W]: the gradient of a conv2d with
 * respect to its input, used to upsample in decoders and GAN generators. Weight
 * [in, out/groups, kH, kW] and bias [out], PyTorch's layout and initialisation. Output size
 * {@code (H-1)*stride - 2*padding + dilation*(k-1) + outputPadding + 1}.
 *
 * <pre>{@code
 * ConvTranspose2d up = new ConvTranspose2d(64, 32, 4, 2, 1);   // doubles H and W
 * Tensor y = up.forward(Tensor.randn(8, 64, 7, 7));           // [8, 32, 14, 14]
 * }</pre>
 */
public final class ConvTranspose2d extends Module {
    public final int inChannels, outChannels, groups;
    private final int[] kernelSize, stride, padding, outputPadding, dilation;
    public final Tensor weight;
    /** Null when constructed without bias. */
    public final Tensor bias;

    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, kernelSize, 1, 0, 0, 1, true, 1);
    }

    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(inChannels, outChannels, kernelSize, stride, padding, 0, 1, true, 1);
    }

    /** All options, in PyTorch's argument order (square kernel). */
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, int stride, int padding, int outputPadding, int groups,
                           boolean bias, int dilation) {
        this(inChannels, outChannels, new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, new int[] {outputPadding},
                groups, bias, new int[] {dilation});
    }

    /** All options with per-axis values (each array: 1 value for both axes, or 2 for height and width). */
    public ConvTranspose2d(int inChannels, int outChannels, int[] kernelSize, int[] stride, int[] padding, int[] outputPadding,
                           int groups, boolean bias, int[] dilation) {
        String name = "ConvTranspose2d";
        if (inChannels <= 0 || outChannels <= 0) {
            throw new IllegalArgumentException(name + ": channel counts must be positive, got in=" + inChannels + ", out=" + outChannels);
        }
        SpatialPair.checkGroups(name, inChannels, outChannels, groups);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.groups = groups;
        this.kernelSize = SpatialPair.of(name, "kernel size", kernelSize, 1);
        this.stride = SpatialPair.of(name, "stride", stride, 1);
        this.padding = SpatialPair.of(name, "padding", padding, 0);
        this.outputPadding = SpatialPair.of(name, "output padding", outputPadding, 0);
        this.dilation = SpatialPair.of(name, "dilation", dilation, 1);
        for (int a = 0; a < 2; a++) {
            if (this.outputPadding[a] >= this.stride[a] && this.outputPadding[a] >= this.dilation[a]) {
                throw new IllegalArgumentException(name + ": output padding must be smaller than either stride or dilation, got output padding "
                        + SpatialPair.str(this.outputPadding) + ", stride " + SpatialPair.str(this.stride) + ", dilation "
                        + SpatialPair.str(this.dilation));
            }
        }
        this.weight = param("weight", Tensor.zeros(inChannels, outChannels / groups, this.kernelSize[0], this.kernelSize[1]));
        this.bias = bias ? param("bias", Tensor.zeros(outChannels)) : null;
        resetParameters();
    }

    /** Re-draws the parameters as PyTorch's {@code reset_parameters} (fan-in from the weight's dim 1, as PyTorch computes it). */
    public void resetParameters() {
        Init.layerDefaults(weight, bias);
    }

    @Override
    public Tensor forward(Tensor x) {
        return Conv.convTranspose2d(x, weight, bias, stride, padding, outputPadding, dilation, groups);
    }

    @Override
    protected String extraRepr() {
        StringBuilder s = new StringBuilder().append(inChannels).append(", ").append(outChannels)
                .append(", kernel_size=").append(SpatialPair.str(kernelSize)).append(", stride=").append(SpatialPair.str(stride));
        if (padding[0] != 0 || padding[1] != 0) s.append(", padding=").append(SpatialPair.str(padding));
        if (outputPadding[0] != 0 || outputPadding[1] != 0) s.append(", output_padding=").append(SpatialPair.str(outputPadding));
        if (dilation[0] != 1 || dilation[1] != 1) s.append(", dilation=").append(SpatialPair.str(dilation));
        if (groups != 1) s.append(", groups=").append(groups);
        if (bias == null) s.append(", bias=False");
        return s.toString();
    }
}
