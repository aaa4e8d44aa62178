package dev.ember.tensor;

import dev.ember.autograd.Engine;
import dev.ember.autograd.Node;
import dev.ember.kernels.Backends;
import dev.ember.ops.Creation;
import dev.ember.ops.Elementwise;
import dev.ember.ops.Indexing;
import dev.ember.ops.Joining;
import dev.ember.ops.LinAlg;
import dev.ember.ops.Reductions;
import dev.ember.ops.ShapeOps;
import dev.ember.ops.Views;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * An n-dimensional array with a dtype and a device, and (for floating dtypes) an autograd history.
 *
 * <p>A tensor is a strided view of a {@link Storage}: {@code element[i0, i1, ...]} lives at
 * {@code offset + i0*stride[0] + i1*stride[1] + ...}. View operations ({@link #reshape}, {@link #permute},
 * {@link #narrow}, {@link #expand}, ...) share storage and copy nothing. Storage is garbage collected:
 * tensors never need closing.
 *
 * <p>Autograd follows PyTorch: a leaf created with {@link #requiresGrad(boolean) requiresGrad(true)}
 * accumulates gradients in {@link #grad()} every time {@link #backward()} runs through it, until
 * zeroed; every op on a tensor that requires grad records a node in a dynamic graph rebuilt each step.
 *
 * <pre>{@code
 * Tensor w = Tensor.randn(3, 2).requiresGrad(true);
 * Tensor loss = Tensor.ones(4, 3).matmul(w).relu().sum();
 * loss.backward();
 * System.out.println(w.grad());
 * }</pre>
 *
 * <p>Methods on this class cover the common operations; neural-network functions (convolution,
 * pooling, losses) are in {@code dev.ember.nn.F}. Every op validates its arguments and names itself
 * and the offending shapes/dtypes in its exception.
 */
public final class Tensor {
    final Storage storage;
    final Shape shape;
    final int[] strides;
    final int offset;
    /** The tensor this one is a view of (the root base), or null. */
    final Tensor base;

    // Autograd state.
    boolean requiresGrad;
    Tensor grad;
    Node gradFn;
    Node accumulator;
    List<UnaryOperator<Tensor>> hooks;
    boolean retainsGrad;

    Tensor(Storage storage, Shape shape, int[] strides, int offset, Tensor base) {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        this.base = base;
    }

    // ---------------------------------------------------------------- metadata

    /** The shape. */
    public Shape shape() {
        return shape;
    }

    /** Size of dimension {@code dim} (negative counts from the end). */
    public int size(int dim) {
        return shape.size(dim);
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.rank();
    }

    /** Number of elements. */
    public int numel() {
        return shape.numel();
    }

    /** Element type. */
    public DType dtype() {
        return storage.dtype();
    }

    /** Device the storage lives on. */
    public Device device() {
        return storage.device();
    }

    /** The storage (shared with views). */
    public Storage storage() {
        return storage;
    }

    /** Strides in elements, one per dimension (a copy). */
    public int[] strides() {
        return strides.clone();
    }

    /** Stride of dimension {@code dim} in elements. */
    public int stride(int dim) {
        return strides[Shape.normalizeDim(dim, rank(), "stride")];
    }

    /** Index of element [0, 0, ...] in the storage. */
    public int offset() {
        return offset;
    }

    /** True if elements are laid out in row-major order without gaps (a plain array slice). */
    public boolean isContiguous() {
        int expected = 1;
        int[] d = shape.dimsUnsafe();
        for (int i = d.length - 1; i >= 0; i--) {
            if (d[i] != 1 && strides[i] != expected) return false;
            expected *= d[i];
        }
        return true;
    }

    /** The tensor this is a view of, or null if it owns its storage. */
    public Tensor base() {
        return base;
    }

    // ---------------------------------------------------------------- autograd

    /** Whether gradients flow to (or through) this tensor. */
    public boolean requiresGrad() {
        return requiresGrad;
    }

    /**
     * Marks a leaf tensor as requiring (or not) gradients. Only floating leaf tensors can require grad.
     *
     * @return this tensor, for chaining
     */
    public Tensor requiresGrad(boolean flag) {
        if (gradFn != null && !flag) {
            throw new IllegalStateException("requiresGrad: you can only change requiresGrad of leaf tensors; "
                    + "this one was produced by '" + gradFn.name() + "'. Hint: use detach() to get a tensor without history.");
        }
        if (flag && !dtype().isFloating()) {
            throw new IllegalArgumentException("requiresGrad: only floating point tensors can require gradients, got "
                    + dtype().pyName());
        }
        this.requiresGrad = flag || gradFn != null;
        return this;
    }

    /** The accumulated gradient of a leaf (or a tensor that called {@link #retainGrad()}), or null. */
    public Tensor grad() {
        return grad;
    }

    /** Replaces the gradient (null clears it); its shape must match. */
    public void grad(Tensor g) {
        if (g != null && !g.shape.equals(shape)) {
            throw new IllegalArgumentException("grad: assigned gradient has shape " + g.shape + " but the tensor has shape " + shape);
        }
        this.grad = g;
    }

    /** Clears the gradient (sets it to null, as PyTorch's {@code zero_grad(set_to_none=True)}). */
    public void zeroGrad() {
        this.grad = null;
    }

    /** The node that produced this tensor, or null for a leaf. */
    public Node gradFn() {
        return gradFn;
    }

    /** True if this tensor was not produced by a recorded op (user-created, or requiresGrad false). */
    public boolean isLeaf() {
        return gradFn == null;
    }

    /** Computes gradients of this scalar with respect to the graph's leaves, accumulating into {@code grad()}. */
    public void backward() {
        Engine.backward(this, null, false, false);
    }

    /** Backward with an explicit gradient of the same shape as this tensor (needed for non-scalars). */
    public void backward(Tensor gradient) {
        Engine.backward(this, gradient, false, false);
    }

    /**
     * Backward keeping the graph alive for another backward ({@code retainGraph}) and/or recording the
     * backward computation itself for higher-order derivatives ({@code createGraph}).
     */
    public void backward(Tensor gradient, boolean retainGraph, boolean createGraph) {
        Engine.backward(this, gradient, retainGraph, createGraph);
    }

    /** A tensor sharing this one's data but with no history and requiresGrad false. */
    public Tensor detach() {
        return new Tensor(storage, shape, strides, offset, base);
    }

    /**
     * Registers a hook called with the gradient with respect to this tensor during backward; it may
     * return a replacement gradient (or the same one). Returns this tensor.
     */
    public Tensor registerHook(UnaryOperator<Tensor> hook) {
        if (!requiresGrad) {
            throw new IllegalStateException("registerHook: cannot register a hook on a tensor that does not require grad");
        }
        if (hooks == null) hooks = new ArrayList<>(1);
        hooks.add(hook);
        if (gradFn != null) gradFn.addHook(hook);
        else TensorAccess.accumulator(this).addHook(hook);
        return this;
    }

    /** Makes backward store this non-leaf tensor's gradient in {@link #grad()} too. */
    public Tensor retainGrad() {
        if (!requiresGrad) {
            throw new IllegalStateException("retainGrad: the tensor does not require grad");
        }
        if (gradFn == null || retainsGrad) return this;
        retainsGrad = true;
        gradFn.addHook(g -> {
            this.grad = this.grad == null ? g.detach().copy() : this.grad.detach().add(g.detach());
            return g;
        });
        return this;
    }

    // ---------------------------------------------------------------- data access

    /** The value of a one-element tensor as a double. */
    public double item() {
        if (numel() != 1) {
            throw new IllegalStateException("item: only one-element tensors can be converted to a scalar, this one has shape " + shape);
        }
        Tensor c = Creation.toCpu(this);
        return ((HeapStorage) c.storage).getDouble(c.offset);
    }

    /** The value of a one-element integer or bool tensor as a long (exact). */
    public long itemLong() {
        if (numel() != 1) {
            throw new IllegalStateException("itemLong: only one-element tensors can be converted to a scalar, this one has shape " + shape);
        }
        Tensor c = Creation.toCpu(this);
        return ((HeapStorage) c.storage).getLong(c.offset);
    }

    /** The element at the given index as a double (slow: for inspection, not loops). */
    public double get(int... index) {
        Tensor c = Creation.toCpu(this);
        return ((HeapStorage) c.storage).getDouble(c.flatIndex(index, "get"));
    }

    int flatIndex(int[] index, String op) {
        if (index.length != rank()) {
            throw new IllegalArgumentException(op + ": expected " + rank() + " indices for shape " + shape + ", got " + index.length);
        }
        int p = offset;
        for (int i = 0; i < index.length; i++) {
            int n = shape.dimsUnsafe()[i];
            int k = index[i] < 0 ? index[i] + n : index[i];
            if (k < 0 || k >= n) {
                throw new IndexOutOfBoundsException(op + ": index " + index[i] + " out of range for dimension " + i + " of size " + n);
            }
            p += k * strides[i];
        }
        return p;
    }

    /** A copy of the elements in row-major order, converted to float. */
    public float[] toFloatArray() {
        return Creation.toFloatArray(this);
    }

    /** A copy of the elements in row-major order, converted to double. */
    public double[] toDoubleArray() {
        return Creation.toDoubleArray(this);
    }

    /** A copy of the elements in row-major order, converted to long. */
    public long[] toLongArray() {
        return Creation.toLongArray(this);
    }

    /** A copy of the elements in row-major order, converted to int. */
    public int[] toIntArray() {
        return Creation.toIntArray(this);
    }

    /** PyTorch-style printout: values (abbreviated beyond 1000 elements), shape, dtype and history. */
    @Override
    public String toString() {
        return TensorFormat.format(this);
    }

    // ---------------------------------------------------------------- conversion and copies

    /** This tensor converted to {@code dtype} (this tensor itself if it already has it). */
    public Tensor to(DType dtype) {
        return dtype == dtype() ? this : Elementwise.cast(this, dtype);
    }

    /** This tensor on {@code device} (this tensor itself if it is already there). */
    public Tensor to(Device device) {
        return device.equals(device()) ? this : Creation.toDevice(this, device);
    }

    /** A contiguous copy with the same values and history (gradients flow back). */
    public Tensor copy() {
        return Elementwise.copy(this);
    }

    /** Same as {@link #copy()}, the PyTorch name. */
    public Tensor cloneTensor() {
        return Elementwise.copy(this);
    }

    /** This tensor if it is contiguous, else a contiguous copy. */
    public Tensor contiguous() {
        return isContiguous() ? this : Elementwise.copy(this);
    }

    /** Copies {@code src} (broadcast to this shape, cast to this dtype) into this tensor in place. */
    public Tensor copyFrom(Tensor src) {
        return Elementwise.copyInPlace(this, src);
    }

    // ---------------------------------------------------------------- views

    /** A view with a new shape (one dimension may be -1); the strides must allow it, else see {@link #reshape}. */
    public Tensor view(int... shape) {
        return Views.view(this, shape);
    }

    /** A tensor with a new shape: a view when the layout allows, else a copy. One dimension may be -1. */
    public Tensor reshape(int... shape) {
        return Views.reshape(this, shape);
    }

    /** Reorders dimensions: {@code dims[i]} is the source dimension of output dimension i. */
    public Tensor permute(int... dims) {
        return Views.permute(this, dims);
    }

    /** Swaps two dimensions. */
    public Tensor transpose(int dim0, int dim1) {
        return Views.transpose(this, dim0, dim1);
    }

    /** Transpose of a matrix (rank 2); rank 0 and 1 are returned as is, as in PyTorch. */
    public Tensor t() {
        if (rank() > 2) throw new IllegalArgumentException("t: expects a tensor of rank <= 2, got shape " + shape + "; use transpose(d0, d1)");
        return rank() < 2 ? this : transpose(0, 1);
    }

    /** The last two dimensions swapped (matrix transpose of a batch). */
    public Tensor mT() {
        if (rank() < 2) throw new IllegalArgumentException("mT: expects a tensor of rank >= 2, got shape " + shape);
        return transpose(-2, -1);
    }

    /** Elements {@code start .. start+length-1} along {@code dim}. */
    public Tensor narrow(int dim, int start, int length) {
        return Views.slice(this, dim, start, start + length, 1);
    }

    /** Elements {@code start, start+step, ... < end} along {@code dim} (negative start/end count from the end). */
    public Tensor slice(int dim, int start, int end, int step) {
        return Views.slice(this, dim, start, end, step);
    }

    /** The slice at {@code index} along {@code dim}, with that dimension removed. */
    public Tensor select(int dim, int index) {
        return Views.select(this, dim, index);
    }

    /** Broadcasts size-1 dimensions (and new leading ones) to {@code shape}; -1 keeps a size. No copy. */
    public Tensor expand(int... shape) {
        return Views.expand(this, shape);
    }

    /** Broadcasts to {@code shape} (NumPy rules). No copy. */
    public Tensor broadcastTo(Shape shape) {
        return Views.expand(this, shape.toArray());
    }

    /** Removes all size-1 dimensions. */
    public Tensor squeeze() {
        return Views.squeeze(this);
    }

    /** Removes dimension {@code dim} if it has size 1 (else returns this tensor, as PyTorch does). */
    public Tensor squeeze(int dim) {
        return Views.squeeze(this, dim);
    }

    /** Inserts a size-1 dimension at {@code dim}. */
    public Tensor unsqueeze(int dim) {
        return Views.unsqueeze(this, dim);
    }

    /** Flattens to one dimension. */
    public Tensor flatten() {
        return Views.flatten(this, 0, -1);
    }

    /** Flattens dimensions {@code startDim..endDim} (inclusive) into one. */
    public Tensor flatten(int startDim, int endDim) {
        return Views.flatten(this, startDim, endDim);
    }

    /** Splits dimension {@code dim} into {@code sizes} (one may be -1). */
    public Tensor unflatten(int dim, int... sizes) {
        return Views.unflatten(this, dim, sizes);
    }

    // ---------------------------------------------------------------- elementwise arithmetic

    /** {@code this + other}, broadcasting. */
    public Tensor add(Tensor other) {
        return Elementwise.add(this, other);
    }

    /** {@code this + value}. */
    public Tensor add(double value) {
        return Elementwise.add(this, value);
    }

    /** {@code this - other}, broadcasting. */
    public Tensor sub(Tensor other) {
        return Elementwise.sub(this, other);
    }

    /** {@code this - value}. */
    public Tensor sub(double value) {
        return Elementwise.sub(this, value);
    }

    /** {@code this * other}, broadcasting. */
    public Tensor mul(Tensor other) {
        return Elementwise.mul(this, other);
    }

    /** {@code this * value}. */
    public Tensor mul(double value) {
        return Elementwise.mul(this, value);
    }

    /** {@code this / other} (true division: integer inputs give float32), broadcasting. */
    public Tensor div(Tensor other) {
        return Elementwise.div(this, other);
    }

    /** {@code this / value}. */
    public Tensor div(double value) {
        return Elementwise.div(this, value);
    }

    /** {@code this ^ exponent}, elementwise, broadcasting. */
    public Tensor pow(Tensor exponent) {
        return Elementwise.pow(this, exponent);
    }

    /** {@code this ^ exponent}. */
    public Tensor pow(double exponent) {
        return Elementwise.pow(this, exponent);
    }

    /** Elementwise minimum, broadcasting (NaN propagates). */
    public Tensor minimum(Tensor other) {
        return Elementwise.minimum(this, other);
    }

    /** Elementwise maximum, broadcasting (NaN propagates). */
    public Tensor maximum(Tensor other) {
        return Elementwise.maximum(this, other);
    }

    /** {@code -this}. */
    public Tensor neg() {
        return Elementwise.neg(this);
    }

    /** e^x. */
    public Tensor exp() {
        return Elementwise.exp(this);
    }

    /** Natural logarithm. */
    public Tensor log() {
        return Elementwise.log(this);
    }

    /** log(1 + x), accurate near 0. */
    public Tensor log1p() {
        return Elementwise.log1p(this);
    }

    /** e^x - 1, accurate near 0. */
    public Tensor expm1() {
        return Elementwise.expm1(this);
    }

    /** Square root. */
    public Tensor sqrt() {
        return Elementwise.sqrt(this);
    }

    /** 1 / sqrt(x). */
    public Tensor rsqrt() {
        return Elementwise.rsqrt(this);
    }

    /** x * x. */
    public Tensor square() {
        return Elementwise.square(this);
    }

    /** 1 / x. */
    public Tensor reciprocal() {
        return Elementwise.reciprocal(this);
    }

    /** |x|. */
    public Tensor abs() {
        return Elementwise.abs(this);
    }

    /** -1, 0 or 1 by sign. */
    public Tensor sign() {
        return Elementwise.sign(this);
    }

    /** Sine. */
    public Tensor sin() {
        return Elementwise.sin(this);
    }

    /** Cosine. */
    public Tensor cos() {
        return Elementwise.cos(this);
    }

    /** Hyperbolic tangent. */
    public Tensor tanh() {
        return Elementwise.tanh(this);
    }

    /** Logistic sigmoid 1 / (1 + e^-x). */
    public Tensor sigmoid() {
        return Elementwise.sigmoid(this);
    }

    /** max(x, 0). */
    public Tensor relu() {
        return Elementwise.relu(this);
    }

    /** GELU, exact form x * Phi(x) with the normal CDF Phi. */
    public Tensor gelu() {
        return Elementwise.gelu(this);
    }

    /** Clamps to [min, max]; pass NaN for no bound on a side. */
    public Tensor clamp(double min, double max) {
        return Elementwise.clamp(this, min, max);
    }

    /** Rounds down. */
    public Tensor floor() {
        return Elementwise.floor(this);
    }

    /** Rounds up. */
    public Tensor ceil() {
        return Elementwise.ceil(this);
    }

    /** Rounds half to even, as PyTorch. */
    public Tensor round() {
        return Elementwise.round(this);
    }

    // ---------------------------------------------------------------- comparisons and logic

    /** {@code this == other} elementwise (BOOL). */
    public Tensor eq(Tensor other) {
        return Elementwise.eq(this, other);
    }

    /** {@code this == value} elementwise (BOOL). */
    public Tensor eq(double value) {
        return Elementwise.eq(this, value);
    }

    /** {@code this != other} elementwise (BOOL). */
    public Tensor ne(Tensor other) {
        return Elementwise.ne(this, other);
    }

    /** {@code this != value} elementwise (BOOL). */
    public Tensor ne(double value) {
        return Elementwise.ne(this, value);
    }

    /** {@code this < other} elementwise (BOOL). */
    public Tensor lt(Tensor other) {
        return Elementwise.lt(this, other);
    }

    /** {@code this < value} elementwise (BOOL). */
    public Tensor lt(double value) {
        return Elementwise.lt(this, value);
    }

    /** {@code this <= other} elementwise (BOOL). */
    public Tensor le(Tensor other) {
        return Elementwise.le(this, other);
    }

    /** {@code this <= value} elementwise (BOOL). */
    public Tensor le(double value) {
        return Elementwise.le(this, value);
    }

    /** {@code this > other} elementwise (BOOL). */
    public Tensor gt(Tensor other) {
        return Elementwise.gt(this, other);
    }

    /** {@code this > value} elementwise (BOOL). */
    public Tensor gt(double value) {
        return Elementwise.gt(this, value);
    }

    /** {@code this >= other} elementwise (BOOL). */
    public Tensor ge(Tensor other) {
        return Elementwise.ge(this, other);
    }

    /** {@code this >= value} elementwise (BOOL). */
    public Tensor ge(double value) {
        return Elementwise.ge(this, value);
    }

    /** Logical and (inputs are treated as true where non-zero). */
    public Tensor logicalAnd(Tensor other) {
        return Elementwise.logicalAnd(this, other);
    }

    /** Logical or. */
    public Tensor logicalOr(Tensor other) {
        return Elementwise.logicalOr(this, other);
    }

    /** Logical exclusive or. */
    public Tensor logicalXor(Tensor other) {
        return Elementwise.logicalXor(this, other);
    }

    /** Logical not. */
    public Tensor logicalNot() {
        return Elementwise.logicalNot(this);
    }

    /** {@code condition ? this : other}, elementwise with broadcasting (PyTorch's {@code x.where(cond, y)}). */
    public Tensor where(Tensor condition, Tensor other) {
        return Elementwise.where(condition, this, other);
    }

    // ---------------------------------------------------------------- in place

    /** {@code this += other} in place (other broadcast to this shape). Returns this. */
    public Tensor addInPlace(Tensor other) {
        return Elementwise.addInPlace(this, other);
    }

    /** {@code this += value} in place. Returns this. */
    public Tensor addInPlace(double value) {
        return Elementwise.addInPlace(this, value);
    }

    /** {@code this -= other} in place. Returns this. */
    public Tensor subInPlace(Tensor other) {
        return Elementwise.subInPlace(this, other);
    }

    /** {@code this -= value} in place. Returns this. */
    public Tensor subInPlace(double value) {
        return Elementwise.subInPlace(this, value);
    }

    /** {@code this *= other} in place. Returns this. */
    public Tensor mulInPlace(Tensor other) {
        return Elementwise.mulInPlace(this, other);
    }

    /** {@code this *= value} in place. Returns this. */
    public Tensor mulInPlace(double value) {
        return Elementwise.mulInPlace(this, value);
    }

    /** {@code this /= other} in place. Returns this. */
    public Tensor divInPlace(Tensor other) {
        return Elementwise.divInPlace(this, other);
    }

    /** {@code this /= value} in place. Returns this. */
    public Tensor divInPlace(double value) {
        return Elementwise.divInPlace(this, value);
    }

    /** Sets every element to {@code value} in place. Returns this. */
    public Tensor fillInPlace(double value) {
        return Elementwise.fillInPlace(this, value);
    }

    /** Sets every element to zero in place. Returns this. */
    public Tensor zeroInPlace() {
        return Elementwise.fillInPlace(this, 0);
    }

    /** max(x, 0) in place. Returns this. */
    public Tensor reluInPlace() {
        return Elementwise.reluInPlace(this);
    }

    /** Clamps in place. Returns this. */
    public Tensor clampInPlace(double min, double max) {
        return Elementwise.clampInPlace(this, min, max);
    }

    // ---------------------------------------------------------------- reductions

    /** Sum of all elements (a 0-d tensor). */
    public Tensor sum() {
        return Reductions.sum(this, null, false);
    }

    /** Sum over {@code dims}, removing them. */
    public Tensor sum(int... dims) {
        return Reductions.sum(this, dims, false);
    }

    /** Sum over {@code dims}, keeping them as size 1 if {@code keepDim}. */
    public Tensor sum(int[] dims, boolean keepDim) {
        return Reductions.sum(this, dims, keepDim);
    }

    /** Mean of all elements. */
    public Tensor mean() {
        return Reductions.mean(this, null, false);
    }

    /** Mean over {@code dims}, removing them. */
    public Tensor mean(int... dims) {
        return Reductions.mean(this, dims, false);
    }

    /** Mean over {@code dims}, keeping them as size 1 if {@code keepDim}. */
    public Tensor mean(int[] dims, boolean keepDim) {
        return Reductions.mean(this, dims, keepDim);
    }

    /** Product of all elements. */
    public Tensor prod() {
        return Reductions.prod(this, null, false);
    }

    /** Product over {@code dims}. */
    public Tensor prod(int[] dims, boolean keepDim) {
        return Reductions.prod(this, dims, keepDim);
    }

    /** Largest element. */
    public Tensor max() {
        return Reductions.max(this, null, false);
    }

    /** Largest elements over {@code dims}. */
    public Tensor max(int[] dims, boolean keepDim) {
        return Reductions.max(this, dims, keepDim);
    }

    /** Largest values along {@code dim} (removed). */
    public Tensor max(int dim) {
        return Reductions.max(this, new int[] {dim}, false);
    }

    /** Smallest element. */
    public Tensor min() {
        return Reductions.min(this, null, false);
    }

    /** Smallest elements over {@code dims}. */
    public Tensor min(int[] dims, boolean keepDim) {
        return Reductions.min(this, dims, keepDim);
    }

    /** Smallest values along {@code dim} (removed). */
    public Tensor min(int dim) {
        return Reductions.min(this, new int[] {dim}, false);
    }

    /** Index of the largest element in the flattened tensor (INT64). */
    public Tensor argmax() {
        return Reductions.argmax(this, null, false);
    }

    /** Indices of the largest elements along {@code dim} (INT64). */
    public Tensor argmax(int dim, boolean keepDim) {
        return Reductions.argmax(this, dim, keepDim);
    }

    /** Index of the smallest element in the flattened tensor (INT64). */
    public Tensor argmin() {
        return Reductions.argmin(this, null, false);
    }

    /** Indices of the smallest elements along {@code dim} (INT64). */
    public Tensor argmin(int dim, boolean keepDim) {
        return Reductions.argmin(this, dim, keepDim);
    }

    /** Variance of all elements with Bessel's correction (divides by n - 1), as PyTorch. */
    public Tensor var() {
        return Reductions.var(this, null, 1, false);
    }

    /** Variance over {@code dims} dividing by {@code n - correction}. */
    public Tensor var(int[] dims, int correction, boolean keepDim) {
        return Reductions.var(this, dims, correction, keepDim);
    }

    /** Standard deviation of all elements (n - 1). */
    public Tensor std() {
        return Reductions.std(this, null, 1, false);
    }

    /** Standard deviation over {@code dims} dividing by {@code n - correction}. */
    public Tensor std(int[] dims, int correction, boolean keepDim) {
        return Reductions.std(this, dims, correction, keepDim);
    }

    /** log(sum(exp(x))) over {@code dims}, computed stably. */
    public Tensor logSumExp(int[] dims, boolean keepDim) {
        return Reductions.logSumExp(this, dims, keepDim);
    }

    /** True (BOOL 0-d) if every element is non-zero. */
    public Tensor all() {
        return Reductions.all(this, null, false);
    }

    /** True (BOOL 0-d) if any element is non-zero. */
    public Tensor any() {
        return Reductions.any(this, null, false);
    }

    /** Softmax along {@code dim}, numerically stable. */
    public Tensor softmax(int dim) {
        return Reductions.softmax(this, dim);
    }

    /** log(softmax(x)) along {@code dim}, numerically stable. */
    public Tensor logSoftmax(int dim) {
        return Reductions.logSoftmax(this, dim);
    }

    // ---------------------------------------------------------------- linear algebra

    /**
     * Matrix product with NumPy semantics: 1-D operands are promoted to matrices and the added
     * dimension removed after; batch dimensions broadcast.
     */
    public Tensor matmul(Tensor other) {
        return LinAlg.matmul(this, other);
    }

    // ---------------------------------------------------------------- creation

    /** Zeros of the given shape (FLOAT32). */
    public static Tensor zeros(int... shape) {
        return Creation.full(Shape.of(shape), 0, DType.FLOAT32);
    }

    /** Zeros of the given shape and dtype. */
    public static Tensor zeros(Shape shape, DType dtype) {
        return Creation.full(shape, 0, dtype);
    }

    /** Ones of the given shape (FLOAT32). */
    public static Tensor ones(int... shape) {
        return Creation.full(Shape.of(shape), 1, DType.FLOAT32);
    }

    /** Ones of the given shape and dtype. */
    public static Tensor ones(Shape shape, DType dtype) {
        return Creation.full(shape, 1, dtype);
    }

    /** A tensor filled with {@code value} (FLOAT32). */
    public static Tensor full(double value, int... shape) {
        return Creation.full(Shape.of(shape), value, DType.FLOAT32);
    }

    /** A tensor filled with {@code value}. */
    public static Tensor full(Shape shape, double value, DType dtype) {
        return Creation.full(shape, value, dtype);
    }

    /** Zeros with this tensor's shape, dtype and device. */
    public Tensor zerosLike() {
        return Creation.full(shape, 0, dtype());
    }

    /** Ones with this tensor's shape, dtype and device. */
    public Tensor onesLike() {
        return Creation.full(shape, 1, dtype());
    }

    /** A 0-d FLOAT32 tensor. */
    public static Tensor scalar(double value) {
        return Creation.full(Shape.SCALAR, value, DType.FLOAT32);
    }

    /** A 0-d tensor of the given dtype. */
    public static Tensor scalar(double value, DType dtype) {
        return Creation.full(Shape.SCALAR, value, dtype);
    }

    /** A FLOAT32 tensor holding {@code data} (copied) with the given shape (1-D if none given). */
    public static Tensor of(float[] data, int... shape) {
        return Creation.of(HeapStorage.wrap(data.clone()), shape, "of");
    }

    /** A FLOAT64 tensor holding {@code data} (copied) with the given shape (1-D if none given). */
    public static Tensor of(double[] data, int... shape) {
        return Creation.of(HeapStorage.wrap(data.clone()), shape, "of");
    }

    /** An INT64 tensor holding {@code data} (copied) with the given shape (1-D if none given). */
    public static Tensor of(long[] data, int... shape) {
        return Creation.of(HeapStorage.wrap(data.clone()), shape, "of");
    }

    /** An INT32 tensor holding {@code data} (copied) with the given shape (1-D if none given). */
    public static Tensor of(int[] data, int... shape) {
        return Creation.of(HeapStorage.wrap(data.clone()), shape, "of");
    }

    /** A BOOL tensor holding {@code data} with the given shape (1-D if none given). */
    public static Tensor of(boolean[] data, int... shape) {
        byte[] b = new byte[data.length];
        for (int i = 0; i < b.length; i++) b[i] = (byte) (data[i] ? 1 : 0);
        return Creation.of(HeapStorage.wrapBool(b), shape, "of");
    }

    /** A FLOAT32 matrix from rows (all rows must have the same length). */
    public static Tensor of(float[][] rows) {
        return Creation.ofRows(rows);
    }

    /** A FLOAT64 matrix from rows (all rows must have the same length). */
    public static Tensor of(double[][] rows) {
        return Creation.ofRows(rows);
    }

    /** A FLOAT32 tensor that uses {@code data} directly as its storage (no copy: later writes show through). */
    public static Tensor wrap(float[] data, int... shape) {
        return Creation.of(HeapStorage.wrap(data), shape, "wrap");
    }

    /** 0, 1, ..., end-1 (INT64). */
    public static Tensor arange(long end) {
        return Creation.arange(0, end, 1, DType.INT64);
    }

    /** start, start+step, ... < end (INT64 when all arguments are integral, FLOAT32 otherwise). */
    public static Tensor arange(double start, double end, double step) {
        boolean integral = start == Math.rint(start) && end == Math.rint(end) && step == Math.rint(step);
        return Creation.arange(start, end, step, integral ? DType.INT64 : DType.FLOAT32);
    }

    /** {@code steps} evenly spaced values from start to end inclusive (FLOAT32). */
    public static Tensor linspace(double start, double end, int steps) {
        return Creation.linspace(start, end, steps, DType.FLOAT32);
    }

    /** The n x n identity matrix (FLOAT32). */
    public static Tensor eye(int n) {
        return Creation.eye(n, n, DType.FLOAT32);
    }

    /** An n x m matrix with ones on the diagonal. */
    public static Tensor eye(int n, int m, DType dtype) {
        return Creation.eye(n, m, dtype);
    }

    /** Uniform [0, 1) FLOAT32 values from the global generator. */
    public static Tensor rand(int... shape) {
        return Creation.rand(Shape.of(shape), DType.FLOAT32, Generator.global());
    }

    /** Uniform [0, 1) values from {@code gen}. */
    public static Tensor rand(Generator gen, Shape shape, DType dtype) {
        return Creation.rand(shape, dtype, gen);
    }

    /** Standard normal FLOAT32 values from the global generator. */
    public static Tensor randn(int... shape) {
        return Creation.randn(Shape.of(shape), DType.FLOAT32, Generator.global());
    }

    /** Standard normal values from {@code gen}. */
    public static Tensor randn(Generator gen, Shape shape, DType dtype) {
        return Creation.randn(shape, dtype, gen);
    }

    /** Uniform integers in [low, high) (INT64) from the global generator. */
    public static Tensor randint(long low, long high, int... shape) {
        return Creation.randint(low, high, Shape.of(shape), Generator.global());
    }

    /** Uniform integers in [low, high) (INT64) from {@code gen}. */
    public static Tensor randint(Generator gen, long low, long high, Shape shape) {
        return Creation.randint(low, high, shape, gen);
    }

    /** An uninitialised-looking (actually zeroed) tensor: for outputs about to be overwritten. */
    public static Tensor empty(Shape shape, DType dtype, Device device) {
        return new Tensor(Backends.get(device).allocate(dtype, shape.numel()), shape, shape.contiguousStrides(), 0, null);
    }

    // ================================================================ indexing, joining and shape ops
    // (ops/Indexing.java, ops/Joining.java, ops/ShapeOps.java). Index tensors are INT64 or INT32.

    /**
     * Values picked along {@code dim} at positions given by {@code index}; for a 3-D tensor and
     * {@code dim = 1}: {@code out[i][j][k] = this[i][index[i][j][k]][k]}. The result has index's shape;
     * index must have this tensor's rank and be no larger in any other dimension.
     *
     * <pre>{@code
     * Tensor logp = logits.logSoftmax(1);                          // [N, C]
     * Tensor picked = logp.gather(1, targets.unsqueeze(1));        // [N, 1]: log-probability of each target
     * }</pre>
     *
     * @throws IndexOutOfBoundsException for an index outside {@code [0, size(dim))}
     */
    public Tensor gather(int dim, Tensor index) {
        return Indexing.gather(this, dim, index);
    }

    /**
     * A copy of this tensor with {@code src} written at the positions {@code index} gives along
     * {@code dim} (the inverse of {@link #gather}): for {@code dim = 1},
     * {@code out[i][index[i][j][k]][k] = src[i][j][k]} over index's shape. src has this tensor's
     * dtype. Where indices repeat, one of the writes wins (the last in index order on the CPU).
     */
    public Tensor scatter(int dim, Tensor index, Tensor src) {
        return Indexing.scatter(this, dim, index, src);
    }

    /** {@link #scatter(int, Tensor, Tensor)} writing the single {@code value} at every indexed position. */
    public Tensor scatter(int dim, Tensor index, double value) {
        return Indexing.scatter(this, dim, index, value);
    }

    /** {@link #scatter(int, Tensor, Tensor)} writing into this tensor. Returns this. */
    public Tensor scatterInPlace(int dim, Tensor index, Tensor src) {
        return Indexing.scatterInPlace(this, dim, index, src);
    }

    /** {@link #scatter(int, Tensor, double)} writing into this tensor. Returns this. */
    public Tensor scatterInPlace(int dim, Tensor index, double value) {
        return Indexing.scatterInPlace(this, dim, index, value);
    }

    /**
     * A copy of this tensor with {@code src} added at the positions {@code index} gives along
     * {@code dim}: for {@code dim = 1}, {@code out[i][index[i][j][k]][k] += src[i][j][k]}; repeated
     * indices accumulate. This is the gradient of {@link #gather}.
     *
     * <pre>{@code
     * Tensor counts = Tensor.zeros(Shape.of(5), DType.INT64).scatterAdd(0, labels, labels.onesLike()); // histogram
     * }</pre>
     */
    public Tensor scatterAdd(int dim, Tensor index, Tensor src) {
        return Indexing.scatterAdd(this, dim, index, src);
    }

    /** {@link #scatterAdd} into this tensor. Returns this. */
    public Tensor scatterAddInPlace(int dim, Tensor index, Tensor src) {
        return Indexing.scatterAddInPlace(this, dim, index, src);
    }

    /**
     * The slices at positions {@code index} (1-D) along {@code dim}, in index order (repeats
     * allowed): {@code out.size(dim) == index.numel()}. An embedding lookup is
     * {@code weight.indexSelect(0, tokens)}.
     */
    public Tensor indexSelect(int dim, Tensor index) {
        return Indexing.indexSelect(this, dim, index);
    }

    /**
     * A copy of this tensor with slice {@code i} of {@code src} added at position {@code index[i]}
     * along {@code dim} (repeats accumulate); src is this shape with {@code index.numel()} at dim. The
     * gradient of {@link #indexSelect}.
     */
    public Tensor indexAdd(int dim, Tensor index, Tensor src) {
        return Indexing.indexAdd(this, dim, index, src);
    }

    /**
     * Rows (slices along dimension 0) at integer {@code indices} of any shape, PyTorch's
     * {@code x[indices]}: the result has shape {@code indices.shape + shape[1:]}; negative indices
     * count from the end.
     */
    public Tensor index(Tensor indices) {
        return Indexing.index(this, indices);
    }

    /**
     * This tensor with {@code value} wherever the BOOL {@code mask} (broadcast against it) is true.
     * The gradient flows only to the elements that were kept.
     */
    public Tensor maskedFill(Tensor mask, double value) {
        return Indexing.maskedFill(this, mask, value);
    }

    /** {@link #maskedFill(Tensor, double)} with a 0-d tensor value (which receives the filled elements' gradient). */
    public Tensor maskedFill(Tensor mask, Tensor value) {
        return Indexing.maskedFill(this, mask, value);
    }

    /**
     * One-hot encoding of integer class labels: an INT64 tensor of shape {@code labels.shape + [numClasses]}
     * with a 1 at each label. {@code numClasses = -1} uses the largest label plus one.
     *
     * <pre>{@code
     * Tensor.oneHot(Tensor.of(new long[] {0, 2}), 3)   // [[1, 0, 0], [0, 0, 1]]
     * }</pre>
     */
    public static Tensor oneHot(Tensor labels, int numClasses) {
        return Indexing.oneHot(labels, numClasses);
    }

    /**
     * Concatenates tensors along an existing dimension {@code dim}. Shapes must agree except at dim;
     * dtypes are promoted as for binary ops (int64 with float32 gives float32). 1-D empty tensors are
     * skipped, as in PyTorch.
     */
    public static Tensor cat(List<Tensor> tensors, int dim) {
        return Joining.cat(tensors, dim);
    }

    /** Stacks same-shape tensors along a new dimension {@code dim} (0 .. rank). */
    public static Tensor stack(List<Tensor> tensors, int dim) {
        return Joining.stack(tensors, dim);
    }

    /**
     * Views of consecutive pieces of {@code splitSize} along {@code dim} (the last may be smaller).
     * Writing into a piece writes into this tensor.
     */
    public List<Tensor> split(int splitSize, int dim) {
        return Joining.split(this, splitSize, dim);
    }

    /** Views of consecutive pieces with the given sizes along {@code dim}; the sizes must add up to {@code size(dim)}. */
    public List<Tensor> split(int[] sizes, int dim) {
        return Joining.split(this, sizes, dim);
    }

    /**
     * Up to {@code chunks} views of equal size {@code ceil(size(dim) / chunks)} along {@code dim} (the
     * last may be smaller, and there may be fewer than asked for, as in PyTorch).
     */
    public List<Tensor> chunk(int chunks, int dim) {
        return Joining.chunk(this, chunks, dim);
    }

    /**
     * Zero padding in PyTorch's {@code F.pad} order: {@code (left, right)} for the last dimension, then
     * {@code (top, bottom)} for the one before, and so on. Negative amounts crop.
     *
     * <pre>{@code
     * images.pad(1, 1, 2, 2)   // [N, C, H, W] -> [N, C, H + 4, W + 2]
     * }</pre>
     */
    public Tensor pad(int... pads) {
        return ShapeOps.pad(this, pads, PadMode.CONSTANT, 0);
    }

    /** Constant padding with {@code value} ({@code pads} in {@code F.pad} order, see {@link #pad(int...)}). */
    public Tensor pad(int[] pads, double value) {
        return ShapeOps.pad(this, pads, PadMode.CONSTANT, value);
    }

    /**
     * Padding with the given mode ({@code pads} in {@code F.pad} order, see {@link #pad(int...)}):
     * constant zeros, reflection (each pad smaller than its dimension) or edge replication. Unlike
     * PyTorch 1.13, reflect and replicate work on any rank and any number of padded dimensions.
     */
    public Tensor pad(int[] pads, PadMode mode) {
        return ShapeOps.pad(this, pads, mode, 0);
    }

    /**
     * Tiles this tensor {@code repeats[d]} times along each dimension d (extra leading repeats add
     * dimensions): shape {@code [2, 3]} repeated {@code (2, 1, 2)} gives {@code [2, 2, 6]}. Always copies.
     */
    public Tensor repeat(int... repeats) {
        return ShapeOps.repeat(this, repeats);
    }

    /** A copy with the order of elements reversed along each of {@code dims}. */
    public Tensor flip(int... dims) {
        return ShapeOps.flip(this, dims);
    }

    /** The lower triangle (including the diagonal) of each matrix in the last two dimensions; zeros above. */
    public Tensor tril() {
        return ShapeOps.tril(this, 0);
    }

    /**
     * The elements on and below diagonal {@code k} (kept where {@code col - row <= k}) of each matrix in
     * the last two dimensions; k > 0 includes diagonals above the main one, k < 0 excludes some below.
     */
    public Tensor tril(int k) {
        return ShapeOps.tril(this, k);
    }

    /** The upper triangle (including the diagonal) of each matrix in the last two dimensions; zeros below. */
    public Tensor triu() {
        return ShapeOps.triu(this, 0);
    }

    /** The elements on and above diagonal {@code k} (kept where {@code col - row >= k}) of each matrix in the last two dimensions. */
    public Tensor triu(int k) {
        return ShapeOps.triu(this, k);
    }
}
