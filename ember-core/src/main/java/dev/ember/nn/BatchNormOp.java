package dev.ember.nn;

import dev.ember.autograd.Context;
import dev.ember.autograd.GradMode;
import dev.ember.autograd.Op;
import dev.ember.kernels.Backends;
import dev.ember.ops.Creation;
import dev.ember.tensor.Tensor;

/**
 * Training-mode batch normalisation of a contiguous FLOAT32 [N, C, *] input as one op: inputs x, mean
 * and invstd (the batch statistics of x, computed by the caller so that it can also update the running
 * statistics; they take no gradient), then weight and bias when present. The backward is the closed
 * form of the whole normalisation (through the statistics too), in one kernel; the composite
 * {@code (x - mean(x)) * rsqrt(var(x) + eps) * weight + bias} in {@link Normalization} is the reference
 * it is tested against, and the form used when a gradient must itself be differentiated.
 */
record BatchNormOp(double eps, boolean hasWeight, boolean hasBias) implements Op {
    @Override
    public String name() {
        return "batchNorm";
    }

    @Override
    public Tensor forward(Context ctx, Tensor... in) {
        Tensor x = in[0], mean = in[1], invstd = in[2];
        Tensor weight = hasWeight ? in[3] : null, bias = hasBias ? in[hasWeight ? 4 : 3] : null;
        Tensor out = Creation.uninitialized(x.shape(), x.dtype(), x.device()); // the kernels write every element
        Backends.get(x.device()).batchNormForward(x, mean, invstd, weight, bias, out);
        if (ctx.isRecording()) ctx.save(x, mean, invstd, weight == null ? Tensor.ones(1) : weight);
        return out;
    }

    @Override
    public Tensor[] backward(Context ctx, Tensor g) {
        Tensor x = ctx.saved(0), mean = ctx.saved(1), invstd = ctx.saved(2), weight = hasWeight ? ctx.saved(3) : null;
        int wi = 3, bi = hasWeight ? 4 : 3;
        Tensor[] grads = new Tensor[3 + (hasWeight ? 1 : 0) + (hasBias ? 1 : 0)];
        boolean needX = ctx.needsInputGrad(0), needW = hasWeight && ctx.needsInputGrad(wi), needB = hasBias && ctx.needsInputGrad(bi);
        if (GradMode.isEnabled()) return compositeGrads(x, weight, g, grads, needX, needW, needB, wi, bi);
        int c = x.size(1);
        Tensor gc = g.contiguous();
        Tensor gx = needX ? Creation.uninitialized(x.shape(), x.dtype(), x.device()) : null;
        Tensor gw = needW ? Creation.uninitialized(dev.ember.tensor.Shape.of(c), x.dtype(), x.device()) : null;
        Tensor gb = needB ? Creation.uninitialized(dev.ember.tensor.Shape.of(c), x.dtype(), x.device()) : null;
        Backends.get(x.device()).batchNormBackward(gc, x, mean, invstd, weight, gx, gw, gb);
        grads[0] = gx;
        if (needW) grads[wi] = gw;
        if (needB) grads[bi] = gb;
        return grads;
    }

    /** The same gradients from tensor ops (statistics recomputed from x), so that they can be differentiated again. */
    private Tensor[] compositeGrads(Tensor x, Tensor weight, Tensor g, Tensor[] grads, boolean needX, boolean needW, boolean needB,
                                   int wi, int bi) {
        int[] dims = Normalization.allButChannel(x.rank());
        double m = (double) x.numel() / x.size(1);
        Tensor inv = x.var(dims, 0, true).add(eps).rsqrt();
        Tensor xhat = x.sub(x.mean(dims, true)).mul(inv);
        Tensor gb = g.sum(dims, true), gw = g.mul(xhat).sum(dims, true);
        if (needB) grads[bi] = gb.reshape(x.size(1));
        if (needW) grads[wi] = gw.reshape(x.size(1));
        if (needX) {
            Tensor k = weight == null ? inv : inv.mul(Normalization.perChannel(weight, x.rank()));
            grads[0] = k.mul(g.sub(gb.div(m)).sub(xhat.mul(gw.div(m))));
        }
        return grads;
    }
}
