package dev.ember.ops;

import dev.ember.autograd.Context;
import dev.ember.autograd.Dispatch;
import dev.ember.autograd.Op;
import dev.ember.tensor.PadMode;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;

import java.util.Arrays;

/**
 * Ops that rearrange elements without arithmetic: padding, flipping, triangular masks and repeat.
 *
 * <p>Their gradients are the same kind of op run backwards: constant padding is undone by padding
 * with the negated amounts (a crop), reflect/replicate padding by {@link PadBackward}, which adds
 * every border element back onto the element it copied (and whose own gradient is the padding
 * again); a flip by the same flip; a triangle by the same triangle. {@code repeat} is a composite of
 * expand and reshape, so its gradient (a sum over the copies) comes from theirs.
 */
public final class ShapeOps {
    private ShapeOps() {
    }

    // =================================================================== primitives

    /** Pads dimension d with {@code before[d]} elements in front and {@code after[d]} behind (negative: crops). */
    public record Pad(int[] before, int[] after, PadMode mode, double value) implements Op {
        @Override
        public String name() {
            return "pad";
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor x = in[0];
            Tensor y = Creation.empty(paddedShape(x.shape(), before, after, mode), x.dtype(), x.device());
            Elementwise.backend(x).pad(x, before, mode, value, y);
            return y;
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor g) {
            if (mode == PadMode.CONSTANT) {
                return new Tensor[] {Dispatch.apply(new Pad(negate(before), negate(after), PadMode.CONSTANT, 0), g)};
            }
            return new Tensor[] {Dispatch.apply(new PadBackward(before, after, mode, ctx.inputShape(0)), g)};
        }
    }

    /** Gradient of reflect/replicate {@link Pad}: each output element is added onto the input element it copies. */
    public record PadBackward(int[] before, int[] after, PadMode mode, Shape inputShape) implements Op {
        @Override
        public String name() {
            return "padBackward";
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor g = in[0];
            Shape padded = paddedShape(inputShape, before, after, mode);
            if (!g.shape().equals(padded)) {
                throw new IllegalArgumentException(name() + ": gradient of shape " + g.shape() + " does not match the padded shape "
                        + padded + " of the input shape " + inputShape);
            }
            Tensor out = Creation.empty(inputShape, g.dtype(), g.device());
            Elementwise.backend(g).padBackward(g, before, mode, out);
            return out;
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor gg) {
            return new Tensor[] {Dispatch.apply(new Pad(before, after, mode, 0), gg)};
        }
    }

    /** Reverses the order of elements along the flagged dimensions. */
    public record Flip(boolean[] dims) implements Op {
        @Override
        public String name() {
            return "flip";
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor x = in[0];
            if (dims.length != x.rank()) {
                throw new IllegalArgumentException("flip: expected one flag per dimension of shape " + x.shape() + ", got " + dims.length);
            }
            Tensor out = Creation.empty(x.shape(), x.dtype(), x.device());
            Elementwise.backend(x).flip(x, dims, out);
            return out;
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor g) {
            return new Tensor[] {Dispatch.apply(this, g)};
        }
    }

    /** Lower ({@code tril}: keeps {@code j - i <= k}) or upper ({@code triu}: {@code j - i >= k}) triangle, zeros elsewhere. */
    public record Triangle(int k, boolean upper) implements Op {
        @Override
        public String name() {
            return upper ? "triu" : "tril";
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor x = in[0];
            if (x.rank() < 2) {
                throw new IllegalArgumentException(name() + ": input must have at least 2 dimensions, got shape " + x.shape());
            }
            Tensor out = Creation.empty(x.shape(), x.dtype(), x.device());
            Elementwise.backend(x).triangle(x, k, upper, out);
            return out;
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor g) {
            return new Tensor[] {Dispatch.apply(this, g)};
        }
    }

    // =================================================================== public functions

    /**
     * See {@link Tensor#pad(int[], PadMode)}. {@code pads} follows PyTorch's {@code F.pad}: pairs
     * (before, after) starting from the last dimension.
     */
    public static Tensor pad(Tensor x, int[] pads, PadMode mode, double value) {
        if (pads.length % 2 != 0) {
            throw new IllegalArgumentException("pad: padding length must be divisible by 2, got " + Arrays.toString(pads));
        }
        int r = x.rank();
        if (pads.length / 2 > r) {
            throw new IllegalArgumentException("pad: padding length too large: " + pads.length / 2 + " (before, after) pairs "
                    + Arrays.toString(pads) + " for a tensor of shape " + x.shape());
        }
        if (mode != PadMode.CONSTANT && value != 0) {
            throw new IllegalArgumentException("pad: mode " + mode.pyName() + " does not take a fill value (got " + value + ")");
        }
        int[] before = new int[r], after = new int[r];
        for (int i = 0; i < pads.length / 2; i++) {
            before[r - 1 - i] = pads[2 * i];
            after[r - 1 - i] = pads[2 * i + 1];
        }
        return Dispatch.apply(new Pad(before, after, mode, value), x);
    }

    /** See {@link Tensor#flip}. */
    public static Tensor flip(Tensor x, int... dims) {
        boolean[] flags = new boolean[x.rank()];
        for (int dim : dims) {
            int d = Shape.normalizeDim(dim, x.rank(), "flip");
            if (x.rank() == 0) continue;
            if (flags[d]) throw new IllegalArgumentException("flip: dimension " + d + " appears more than once in " + Arrays.toString(dims));
            flags[d] = true;
        }
        return Dispatch.apply(new Flip(flags), x);
    }

    /** See {@link Tensor#tril}. */
    public static Tensor tril(Tensor x, int k) {
        return Dispatch.apply(new Triangle(k, false), x);
    }

    /** See {@link Tensor#triu}. */
    public static Tensor triu(Tensor x, int k) {
        return Dispatch.apply(new Triangle(k, true), x);
    }

    /**
     * See {@link Tensor#repeat}: x viewed as {@code [1, s0, 1, s1, ...]}, expanded to
     * {@code [r0, s0, r1, s1, ...]} and copied into shape {@code [r0*s0, r1*s1, ...]}.
     */
    public static Tensor repeat(Tensor x, int... repeats) {
        int n = repeats.length, lead = n - x.rank();
        if (lead < 0) {
            throw new IllegalArgumentException("repeat: the number of repeats (" + n + ") can not be smaller than the number "
                    + "of dimensions of the tensor (shape " + x.shape() + ")");
        }
        int[] split = new int[2 * n], expanded = new int[2 * n], result = new int[n];
        boolean copies = false;
        for (int d = 0; d < n; d++) {
            if (repeats[d] < 0) throw new IllegalArgumentException("repeat: repeats must be non-negative, got " + Arrays.toString(repeats));
            int size = d < lead ? 1 : x.size(d - lead);
            split[2 * d] = 1;
            split[2 * d + 1] = size;
            expanded[2 * d] = repeats[d];
            expanded[2 * d + 1] = size;
            result[d] = repeats[d] * size;
            copies |= repeats[d] != 1;
        }
        if (!copies) return Views.reshape(x, result).copy(); // PyTorch's repeat always returns new memory
        return Views.reshape(Views.expand(Views.reshape(x, split), expanded), result);
    }

    /** The shape of {@code shape} padded by {@code before}/{@code after}, after checking the amounts suit the mode. */
    static Shape paddedShape(Shape shape, int[] before, int[] after, PadMode mode) {
        if (before.length != shape.rank() || after.length != shape.rank()) {
            throw new IllegalArgumentException("pad: expected one amount per dimension of shape " + shape + ", got before "
                    + Arrays.toString(before) + " and after " + Arrays.toString(after));
        }
        int[] out = new int[shape.rank()];
        for (int d = 0; d < out.length; d++) {
            int n = shape.size(d), size = n + before[d] + after[d];
            if (size < 0) {
                throw new IllegalArgumentException("pad: the input size " + n + " of dimension " + d + " (shape " + shape
                        + "), plus padding " + before[d] + " and " + after[d] + ", gives a negative output size " + size);
            }
            if (mode == PadMode.REFLECT && (before[d] >= n || after[d] >= n) && (before[d] > 0 || after[d] > 0)) {
                throw new IllegalArgumentException("pad: reflect padding (" + before[d] + ", " + after[d] + ") must be smaller "
                        + "than the size " + n + " of dimension " + d + " of the input of shape " + shape);
            }
            if (mode == PadMode.REPLICATE && n == 0 && size > 0) {
                throw new IllegalArgumentException("pad: replicate padding needs a non-empty dimension " + d + ", got shape " + shape);
            }
            out[d] = size;
        }
        return Shape.of(out);
    }

    private static int[] negate(int[] a) {
        int[] r = new int[a.length];
        for (int i = 0; i < a.length; i++) r[i] = -a[i];
        return r;
    }
}
