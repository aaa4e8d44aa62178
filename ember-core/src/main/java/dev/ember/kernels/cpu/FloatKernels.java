package dev.ember.kernels.cpu;

import dev.ember.kernels.BinaryOp;
import dev.ember.kernels.UnaryOp;

/**
 * Inner loops for FLOAT32 runs: {@code n} elements starting at an offset, with a stride per operand
 * (0 means a broadcast value, 1 contiguous). Two implementations: {@link ScalarFloatKernels} (plain
 * Java, always available, and the reference the tests hold the other to) and a Vector API one chosen
 * by {@link Simd} when {@code jdk.incubator.vector} is present. Callers switch on nothing per
 * element: one call per run.
 */
public interface FloatKernels {
    void unary(UnaryOp op, float[] x, int xo, int xs, float[] o, int oo, int os, int n, float p0, float p1);

    void binary(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int os, int n, float p0);

    /** Comparisons and logical ops writing BOOL (0/1 bytes). */
    void compare(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs, byte[] o, int oo, int os, int n);

    /** The BOOL-valued unary ops ({@link UnaryOp#LOGICAL_NOT}, {@link UnaryOp#ISNAN}) writing 0/1 bytes. */
    void predicate(UnaryOp op, float[] x, int xo, int xs, byte[] o, int oo, int os, int n);

    void where(byte[] c, int co, int cs, float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int os, int n);

    void copy(float[] x, int xo, int xs, float[] o, int oo, int os, int n);

    void fill(float[] o, int oo, int os, int n, float v);

    /** Sum of a run (accumulated at least in float with several partial sums, folded into a double). */
    double sum(float[] x, int xo, int xs, int n);

    /** Max (or min) of a non-empty run; NaN propagates. */
    float max(float[] x, int xo, int xs, int n, boolean min);

    /**
     * Column sums of a block of rows: {@code acc[ao + j] += x[xo + r * rowStride + j]} for r < rows and
     * j < width (each row contiguous). Adds in float, so callers bound {@code rows} per call and fold
     * acc into a wider sum between calls.
     */
    void sumRows(float[] x, int xo, int rowStride, int rows, float[] acc, int ao, int width);

    /** Column max (or min) of a block of rows into acc, as {@link #sumRows}; NaN propagates. */
    void maxRows(float[] x, int xo, int rowStride, int rows, float[] acc, int ao, int width, boolean min);

    /** {@code sum (x[xo + k] - m)^2} over k in [0, n): batch norm's variance, one row at a time. */
    double squaredDeviations(float[] x, int xo, int n, float m);

    /** {@code sum g[go + k] * (x[xo + k] - m)} over k in [0, n): batch norm's backward, one row at a time. */
    double dotCentered(float[] g, int go, float[] x, int xo, int n, float m);

    /** {@code o[oo + k] = x[xo + k] * scale + shift} for k in [0, n): batch norm's output, one row at a time. */
    void scaleShift(float[] x, int xo, float[] o, int oo, int n, float scale, float shift);

    /**
     * {@code o[oo + k] = scale * (g[go + k] - meanG - (x[xo + k] - m) * xhatScale)} for k in [0, n): batch norm's
     * input gradient, one row at a time.
     */
    void batchNormInputGrad(float[] g, int go, float[] x, int xo, float[] o, int oo, int n, float scale, float meanG, float m,
                            float xhatScale);

    /** Softmax (or log-softmax) of the contiguous row x[xo .. xo + len) into o. */
    void softmaxRow(float[] x, int xo, float[] o, int oo, int len, boolean log);

    /**
     * {@code width} softmaxes side by side: softmax j (j < width) runs over x[xo + j + i * stride],
     * i < len, into the same positions of o.
     */
    void softmaxColumns(float[] x, int xo, float[] o, int oo, int len, int stride, int width, boolean log);

    /** Softmax gradient of one contiguous row: y the forward output, g the incoming gradient. */
    void softmaxBackwardRow(float[] g, int go, float[] y, int yo, float[] o, int oo, int len, boolean log);

    /** Softmax gradient of {@code width} side-by-side strided lines (layout as {@link #softmaxColumns}). */
    void softmaxBackwardColumns(float[] g, int go, float[] y, int yo, float[] o, int oo, int len, int stride, int width, boolean log);

    // ---------------------------------------------------------------- softmax cross-entropy (CpuLosses)

    /**
     * {@code log(sum_j e^x[j])} over the contiguous row x[xo .. xo + len), computed as
     * {@code m + log(sum_j e^(x[j] - m))} with m the row max; an empty or all -inf row gives -inf and a
     * NaN (or a +inf, whose shift gives NaN) gives NaN, as PyTorch's logsumexp.
     */
    double logSumExpRow(float[] x, int xo, int len);

    /**
     * {@code o[oo + j] = scale * (e^(x[xo + j] - lse) - shift)} for j < len: one row of the softmax
     * cross-entropy gradient (softmax minus the smoothed target's uniform part) before the target
     * class's own term, which the caller subtracts.
     */
    void crossEntropyGradRow(float[] x, int xo, float lse, float scale, float shift, float[] o, int oo, int len);

    /**
     * Max pooling over the 2x2 stride-2 windows of one [h, w] plane starting at {@code plane}: window
     * {@code k} (of {@code windows}) has its top-left element at {@code plane + topLeft[k]}; its maximum
     * goes to {@code vals[vo + k]} and its index, {@code topLeft[k]} plus 0, 1, w or w+1, to
     * {@code idx[io + k]} (either array may be null: not wanted). PyTorch's rule: the first maximum in the
     * order top-left, top-right, bottom-left, bottom-right, and a NaN wins (a later over an earlier).
     */
    void maxPool2x2(float[] x, int plane, int w, int[] topLeft, int windows, float[] vals, int vo, long[] idx, int io);

    /** {@code dst[dOff + j*dLd + i] = src[sOff + i*sLd + j]} for i in [0, rows), j in [0, cols). */
    void transpose(int rows, int cols, float[] src, int sOff, int sLd, float[] dst, int dOff, int dLd);
}
