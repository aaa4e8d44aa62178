package dev.ember.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The two row loops of the fused softmax cross-entropy ({@link CpuLosses}): the forward needs only
 * each row's log-sum-exp (the loss is {@code lse - x[target]}), and the backward writes
 * {@code scale * (softmax - shift)} straight from the logits and that saved log-sum-exp, so neither
 * pass materialises a log-softmax or a one-hot tensor. Definitions as in {@link ScalarFloatKernels}.
 */
final class VectorLossLoops {
    private static final VectorSpecies<Float> S = VectorMath.S;
    private static final int L = S.length();
    private static final int BLOCK = VectorReduceLoops.BLOCK;

    private VectorLossLoops() {
    }

    static double logSumExpRow(float[] x, int xo, int len) {
        if (len == 0) return Double.NEGATIVE_INFINITY;
        if (len <= L) return logSumExpShort(x, xo, len);
        float m = VectorReduceLoops.max(x, xo, len, false);
        if (m == Float.NEGATIVE_INFINITY) return Double.NEGATIVE_INFINITY;
        FloatVector vm = FloatVector.broadcast(S, m);
        double sum = 0;
        for (int start = 0; start < len; start += BLOCK) { // float partial sums folded into a double per block
            int end = Math.min(len, start + BLOCK);
            FloatVector a0 = FloatVector.zero(S), a1 = a0;
            int i = start;
            for (; i <= end - 2 * L; i += 2 * L) { // two chains: the exps of one overlap the adds of the other
                a0 = a0.add(VectorMath.exp(FloatVector.fromArray(S, x, xo + i).sub(vm)));
                a1 = a1.add(VectorMath.exp(FloatVector.fromArray(S, x, xo + i + L).sub(vm)));
            }
            for (; i < end; i += L) {
                VectorMask<Float> t = S.indexInRange(i, end);
                FloatVector e = VectorMath.exp(FloatVector.fromArray(S, x, xo + i, t).sub(vm));
                a0 = a0.add(FloatVector.zero(S).blend(e, t));
            }
            sum += VectorMath.sumLanes(a0.add(a1));
        }
        return m + Math.log(sum);
    }

    /** A row within one vector (e.g. 10 classes): one masked load serves the max and the sum. */
    private static double logSumExpShort(float[] x, int xo, int len) {
        VectorMask<Float> t = S.indexInRange(0, len);
        FloatVector v = FloatVector.fromArray(S, x, xo, t);
        if (v.test(VectorOperators.IS_NAN, t).anyTrue()) return Double.NaN;
        float m = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY).blend(v, t).reduceLanes(VectorOperators.MAX);
        if (m == Float.NEGATIVE_INFINITY) return Double.NEGATIVE_INFINITY;
        FloatVector e = VectorMath.exp(v.sub(m));
        return m + Math.log(VectorMath.sumLanes(FloatVector.zero(S).blend(e, t)));
    }

    static void crossEntropyGradRow(float[] x, int xo, float lse, float scale, float shift, float[] o, int oo, int len) {
        FloatVector vl = FloatVector.broadcast(S, lse), vs = FloatVector.broadcast(S, scale), vh = FloatVector.broadcast(S, shift);
        int i = 0;
        for (; i <= len - L; i += L) {
            VectorMath.exp(FloatVector.fromArray(S, x, xo + i).sub(vl)).sub(vh).mul(vs).intoArray(o, oo + i);
        }
        if (i < len) {
            VectorMask<Float> t = S.indexInRange(i, len);
            VectorMath.exp(FloatVector.fromArray(S, x, xo + i, t).sub(vl)).sub(vh).mul(vs).intoArray(o, oo + i, t);
        }
    }
}
