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
            Tensor out3 = Creation.empty(Shape.of(bs, m, n), a.dtype(), a.device());
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
