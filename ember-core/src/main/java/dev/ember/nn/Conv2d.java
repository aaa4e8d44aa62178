package dev.ember.nn;

import dev.ember.ops.Conv;
import dev.ember.tensor.PadMode;
import dev.ember.tensor.Tensor;

/**
 * A 2-D convolution layer over [N, C, H, W] input (or [N, H, W, C] with {@link DataFormat#NHWC}).
 *
 * <p>Weight [out, in/groups, kH, kW] and bias [out], PyTorch's names and layout in every data format, so
 * state dicts move between the two unchanged. Initialisation as PyTorch's {@code reset_parameters}:
 * weight kaiming-uniform with a = sqrt(5), bias U(-1/sqrt(fanIn), 1/sqrt(fanIn)), fanIn = in/groups*kH*kW.
 *
 * <p>Padding is a number per axis, {@code "valid"} (none) or {@code "same"} (output as large as the
 * input; stride 1 only; when the total padding is odd the extra row/column goes at the end, as
 * PyTorch and TensorFlow do). {@link Builder#paddingMode} pads by reflection or replication instead of zeros.
 *
 * <pre>{@code
 * Conv2d c1 = new Conv2d(3, 32, 3, 1, 1);                                       // in, out, kernel, stride, padding
 * Conv2d c2 = Conv2d.builder(32, 64, 3).padding("same").groups(32).bias(false).build();
 * Conv2d c3 = Conv2d.builder(3, 16, 5).stride(2).dataFormat(DataFormat.NHWC).build();
 * Tensor y = c1.forward(Tensor.randn(8, 3, 32, 32));                           // [8, 32, 32, 32]
 * }</pre>
 */
public final class Conv2d extends Module {
    public final int inChannels;
    public final int outChannels;
    public final int groups;
    private final int[] kernelSize, stride, dilation;
    /** Symmetric padding per axis, or null with "same" padding (see {@link #samePads}). */
    private final int[] padding;
    /** Explicit pads (left, right, top, bottom) applied before the convolution, or null. */
    private final int[] explicitPads;
    private final PadMode paddingMode;
    public final DataFormat dataFormat;
    public final Tensor weight;
    /** Null when built without bias. */
    public final Tensor bias;

    /** A square-kernel convolution with stride 1, no padding, bias. */
    public Conv2d(int inChannels, int outChannels, int kernelSize) {
        this(builder(inChannels, outChannels, kernelSize));
    }

    /** A square-kernel convolution with the given stride and zero padding on both axes, bias. */
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride, int padding) {
        this(builder(inChannels, outChannels, kernelSize).stride(stride).padding(padding));
    }

    /** Starts a builder for a square kernel. */
    public static Builder builder(int inChannels, int outChannels, int kernelSize) {
        return new Builder(inChannels, outChannels, new int[] {kernelSize});
    }

    /** Starts a builder for a kH x kW kernel. */
    public static Builder builder(int inChannels, int outChannels, int kernelH, int kernelW) {
        return new Builder(inChannels, outChannels, new int[] {kernelH, kernelW});
    }

    private Conv2d(Builder b) {
        String name = "Conv2d";
        if (b.in <= 0 || b.out <= 0) {
            throw new IllegalArgumentException(name + ": channel counts must be positive, got in=" + b.in + ", out=" + b.out);
        }
        SpatialPair.checkGroups(name, b.in, b.out, b.groups);
        this.inChannels = b.in;
        this.outChannels = b.out;
        this.groups = b.groups;
        this.kernelSize = SpatialPair.of(name, "kernel size", b.kernel, 1);
        this.stride = SpatialPair.of(name, "stride", b.stride, 1);
        this.dilation = SpatialPair.of(name, "dilation", b.dilation, 1);
        this.paddingMode = b.paddingMode;
        this.dataFormat = b.dataFormat;
        int[] sym;
        if ("same".equals(b.paddingName)) {
            if (stride[0] != 1 || stride[1] != 1) {
                throw new IllegalArgumentException(name + ": padding \"same\" needs stride 1, got stride " + SpatialPair.str(stride));
            }
            int th = dilation[0] * (kernelSize[0] - 1), tw = dilation[1] * (kernelSize[1] - 1);
            sym = new int[] {th / 2, tw / 2};
            boolean odd = th % 2 != 0 || tw % 2 != 0;
            explicitPads = odd || paddingMode != PadMode.CONSTANT ? new int[] {tw / 2, tw - tw / 2, th / 2, th - th / 2} : null;
        } else if ("valid".equals(b.paddingName)) {
            sym = new int[] {0, 0};
            explicitPads = null;
        } else if (b.paddingName != null) {
            throw new IllegalArgumentException(name + ": padding must be a number, \"same\" or \"valid\", got \"" + b.paddingName + "\"");
        } else {
            sym = SpatialPair.of(name, "padding", b.padding, 0);
            explicitPads = paddingMode != PadMode.CONSTANT && (sym[0] > 0 || sym[1] > 0)
                    ? new int[] {sym[1], sym[1], sym[0], sym[0]} : null;
        }
        this.padding = explicitPads != null ? new int[] {0, 0} : sym;
        this.weight = param("weight", Tensor.zeros(outChannels, inChannels / groups, kernelSize[0], kernelSize[1]));
        this.bias = b.bias ? param("bias", Tensor.zeros(outChannels)) : null;
        resetParameters();
    }

    /** Re-draws the parameters as PyTorch's {@code reset_parameters}. */
    public void resetParameters() {
        Init.layerDefaults(weight, bias);
    }

    @Override
    public Tensor forward(Tensor x) {
        return forward(x, weight, bias);
    }

    /** This layer's computation with the given weight and bias (for checks that differentiate through it in float64). */
    Tensor forward(Tensor x, Tensor weight, Tensor bias) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException("Conv2d: expected a 4-D input " + (dataFormat == DataFormat.NCHW ? "[N, C, H, W]" : "[N, H, W, C]")
                    + ", got " + x.shape());
        }
        Tensor in = dataFormat.toNchw(x);
        if (in.size(1) != inChannels) {
            throw new IllegalArgumentException("Conv2d: expected " + inChannels + " input channels (" + dataFormat + " input), got input "
                    + x.shape());
        }
        if (explicitPads != null) in = in.pad(explicitPads, paddingMode);
        Tensor y = Conv.conv2d(in, weight, bias, stride, padding, dilation, groups);
        return dataFormat.fromNchw(y);
    }

    @Override
    protected String extraRepr() {
        StringBuilder s = new StringBuilder().append(inChannels).append(", ").append(outChannels)
                .append(", kernel_size=").append(SpatialPair.str(kernelSize)).append(", stride=").append(SpatialPair.str(stride));
        if (explicitPads != null) s.append(", padding=").append(SpatialPair.str(new int[] {explicitPads[2], explicitPads[0]}));
        else if (padding[0] != 0 || padding[1] != 0) s.append(", padding=").append(SpatialPair.str(padding));
        if (dilation[0] != 1 || dilation[1] != 1) s.append(", dilation=").append(SpatialPair.str(dilation));
        if (groups != 1) s.append(", groups=").append(groups);
        if (bias == null) s.append(", bias=False");
        if (paddingMode != PadMode.CONSTANT) s.append(", padding_mode=").append(paddingMode.pyName());
        if (dataFormat != DataFormat.NCHW) s.append(", data_format=").append(dataFormat);
        return s.toString();
    }

    /** Options for a {@link Conv2d}; defaults: stride 1, padding 0, dilation 1, groups 1, bias, zeros padding, NCHW. */
    public static final class Builder {
        private final int in, out;
        private final int[] kernel;
        private int[] stride = {1}, padding = {0}, dilation = {1};
        private String paddingName;
        private int groups = 1;
        private boolean bias = true;
        private PadMode paddingMode = PadMode.CONSTANT;
        private DataFormat dataFormat = DataFormat.NCHW;

        private Builder(int in, int out, int[] kernel) {
            this.in = in;
            this.out = out;
            this.kernel = kernel;
        }

        public Builder stride(int s) { this.stride = new int[] {s}; return this; }
        public Builder stride(int sh, int sw) { this.stride = new int[] {sh, sw}; return this; }
        public Builder padding(int p) { this.padding = new int[] {p}; this.paddingName = null; return this; }
        public Builder padding(int ph, int pw) { this.padding = new int[] {ph, pw}; this.paddingName = null; return this; }
        /** {@code "same"} or {@code "valid"}. */
        public Builder padding(String mode) { this.paddingName = mode; return this; }
        public Builder dilation(int d) { this.dilation = new int[] {d}; return this; }
        public Builder dilation(int dh, int dw) { this.dilation = new int[] {dh, dw}; return this; }
        public Builder groups(int g) { this.groups = g; return this; }
        public Builder bias(boolean b) { this.bias = b; return this; }
        /** How padding fills the border: zeros ({@link PadMode#CONSTANT}, the default), reflection or replication. */
        public Builder paddingMode(PadMode m) { this.paddingMode = java.util.Objects.requireNonNull(m, "paddingMode"); return this; }
        public Builder dataFormat(DataFormat f) { this.dataFormat = java.util.Objects.requireNonNull(f, "dataFormat"); return this; }

        public Conv2d build() {
            return new Conv2d(this);
        }
    }
}
