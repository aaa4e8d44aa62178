package dev.ember.ops;

import dev.ember.autograd.Context;
import dev.ember.autograd.Dispatch;
import dev.ember.autograd.Op;
import dev.ember.tensor.DType;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;
import dev.ember.tensor.TensorAccess;

import java.util.Arrays;

/** Matrix products. */
public final class LinAlg {
    private LinAlg() {
    }

    /** [M, K] x [K, N] or batched [B, M, K] x [B, K, N] (same rank, same batch, same dtype). */
    public record MatMul() implements Op {
        @Override
        public String name() {
            return "matmul";
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor a = in[0], b = in[1];
            boolean batched = a.rank() == 3;
            Tensor a3 = batched ? a : as3d(a), b3 = batched ? b : as3d(b);
            int bs = a3.size(0), m = a3.size(1), n = b3.size(2);
            Tensor out3 = Creation.uninitialized(Shape.of(bs, m, n), a.dtype(), a.device());
            Elementwise.backend(a).matmul(a3, b3, out3);
            ctx.save(ctx.needsInputGrad(1) ? a : null, ctx.needsInputGrad(0) ? b : null);
            return batched ? out3 : TensorAccess.make(out3.storage(), Shape.of(m, n));
        }

        private static Tensor as3d(Tensor t) {
            int[] st = TensorAccess.strides(t);
            return TensorAccess.view(t, Shape.of(1, t.size(0), t.size(1)), new int[] {0, st[0], st[1]}, t.offset());
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor g) {
            Tensor ga = ctx.needsInputGrad(0) ? Dispatch.apply(this, g, ctx.saved(1).mT()) : null;
            Tensor gb = ctx.needsInputGrad(1) ? Dispatch.apply(this, ctx.saved(0).mT(), g) : null;
            return new Tensor[] {ga, gb};
        }
    }

    /**
     * A fully connected layer, {@code y = x w^T + bias} ({@code torch.nn.functional.linear}; ONNX Gemm with
     * transB): x [*, in], w [out, in], optional bias [out]; y [*, out]. One op rather than matmul, transpose
     * and add, so that the bias is added inside the GEMM's output pass and the weight gradient is computed
     * directly in the weight's own [out, in] layout: through a transposed view it would arrive transposed,
     * and the leaf's gradient accumulation would have to transpose it back.
     */
    public record Linear() implements Op {
        @Override
        public String name() {
            return "linear";
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor x = in[0], w = in[1], b = in.length > 2 ? in[2] : null;
            checkLinear(x, w, b);
            Tensor x2 = rows(x);
            Tensor y2 = Creation.uninitialized(Shape.of(x2.size(0), w.size(0)), x.dtype(), x.device());
            Elementwise.backend(x).linear(x2, w, b, y2);
            // x itself, not x2: backward reshapes it again, so that with createGraph the weight gradient stays connected to x.
            ctx.save(ctx.needsInputGrad(1) ? x : null, ctx.needsInputGrad(0) ? w : null);
            return x.rank() == 2 ? y2 : y2.reshape(outShape(x, w));
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor g) {
            Shape xs = ctx.inputShape(0);
            Tensor g2 = g.reshape(-1, g.size(-1));
            // Both products go through MatMul, so higher-order gradients flow through them.
            Tensor gx = ctx.needsInputGrad(0) ? Dispatch.apply(new MatMul(), g2, ctx.saved(1)).reshape(xs.toArray()) : null;
            Tensor gw = ctx.needsInputGrad(1) ? Dispatch.apply(new MatMul(), g2.mT(), rows(ctx.saved(0))) : null;
            if (ctx.inputCount() < 3) return new Tensor[] {gx, gw};
            return new Tensor[] {gx, gw, ctx.needsInputGrad(2) ? g2.sum(new int[] {0}, false) : null};
        }

        /** x as [rows, in]: a view when its leading dims fold, a contiguous copy otherwise. */
        private static Tensor rows(Tensor x) {
            if (x.rank() == 2) return x;
            return x.reshape(-1, x.size(-1));
        }

        private static int[] outShape(Tensor x, Tensor w) {
            int[] d = x.shape().toArray();
            d[d.length - 1] = w.size(0);
            return d;
        }
    }

    static void checkLinear(Tensor x, Tensor w, Tensor b) {
        if (w.rank() != 2) throw new IllegalArgumentException("linear: weight must be [out, in], got " + w.shape());
        if (x.rank() == 0 || x.size(-1) != w.size(1)) {
            throw new IllegalArgumentException("linear: input " + x.shape() + " has " + (x.rank() == 0 ? "no" : x.size(-1))
                    + " features but the weight " + w.shape() + " expects " + w.size(1));
        }
        if (b != null && (b.rank() != 1 || b.size(0) != w.size(0))) {
            throw new IllegalArgumentException("linear: bias must be [" + w.size(0) + "] for the weight " + w.shape() + ", got "
                    + b.shape());
        }
        if (x.dtype() != w.dtype() || (b != null && b.dtype() != w.dtype())) {
            throw new IllegalArgumentException("linear: input, weight and bias must have the same dtype, got " + x.dtype().pyName()
                    + ", " + w.dtype().pyName() + (b == null ? "" : ", " + b.dtype().pyName()));
        }
        if (!x.dtype().isFloating()) {
            throw new IllegalArgumentException("linear: needs floating-point tensors, got " + x.dtype().pyName());
        }
    }

    /** {@code x w^T + bias} for x [*, in], w [out, in], bias [out] or null (see {@link Linear}). */
    public static Tensor linear(Tensor x, Tensor w, Tensor bias) {
        checkLinear(x, w, bias);
        return bias == null ? Dispatch.apply(new Linear(), x, w) : Dispatch.apply(new Linear(), x, w, bias);
    }

    private static void check(Tensor a, Tensor b) {
        if (a.rank() == 0 || b.rank() == 0) {
            throw new IllegalArgumentException("matmul: both arguments need at least 1 dimension, got shapes " + a.shape() + " and "
                    + b.shape());
        }
    }

    public static Tensor matmul(Tensor a, Tensor b) {
        check(a, b);
        DType dt = DType.promote(a.dtype(), b.dtype());
        if (!dt.isFloating()) {
            throw new IllegalArgumentException("matmul: integer and bool matrices are not supported (got " + a.dtype().pyName() + " and "
                    + b.dtype().pyName() + "); convert with to(DType.FLOAT32)");
        }
        if (a.dtype() != dt) a = a.to(dt);
        if (b.dtype() != dt) b = b.to(dt);
        boolean vecA = a.rank() == 1, vecB = b.rank() == 1;
        if (vecA) a = a.unsqueeze(0);
        if (vecB) b = b.unsqueeze(1);
        int k = a.size(-1);
        if (k != b.size(-2)) {
            throw new IllegalArgumentException("matmul: shapes " + shapeOf(a, vecA, true) + " and " + shapeOf(b, vecB, false)
                    + " cannot be multiplied (" + k + " != " + b.size(-2) + ")");
        }
        Tensor out;
        if (a.rank() == 2 && b.rank() == 2) {
            out = Dispatch.apply(new MatMul(), a, b);
        } else if (b.rank() == 2) {
            // Fold a's batch dimensions into its rows: one large GEMM instead of many small ones.
            int[] ad = a.shape().toArray();
            Tensor a2 = a.reshape(-1, k);
            Tensor o2 = Dispatch.apply(new MatMul(), a2, b);
            int[] od = ad.clone();
            od[od.length - 1] = b.size(1);
            out = o2.reshape(od);
        } else {
            int[] ab = Arrays.copyOf(a.shape().toArray(), a.rank() - 2);
            int[] bb = Arrays.copyOf(b.shape().toArray(), b.rank() - 2);
            Shape batch = Shape.broadcast(Shape.of(ab), Shape.of(bb), "matmul");
            int[] bd = batch.toArray();
            int m = a.size(-2), n = b.size(-1);
            Tensor a3 = a.expand(concat(bd, m, k)).reshape(-1, m, k);
            Tensor b3 = b.expand(concat(bd, k, n)).reshape(-1, k, n);
            out = Dispatch.apply(new MatMul(), a3, b3).reshape(concat(bd, m, n));
        }
        if (vecA) out = out.squeeze(-2);
        if (vecB) out = out.squeeze(-1);
        return out;
    }

    private static String shapeOf(Tensor t, boolean wasVector, boolean left) {
        if (!wasVector) return t.shape().toString();
        return "[" + (left ? t.size(1) : t.size(0)) + "]";
    }

    private static int[] concat(int[] batch, int r, int c) {
        int[] d = Arrays.copyOf(batch, batch.length + 2);
        d[batch.length] = r;
        d[batch.length + 1] = c;
        return d;
    }
}
