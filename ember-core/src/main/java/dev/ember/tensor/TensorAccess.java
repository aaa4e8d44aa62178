package dev.ember.tensor;

import dev.ember.autograd.Node;

/**
 * Not API. The seam through which the op dispatcher, autograd engine and kernels reach tensor
 * internals that users should not touch (constructing views, attaching history). Kept in one place
 * so that {@link Tensor}'s public surface stays what users see in PyTorch.
 */
public final class TensorAccess {
    private TensorAccess() {
    }

    /** A new tensor owning {@code storage} (not a view). */
    public static Tensor make(Storage storage, Shape shape, int[] strides, int offset) {
        return new Tensor(storage, shape, strides, offset, null);
    }

    /** A contiguous tensor owning {@code storage}. */
    public static Tensor make(Storage storage, Shape shape) {
        return new Tensor(storage, shape, shape.contiguousStrides(), 0, null);
    }

    /** A view of {@code of}'s storage with new geometry; its base is {@code of}'s root base. */
    public static Tensor view(Tensor of, Shape shape, int[] strides, int offset) {
        return new Tensor(of.storage, shape, strides, offset, of.base != null ? of.base : of);
    }

    /** A new tensor object for the same data (used when an op would otherwise return its input). */
    public static Tensor alias(Tensor t) {
        return new Tensor(t.storage, t.shape, t.strides, t.offset, t.base != null ? t.base : t);
    }

    /** The strides array itself (callers must not modify it). */
    public static int[] strides(Tensor t) {
        return t.strides;
    }

    /** The dimension sizes array itself (callers must not modify it). */
    public static int[] dims(Tensor t) {
        return t.shape.dimsUnsafe();
    }

    /** The dimension sizes array itself (callers must not modify it). */
    public static int[] dims(Shape s) {
        return s.dimsUnsafe();
    }

    /** A shape over an array the caller gives up. */
    public static Shape shape(int[] dims) {
        return Shape.wrap(dims);
    }

    /** Attaches the node that produced {@code t} (making it require grad). */
    public static void setGradFn(Tensor t, Node node) {
        t.gradFn = node;
        t.requiresGrad = node != null || t.requiresGrad;
    }

    /** The gradient-accumulating node of a leaf that requires grad (created on first use). */
    public static Node accumulator(Tensor leaf) {
        if (leaf.accumulator == null) leaf.accumulator = Node.accumulatorFor(leaf);
        return leaf.accumulator;
    }

    /** Sets the gradient without the shape check (engine use). */
    public static void setGrad(Tensor t, Tensor g) {
        t.grad = g;
    }
}
