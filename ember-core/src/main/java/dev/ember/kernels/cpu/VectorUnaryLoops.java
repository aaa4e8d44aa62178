package dev.ember.kernels.cpu;

import dev.ember.kernels.UnaryOp;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import static dev.ember.kernels.cpu.VectorMath.bc;

/**
 * One contiguous loop per {@link UnaryOp}: {@code o[oo + i] = op(x[xo + i])} for i < n. Full vectors
 * first, then one masked vector for the tail, so every element goes through the same math.
 *
 * <p>Why one method per op rather than a switch inside one loop: C2 intrinsifies a Vector API
 * operator only when it is a constant at the call site, and a loop whose body switches over dozens
 * of ops deoptimises each time a new op shows up. Small separate loops compile independently.
 */
final class VectorUnaryLoops {
    private static final VectorSpecies<Float> S = VectorMath.S;
    private static final int L = S.length();

    private VectorUnaryLoops() {
    }

    /** Runs {@code op} over a contiguous run. */
    static void run(UnaryOp op, float[] x, int xo, float[] o, int oo, int n, float p0, float p1) {
        switch (op) {
            case NEG -> neg(x, xo, o, oo, n);
            case EXP -> exp(x, xo, o, oo, n);
            case LOG -> log(x, xo, o, oo, n);
            case LOG1P -> log1p(x, xo, o, oo, n);
            case EXPM1 -> expm1(x, xo, o, oo, n);
            case SQRT -> sqrt(x, xo, o, oo, n);
            case RSQRT -> rsqrt(x, xo, o, oo, n);
            case ABS -> abs(x, xo, o, oo, n);
            case SIGN -> sign(x, xo, o, oo, n);
            case SIN -> sin(x, xo, o, oo, n);
            case COS -> cos(x, xo, o, oo, n);
            case TANH -> tanh(x, xo, o, oo, n);
            case SIGMOID -> sigmoid(x, xo, o, oo, n);
            case RELU -> relu(x, xo, o, oo, n);
            case GELU -> gelu(x, xo, o, oo, n);
            case GELU_TANH -> geluTanh(x, xo, o, oo, n);
            case SILU -> silu(x, xo, o, oo, n);
            case SOFTPLUS -> softplus(x, xo, o, oo, n);
            case ELU -> elu(x, xo, o, oo, n, p0);
            case LEAKY_RELU -> leakyRelu(x, xo, o, oo, n, p0);
            case CLAMP -> clamp(x, xo, o, oo, n, p0, p1);
            case POW_SCALAR -> powScalar(x, xo, o, oo, n, p0);
            case RPOW_SCALAR -> rpowScalar(x, xo, o, oo, n, p0);
            case RECIPROCAL -> reciprocal(x, xo, o, oo, n);
            case SQUARE -> square(x, xo, o, oo, n);
            case FLOOR -> round(x, xo, o, oo, n, VectorMath.Rounding.FLOOR);
            case CEIL -> round(x, xo, o, oo, n, VectorMath.Rounding.CEIL);
            case ROUND -> round(x, xo, o, oo, n, VectorMath.Rounding.HALF_EVEN);
            case TRUNC -> round(x, xo, o, oo, n, VectorMath.Rounding.TRUNC);
            case ERF -> erf(x, xo, o, oo, n);
            case LOGICAL_NOT -> logicalNot(x, xo, o, oo, n);
            case ISNAN -> isNan(x, xo, o, oo, n);
        }
    }

    private static VectorMask<Float> tail(int i, int n) {
        return S.indexInRange(i, n);
    }

    static void neg(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) FloatVector.fromArray(S, x, xo + i).neg().intoArray(o, oo + i);
        if (i < n) {
            VectorMask<Float> m = tail(i, n);
            FloatVector.fromArray(S, x, xo + i, m).neg().intoArray(o, oo + i, m);
        }
    }

    static void exp(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) VectorMath.exp(FloatVector.fromArray(S, x, xo + i)).intoArray(o, oo + i);
        if (i < n) {
            VectorMask<Float> m = tail(i, n);
            VectorMath.exp(FloatVector.fromArray(S, x, xo + i, m)).intoArray(o, oo + i, m);
        }
    }

    static void log(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.LOG).intoArray(o, oo + i);
        if (i < n) {
            VectorMask<Float> m = tail(i, n);
            FloatVector.fromArray(S, x, xo + i, m).lanewise(VectorOperators.LOG).intoArray(o, oo + i, m);
        }
    }

    static void log1p(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.LOG1P).intoArray(o, oo + i);
        if (i < n) {
            VectorMask<Float> m = tail(i, n);
            FloatVector.fromArray(S, x, xo + i, m).lanewise(VectorOperators.LOG1P).intoArray(o, oo + i, m);
        }
    }

    static void expm1(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.EXPM1).intoArray(o, oo + i);
        if (i < n) {
            VectorMask<Float> m = tail(i, n);
            FloatVector.fromArray(S, x, xo + i, m).lanewise(VectorOperators.EXPM1).intoArray(o, oo + i, m);
        }
    }

    static void sqrt(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) FloatVector.fromArray(S, x, xo + i).sqrt().intoArray(o, oo + i);
        if (i < n) {
            VectorMask<Float> m = tail(i, n);
            FloatVector.fromArray(S, x, xo + i, m).sqrt().intoArray(o, oo + i, m);
        }
    }

    static void rsqrt(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) bc(1f).div(FloatVector.fromArray(S, x, xo + i).sqrt()).intoArray(o, oo + i);
        if (i < n) {
            VectorMask<Float> m = tail(i, n);
            bc(1f).div(FloatVector.fromArray(S, x, xo + i, m).sqrt()).intoArray(o, oo + i, m);
        }
    }

    static void abs(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) FloatVector.fromArray(S, x, xo + i).abs().intoArray(o, oo + i);
        if (i < n) {
            VectorMask<Float> m = tail(i, n);
            FloatVector.fromArray(S, x, xo + i, m).abs().intoArray(o, oo + i, m);
        }
    }

    /** signum: NaN and signed zeros pass through, as Math.signum. */
    private static FloatVector sign(FloatVector v) {
        return v.blend(1f, v.compare(VectorOperators.GT, 0f)).blend(-1f, v.compare(VectorOperators.LT, 0f));
    }

    static void sign(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) sign(FloatVector.fromArray(S, x, xo + i)).intoArray(o, oo + i);
        if (i < n) {
            VectorMask<Float> m = tail(i, n);
            sign(FloatVector.fromArray(S, x, xo + i, m)).intoArray(o, oo + i, m);
        }
    }

    static void sin(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.SIN).intoArray(o, oo + i);
        if (i < n) {
            VectorMask<Float> m = tail(i, n);
            FloatVector.fromArray(S, x, xo + i, m).lanewise(VectorOperators.SIN).intoArray(o, oo + i, m);
        }
    }

    static void cos(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.COS).intoArray(o, oo + i);
        if (i < n) {
            VectorMask<Float> m = tail(i, n);
            FloatVector.fromArray(S, x, xo + i, m).lanewise(VectorOperators.COS).intoArray(o, oo + i, m);
        }
    }

    static void tanh(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.TANH).intoArray(o, oo + i);
        if (i < n) {
            VectorMask<Float> m = tail(i, n);
            FloatVector.fromArray(S, x, xo + i, m).lanewise(VectorOperators.TANH).intoArray(o, oo + i, m);
        }
    }

    static void sigmoid(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) VectorMath.sigmoid(FloatVector.fromArray(S, x, xo + i)).intoArray(o, oo + i);
        if (i < n) {
            VectorMask<Float> m = tail(i, n);
            VectorMath.sigmoid(FloatVector.fromArray(S, x, xo + i, m)).intoArray(o, oo + i, m);
        }
    }

    /** x > 0 ? x : 0, keeping NaN (x <= 0 is false for NaN) and mapping -0.0 to 0.0. */
    static void relu(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.blend(0f, v.compare(VectorOperators.LE, 0f)).intoArray(o, oo + i);
        }
        if (i < n) {
            VectorMask<Float> m = tail(i, n);
            FloatVector v = FloatVector.fromArray(S, x, xo + i, m);
            v.blend(0f, v.compare(VectorOperators.LE, 0f)).intoArray(o, oo + i, m);
        }
    }

    static void gelu(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) VectorMath.gelu(FloatVector.fromArray(S, x, xo + i)).intoArray(o, oo + i);
        if (i < n) {
            VectorMask<Float> m = tail(i, n);
            VectorMath.gelu(FloatVector.fromArray(S, x, xo + i, m)).intoArray(o, oo + i, m);
        }
    }

    static void geluTanh(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) VectorMath.geluTanh(FloatVector.fromArray(S, x, xo + i)).intoArray(o, oo + i);
        if (i < n) {
            VectorMask<Float> m = tail(i, n);
            VectorMath.geluTanh(FloatVector.fromArray(S, x, xo + i, m)).intoArray(o, oo + i, m);
        }
    }

    static void silu(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.mul(VectorMath.sigmoid(v)).intoArray(o, oo + i);
        }
        if (i < n) {
            VectorMask<Float> m = tail(i, n);
            FloatVector v = FloatVector.fromArray(S, x, xo + i, m);
            v.mul(VectorMath.sigmoid(v)).intoArray(o, oo + i, m);
        }
    }

    static void softplus(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) VectorMath.softplus(FloatVector.fromArray(S, x, xo + i)).intoArray(o, oo + i);
        if (i < n) {
            VectorMask<Float> m = tail(i, n);
            VectorMath.softplus(FloatVector.fromArray(S, x, xo + i, m)).intoArray(o, oo + i, m);
        }
    }

    /** x > 0 ? x : alpha * (e^x - 1). */
    private static FloatVector elu(FloatVector v, float alpha) {
        return v.lanewise(VectorOperators.EXPM1).mul(alpha).blend(v, v.compare(VectorOperators.GT, 0f));
    }

    static void elu(float[] x, int xo, float[] o, int oo, int n, float alpha) {
        int i = 0;
        for (; i <= n - L; i += L) elu(FloatVector.fromArray(S, x, xo + i), alpha).intoArray(o, oo + i);
        if (i < n) {
            VectorMask<Float> m = tail(i, n);
            elu(FloatVector.fromArray(S, x, xo + i, m), alpha).intoArray(o, oo + i, m);
        }
    }

    static void leakyRelu(float[] x, int xo, float[] o, int oo, int n, float slope) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.mul(slope).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(o, oo + i);
        }
        if (i < n) {
            VectorMask<Float> m = tail(i, n);
            FloatVector v = FloatVector.fromArray(S, x, xo + i, m);
            v.mul(slope).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(o, oo + i, m);
        }
    }

    /**
     * Clamp to [lo, hi] with a NaN bound meaning none. Compare-and-blend rather than max/min keeps
     * -0.0 as it is when a bound is 0.0, as the scalar definition does; NaN inputs stay NaN.
     */
    private static FloatVector clamp(FloatVector v, float lo, float hi) {
        if (lo == lo) v = v.blend(lo, v.compare(VectorOperators.LT, lo));
        if (hi == hi) v = v.blend(hi, v.compare(VectorOperators.GT, hi));
        return v;
    }

    static void clamp(float[] x, int xo, float[] o, int oo, int n, float lo, float hi) {
        int i = 0;
        for (; i <= n - L; i += L) clamp(FloatVector.fromArray(S, x, xo + i), lo, hi).intoArray(o, oo + i);
        if (i < n) {
            VectorMask<Float> m = tail(i, n);
            clamp(FloatVector.fromArray(S, x, xo + i, m), lo, hi).intoArray(o, oo + i, m);
        }
    }

    /** x^p with the exact shortcuts of {@link ScalarMath#pow} (p = 2, 1, 0.5) and 0 and -1. */
    static void powScalar(float[] x, int xo, float[] o, int oo, int n, float p) {
        if (p == 2f) {
            square(x, xo, o, oo, n);
        } else if (p == 1f) {
            System.arraycopy(x, xo, o, oo, n);
        } else if (p == 0.5f) {
            sqrt(x, xo, o, oo, n);
        } else if (p == 0f) {
            java.util.Arrays.fill(o, oo, oo + n, 1f);
        } else if (p == -1f) {
            reciprocal(x, xo, o, oo, n);
        } else {
            int i = 0;
            for (; i <= n - L; i += L) FloatVector.fromArray(S, x, xo + i).lanewise(VectorOperators.POW, p).intoArray(o, oo + i);
            if (i < n) {
                VectorMask<Float> m = tail(i, n);
                FloatVector.fromArray(S, x, xo + i, m).lanewise(VectorOperators.POW, p).intoArray(o, oo + i, m);
            }
        }
    }

    static void rpowScalar(float[] x, int xo, float[] o, int oo, int n, float base) {
        FloatVector b = bc(base);
        int i = 0;
        for (; i <= n - L; i += L) b.lanewise(VectorOperators.POW, FloatVector.fromArray(S, x, xo + i)).intoArray(o, oo + i);
        if (i < n) {
            VectorMask<Float> m = tail(i, n);
            b.lanewise(VectorOperators.POW, FloatVector.fromArray(S, x, xo + i, m)).intoArray(o, oo + i, m);
        }
    }

    static void reciprocal(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) bc(1f).div(FloatVector.fromArray(S, x, xo + i)).intoArray(o, oo + i);
        if (i < n) {
            VectorMask<Float> m = tail(i, n);
            bc(1f).div(FloatVector.fromArray(S, x, xo + i, m)).intoArray(o, oo + i, m);
        }
    }

    static void square(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            v.mul(v).intoArray(o, oo + i);
        }
        if (i < n) {
            VectorMask<Float> m = tail(i, n);
            FloatVector v = FloatVector.fromArray(S, x, xo + i, m);
            v.mul(v).intoArray(o, oo + i, m);
        }
    }

    static void round(float[] x, int xo, float[] o, int oo, int n, VectorMath.Rounding mode) {
        int i = 0;
        for (; i <= n - L; i += L) VectorMath.round(FloatVector.fromArray(S, x, xo + i), mode).intoArray(o, oo + i);
        if (i < n) {
            VectorMask<Float> m = tail(i, n);
            VectorMath.round(FloatVector.fromArray(S, x, xo + i, m), mode).intoArray(o, oo + i, m);
        }
    }

    static void erf(float[] x, int xo, float[] o, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) VectorMath.erf(FloatVector.fromArray(S, x, xo + i)).intoArray(o, oo + i);
        if (i < n) {
            VectorMask<Float> m = tail(i, n);
            VectorMath.erf(FloatVector.fromArray(S, x, xo + i, m)).intoArray(o, oo + i, m);
        }
    }

    /** 1 where x == 0, else 0 (NaN is not zero), as float. */
    static void logicalNot(float[] x, int xo, float[] o, int oo, int n) {
        FloatVector zero = bc(0f);
        int i = 0;
        for (; i <= n - L; i += L) {
            zero.blend(1f, FloatVector.fromArray(S, x, xo + i).compare(VectorOperators.EQ, 0f)).intoArray(o, oo + i);
        }
        if (i < n) {
            VectorMask<Float> m = tail(i, n);
            zero.blend(1f, FloatVector.fromArray(S, x, xo + i, m).compare(VectorOperators.EQ, 0f)).intoArray(o, oo + i, m);
        }
    }

    /** 1 where x is NaN, else 0, as float. */
    static void isNan(float[] x, int xo, float[] o, int oo, int n) {
        FloatVector zero = bc(0f);
        int i = 0;
        for (; i <= n - L; i += L) {
            zero.blend(1f, FloatVector.fromArray(S, x, xo + i).test(VectorOperators.IS_NAN)).intoArray(o, oo + i);
        }
        if (i < n) {
            VectorMask<Float> m = tail(i, n);
            zero.blend(1f, FloatVector.fromArray(S, x, xo + i, m).test(VectorOperators.IS_NAN)).intoArray(o, oo + i, m);
        }
    }
}
