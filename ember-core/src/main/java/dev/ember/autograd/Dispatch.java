package dev.ember.autograd;

import dev.ember.tensor.DType;
import dev.ember.tensor.Device;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;
import dev.ember.tensor.TensorAccess;

/**
 * Runs ops: checks devices, runs the forward with recording off, and records a {@link Node} when an
 * input requires grad. Every tensor computation in Ember passes through {@link #apply} or
 * {@link #applyInPlace}, which is what later lets a tracer capture a static graph of the same ops.
 */
public final class Dispatch {
    private Dispatch() {
    }

    /** Runs {@code op} out of place. */
    public static Tensor apply(Op op, Tensor... inputs) {
        checkDevices(op, inputs);
        boolean record = op.differentiable() && GradMode.isEnabled() && anyRequiresGrad(inputs);
        Context ctx = record ? newContext(op, inputs) : Context.NONE;
        Tensor out;
        boolean prev = GradMode.set(false);
        try {
            out = op.forward(ctx, inputs);
        } finally {
            GradMode.set(prev);
        }
        for (Tensor in : inputs) {
            if (out == in) {
                out = TensorAccess.alias(out); // never rebind an input's history
                break;
            }
        }
        if (record) {
            if (!out.dtype().isFloating()) {
                throw new IllegalStateException(op.name() + ": a differentiable op returned a " + out.dtype().pyName()
                        + " tensor; mark it non-differentiable");
            }
            ctx.bindOutput(out);
            TensorAccess.setGradFn(out, new Node(op, ctx, edges(inputs), null));
        }
        if (Anomaly.isEnabled()) Anomaly.checkForward(op, out);
        return out;
    }

    /**
     * Runs {@code op} writing into {@code target} (its first input). Bumps the storage version so that
     * backward detects saved tensors that were overwritten.
     */
    public static Tensor applyInPlace(InPlaceOp op, Tensor target, Tensor... others) {
        Tensor[] inputs = new Tensor[others.length + 1];
        inputs[0] = target;
        System.arraycopy(others, 0, inputs, 1, others.length);
        checkDevices(op, inputs);
        boolean gradOn = GradMode.isEnabled();
        if (gradOn && target.requiresGrad() && target.isLeaf()) {
            throw new IllegalStateException(op.name() + "InPlace: a leaf tensor that requires grad (shape " + target.shape()
                    + ") is being used in an in-place operation. Hint: update parameters inside try (var g = Grad.off()) { ... }, "
                    + "or use the out-of-place op.");
        }
        boolean record = op.differentiable() && gradOn && anyRequiresGrad(inputs);
        if (record && target.base() != null) {
            throw new UnsupportedOperationException(op.name() + "InPlace: in-place modification of a view (shape " + target.shape()
                    + ") while recording gradients is not supported. Hint: build the result out of place (e.g. with where or cat), "
                    + "or copy() the view first.");
        }
        Context ctx = record ? newContext(op, inputs) : Context.NONE;
        Node[] edges = record ? edges(inputs) : null;
        boolean prev = GradMode.set(false);
        try {
            op.forwardInto(ctx, target, inputs);
        } finally {
            GradMode.set(prev);
        }
        target.storage().bumpVersion();
        if (record) {
            ctx.bindOutput(target);
            TensorAccess.setGradFn(target, new Node(op, ctx, edges, null));
        }
        if (Anomaly.isEnabled()) Anomaly.checkForward(op, target);
        return target;
    }

    private static boolean anyRequiresGrad(Tensor[] inputs) {
        for (Tensor t : inputs) {
            if (t != null && t.requiresGrad()) return true;
        }
        return false;
    }

    private static Context newContext(Op op, Tensor[] inputs) {
        int n = inputs.length;
        Shape[] shapes = new Shape[n];
        DType[] dtypes = new DType[n];
        boolean[] needs = new boolean[n];
        for (int i = 0; i < n; i++) {
            Tensor t = inputs[i];
            if (t == null) continue;
            shapes[i] = t.shape();
            dtypes[i] = t.dtype();
            needs[i] = t.requiresGrad();
        }
        return new Context(op.name(), shapes, dtypes, needs, true);
    }

    private static Node[] edges(Tensor[] inputs) {
        Node[] next = new Node[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            Tensor t = inputs[i];
            if (t == null || !t.requiresGrad()) continue;
            next[i] = t.gradFn() != null ? t.gradFn() : TensorAccess.accumulator(t);
        }
        return next;
    }

    private static void checkDevices(Op op, Tensor[] inputs) {
        Device d = null;
        for (Tensor t : inputs) {
            if (t == null) continue;
            if (d == null) {
                d = t.device();
            } else if (!d.equals(t.device())) {
                StringBuilder sb = new StringBuilder();
                for (Tensor u : inputs) {
                    if (u != null) sb.append(sb.isEmpty() ? "" : ", ").append(u.device());
                }
                throw new IllegalArgumentException(op.name() + ": expected all tensors on the same device, got " + sb
                        + ". Hint: move them with tensor.to(device).");
            }
        }
    }
}
