package dev.ember.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Softmax and log-softmax, forward and backward, along one dimension of contiguous float data.
 * Rows: the dimension is the last one (elements adjacent), three vector passes per row. Columns: the
 * dimension has stride {@code stride} and {@code width} adjacent softmaxes run side by side, one per
 * vector lane, so the strided case (softmax over channels of NCHW) is vectorised across the inner
 * positions instead of walking each strided line alone.
 *
 * <p>Definitions (as {@link ScalarFloatKernels}): m = max; softmax = e^(x - m) / sum e^(x - m);
 * log-softmax = (x - m) - log sum e^(x - m); an all -inf line uses m = 0 (so the result is NaN, as in
 * PyTorch). Backward with y the forward output and g the incoming gradient: softmax
 * {@code y * (g - sum(g * y))}, log-softmax {@code g - e^y * sum(g)}.
 */
final class VectorSoftmaxLoops {
    private static final VectorSpecies<Float> S = VectorMath.S;
    private static final int L = S.length();
    private static final int BLOCK = VectorReduceLoops.BLOCK;

    private VectorSoftmaxLoops() {
    }

    static void softmaxRow(float[] x, int xo, float[] o, int oo, int len, boolean log) {
        if (len == 0) return;
        float m = VectorReduceLoops.max(x, xo, len, false);
        if (m == Float.NEGATIVE_INFINITY) m = 0;
        FloatVector vm = FloatVector.broadcast(S, m);
        double sum = 0;
        for (int start = 0; start < len; start += BLOCK) {
            int end = Math.min(len, start + BLOCK);
            FloatVector acc = FloatVector.zero(S);
            int i = start;
            for (; i <= end - L; i += L) {
                FloatVector e = VectorMath.exp(FloatVector.fromArray(S, x, xo + i).sub(vm));
                if (!log) e.intoArray(o, oo + i);
                acc = acc.add(e);
            }
            if (i < end) {
                VectorMask<Float> t = S.indexInRange(i, end);
                FloatVector e = VectorMath.exp(FloatVector.fromArray(S, x, xo + i, t).sub(vm));
                if (!log) e.intoArray(o, oo + i, t);
                acc = acc.add(FloatVector.zero(S).blend(e, t));
            }
            sum += VectorMath.sumLanes(acc);
        }
        if (log) {
            FloatVector lse = FloatVector.broadcast(S, (float) Math.log(sum));
            int i = 0;
            for (; i <= len - L; i += L) FloatVector.fromArray(S, x, xo + i).sub(vm).sub(lse).intoArray(o, oo + i);
            if (i < len) {
                VectorMask<Float> t = S.indexInRange(i, len);
                FloatVector.fromArray(S, x, xo + i, t).sub(vm).sub(lse).intoArray(o, oo + i, t);
            }
        } else {
            FloatVector inv = FloatVector.broadcast(S, (float) (1.0 / sum));
            int i = 0;
            for (; i <= len - L; i += L) FloatVector.fromArray(S, o, oo + i).mul(inv).intoArray(o, oo + i);
            if (i < len) {
                VectorMask<Float> t = S.indexInRange(i, len);
                FloatVector.fromArray(S, o, oo + i, t).mul(inv).intoArray(o, oo + i, t);
            }
        }
    }

    static void softmaxColumns(float[] x, int xo, float[] o, int oo, int len, int stride, int width, boolean log) {
        if (len == 0) return;
        for (int j = 0; j < width; j += L) {
            VectorMask<Float> t = S.indexInRange(j, width);
            FloatVector m = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            for (int i = 0; i < len; i++) m = m.max(FloatVector.fromArray(S, x, xo + j + i * stride, t));
            m = m.blend(0f, m.compare(VectorOperators.EQ, Float.NEGATIVE_INFINITY));
            FloatVector sum = FloatVector.zero(S);
            for (int i = 0; i < len; i++) {
                FloatVector e = VectorMath.exp(FloatVector.fromArray(S, x, xo + j + i * stride, t).sub(m));
                if (!log) e.intoArray(o, oo + j + i * stride, t);
                sum = sum.add(e);
            }
            if (log) {
                FloatVector lse = sum.lanewise(VectorOperators.LOG);
                for (int i = 0; i < len; i++) {
                    int k = j + i * stride;
                    FloatVector.fromArray(S, x, xo + k, t).sub(m).sub(lse).intoArray(o, oo + k, t);
                }
            } else {
                FloatVector inv = FloatVector.broadcast(S, 1f).div(sum);
                for (int i = 0; i < len; i++) {
                    int k = oo + j + i * stride;
                    FloatVector.fromArray(S, o, k, t).mul(inv).intoArray(o, k, t);
                }
            }
        }
    }

    /** sum(g * y) (softmax) or sum(g) (log-softmax) over a row, in float blocks folded into a double. */
    private static double rowDot(float[] g, int go, float[] y, int yo, int len, boolean log) {
        double total = 0;
        for (int start = 0; start < len; start += BLOCK) {
            int end = Math.min(len, start + BLOCK);
            FloatVector a0 = FloatVector.zero(S), a1 = a0;
            int i = start;
            for (; i <= end - 2 * L; i += 2 * L) {
                FloatVector g0 = FloatVector.fromArray(S, g, go + i), g1 = FloatVector.fromArray(S, g, go + i + L);
                if (log) {
                    a0 = a0.add(g0);
                    a1 = a1.add(g1);
                } else {
                    a0 = g0.fma(FloatVector.fromArray(S, y, yo + i), a0);
                    a1 = g1.fma(FloatVector.fromArray(S, y, yo + i + L), a1);
                }
            }
            for (; i < end; i += L) {
                VectorMask<Float> t = S.indexInRange(i, end);
                FloatVector gv = FloatVector.fromArray(S, g, go + i, t);
                a0 = log ? a0.add(gv) : gv.fma(FloatVector.fromArray(S, y, yo + i, t), a0);
            }
            total += VectorMath.sumLanes(a0.add(a1));
        }
        return total;
    }

    static void softmaxBackwardRow(float[] g, int go, float[] y, int yo, float[] o, int oo, int len, boolean log) {
        FloatVector d = FloatVector.broadcast(S, (float) rowDot(g, go, y, yo, len, log));
        int i = 0;
        for (; i <= len - L; i += L) {
            FloatVector gv = FloatVector.fromArray(S, g, go + i), yv = FloatVector.fromArray(S, y, yo + i);
            backward(gv, yv, d, log).intoArray(o, oo + i);
        }
        if (i < len) {
            VectorMask<Float> t = S.indexInRange(i, len);
            FloatVector gv = FloatVector.fromArray(S, g, go + i, t), yv = FloatVector.fromArray(S, y, yo + i, t);
            backward(gv, yv, d, log).intoArray(o, oo + i, t);
        }
    }

    private static FloatVector backward(FloatVector g, FloatVector y, FloatVector dot, boolean log) {
        return log ? VectorMath.exp(y).neg().fma(dot, g) : y.mul(g.sub(dot));
    }

    static void softmaxBackwardColumns(float[] g, int go, float[] y, int yo, float[] o, int oo, int len, int stride, int width,
                                       boolean log) {
        for (int j = 0; j < width; j += L) {
            VectorMask<Float> t = S.indexInRange(j, width);
            FloatVector d = FloatVector.zero(S);
            for (int i = 0; i < len; i++) {
                int k = j + i * stride;
                FloatVector gv = FloatVector.fromArray(S, g, go + k, t);
                d = log ? d.add(gv) : gv.fma(FloatVector.fromArray(S, y, yo + k, t), d);
            }
            for (int i = 0; i < len; i++) {
                int k = j + i * stride;
                FloatVector gv = FloatVector.fromArray(S, g, go + k, t), yv = FloatVector.fromArray(S, y, yo + k, t);
                backward(gv, yv, d, log).intoArray(o, oo + k, t);
            }
        }
    }
}
