package dev.ember.nn;

import dev.ember.ops.Pooling;
import dev.ember.tensor.Tensor;

/**
 * 2-D average pooling over [N, C, H, W] (or [C, H, W]) input. The stride defaults to the window
 * size. With {@code countIncludePad} (the default, as PyTorch) zero padding counts in each window's
 * divisor; without, only real input elements do.
 *
 * <pre>{@code
 * AvgPool2d pool = new AvgPool2d(2);
 * Tensor y = pool.forward(Tensor.randn(8, 32, 28, 28)); // [8, 32, 14, 14]
 * }</pre>
 */
public final class AvgPool2d extends Module {
    private final int[] kernelSize, stride, padding;
    public final boolean ceilMode, countIncludePad;

    public AvgPool2d(int kernelSize) {
        this(kernelSize, kernelSize, 0);
    }

    public AvgPool2d(int kernelSize, int stride) {
        this(kernelSize, stride, 0);
    }

    public AvgPool2d(int kernelSize, int stride, int padding) {
        this(new int[] {kernelSize}, new int[] {stride}, new int[] {padding}, false, true);
    }

    /** All options (each array: 1 value for both axes or 2 for height and width; stride null means the window). */
    public AvgPool2d(int[] kernelSize, int[] stride, int[] padding, boolean ceilMode, boolean countIncludePad) {
        String name = "AvgPool2d";
        this.kernelSize = SpatialPair.of(name, "kernel size", kernelSize, 1);
        this.stride = stride == null ? this.kernelSize.clone() : SpatialPair.of(name, "stride", stride, 1);
        this.padding = SpatialPair.of(name, "padding", padding, 0);
        SpatialPair.checkHalfKernelPadding(name, this.padding, this.kernelSize);
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Pooling.avgPool2d(x, kernelSize, stride, padding, ceilMode, countIncludePad);
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + MaxPool2d.one(kernelSize) + ", stride=" + MaxPool2d.one(stride) + ", padding=" + MaxPool2d.one(padding);
    }
}
