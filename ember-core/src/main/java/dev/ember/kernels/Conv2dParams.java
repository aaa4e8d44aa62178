package dev.ember.kernels;

/**
 * The geometry of a 2-D convolution that is not in the tensors' shapes: stride, zero padding and
 * dilation per spatial axis, and the number of groups. Output position {@code (oh, ow)} with kernel
 * tap {@code (i, j)} reads input position {@code (oh*strideH - padH + i*dilationH, ow*strideW - padW +
 * j*dilationW)}; positions outside the input read zero.
 *
 * @param groups input and output channels are split into this many groups; group {@code g}'s output
 *               channels only see group {@code g}'s input channels (groups == channels: depthwise)
 */
public record Conv2dParams(int strideH, int strideW, int padH, int padW, int dilationH, int dilationW, int groups) {
    /** Stride 1, no padding, no dilation, one group. */
    public static final Conv2dParams DEFAULT = new Conv2dParams(1, 1, 0, 0, 1, 1, 1);

    /**
     * Output length along one axis: {@code floor((in + 2*pad - dilation*(kernel-1) - 1) / stride) + 1}
     * (may be {@code <= 0} when the dilated kernel does not fit; callers report that).
     */
    public static int outputSize(int in, int kernel, int stride, int pad, int dilation) {
        return Math.floorDiv(in + 2 * pad - dilation * (kernel - 1) - 1, stride) + 1;
    }
}
