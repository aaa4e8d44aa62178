package dev.ember.kernels;

/**
 * The window of a 2-D pooling op: kernel size, stride, implicit padding and dilation per spatial
 * axis. Output position {@code (oh, ow)} covers input rows {@code oh*strideH - padH + i*dilationH}
 * for {@code i < kernelH} (and likewise columns); max pooling skips positions outside the input,
 * average pooling counts them as zeros only when asked to ({@code countIncludePad}).
 */
public record Pool2dParams(int kernelH, int kernelW, int strideH, int strideW, int padH, int padW,
                           int dilationH, int dilationW) {
    /**
     * PyTorch's pooling output length along one axis:
     * {@code floor((in + 2*pad - dilation*(kernel-1) - 1 + (ceilMode ? stride-1 : 0)) / stride) + 1},
     * minus one in ceil mode when the last window would start in the right padding.
     */
    public static int outputSize(int in, int kernel, int stride, int pad, int dilation, boolean ceilMode) {
        int out = Math.floorDiv(in + 2 * pad - dilation * (kernel - 1) - 1 + (ceilMode ? stride - 1 : 0), stride) + 1;
        if (ceilMode && (long) (out - 1) * stride >= in + pad) out--;
        return out;
    }
}
