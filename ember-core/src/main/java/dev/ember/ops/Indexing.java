package dev.ember.ops;

import dev.ember.autograd.Context;
import dev.ember.autograd.Dispatch;
import dev.ember.autograd.InPlaceOp;
import dev.ember.autograd.Op;
import dev.ember.kernels.IndexOutOfRange;
import dev.ember.tensor.DType;
import dev.ember.tensor.PadMode;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;
import dev.ember.tensor.TensorAccess;

/**
 * Indexing ops: gather and scatter along a dimension, index select / index add, masked fill, one-hot
 * and integer indexing along dimension 0.
 *
 * <p>The primitives pair up as each other's gradients, which is also what makes them differentiable
 * twice: {@code gather}'s backward is a {@code scatterAdd} into zeros and {@code scatterAdd}'s
 * backward (for {@code src}) is a {@code gather}; {@code indexSelect} and {@code indexAdd} likewise.
 * Index tensors are INT64 or INT32 and never receive gradients; every index is checked against the
 * size of the dimension it selects from.
 */
public final class Indexing {
    private Indexing() {
    }

    // =================================================================== primitives

    /** {@code out[i][j][k] = x[i][index[i][j][k]][k]} for {@code dim = 1}; out has index's shape. */
    public record Gather(int dim) implements Op {
        @Override
        public String name() {
            return "gather";
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor x = in[0], index = in[1];
            checkIndexDType(name(), index);
            checkGatherShapes(name(), x, index, dim);
            Tensor out = Creation.empty(index.shape(), x.dtype(), x.device());
            runKernel(name(), () -> Elementwise.backend(x).gather(atLeast1d(x), dim, atLeast1d(index), atLeast1d(out)));
            ctx.save(index);
            return out;
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor g) {
            Tensor zeros = Creation.full(ctx.inputShape(0), 0, g.dtype());
            return new Tensor[] {scatterAdd(zeros, dim, ctx.saved(0), g), null};
        }
    }

    /**
     * {@code out = self} with {@code out[i][index[i][j][k]][k] = src[i][j][k]} ({@code dim = 1}), or
     * {@code +=} for {@code accumulate} (scatterAdd). Also runs in place into self.
     */
    public record Scatter(int dim, boolean accumulate) implements InPlaceOp {
        @Override
        public String name() {
            return accumulate ? "scatterAdd" : "scatter";
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor out = Creation.empty(in[0].shape(), in[0].dtype(), in[0].device());
            scatterInto(ctx, in[0], in[1], in[2], out);
            return out;
        }

        @Override
        public void forwardInto(Context ctx, Tensor target, Tensor... in) {
            scatterInto(ctx, target, in[1], in[2], target);
        }

        private void scatterInto(Context ctx, Tensor self, Tensor index, Tensor src, Tensor out) {
            checkIndexDType(name(), index);
            checkScatterShapes(name(), self, index, src, dim);
            if (src.dtype() != self.dtype()) {
                throw new IllegalArgumentException(name() + ": expected src to have self's dtype " + self.dtype().pyName() + ", got "
                        + src.dtype().pyName() + ". Hint: convert it with src.to(DType." + self.dtype() + ")");
            }
            runKernel(name(), () -> Elementwise.backend(out)
                    .scatter(atLeast1d(self), dim, atLeast1d(index), atLeast1d(src), accumulate, atLeast1d(out)));
            ctx.save(index);
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor g) {
            Tensor index = ctx.saved(0);
            Tensor gSelf = null, gSrc = null;
            if (ctx.needsInputGrad(0)) gSelf = accumulate ? g : scatter(g, dim, index, 0.0); // overwritten elements get none
            if (ctx.needsInputGrad(2)) gSrc = zeroExtend(gather(g, dim, index), ctx.inputShape(2));
            return new Tensor[] {gSelf, null, gSrc};
        }
    }

    /** {@code out = x} selected at {@code index} (1-D) along {@code dim}: out.size(dim) == index.numel(). */
    public record IndexSelect(int dim) implements Op {
        @Override
        public String name() {
            return "indexSelect";
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor x = in[0], index = in[1];
            checkIndexDType(name(), index);
            checkIndexVector(name(), index);
            if (x.rank() == 0 && index.numel() != 1) {
                throw new IllegalArgumentException(name() + ": a 0-d input takes exactly one index, got shape " + index.shape());
            }
            Shape outShape = x.rank() == 0 ? x.shape() : x.shape().with(dim, index.numel());
            Tensor out = Creation.empty(outShape, x.dtype(), x.device());
            Tensor out1 = atLeast1d(out);
            runKernel(name(), () -> Elementwise.backend(x).gather(atLeast1d(x), dim, alongDim(index, out1, dim), out1));
            ctx.save(index);
            return out;
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor g) {
            Tensor zeros = Creation.full(ctx.inputShape(0), 0, g.dtype());
            return new Tensor[] {indexAdd(zeros, dim, ctx.saved(0), g), null};
        }
    }

    /** {@code out = self} with the slices of src added at positions {@code index} (1-D) along {@code dim}. */
    public record IndexAdd(int dim) implements Op {
        @Override
        public String name() {
            return "indexAdd";
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor self = in[0], index = in[1], src = in[2];
            checkIndexDType(name(), index);
            checkIndexVector(name(), index);
            Shape expected = self.rank() == 0 ? self.shape() : self.shape().with(dim, index.numel());
            if (!src.shape().equals(expected)) {
                throw new IllegalArgumentException(name() + ": src must have shape " + expected + " (self " + self.shape()
                        + " with dimension " + dim + " of the index's length " + index.numel() + "), got " + src.shape());
            }
            if (src.dtype() != self.dtype()) {
                throw new IllegalArgumentException(name() + ": expected src to have self's dtype " + self.dtype().pyName() + ", got "
                        + src.dtype().pyName());
            }
            Tensor out = Creation.empty(self.shape(), self.dtype(), self.device());
            Tensor src1 = atLeast1d(src);
            runKernel(name(), () -> Elementwise.backend(out)
                    .scatter(atLeast1d(self), dim, alongDim(index, src1, dim), src1, true, atLeast1d(out)));
            ctx.save(index);
            return out;
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor g) {
            Tensor index = ctx.saved(0);
            return new Tensor[] {ctx.needsInputGrad(0) ? g : null, null,
                    ctx.needsInputGrad(2) ? indexSelect(g, dim, index) : null};
        }
    }

    // =================================================================== public functions

    /** See {@link Tensor#gather}. */
    public static Tensor gather(Tensor x, int dim, Tensor index) {
        return Dispatch.apply(new Gather(Shape.normalizeDim(dim, x.rank(), "gather")), x, index);
    }

    /** See {@link Tensor#scatter(int, Tensor, Tensor)}. */
    public static Tensor scatter(Tensor self, int dim, Tensor index, Tensor src) {
        return Dispatch.apply(new Scatter(Shape.normalizeDim(dim, self.rank(), "scatter"), false), self, index, src);
    }

    /** See {@link Tensor#scatter(int, Tensor, double)}. */
    public static Tensor scatter(Tensor self, int dim, Tensor index, double value) {
        return scatter(self, dim, index, filled(value, self.dtype(), index.shape()));
    }

    /** See {@link Tensor#scatterInPlace(int, Tensor, Tensor)}. */
    public static Tensor scatterInPlace(Tensor self, int dim, Tensor index, Tensor src) {
        return Dispatch.applyInPlace(new Scatter(Shape.normalizeDim(dim, self.rank(), "scatter"), false), self, index, src);
    }

    /** See {@link Tensor#scatterInPlace(int, Tensor, double)}. */
    public static Tensor scatterInPlace(Tensor self, int dim, Tensor index, double value) {
        return scatterInPlace(self, dim, index, filled(value, self.dtype(), index.shape()));
    }

    /** See {@link Tensor#scatterAdd}. */
    public static Tensor scatterAdd(Tensor self, int dim, Tensor index, Tensor src) {
        return Dispatch.apply(new Scatter(Shape.normalizeDim(dim, self.rank(), "scatterAdd"), true), self, index, src);
    }

    /** See {@link Tensor#scatterAddInPlace}. */
    public static Tensor scatterAddInPlace(Tensor self, int dim, Tensor index, Tensor src) {
        return Dispatch.applyInPlace(new Scatter(Shape.normalizeDim(dim, self.rank(), "scatterAdd"), true), self, index, src);
    }

    /** See {@link Tensor#indexSelect}. */
    public static Tensor indexSelect(Tensor x, int dim, Tensor index) {
        return Dispatch.apply(new IndexSelect(Shape.normalizeDim(dim, x.rank(), "indexSelect")), x, index);
    }

    /** See {@link Tensor#indexAdd}. */
    public static Tensor indexAdd(Tensor self, int dim, Tensor index, Tensor src) {
        return Dispatch.apply(new IndexAdd(Shape.normalizeDim(dim, self.rank(), "indexAdd")), self, index, src);
    }

    /** See {@link Tensor#maskedFill(Tensor, double)}: a composite of {@code where}, whose gradient masks. */
    public static Tensor maskedFill(Tensor x, Tensor mask, double value) {
        checkMask(x, mask);
        return Elementwise.where(mask, Creation.full(Shape.SCALAR, value, x.dtype()), x);
    }

    /** See {@link Tensor#maskedFill(Tensor, Tensor)}: value is 0-d and receives the masked elements' gradient. */
    public static Tensor maskedFill(Tensor x, Tensor mask, Tensor value) {
        checkMask(x, mask);
        if (value.rank() != 0) {
            throw new IllegalArgumentException("maskedFill: value must be a 0-d tensor, got shape " + value.shape()
                    + ". Hint: for an elementwise choice use where(mask, values, x)");
        }
        return Elementwise.where(mask, value.to(x.dtype()), x);
    }

    /** See {@link Tensor#oneHot}. */
    public static Tensor oneHot(Tensor labels, int numClasses) {
        if (!labels.dtype().isIntegral()) {
            throw new IllegalArgumentException("oneHot: expects a tensor of class indices (int64 or int32), got "
                    + labels.dtype().pyName());
        }
        if (numClasses < -1) throw new IllegalArgumentException("oneHot: numClasses must be positive or -1 (infer), got " + numClasses);
        if (labels.numel() == 0) {
            if (numClasses == -1) {
                throw new IllegalArgumentException("oneHot: cannot infer the number of classes from an empty tensor; pass numClasses");
            }
        } else {
            long min = Reductions.min(labels, null, false).itemLong(), max = Reductions.max(labels, null, false).itemLong();
            if (min < 0) throw new IllegalArgumentException("oneHot: class values must be non-negative, got " + min);
            if (numClasses == -1) numClasses = Math.toIntExact(max + 1);
            if (max >= numClasses) {
                throw new IllegalArgumentException("oneHot: class value " + max + " is out of range for numClasses " + numClasses
                        + " (class values must be smaller than numClasses)");
            }
        }
        int[] shape = labels.shape().toArray();
        int[] outShape = java.util.Arrays.copyOf(shape, shape.length + 1);
        outShape[shape.length] = numClasses;
        Tensor out = Creation.full(Shape.of(outShape), 0, DType.INT64);
        return scatterInPlace(out, -1, Views.unsqueeze(labels, -1), 1.0);
    }

    /**
     * See {@link Tensor#index}: {@code indexSelect(0, indices.flatten())} reshaped to
     * {@code indices.shape + x.shape[1:]}; negative indices count from the end.
     */
    public static Tensor index(Tensor x, Tensor indices) {
        if (x.rank() == 0) throw new IllegalArgumentException("index: cannot index a 0-d tensor");
        if (indices.dtype() == DType.BOOL) {
            throw new IllegalArgumentException("index: boolean mask indexing is not supported; use maskedFill or where");
        }
        checkIndexDType("index", indices);
        int n = x.size(0);
        Tensor flat = Views.reshape(indices, -1);
        if (flat.numel() > 0) { // checked here so the message shows the index as the user wrote it
            long min = Reductions.min(flat, null, false).itemLong(), max = Reductions.max(flat, null, false).itemLong();
            if (min < -n || max >= n) {
                throw new IndexOutOfBoundsException("index: index " + (min < -n ? min : max)
                        + " is out of bounds for dimension 0 with size " + n);
            }
        }
        flat = Elementwise.where(flat.lt(0.0), flat.add((double) n), flat); // PyTorch's x[idx] accepts negatives
        int[] shape = new int[indices.rank() + x.rank() - 1];
        for (int i = 0; i < indices.rank(); i++) shape[i] = indices.size(i);
        for (int i = 1; i < x.rank(); i++) shape[indices.rank() + i - 1] = x.size(i);
        return Views.reshape(indexSelect(x, 0, flat), shape);
    }

    // =================================================================== validation and helpers

    static void checkIndexDType(String op, Tensor index) {
        if (index.dtype() != DType.INT64 && index.dtype() != DType.INT32) {
            throw new IllegalArgumentException(op + ": index must be an int64 or int32 tensor, got " + index.dtype().pyName()
                    + (index.dtype().isFloating() ? ". Hint: convert it with index.to(DType.INT64)" : ""));
        }
    }

    private static void checkIndexVector(String op, Tensor index) {
        if (index.rank() > 1) {
            throw new IllegalArgumentException(op + ": index must be 1-D (or 0-d), got shape " + index.shape());
        }
    }

    private static void checkMask(Tensor x, Tensor mask) {
        if (mask.dtype() != DType.BOOL) {
            throw new IllegalArgumentException("maskedFill: mask must be a bool tensor, got " + mask.dtype().pyName()
                    + ". Hint: compare first, e.g. x.gt(0)");
        }
        Shape.broadcast(x.shape(), mask.shape(), "maskedFill"); // so a mismatch names maskedFill, not where
    }

    /** gather: same rank (0-d counts as 1-D) and index no larger than x outside {@code dim}. */
    private static void checkGatherShapes(String op, Tensor x, Tensor index, int dim) {
        int r = Math.max(x.rank(), 1);
        if (Math.max(index.rank(), 1) != r) {
            throw new IllegalArgumentException(op + ": index must have as many dimensions as the input: input " + x.shape()
                    + ", index " + index.shape());
        }
        for (int d = 0; d < x.rank() && d < index.rank(); d++) {
            if (d != dim && index.size(d) > x.size(d)) {
                throw new IllegalArgumentException(op + ": index " + index.shape() + " must not be larger than the input "
                        + x.shape() + " in any dimension but " + dim + " (dimension " + d + ": " + index.size(d) + " > "
                        + x.size(d) + ")");
            }
        }
    }

    /** scatter: same rank; index no larger than src anywhere, nor than self outside {@code dim}. */
    private static void checkScatterShapes(String op, Tensor self, Tensor index, Tensor src, int dim) {
        int r = Math.max(self.rank(), 1);
        if (Math.max(index.rank(), 1) != r || Math.max(src.rank(), 1) != r) {
            throw new IllegalArgumentException(op + ": self, index and src must have the same number of dimensions: self "
                    + self.shape() + ", index " + index.shape() + ", src " + src.shape());
        }
        for (int d = 0; d < index.rank(); d++) {
            boolean tooBig = (src.rank() > 0 && index.size(d) > src.size(d))
                    || (d != dim && self.rank() > 0 && index.size(d) > self.size(d));
            if (tooBig) {
                throw new IllegalArgumentException(op + ": expected index " + index.shape() + " to be no larger than self "
                        + self.shape() + " apart from dimension " + dim + " and no larger than src " + src.shape());
            }
        }
    }

    /** Runs a kernel, naming the op in its index-range error. */
    private static void runKernel(String op, Runnable kernel) {
        try {
            kernel.run();
        } catch (IndexOutOfRange e) {
            throw e.withOp(op);
        }
    }

    /** A 0-d tensor viewed as shape [1] (kernels work on rank >= 1); other tensors unchanged. */
    static Tensor atLeast1d(Tensor t) {
        return t.rank() > 0 ? t : TensorAccess.view(t, Shape.of(1), new int[] {1}, t.offset());
    }

    /** A 1-D (or 0-d) index viewed with {@code like}'s shape: its stride along dim, 0 elsewhere (a broadcast). */
    private static Tensor alongDim(Tensor index, Tensor like, int dim) {
        int[] strides = new int[like.rank()];
        strides[dim] = index.rank() == 0 ? 0 : index.stride(0);
        return TensorAccess.view(index, like.shape(), strides, index.offset());
    }

    /** {@code value} of {@code dtype} broadcast (stride 0, no copy) to {@code shape}. */
    private static Tensor filled(double value, DType dtype, Shape shape) {
        return Views.expand(Creation.full(Shape.SCALAR, value, dtype), shape.toArray());
    }

    /** t grown with zeros at the end of each dimension to {@code shape} (src may be larger than index). */
    private static Tensor zeroExtend(Tensor t, Shape shape) {
        if (t.shape().equals(shape)) return t;
        int r = t.rank();
        int[] pads = new int[2 * r];
        for (int d = 0; d < r; d++) pads[2 * (r - 1 - d) + 1] = shape.size(d) - t.size(d);
        return ShapeOps.pad(t, pads, PadMode.CONSTANT, 0);
    }
}
