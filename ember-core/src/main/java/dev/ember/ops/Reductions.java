package dev.ember.ops;

import dev.ember.autograd.Context;
import dev.ember.autograd.Dispatch;
import dev.ember.autograd.GradMode;
import dev.ember.autograd.Op;
import dev.ember.kernels.ReduceOp;
import dev.ember.tensor.DType;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;
import dev.ember.tensor.TensorAccess;

import java.util.Arrays;
import java.util.Locale;

/** Reductions (sum, max, ...), arg-reductions, and softmax, with their gradients. */
public final class Reductions {
    private Reductions() {
    }

    // =================================================================== primitives

    /** Reduces over the flagged dimensions; the output keeps them as size 1 when keepDim. */
    public record Reduce(ReduceOp kind, boolean[] dims, boolean keepDim) implements Op {
        @Override
        public String name() {
            return kind.name().toLowerCase(Locale.ROOT);
        }

        @Override
        public boolean differentiable() {
            return kind != ReduceOp.ALL && kind != ReduceOp.ANY;
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor x = in[0];
            int[] xd = TensorAccess.dims(x);
            int[] kd = xd.clone();
            for (int i = 0; i < kd.length; i++) if (dims[i]) kd[i] = 1;
            DType dt = switch (kind) {
                case SUM, PROD -> x.dtype().isFloating() ? x.dtype() : DType.INT64;
                case MAX, MIN -> x.dtype();
                case ALL, ANY -> DType.BOOL;
            };
            Tensor out = Creation.empty(Shape.of(kd), dt, x.device());
            Elementwise.backend(x).reduce(kind, x, dims, out);
            if (kind == ReduceOp.MAX || kind == ReduceOp.MIN || kind == ReduceOp.PROD) {
                ctx.save(x);
                ctx.saveOutput();
            }
            if (keepDim) return out;
            return TensorAccess.make(out.storage(), Shape.of(removeDims(xd, dims)));
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor g) {
            Shape in = ctx.inputShape(0);
            Tensor gk = keepDim ? g : g.reshape(keptShape(in));
            return new Tensor[] {switch (kind) {
                case SUM -> gk.broadcastTo(in);
                case MAX, MIN -> { // split evenly between tied extremes (PyTorch amax/amin semantics)
                    Tensor x = ctx.saved(0);
                    Tensor outK = keepDim ? ctx.output() : ctx.output().reshape(keptShape(in));
                    Tensor mask = x.eq(outK).to(g.dtype());
                    yield mask.mul(gk.div(mask.sum(dimList(), true)));
                }
                case PROD -> {
                    Tensor x = ctx.saved(0);
                    Tensor outK = keepDim ? ctx.output() : ctx.output().reshape(keptShape(in));
                    Tensor isZero = x.eq(0.0);
                    Tensor zeros = isZero.to(g.dtype()).sum(dimList(), true);
                    Tensor prodNonZero = Elementwise.where(isZero, x.onesLike(), x).prod(dimList(), true);
                    Tensor noZero = outK.div(Elementwise.where(isZero, x.onesLike(), x));
                    Tensor oneZero = Elementwise.where(isZero, prodNonZero.broadcastTo(in), x.zerosLike());
                    Tensor grad = Elementwise.where(zeros.eq(0.0), noZero,
                            Elementwise.where(zeros.eq(1.0), oneZero, x.zerosLike()));
                    yield grad.mul(gk);
                }
                case ALL, ANY -> throw new IllegalStateException(name() + " is not differentiable");
            }};
        }

        private int[] dimList() {
            int n = 0;
            for (boolean b : dims) if (b) n++;
            int[] r = new int[n];
            for (int i = 0, j = 0; i < dims.length; i++) if (dims[i]) r[j++] = i;
            return r;
        }

        private int[] keptShape(Shape in) {
            int[] d = in.toArray();
            for (int i = 0; i < d.length; i++) if (dims[i]) d[i] = 1;
            return d;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Reduce r && r.kind == kind && r.keepDim == keepDim && Arrays.equals(r.dims, dims);
        }

        @Override
        public int hashCode() {
            return kind.hashCode() * 31 + Arrays.hashCode(dims) * 2 + (keepDim ? 1 : 0);
        }

        @Override
        public String toString() {
            return "Reduce[" + kind + ", dims=" + Arrays.toString(dims) + ", keepDim=" + keepDim + "]";
        }
    }

    /** Index of the max or min along one dimension (INT64); not differentiable. */
    public record ArgReduce(boolean max, int dim, boolean keepDim) implements Op {
        @Override
        public String name() {
            return max ? "argmax" : "argmin";
        }

        @Override
        public boolean differentiable() {
            return false;
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor x = in[0];
            int[] kd = x.shape().toArray();
            kd[dim] = 1;
            Tensor out = Creation.empty(Shape.of(kd), DType.INT64, x.device());
            Elementwise.backend(x).argReduce(max, x, dim, out);
            if (keepDim) return out;
            boolean[] rd = new boolean[kd.length];
            rd[dim] = true;
            Shape s = Shape.of(removeDims(TensorAccess.dims(x), rd));
            return TensorAccess.make(out.storage(), s);
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor g) {
            throw new IllegalStateException(name() + " is not differentiable");
        }
    }

    /** Softmax or log-softmax along a dimension, fused and numerically stable. */
    public record Softmax(int dim, boolean log) implements Op {
        @Override
        public String name() {
            return log ? "logSoftmax" : "softmax";
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor x = in[0].contiguous();
            Tensor out = Creation.empty(x.shape(), x.dtype(), x.device());
            Elementwise.backend(x).softmax(x, dim, log, out);
            ctx.saveOutput();
            return out;
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor g) {
            Tensor y = ctx.output();
            if (GradMode.isEnabled()) { // building a graph for higher-order gradients: use the composite form
                int[] d = {dim};
                Tensor r = log ? g.sub(y.exp().mul(g.sum(d, true))) : y.mul(g.sub(g.mul(y).sum(d, true)));
                return new Tensor[] {r};
            }
            return new Tensor[] {Dispatch.apply(new SoftmaxBackward(dim, log), g, y)};
        }
    }

    /** The fused softmax gradient kernel (first-order only; see {@link Softmax#backward}). */
    public record SoftmaxBackward(int dim, boolean log) implements Op {
        @Override
        public String name() {
            return log ? "logSoftmaxBackward" : "softmaxBackward";
        }

        @Override
        public boolean differentiable() {
            return false;
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor g = in[0].contiguous(), y = in[1].contiguous();
            Tensor out = Creation.empty(y.shape(), y.dtype(), y.device());
            Elementwise.backend(y).softmaxBackward(g, y, dim, log, out);
            return out;
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor g) {
            throw new IllegalStateException("softmaxBackward is first-order only");
        }
    }

    // =================================================================== helpers

    static int[] removeDims(int[] d, boolean[] remove) {
        int n = 0;
        for (boolean b : remove) if (!b) n++;
        int[] r = new int[n];
        for (int i = 0, j = 0; i < d.length; i++) if (!remove[i]) r[j++] = d[i];
        return r;
    }

    /** Flags for {@code dims} (null or empty = all dimensions). */
    static boolean[] flags(Tensor x, int[] dims, String op) {
        int r = x.rank();
        boolean[] f = new boolean[r];
        if (dims == null || dims.length == 0) {
            Arrays.fill(f, true);
            return f;
        }
        for (int d : dims) {
            int n = Shape.normalizeDim(d, r, op);
            if (r == 0) continue;
            if (f[n]) throw new IllegalArgumentException(op + ": dimension " + n + " appears more than once in " + Arrays.toString(dims));
            f[n] = true;
        }
        return f;
    }

    static Tensor reduce(ReduceOp op, Tensor x, int[] dims, boolean keepDim) {
        String name = op.name().toLowerCase(Locale.ROOT);
        if ((op == ReduceOp.ALL || op == ReduceOp.ANY) && x.dtype() != DType.BOOL) x = x.ne(0.0);
        return Dispatch.apply(new Reduce(op, flags(x, dims, name), keepDim), x);
    }

    private static int count(Tensor x, boolean[] f) {
        int n = 1;
        for (int i = 0; i < f.length; i++) if (f[i]) n *= x.size(i);
        return n;
    }

    // =================================================================== public functions

    public static Tensor sum(Tensor x, int[] dims, boolean keepDim) {
        return reduce(ReduceOp.SUM, x, dims, keepDim);
    }

    public static Tensor mean(Tensor x, int[] dims, boolean keepDim) {
        if (!x.dtype().isFloating()) {
            throw new IllegalArgumentException("mean: input dtype should be floating point, got " + x.dtype().pyName()
                    + ". Hint: convert with to(DType.FLOAT32)");
        }
        int n = count(x, flags(x, dims, "mean"));
        return sum(x, dims, keepDim).div(n);
    }

    public static Tensor prod(Tensor x, int[] dims, boolean keepDim) {
        return reduce(ReduceOp.PROD, x, dims, keepDim);
    }

    public static Tensor max(Tensor x, int[] dims, boolean keepDim) {
        return reduce(ReduceOp.MAX, x, dims, keepDim);
    }

    public static Tensor min(Tensor x, int[] dims, boolean keepDim) {
        return reduce(ReduceOp.MIN, x, dims, keepDim);
    }

    public static Tensor all(Tensor x, int[] dims, boolean keepDim) {
        return reduce(ReduceOp.ALL, x, dims, keepDim);
    }

    public static Tensor any(Tensor x, int[] dims, boolean keepDim) {
        return reduce(ReduceOp.ANY, x, dims, keepDim);
    }

    public static Tensor argmax(Tensor x, Integer dim, boolean keepDim) {
        return arg(true, x, dim, keepDim);
    }

    public static Tensor argmin(Tensor x, Integer dim, boolean keepDim) {
        return arg(false, x, dim, keepDim);
    }

    private static Tensor arg(boolean max, Tensor x, Integer dim, boolean keepDim) {
        String name = max ? "argmax" : "argmin";
        if (dim == null) {
            Tensor flat = x.reshape(-1);
            Tensor r = Dispatch.apply(new ArgReduce(max, 0, false), flat);
            return keepDim ? r.reshape(onesShape(x.rank())) : r;
        }
        if (x.rank() == 0) return Creation.full(Shape.SCALAR, 0, DType.INT64);
        return Dispatch.apply(new ArgReduce(max, Shape.normalizeDim(dim, x.rank(), name), keepDim), x);
    }

    private static int[] onesShape(int r) {
        int[] d = new int[r];
        Arrays.fill(d, 1);
        return d;
    }

    public static Tensor var(Tensor x, int[] dims, int correction, boolean keepDim) {
        if (!x.dtype().isFloating()) throw new IllegalArgumentException("var: needs a floating tensor, got " + x.dtype().pyName());
        boolean[] f = flags(x, dims, "var");
        int n = count(x, f);
        int[] d = dims == null || dims.length == 0 ? null : dims;
        Tensor mu = mean(x, d, true);
        Tensor dev = x.sub(mu);
        return sum(dev.square(), d, keepDim).div(Math.max(0, n - correction));
    }

    public static Tensor std(Tensor x, int[] dims, int correction, boolean keepDim) {
        return var(x, dims, correction, keepDim).sqrt();
    }

    /** log(sum(exp(x))) over dims; shifting by the (detached) max keeps it finite. */
    public static Tensor logSumExp(Tensor x, int[] dims, boolean keepDim) {
        if (!x.dtype().isFloating()) x = x.to(DType.FLOAT32);
        Tensor m = max(x, dims, true).detach();
        m = Elementwise.where(m.abs().eq(Double.POSITIVE_INFINITY), m.zerosLike(), m);
        Tensor r = sum(x.sub(m).exp(), dims, true).log().add(m);
        if (keepDim) return r;
        boolean[] f = flags(x, dims, "logSumExp");
        return r.reshape(removeDims(x.shape().toArray(), f));
    }

    public static Tensor softmax(Tensor x, int dim) {
        return softmaxImpl(x, dim, false);
    }

    public static Tensor logSoftmax(Tensor x, int dim) {
        return softmaxImpl(x, dim, true);
    }

    private static Tensor softmaxImpl(Tensor x, int dim, boolean log) {
        String name = log ? "logSoftmax" : "softmax";
        if (!x.dtype().isFloating()) x = x.to(DType.FLOAT32);
        int d = Shape.normalizeDim(dim, x.rank(), name);
        if (x.rank() == 0) { // softmax of a scalar is 1 (log: 0), as in PyTorch
            return x.sub(x).add(log ? 0 : 1);
        }
        return Dispatch.apply(new Softmax(d, log), x);
    }
}
