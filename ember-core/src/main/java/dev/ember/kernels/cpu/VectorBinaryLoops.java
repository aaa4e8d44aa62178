package dev.ember.kernels.cpu;

import dev.ember.kernels.BinaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * One loop per float-valued {@link BinaryOp}: {@code o[oo + i] = op(a[ao + i*as], b[bo + i*bs])} with
 * the output contiguous and each input stride 1 or 0 (a broadcast scalar, loaded once per vector:
 * the stride test is loop-invariant and C2 hoists it). Full vectors, then one masked tail vector.
 * Comparisons and logical ops, which write BOOL bytes, live in {@link VectorCompareLoops}.
 */
final class VectorBinaryLoops {
    private static final VectorSpecies<Float> S = VectorMath.S;
    private static final int L = S.length();

    private VectorBinaryLoops() {
    }

    /** Runs a float-valued op; strides must be 0 or 1, the output contiguous. */
    static void run(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int n, float p0) {
        switch (op) {
            case ADD -> add(a, ao, as, b, bo, bs, o, oo, n);
            case SUB -> sub(a, ao, as, b, bo, bs, o, oo, n);
            case MUL -> mul(a, ao, as, b, bo, bs, o, oo, n);
            case DIV -> div(a, ao, as, b, bo, bs, o, oo, n);
            case POW -> pow(a, ao, as, b, bo, bs, o, oo, n);
            case MINIMUM -> minimum(a, ao, as, b, bo, bs, o, oo, n);
            case MAXIMUM -> maximum(a, ao, as, b, bo, bs, o, oo, n);
            case REMAINDER -> remainder(a, ao, as, b, bo, bs, o, oo, n);
            case ATAN2 -> atan2(a, ao, as, b, bo, bs, o, oo, n);
            case RELU_BACKWARD -> reluBackward(a, ao, as, b, bo, bs, o, oo, n);
            case SIGMOID_BACKWARD -> sigmoidBackward(a, ao, as, b, bo, bs, o, oo, n);
            case TANH_BACKWARD -> tanhBackward(a, ao, as, b, bo, bs, o, oo, n);
            case GELU_BACKWARD -> geluBackward(a, ao, as, b, bo, bs, o, oo, n);
            case GELU_TANH_BACKWARD -> geluTanhBackward(a, ao, as, b, bo, bs, o, oo, n);
            case SILU_BACKWARD -> siluBackward(a, ao, as, b, bo, bs, o, oo, n);
            case SOFTPLUS_BACKWARD -> softplusBackward(a, ao, as, b, bo, bs, o, oo, n);
            case ELU_BACKWARD -> eluBackward(a, ao, as, b, bo, bs, o, oo, n, p0);
            case LEAKY_RELU_BACKWARD -> leakyReluBackward(a, ao, as, b, bo, bs, o, oo, n, p0);
            case EQ, NE, LT, LE, GT, GE, LOGICAL_AND, LOGICAL_OR, LOGICAL_XOR ->
                    throw new IllegalArgumentException(op + ": writes BOOL; use FloatKernels.compare");
        }
    }

    static FloatVector ld(float[] a, int off, int stride, int i) {
        return stride == 0 ? FloatVector.broadcast(S, a[off]) : FloatVector.fromArray(S, a, off + i);
    }

    static FloatVector ld(float[] a, int off, int stride, int i, VectorMask<Float> m) {
        return stride == 0 ? FloatVector.broadcast(S, a[off]) : FloatVector.fromArray(S, a, off + i, m);
    }

    static void add(float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) ld(a, ao, as, i).add(ld(b, bo, bs, i)).intoArray(o, oo + i);
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            ld(a, ao, as, i, m).add(ld(b, bo, bs, i, m)).intoArray(o, oo + i, m);
        }
    }

    static void sub(float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) ld(a, ao, as, i).sub(ld(b, bo, bs, i)).intoArray(o, oo + i);
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            ld(a, ao, as, i, m).sub(ld(b, bo, bs, i, m)).intoArray(o, oo + i, m);
        }
    }

    static void mul(float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) ld(a, ao, as, i).mul(ld(b, bo, bs, i)).intoArray(o, oo + i);
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            ld(a, ao, as, i, m).mul(ld(b, bo, bs, i, m)).intoArray(o, oo + i, m);
        }
    }

    static void div(float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) ld(a, ao, as, i).div(ld(b, bo, bs, i)).intoArray(o, oo + i);
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            ld(a, ao, as, i, m).div(ld(b, bo, bs, i, m)).intoArray(o, oo + i, m);
        }
    }

    /** a^b, with {@link ScalarMath#pow}'s exact shortcuts for b = 2, 1 and 0.5 applied lane by lane. */
    private static FloatVector pow(FloatVector va, FloatVector vb) {
        FloatVector r = va.lanewise(VectorOperators.POW, vb);
        r = r.blend(va.mul(va), vb.compare(VectorOperators.EQ, 2f));
        r = r.blend(va, vb.compare(VectorOperators.EQ, 1f));
        return r.blend(va.sqrt(), vb.compare(VectorOperators.EQ, 0.5f));
    }

    static void pow(float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int n) {
        if (bs == 0) { // a scalar exponent: the unary loop picks its shortcut once
            VectorUnaryLoops.powScalar(a, ao, o, oo, n, b[bo]);
            return;
        }
        int i = 0;
        for (; i <= n - L; i += L) pow(ld(a, ao, as, i), ld(b, bo, bs, i)).intoArray(o, oo + i);
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            pow(ld(a, ao, as, i, m), ld(b, bo, bs, i, m)).intoArray(o, oo + i, m);
        }
    }

    /** Math.min semantics: NaN wins, -0.0 < 0.0. */
    static void minimum(float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) ld(a, ao, as, i).min(ld(b, bo, bs, i)).intoArray(o, oo + i);
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            ld(a, ao, as, i, m).min(ld(b, bo, bs, i, m)).intoArray(o, oo + i, m);
        }
    }

    static void maximum(float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) ld(a, ao, as, i).max(ld(b, bo, bs, i)).intoArray(o, oo + i);
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            ld(a, ao, as, i, m).max(ld(b, bo, bs, i, m)).intoArray(o, oo + i, m);
        }
    }

    /**
     * Python-style remainder a - floor(a / b) * b. The fma gives the exact result whenever the
     * rounded quotient's floor is the true one, and a wrong floor always lands outside [0, b) (or
     * (b, 0]), so a lane passing that range check is exact; a vector with any lane failing it (or
     * with a zero, infinite or NaN operand) is recomputed by the scalar definition.
     */
    static void remainder(float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector va = ld(a, ao, as, i), vb = ld(b, bo, bs, i);
            FloatVector q = VectorMath.round(va.div(vb), VectorMath.Rounding.FLOOR);
            FloatVector r = q.neg().fma(vb, va);
            VectorMask<Float> pos = vb.compare(VectorOperators.GT, 0f);
            VectorMask<Float> okPos = pos.and(r.compare(VectorOperators.GE, 0f)).and(r.compare(VectorOperators.LT, vb));
            VectorMask<Float> okNeg = vb.compare(VectorOperators.LT, 0f).and(r.compare(VectorOperators.LE, 0f))
                    .and(r.compare(VectorOperators.GT, vb));
            if (okPos.or(okNeg).allTrue()) {
                // A zero remainder carries a's sign, as Java's % (which the scalar definition starts from) does.
                VectorMath.copySign(r, va).blend(r, r.compare(VectorOperators.NE, 0f)).intoArray(o, oo + i);
            } else {
                for (int k = i; k < i + L; k++) {
                    o[oo + k] = (float) ScalarMath.binary(BinaryOp.REMAINDER, a[ao + k * as], b[bo + k * bs], 0);
                }
            }
        }
        for (; i < n; i++) {
            o[oo + i] = (float) ScalarMath.binary(BinaryOp.REMAINDER, a[ao + i * as], b[bo + i * bs], 0);
        }
    }

    static void atan2(float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) ld(a, ao, as, i).lanewise(VectorOperators.ATAN2, ld(b, bo, bs, i)).intoArray(o, oo + i);
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            ld(a, ao, as, i, m).lanewise(VectorOperators.ATAN2, ld(b, bo, bs, i, m)).intoArray(o, oo + i, m);
        }
    }

    // ------------------------------------------------------------ fused activation gradients
    // a = incoming gradient, b = saved forward input (or output, for sigmoid and tanh).

    /** b > 0 ? a : 0 (a NaN b gives 0). */
    static void reluBackward(float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int n) {
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (; i <= n - L; i += L) {
            zero.blend(ld(a, ao, as, i), ld(b, bo, bs, i).compare(VectorOperators.GT, 0f)).intoArray(o, oo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            zero.blend(ld(a, ao, as, i, m), ld(b, bo, bs, i, m).compare(VectorOperators.GT, 0f)).intoArray(o, oo + i, m);
        }
    }

    /** a * (y * (1 - y)) with y the sigmoid output (the factor is at most 1/4, so a huge a cannot overflow). */
    static void sigmoidBackward(float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector y = ld(b, bo, bs, i);
            ld(a, ao, as, i).mul(y.mul(VectorMath.bc(1f).sub(y))).intoArray(o, oo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector y = ld(b, bo, bs, i, m);
            ld(a, ao, as, i, m).mul(y.mul(VectorMath.bc(1f).sub(y))).intoArray(o, oo + i, m);
        }
    }

    /**
     * a * (1 - y^2) with y the tanh output, as a * ((1 - y) * (1 + y)): 1 - y is exact as y nears 1,
     * where 1 - y * y would cancel, and the factor stays in [0, 1] so a huge a cannot overflow.
     */
    static void tanhBackward(float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int n) {
        FloatVector one = VectorMath.bc(1f);
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector y = ld(b, bo, bs, i);
            ld(a, ao, as, i).mul(one.sub(y).mul(one.add(y))).intoArray(o, oo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector y = ld(b, bo, bs, i, m);
            ld(a, ao, as, i, m).mul(one.sub(y).mul(one.add(y))).intoArray(o, oo + i, m);
        }
    }

    static void geluBackward(float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) ld(a, ao, as, i).mul(VectorMath.geluGrad(ld(b, bo, bs, i))).intoArray(o, oo + i);
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            ld(a, ao, as, i, m).mul(VectorMath.geluGrad(ld(b, bo, bs, i, m))).intoArray(o, oo + i, m);
        }
    }

    static void geluTanhBackward(float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) ld(a, ao, as, i).mul(VectorMath.geluTanhGrad(ld(b, bo, bs, i))).intoArray(o, oo + i);
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            ld(a, ao, as, i, m).mul(VectorMath.geluTanhGrad(ld(b, bo, bs, i, m))).intoArray(o, oo + i, m);
        }
    }

    static void siluBackward(float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) ld(a, ao, as, i).mul(VectorMath.siluGrad(ld(b, bo, bs, i))).intoArray(o, oo + i);
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            ld(a, ao, as, i, m).mul(VectorMath.siluGrad(ld(b, bo, bs, i, m))).intoArray(o, oo + i, m);
        }
    }

    /** b > 20 ? a : a * sigmoid(b) (PyTorch's softplus threshold). */
    private static FloatVector softplusBackward(FloatVector g, FloatVector x) {
        return g.mul(VectorMath.sigmoid(x)).blend(g, x.compare(VectorOperators.GT, 20f));
    }

    static void softplusBackward(float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) softplusBackward(ld(a, ao, as, i), ld(b, bo, bs, i)).intoArray(o, oo + i);
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            softplusBackward(ld(a, ao, as, i, m), ld(b, bo, bs, i, m)).intoArray(o, oo + i, m);
        }
    }

    /** b > 0 ? a : a * alpha * e^b. */
    private static FloatVector eluBackward(FloatVector g, FloatVector x, float alpha) {
        return g.mul(VectorMath.exp(x).mul(alpha)).blend(g, x.compare(VectorOperators.GT, 0f));
    }

    static void eluBackward(float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int n, float alpha) {
        int i = 0;
        for (; i <= n - L; i += L) eluBackward(ld(a, ao, as, i), ld(b, bo, bs, i), alpha).intoArray(o, oo + i);
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            eluBackward(ld(a, ao, as, i, m), ld(b, bo, bs, i, m), alpha).intoArray(o, oo + i, m);
        }
    }

    /** b > 0 ? a : a * slope. */
    static void leakyReluBackward(float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int n, float slope) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector g = ld(a, ao, as, i);
            g.mul(slope).blend(g, ld(b, bo, bs, i).compare(VectorOperators.GT, 0f)).intoArray(o, oo + i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector g = ld(a, ao, as, i, m);
            g.mul(slope).blend(g, ld(b, bo, bs, i, m).compare(VectorOperators.GT, 0f)).intoArray(o, oo + i, m);
        }
    }
}
