package dev.ember.nn;

import dev.ember.ops.Pooling;
import dev.ember.tensor.Tensor;

/**
 * 2-D max pooling over [N, C, H, W] (or [C, H, W]) input. The stride defaults to the window size;
 * padding is implicit negative infinity, at most half the window.
 *
 * <pre>{@code
 * MaxPool2d pool = new MaxPool2d(2);                   // 2x2 windows, stride 2
 * Tensor y = pool.forward(Tensor.randn(8, 32, 28, 28)); // [8, 32, 14, 14]
 * }</pre>
 */
public final class MaxPool2d extends Module {
    private final int[] kernelSize, stride, padding, dilation;
    public final boolean ceilMode;

    public MaxPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0);
    }

    public MaxPool2d(int kernelSize, int stride) {
        this(kernelSize, stride, 0);
    }

    public MaxPool2d(int kernelSize, int stride, int padding) {
        this(new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, new int[] {1}, false);
    }

    /** All options (each array: 1 value for both axes or 2 for height and width; stride null means the window). */
    public MaxPool2d(int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        String name = "MaxPool2d";
        this.kernelSize = SpatialPair.of(name, "kernel size", kernelSize, 1);
        this.stride = stride == null ? this.kernelSize.clone() : SpatialPair.of(name, "stride", stride, 1);
        this.padding = SpatialPair.of(name, "padding", padding, 0);
        this.dilation = SpatialPair.of(name, "dilation", dilation, 1);
        SpatialPair.checkHalfKernelPadding(name, this.padding, this.kernelSize);
        this.ceilMode = ceilMode;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Pooling.maxPool2d(x, kernelSize, stride, padding, dilation, ceilMode);
    }

    /** The pooled values and each maximum's flat index {@code h * W + w} in its plane (PyTorch's {@code return_indices}). */
    public Pooling.MaxPoolResult forwardWithIndices(Tensor x) {
        return Pooling.maxPool2dWithIndices(x, kernelSize, stride, padding, dilation, ceilMode);
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + one(kernelSize) + ", stride=" + one(stride) + ", padding=" + one(padding) + ", dilation=" + one(dilation)
                + ", ceil_mode=" + (ceilMode ? "True" : "False");
    }

    static String one(int[] p) {
        return p[0] == p[1] ? Integer.toString(p[0]) : SpatialPair.str(p);
    }
}
