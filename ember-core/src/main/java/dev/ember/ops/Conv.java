package dev.ember.ops;

import dev.ember.autograd.Context;
import dev.ember.autograd.Dispatch;
import dev.ember.autograd.GradMode;
import dev.ember.autograd.Op;
import dev.ember.kernels.Conv2dParams;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;

import java.util.Arrays;

import static dev.ember.ops.SpatialArgs.expand;
import static dev.ember.ops.SpatialArgs.floating;
import static dev.ember.ops.SpatialArgs.rank;
import static dev.ember.ops.SpatialArgs.sameDType;

/**
 * Convolutions over NCHW images ({@code torch.nn.functional.conv2d}, {@code conv1d},
 * {@code conv_transpose2d}, {@code conv_transpose1d}).
 *
 * <p>Three primitives, closed under differentiation, so gradients of any order flow through a
 * convolution (e.g. gradient penalties):
 * <pre>
 *   y  = conv(x, w)              Conv2d             dx = convT(g, w)     dw = corr(x, g)
 *   x' = convT(g, w)             ConvTranspose2d    dg = conv(x', w)     dw = corr(x', g) with roles swapped
 *   w' = corr(x, g)              Conv2dWeightGrad   dx = convT(g, w')    dg = conv(x, w')
 * </pre>
 * convT, the adjoint of conv in its input, is also the public transposed convolution.
 */
public final class Conv {
    private Conv() {
    }

    // =================================================================== primitives

    /**
     * {@code out[n, co] = bias[co] + sum over ci of correlate(x[n, g*Cg + ci], w[co, ci])} with stride,
     * padding, dilation and groups from {@code p}. Inputs: x [N, C, H, W], w [Cout, C/groups, kH, kW],
     * optional bias [Cout]; output [N, Cout, Ho, Wo], {@code Ho = floor((H + 2 pH - dH (kH-1) - 1) / sH) + 1}.
     */
    public record Conv2d(Conv2dParams p) implements Op {
        @Override
        public String name() {
            return "conv2d";
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor x = in[0], w = in[1], b = in.length > 2 ? in[2] : null;
            Shape out = checkConv("conv2d", x, w, b, p);
            Tensor y = Creation.uninitialized(out, x.dtype(), x.device()); // every form of the kernel writes all of it
            Elementwise.backend(x).conv2d(x, w, b, p, y);
            ctx.save(ctx.needsInputGrad(1) ? x : null, ctx.needsInputGrad(0) ? w : null);
            return y;
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor g) {
            Shape xs = ctx.inputShape(0), ws = ctx.inputShape(1);
            boolean bias = ctx.inputCount() > 2;
            if (!GradMode.isEnabled() && (ctx.needsInputGrad(0) || ctx.needsInputGrad(1))) {
                // No graph of the backward is being recorded: the three gradients from one kernel call, which
                // shares the passes over g between them (forward+backward of the 32->64 14x14 conv, batch 128: ~4%).
                Tensor gx = ctx.needsInputGrad(0) ? Creation.empty(xs, g.dtype(), g.device()) : null;
                Tensor gw = ctx.needsInputGrad(1) ? Creation.uninitialized(ws, g.dtype(), g.device()) : null;
                Tensor gb = bias && ctx.needsInputGrad(2) ? Creation.uninitialized(Shape.of(ws.size(0)), g.dtype(), g.device()) : null;
                Tensor x = ctx.saved(0), w = ctx.saved(1);
                // A tensor not saved is only needed for its shape here, which the matching gradient has.
                Elementwise.backend(g).conv2dBackward(g, x != null ? x : gx, w != null ? w : gw, p, gx, gw, gb);
                return bias ? new Tensor[] {gx, gw, gb} : new Tensor[] {gx, gw};
            }
            Tensor gx = ctx.needsInputGrad(0)
                    ? Dispatch.apply(new ConvTranspose2d(p, xs.size(2), xs.size(3)), g, ctx.saved(1)) : null;
            Tensor gw = ctx.needsInputGrad(1)
                    ? Dispatch.apply(new Conv2dWeightGrad(p, ws.size(2), ws.size(3)), ctx.saved(0), g) : null;
            Tensor gb = bias && ctx.needsInputGrad(2) ? g.sum(new int[] {0, 2, 3}, false) : null;
            return bias ? new Tensor[] {gx, gw, gb} : new Tensor[] {gx, gw};
        }
    }

    /**
     * The transposed convolution, the adjoint of {@link Conv2d} in its input: each input pixel
     * {@code x[n, ci, h, w]} adds {@code x * w[ci, co, i, j]} at output {@code (h*sH - pH + i*dH,
     * w*sW - pW + j*dW)}. Inputs: x [N, Cin, H, W], w [Cin, Cout/groups, kH, kW]; output
     * [N, Cout, outH, outW] (the output size is an attribute: it is not determined by the input alone).
     */
    public record ConvTranspose2d(Conv2dParams p, int outH, int outW) implements Op {
        @Override
        public String name() {
            return "convTranspose2d";
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor x = in[0], w = in[1];
            rank("convTranspose2d", "input", x, 4, "[N, C, H, W]");
            checkTransposeShapes("convTranspose2d", x, w, p.groups());
            Tensor y = Creation.empty(Shape.of(x.size(0), w.size(1) * p.groups(), outH, outW), x.dtype(), x.device());
            Elementwise.backend(x).conv2dBackwardInput(x, w, p, y);
            ctx.save(ctx.needsInputGrad(1) ? x : null, ctx.needsInputGrad(0) ? w : null);
            return y;
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor g) {
            Shape xs = ctx.inputShape(0), ws = ctx.inputShape(1);
            Tensor gx = ctx.needsInputGrad(0)
                    ? cropTo(Dispatch.apply(new Conv2d(p), g, ctx.saved(1)), xs.size(2), xs.size(3)) : null;
            Tensor gw = ctx.needsInputGrad(1)
                    ? Dispatch.apply(new Conv2dWeightGrad(p, ws.size(2), ws.size(3)), g, ctx.saved(0)) : null;
            return new Tensor[] {gx, gw};
        }
    }

    /**
     * The gradient of {@link Conv2d} with respect to its weight, a correlation of input and output
     * gradient: {@code gw[co, ci, i, j] = sum over n, oh, ow of g[n, co, oh, ow] * x[n, group(co)*Cg + ci,
     * oh*sH - pH + i*dH, ow*sW - pW + j*dW]}. Inputs: x [N, C, H, W], g [N, Cout, Ho, Wo]; output
     * [Cout, C/groups, kH, kW].
     */
    public record Conv2dWeightGrad(Conv2dParams p, int kernelH, int kernelW) implements Op {
        @Override
        public String name() {
            return "conv2dWeightGrad";
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor x = in[0], g = in[1];
            if (x.rank() != 4 || g.rank() != 4 || x.size(0) != g.size(0) || x.size(1) % p.groups() != 0
                    || g.size(1) % p.groups() != 0) {
                throw new IllegalArgumentException("conv2dWeightGrad: input " + x.shape() + " and gradient " + g.shape()
                        + " do not match (groups " + p.groups() + ")");
            }
            Tensor gw = Creation.empty(Shape.of(g.size(1), x.size(1) / p.groups(), kernelH, kernelW), x.dtype(), x.device());
            Elementwise.backend(x).conv2dBackwardWeight(x, g, p, gw);
            ctx.save(ctx.needsInputGrad(1) ? x : null, ctx.needsInputGrad(0) ? g : null);
            return gw;
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor gw) {
            Shape xs = ctx.inputShape(0), gs = ctx.inputShape(1);
            Tensor gx = ctx.needsInputGrad(0)
                    ? Dispatch.apply(new ConvTranspose2d(p, xs.size(2), xs.size(3)), ctx.saved(1), gw) : null;
            Tensor gg = ctx.needsInputGrad(1)
                    ? cropTo(Dispatch.apply(new Conv2d(p), ctx.saved(0), gw), gs.size(2), gs.size(3)) : null;
            return new Tensor[] {gx, gg};
        }
    }

    /**
     * A convolution over an input that a transposed convolution's output padding enlarged can produce
     * extra trailing rows/columns that no output of the original op depends on; they are dropped.
     */
    private static Tensor cropTo(Tensor t, int h, int w) {
        if (t.size(2) != h) t = t.narrow(2, 0, h);
        if (t.size(3) != w) t = t.narrow(3, 0, w);
        return t;
    }

    // =================================================================== functions

    /**
     * 2-D convolution (cross-correlation) of x [N, C, H, W] with w [Cout, C/groups, kH, kW], plus
     * bias [Cout] if not null. stride, padding and dilation take 1 value (both axes) or 2 (H, W);
     * null means the default (1, 0, 1). Output [N, Cout, Ho, Wo] with
     * {@code Ho = floor((H + 2*padding - dilation*(kH-1) - 1) / stride) + 1}.
     *
     * <pre>{@code
     * Tensor y = Conv.conv2d(x, w, b, new int[] {1}, new int[] {1}, null, 1);   // 3x3 "same" conv
     * }</pre>
     */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        Conv2dParams p = params("conv2d", stride, padding, dilation, groups);
        checkConv("conv2d", x, w, bias, p);
        return bias == null ? Dispatch.apply(new Conv2d(p), x, w) : Dispatch.apply(new Conv2d(p), x, w, bias);
    }

    /** {@link #conv2d} with the same stride and padding on both axes, no dilation, one group. */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor bias, int stride, int padding) {
        return conv2d(x, w, bias, new int[] {stride}, new int[] {padding}, null, 1);
    }

    /** {@link #conv2d} with stride 1, no padding, no bias. */
    public static Tensor conv2d(Tensor x, Tensor w) {
        return conv2d(x, w, null, null, null, null, 1);
    }

    /**
     * 1-D convolution of x [N, C, L] with w [Cout, C/groups, k], plus bias [Cout] if not null;
     * output [N, Cout, Lo], {@code Lo = floor((L + 2*padding - dilation*(k-1) - 1) / stride) + 1}.
     * Runs as a conv2d over a height-1 image.
     */
    public static Tensor conv1d(Tensor x, Tensor w, Tensor bias, int stride, int padding, int dilation, int groups) {
        String op = "conv1d";
        rank(op, "input", x, 3, "[N, C, L]");
        rank(op, "weight", w, 3, "[out_channels, in_channels/groups, k]");
        Conv2dParams p = params1d(op, stride, padding, dilation, groups);
        checkChannels(op, x, w, bias, groups);
        checkOutput(op, x.shape(), x.size(2), w.size(2), stride, padding, dilation, "length");
        Tensor y = bias == null ? Dispatch.apply(new Conv2d(p), x.unsqueeze(2), w.unsqueeze(2))
                : Dispatch.apply(new Conv2d(p), x.unsqueeze(2), w.unsqueeze(2), bias);
        return y.squeeze(2);
    }

    /**
     * 2-D transposed convolution ({@code conv_transpose2d}) of x [N, Cin, H, W] with
     * w [Cin, Cout/groups, kH, kW], plus bias [Cout] if not null. Output [N, Cout, Ho, Wo] with
     * {@code Ho = (H-1)*stride - 2*padding + dilation*(kH-1) + outputPadding + 1}; outputPadding must be
     * smaller than stride or dilation (it picks among the input sizes a strided conv maps to H).
     */
    public static Tensor convTranspose2d(Tensor x, Tensor w, Tensor bias, int[] stride, int[] padding, int[] outputPadding,
                                         int[] dilation, int groups) {
        String op = "convTranspose2d";
        Conv2dParams p = params(op, stride, padding, dilation, groups);
        int[] op2 = expand(op, "outputPadding", outputPadding, 2, 0, 0);
        rank(op, "input", x, 4, "[N, C, H, W]");
        rank(op, "weight", w, 4, "[in_channels, out_channels/groups, kH, kW]");
        checkTranspose(op, x, w, bias, p.groups());
        int[] s = {p.strideH(), p.strideW()}, d = {p.dilationH(), p.dilationW()};
        for (int a = 0; a < 2; a++) {
            if (op2[a] >= s[a] && op2[a] >= d[a]) {
                throw new IllegalArgumentException(op + ": outputPadding must be smaller than either stride or dilation, got "
                        + "outputPadding " + Arrays.toString(op2) + ", stride " + Arrays.toString(s) + ", dilation "
                        + Arrays.toString(d));
            }
        }
        int outH = transposedSize(x.size(2), w.size(2), p.strideH(), p.padH(), p.dilationH(), op2[0]);
        int outW = transposedSize(x.size(3), w.size(3), p.strideW(), p.padW(), p.dilationW(), op2[1]);
        if (outH <= 0 || outW <= 0) {
            throw new IllegalArgumentException(op + ": input " + x.shape() + " with weight " + w.shape() + ", padding "
                    + Arrays.toString(new int[] {p.padH(), p.padW()}) + " gives an empty output " + outH + "x" + outW);
        }
        Tensor y = Dispatch.apply(new ConvTranspose2d(p, outH, outW), x, w);
        return bias == null ? y : y.add(bias.reshape(1, -1, 1, 1));
    }

    /**
     * 1-D transposed convolution of x [N, Cin, L] with w [Cin, Cout/groups, k]; output length
     * {@code (L-1)*stride - 2*padding + dilation*(k-1) + outputPadding + 1}.
     */
    public static Tensor convTranspose1d(Tensor x, Tensor w, Tensor bias, int stride, int padding, int outputPadding,
                                         int dilation, int groups) {
        String op = "convTranspose1d";
        rank(op, "input", x, 3, "[N, C, L]");
        rank(op, "weight", w, 3, "[in_channels, out_channels/groups, k]");
        checkTranspose(op, x, w, bias, groups);
        // Every check the 2-D call makes, first with this op's name and the caller's 1-D values.
        params1d(op, stride, padding, dilation, groups);
        if (outputPadding < 0) throw new IllegalArgumentException(op + ": outputPadding must be non-negative, got " + outputPadding);
        if (outputPadding >= stride && outputPadding >= dilation) {
            throw new IllegalArgumentException(op + ": outputPadding must be smaller than either stride or dilation, got "
                    + "outputPadding " + outputPadding + ", stride " + stride + ", dilation " + dilation);
        }
        int out = transposedSize(x.size(2), w.size(2), stride, padding, dilation, outputPadding);
        if (out <= 0) {
            throw new IllegalArgumentException(op + ": input " + x.shape() + " with weight " + w.shape() + ", padding " + padding
                    + " gives an empty output of length " + out);
        }
        // Height 1 with stride 1 on that axis: outputPadding 0 is always valid there.
        Tensor y = convTranspose2d(x.unsqueeze(2), w.unsqueeze(2), bias, new int[] {1, stride}, new int[] {0, padding},
                new int[] {0, outputPadding}, new int[] {1, dilation}, groups);
        return y.squeeze(2);
    }

    private static int transposedSize(int in, int k, int s, int p, int d, int outputPadding) {
        return (in - 1) * s - 2 * p + d * (k - 1) + outputPadding + 1;
    }

    // =================================================================== validation

    private static Conv2dParams params(String op, int[] stride, int[] padding, int[] dilation, int groups) {
        int[] s = expand(op, "stride", stride, 2, 1, 1), p = expand(op, "padding", padding, 2, 0, 0);
        int[] d = expand(op, "dilation", dilation, 2, 1, 1);
        if (groups < 1) throw new IllegalArgumentException(op + ": groups must be positive, got " + groups);
        return new Conv2dParams(s[0], s[1], p[0], p[1], d[0], d[1], groups);
    }

    /** 1-D arguments, checked with the 1-D op's name, as the params of a conv2d over a height-1 image. */
    private static Conv2dParams params1d(String op, int stride, int padding, int dilation, int groups) {
        if (stride < 1) throw new IllegalArgumentException(op + ": stride must be positive, got " + stride);
        if (padding < 0) throw new IllegalArgumentException(op + ": padding must be non-negative, got " + padding);
        if (dilation < 1) throw new IllegalArgumentException(op + ": dilation must be positive, got " + dilation);
        if (groups < 1) throw new IllegalArgumentException(op + ": groups must be positive, got " + groups);
        return new Conv2dParams(1, stride, 0, padding, 1, dilation, groups);
    }

    /** Validates a conv2d call and returns the output shape. */
    static Shape checkConv(String op, Tensor x, Tensor w, Tensor bias, Conv2dParams p) {
        rank(op, "input", x, 4, "[N, C, H, W]");
        rank(op, "weight", w, 4, "[out_channels, in_channels/groups, kH, kW]");
        checkChannels(op, x, w, bias, p.groups());
        int ho = checkOutput(op, x.shape(), x.size(2), w.size(2), p.strideH(), p.padH(), p.dilationH(), "height");
        int wo = checkOutput(op, x.shape(), x.size(3), w.size(3), p.strideW(), p.padW(), p.dilationW(), "width");
        return Shape.of(x.size(0), w.size(0), ho, wo);
    }

    /** Channel counts, groups, bias shape and dtypes of a convolution (any number of spatial dims). */
    private static void checkChannels(String op, Tensor x, Tensor w, Tensor bias, int groups) {
        floating(op, "input", x);
        sameDType(op, "weight", w, x);
        for (int d = 2; d < w.rank(); d++) {
            if (w.size(d) == 0) throw new IllegalArgumentException(op + ": weight " + w.shape() + " has an empty kernel");
        }
        if (w.size(0) % groups != 0) {
            throw new IllegalArgumentException(op + ": weight has " + w.size(0) + " output channels, which is not divisible by "
                    + "groups " + groups + " (weight " + w.shape() + ")");
        }
        if (x.size(1) != w.size(1) * groups) {
            throw new IllegalArgumentException(op + ": input has " + x.size(1) + " channels but weight expects "
                    + w.size(1) * groups + " (weight " + w.shape() + ", groups " + groups + ")");
        }
        checkBias(op, bias, w.size(0), x);
    }

    private static void checkBias(String op, Tensor bias, int channels, Tensor x) {
        if (bias == null) return;
        if (bias.rank() != 1 || bias.size(0) != channels) {
            throw new IllegalArgumentException(op + ": bias must have shape [" + channels + "] (one value per output channel), "
                    + "got " + bias.shape());
        }
        sameDType(op, "bias", bias, x);
    }

    private static int checkOutput(String op, Shape input, int in, int k, int s, int pad, int d, String axis) {
        int out = Conv2dParams.outputSize(in, k, s, pad, d);
        if (out <= 0) {
            throw new IllegalArgumentException(op + ": input " + axis + " " + in + " with padding " + pad + " is smaller than the "
                    + "kernel " + axis + " " + k + (d > 1 ? " (dilated to " + (d * (k - 1) + 1) + ")" : "") + " (input "
                    + input + "): the output would be empty");
        }
        return out;
    }

    private static void checkTranspose(String op, Tensor x, Tensor w, Tensor bias, int groups) {
        if (groups < 1) throw new IllegalArgumentException(op + ": groups must be positive, got " + groups);
        floating(op, "input", x);
        sameDType(op, "weight", w, x);
        checkTransposeShapes(op, x, w, groups);
        checkBias(op, bias, w.size(1) * groups, x);
    }

    private static void checkTransposeShapes(String op, Tensor x, Tensor w, int groups) {
        if (x.rank() != w.rank()) {
            throw new IllegalArgumentException(op + ": input " + x.shape() + " and weight " + w.shape()
                    + " must have the same number of dimensions");
        }
        if (x.size(1) != w.size(0)) {
            throw new IllegalArgumentException(op + ": input has " + x.size(1) + " channels but weight expects " + w.size(0)
                    + " (weight " + w.shape() + " is [in_channels, out_channels/groups, ...], groups " + groups + ")");
        }
        if (w.size(0) % groups != 0) {
            throw new IllegalArgumentException(op + ": weight has " + w.size(0) + " input channels, which is not divisible by "
                    + "groups " + groups + " (weight " + w.shape() + ")");
        }
    }
}
