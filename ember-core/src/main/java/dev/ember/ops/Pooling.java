package dev.ember.ops;

import dev.ember.autograd.Context;
import dev.ember.autograd.Dispatch;
import dev.ember.autograd.Op;
import dev.ember.kernels.Pool2dParams;
import dev.ember.tensor.DType;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;

import java.util.Arrays;

import static dev.ember.ops.SpatialArgs.expand;
import static dev.ember.ops.SpatialArgs.floating;
import static dev.ember.ops.SpatialArgs.nonEmptySpatial;

/**
 * Pooling over NCHW images ({@code torch.nn.functional.max_pool2d}, {@code avg_pool2d},
 * {@code adaptive_avg_pool2d}). Inputs may also be unbatched [C, H, W], as in PyTorch.
 *
 * <p>Max pooling ({@link MaxPool2d}) finds each window's maximum and argmax in one pass; its gradient
 * is a scatter-add by those indices, the scatter's gradient is a gather by them and the gather's is the
 * scatter again, so max pooling differentiates to any order. {@code return_indices} runs the argmax
 * alone ({@link MaxPool2dIndices}, not differentiable) and gathers the values ({@link MaxPool2dGather}).
 * Average pooling is linear: its backward is its adjoint, whose backward is average pooling again.
 */
public final class Pooling {
    private Pooling() {
    }

    /** Max pooling's values and the flat index {@code h * W + w} within its plane of each (INT64). */
    public record MaxPoolResult(Tensor values, Tensor indices) {
    }

    // =================================================================== primitives

    /**
     * Max pooling's values, with the argmax indices found in the same pass and saved for backward
     * (only when the result is recorded for autograd: inference asks for the values alone).
     */
    public record MaxPool2d(Pool2dParams p, boolean ceilMode) implements Op {
        @Override
        public String name() {
            return "maxPool2d";
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor x = in[0];
            Shape out = outputShape(name(), x, p, ceilMode);
            Tensor values = Creation.uninitialized(out, x.dtype(), x.device());
            Tensor idx = ctx.isRecording() ? Creation.empty(out, DType.INT64, x.device()) : null;
            Elementwise.backend(x).maxPool2d(x, p, values, idx);
            ctx.save(idx);
            return values;
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor g) {
            Shape xs = ctx.inputShape(0);
            return new Tensor[] {Dispatch.apply(new MaxPool2dScatter(xs.size(2), xs.size(3)), g, ctx.saved(0))};
        }
    }

    /** Each window's argmax as a flat index within its [H, W] plane (INT64, not differentiable). */
    public record MaxPool2dIndices(Pool2dParams p, boolean ceilMode) implements Op {
        @Override
        public String name() {
            return "maxPool2d";
        }

        @Override
        public boolean differentiable() {
            return false;
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor x = in[0];
            Tensor idx = Creation.empty(outputShape(name(), x, p, ceilMode), DType.INT64, x.device());
            Elementwise.backend(x).maxPool2d(x, p, null, idx);
            return idx;
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor g) {
            throw new IllegalStateException(name() + " indices are not differentiable");
        }
    }

    /** {@code out[n, c, k] = x[n, c, indices[n, c, k]]} over flattened planes: max pooling's values. */
    public record MaxPool2dGather() implements Op {
        @Override
        public String name() {
            return "maxPool2d";
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor x = in[0], idx = in[1];
            checkIndices(name(), x, idx);
            Tensor out = Creation.empty(idx.shape(), x.dtype(), x.device());
            Elementwise.backend(x).gatherPlanes(x, idx, out);
            ctx.save(idx);
            return out;
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor g) {
            Shape xs = ctx.inputShape(0);
            return new Tensor[] {Dispatch.apply(new MaxPool2dScatter(xs.size(2), xs.size(3)), g, ctx.saved(0)), null};
        }
    }

    /** {@code out[n, c, indices[n, c, k]] += g[n, c, k]} into zeroed [N, C, height, width]: max pooling's gradient. */
    public record MaxPool2dScatter(int height, int width) implements Op {
        @Override
        public String name() {
            return "maxPool2dBackward";
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor g = in[0], idx = in[1];
            Tensor out = Creation.empty(Shape.of(g.size(0), g.size(1), height, width), g.dtype(), g.device());
            checkIndices(name(), out, idx);
            if (!g.shape().equals(idx.shape())) {
                throw new IllegalArgumentException(name() + ": gradient " + g.shape() + " and indices " + idx.shape()
                        + " must have the same shape");
            }
            Elementwise.backend(g).scatterAddPlanes(g, idx, out);
            ctx.save(idx);
            return out;
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor gg) {
            return new Tensor[] {Dispatch.apply(new MaxPool2dGather(), gg, ctx.saved(0)), null};
        }
    }

    /** Average pooling with PyTorch's divisor rule (see {@link #avgPool2d(Tensor, int[], int[], int[], boolean, boolean)}). */
    public record AvgPool2d(Pool2dParams p, boolean ceilMode, boolean countIncludePad) implements Op {
        @Override
        public String name() {
            return "avgPool2d";
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor x = in[0];
            Tensor out = Creation.empty(outputShape(name(), x, p, ceilMode), x.dtype(), x.device());
            Elementwise.backend(x).avgPool2d(x, p, countIncludePad, out);
            return out;
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor g) {
            Shape xs = ctx.inputShape(0);
            return new Tensor[] {Dispatch.apply(new AvgPool2dBackward(p, ceilMode, countIncludePad, xs.size(2), xs.size(3)), g)};
        }
    }

    /** The adjoint of {@link AvgPool2d}: spreads each gradient over its window, into [N, C, height, width]. */
    public record AvgPool2dBackward(Pool2dParams p, boolean ceilMode, boolean countIncludePad, int height, int width)
            implements Op {
        @Override
        public String name() {
            return "avgPool2dBackward";
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor g = in[0];
            Tensor out = Creation.empty(Shape.of(g.size(0), g.size(1), height, width), g.dtype(), g.device());
            Shape expected = outputShape(name(), out, p, ceilMode);
            if (!expected.equals(g.shape())) {
                throw new IllegalArgumentException(name() + ": gradient " + g.shape() + " does not match the pooled shape "
                        + expected + " of input " + out.shape());
            }
            Elementwise.backend(g).avgPool2dBackward(g, p, countIncludePad, out);
            return out;
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor gg) {
            return new Tensor[] {Dispatch.apply(new AvgPool2d(p, ceilMode, countIncludePad), gg)};
        }
    }

    /** Adaptive average pooling to [outH, outW]. */
    public record AdaptiveAvgPool2d(int outH, int outW) implements Op {
        @Override
        public String name() {
            return "adaptiveAvgPool2d";
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor x = in[0];
            Tensor out = Creation.empty(Shape.of(x.size(0), x.size(1), outH, outW), x.dtype(), x.device());
            Elementwise.backend(x).adaptiveAvgPool2d(x, out);
            return out;
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor g) {
            Shape xs = ctx.inputShape(0);
            return new Tensor[] {Dispatch.apply(new AdaptiveAvgPool2dBackward(xs.size(2), xs.size(3)), g)};
        }
    }

    /** The adjoint of {@link AdaptiveAvgPool2d}, into [N, C, height, width]. */
    public record AdaptiveAvgPool2dBackward(int height, int width) implements Op {
        @Override
        public String name() {
            return "adaptiveAvgPool2dBackward";
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor g = in[0];
            Tensor out = Creation.empty(Shape.of(g.size(0), g.size(1), height, width), g.dtype(), g.device());
            Elementwise.backend(g).adaptiveAvgPool2dBackward(g, out);
            return out;
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor gg) {
            Shape gs = ctx.inputShape(0);
            return new Tensor[] {Dispatch.apply(new AdaptiveAvgPool2d(gs.size(2), gs.size(3)), gg)};
        }
    }

    // =================================================================== functions

    /**
     * 2-D max pooling of x [N, C, H, W] (or [C, H, W]). kernel, stride, padding and dilation take 1
     * value (both axes) or 2 (H, W); stride null means the kernel size, padding null 0, dilation
     * null 1. Padding is implicit negative infinity and may be at most half the kernel. Output
     * {@code Ho = floor((H + 2*padding - dilation*(kH-1) - 1 [+ stride-1 if ceilMode]) / stride) + 1}
     * (in ceil mode, less one if the last window would start in the right padding).
     *
     * <pre>{@code
     * Tensor y = Pooling.maxPool2d(x, new int[] {2}, null, null, null, false);   // [N, C, H/2, W/2]
     * }</pre>
     */
    public static Tensor maxPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        String op = "maxPool2d";
        Tensor x4 = batched(op, x);
        Pool2dParams p = params(op, kernel, stride, padding, dilation);
        outputShape(op, x4, p, ceilMode);
        Tensor values = Dispatch.apply(new MaxPool2d(p, ceilMode), x4);
        return x.rank() == 3 ? values.squeeze(0) : values;
    }

    /** {@link #maxPool2d} with a square window, stride equal to the window, no padding. */
    public static Tensor maxPool2d(Tensor x, int kernel) {
        return maxPool2d(x, new int[] {kernel}, null, null, null, false);
    }

    /** {@link #maxPool2d} also returning each maximum's flat index {@code h * W + w} in its plane (as {@code return_indices=True}). */
    public static MaxPoolResult maxPool2dWithIndices(Tensor x, int[] kernel, int[] stride, int[] padding, int[] dilation,
                                                     boolean ceilMode) {
        String op = "maxPool2d";
        Tensor x4 = batched(op, x);
        Pool2dParams p = params(op, kernel, stride, padding, dilation);
        outputShape(op, x4, p, ceilMode);
        Tensor idx = Dispatch.apply(new MaxPool2dIndices(p, ceilMode), x4);
        Tensor values = Dispatch.apply(new MaxPool2dGather(), x4, idx);
        return x.rank() == 3 ? new MaxPoolResult(values.squeeze(0), idx.squeeze(0)) : new MaxPoolResult(values, idx);
    }

    /**
     * 2-D average pooling of x [N, C, H, W] (or [C, H, W]); arguments as in
     * {@link #maxPool2d(Tensor, int[], int[], int[], int[], boolean)} without dilation. Each output
     * is the window's sum divided by the window's size clipped to the padded input when
     * {@code countIncludePad}, else by the number of real input elements in it.
     */
    public static Tensor avgPool2d(Tensor x, int[] kernel, int[] stride, int[] padding, boolean ceilMode,
                                   boolean countIncludePad) {
        String op = "avgPool2d";
        Tensor x4 = batched(op, x);
        Pool2dParams p = params(op, kernel, stride, padding, null);
        outputShape(op, x4, p, ceilMode);
        Tensor y = Dispatch.apply(new AvgPool2d(p, ceilMode, countIncludePad), x4);
        return x.rank() == 3 ? y.squeeze(0) : y;
    }

    /** {@link #avgPool2d} with a square window, stride equal to the window, no padding, counting padding. */
    public static Tensor avgPool2d(Tensor x, int kernel) {
        return avgPool2d(x, new int[] {kernel}, null, null, false, true);
    }

    /**
     * Adaptive average pooling of x [N, C, H, W] (or [C, H, W]) to [outH, outW]: output cell
     * {@code (i, j)} averages rows {@code [floor(i*H/outH), ceil((i+1)*H/outH))} and likewise columns.
     */
    public static Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) {
        String op = "adaptiveAvgPool2d";
        Tensor x4 = batched(op, x);
        if (outH < 1 || outW < 1) {
            throw new IllegalArgumentException(op + ": output size must be positive, got " + outH + "x" + outW);
        }
        Tensor y = Dispatch.apply(new AdaptiveAvgPool2d(outH, outW), x4);
        return x.rank() == 3 ? y.squeeze(0) : y;
    }

    // =================================================================== validation

    /** x as [N, C, H, W] (unbatched [C, H, W] gets a batch of one), after rank, dtype and size checks. */
    private static Tensor batched(String op, Tensor x) {
        if (x.rank() != 3 && x.rank() != 4) {
            throw new IllegalArgumentException(op + ": expected input with 3 or 4 dimensions ([C, H, W] or [N, C, H, W]), got "
                    + x.shape());
        }
        floating(op, "input", x);
        nonEmptySpatial(op, x);
        return x.rank() == 3 ? x.unsqueeze(0) : x;
    }

    private static Pool2dParams params(String op, int[] kernel, int[] stride, int[] padding, int[] dilation) {
        if (kernel == null || kernel.length == 0) throw new IllegalArgumentException(op + ": a kernel size is required");
        int[] k = expand(op, "kernel", kernel, 2, 1, 1);
        int[] s = stride == null || stride.length == 0 ? k.clone() : expand(op, "stride", stride, 2, 1, 1);
        int[] p = expand(op, "padding", padding, 2, 0, 0), d = expand(op, "dilation", dilation, 2, 1, 1);
        if (p[0] > k[0] / 2 || p[1] > k[1] / 2) {
            throw new IllegalArgumentException(op + ": padding must be at most half the kernel size, got padding "
                    + Arrays.toString(p) + " for kernel " + Arrays.toString(k));
        }
        return new Pool2dParams(k[0], k[1], s[0], s[1], p[0], p[1], d[0], d[1]);
    }

    /** [N, C, Ho, Wo] for a pooling of x [N, C, H, W], or an error naming the sizes when it would be empty. */
    static Shape outputShape(String op, Tensor x, Pool2dParams p, boolean ceilMode) {
        if (x.rank() != 4) {
            throw new IllegalArgumentException(op + ": expected input with 4 dimensions [N, C, H, W], got " + x.shape());
        }
        int ho = Pool2dParams.outputSize(x.size(2), p.kernelH(), p.strideH(), p.padH(), p.dilationH(), ceilMode);
        int wo = Pool2dParams.outputSize(x.size(3), p.kernelW(), p.strideW(), p.padW(), p.dilationW(), ceilMode);
        if (ho < 1 || wo < 1) {
            throw new IllegalArgumentException(op + ": input " + x.shape() + " is too small for kernel " + p.kernelH() + "x"
                    + p.kernelW() + " (padding " + p.padH() + "x" + p.padW() + ", dilation " + p.dilationH() + "x"
                    + p.dilationW() + "): the output would be " + ho + "x" + wo);
        }
        return Shape.of(x.size(0), x.size(1), ho, wo);
    }

    private static void checkIndices(String op, Tensor x, Tensor idx) {
        if (idx.dtype() != DType.INT64 || idx.rank() != 4 || x.rank() != 4 || idx.size(0) != x.size(0)
                || idx.size(1) != x.size(1)) {
            throw new IllegalArgumentException(op + ": indices " + idx.shape() + " (" + idx.dtype().pyName()
                    + ") do not match input " + x.shape() + "; expected int64 [N, C, Ho, Wo]");
        }
    }
}
