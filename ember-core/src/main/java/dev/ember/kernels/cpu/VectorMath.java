package dev.ember.kernels.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float vector versions of the {@link ScalarMath} functions that have no single Vector API
 * operator. Each agrees with the double-precision reference to about 1e-6 relative (the tests in
 * {@code VectorKernelsTest} hold them to it), keeps its NaN and signed-zero behaviour, and stays
 * accurate in the tails, where a naive {@code 1 + erf(x)} or {@code 1 - tanh(x)} would cancel.
 *
 * <p>LOG, TANH and friends are Vector API operators (SVML-backed intrinsics on x86), which C2
 * only intrinsifies when the operator is a compile-time constant at the call site, so every use
 * below names its operator directly. exp and lane sums are our own ({@link #exp}, {@link #sumLanes}) so
 * that the training path computes the same in every JIT tier.
 */
final class VectorMath {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private static final float SQRT1_2 = 0.70710678118654752f;
    private static final float INV_SQRT_2PI = 0.39894228040143268f;
    /** 2 * sqrt(2 / pi): GELU_TANH's sigmoid argument factor (0.5 * (1 + tanh(u)) = sigmoid(2u)). */
    private static final float TWO_SQRT_2_OVER_PI = 1.5957691216057308f;
    private static final float SQRT_2_OVER_PI = 0.7978845608028654f;
    private static final float GELU_TANH_C = 0.044715f;
    private static final float TWO_POW_23 = 8388608f;
    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 in two parts: LN2_HI has few enough bits that n * LN2_HI is exact for the n exp sees. */
    private static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    /** 1.5 * 2^23: adding and subtracting it rounds a float below 2^22 to the nearest integer. */
    private static final float ROUND_MAGIC = 12582912f;

    private VectorMath() {
    }

    static FloatVector bc(float v) {
        return FloatVector.broadcast(S, v);
    }

    /**
     * e^x within 1 ulp of the correctly rounded value (denormal results included), from lane-wise
     * multiply-adds only. Not {@code lanewise(EXP)}: that is C2's stub in compiled code and
     * {@code Math.exp} per lane in the Vector API's Java fallback, which runs until C2 has compiled the
     * caller, and the two round differently, so the same training run gave different weights in
     * different processes. Every tier computes this one alike. e^x = 2^n e^r with n = rint(x / ln 2)
     * and r = x - n ln 2 in two steps (Cody-Waite), e^r by Cephes' degree-6 polynomial, 2^n applied as
     * two powers of two so that neither over- nor underflows before the result does.
     */
    static FloatVector exp(FloatVector x) {
        FloatVector xc = x.max(-104f).min(89f); // beyond these e^x is 0 or infinity in float
        FloatVector n = xc.fma(bc(LOG2E), bc(ROUND_MAGIC)).sub(ROUND_MAGIC); // round to nearest
        FloatVector r = n.fma(bc(-LN2_HI), xc);
        r = n.fma(bc(-LN2_LO), r);
        FloatVector p = r.fma(bc(1.9875691500e-4f), bc(1.3981999507e-3f));
        p = p.fma(r, bc(8.3334519073e-3f));
        p = p.fma(r, bc(4.1665795894e-2f));
        p = p.fma(r, bc(1.6666665459e-1f));
        p = p.fma(r, bc(5.0000001201e-1f));
        FloatVector er = p.mul(r.mul(r)).add(r).add(1f);
        IntVector k = (IntVector) n.convert(VectorOperators.F2I, 0);
        IntVector k1 = k.lanewise(VectorOperators.ASHR, 1), k2 = k.sub(k1);
        FloatVector s1 = k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        FloatVector s2 = k2.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return er.mul(s1).mul(s2).blend(x, x.test(VectorOperators.IS_NAN));
    }

    /**
     * e^x by the Vector API's EXP operator (C2's stub; {@code Math.exp} per lane in the Java fallback, so
     * not the same in every JIT tier). Kept for erfc (two exps) and the normal density, whose loops (exact
     * GELU, two exps; its gradient, three) got too big for C2 to inline with {@link #exp} in each place:
     * the GELU loop ran 2-3x slower.
     */
    static FloatVector expStub(FloatVector x) {
        return x.lanewise(VectorOperators.EXP);
    }

    /**
     * For {@link #sumLanes}, one set per float species (2 to 16 lanes): {@code ROTATE_n_k} brings lane
     * {@code i + k} (mod n) to lane i. Static final fields, so C2 sees each shuffle's class and compiles
     * {@code rearrange}: read from an array of {@code VectorShuffle<?>}, it ran as Java code that allocates
     * (a third of batch norm's time on 8x8 planes, whose rows end in one lane sum each).
     */
    private static final VectorShuffle<Float> ROTATE_16_8 = rotation(FloatVector.SPECIES_512, 8),
            ROTATE_16_4 = rotation(FloatVector.SPECIES_512, 4), ROTATE_16_2 = rotation(FloatVector.SPECIES_512, 2),
            ROTATE_16_1 = rotation(FloatVector.SPECIES_512, 1);
    private static final VectorShuffle<Float> ROTATE_8_4 = rotation(FloatVector.SPECIES_256, 4),
            ROTATE_8_2 = rotation(FloatVector.SPECIES_256, 2), ROTATE_8_1 = rotation(FloatVector.SPECIES_256, 1);
    private static final VectorShuffle<Float> ROTATE_4_2 = rotation(FloatVector.SPECIES_128, 2),
            ROTATE_4_1 = rotation(FloatVector.SPECIES_128, 1);
    private static final VectorShuffle<Float> ROTATE_2_1 = rotation(FloatVector.SPECIES_64, 1);

    private static VectorShuffle<Float> rotation(VectorSpecies<Float> species, int shift) {
        int n = species.length();
        return VectorShuffle.fromOp(species, i -> (i + shift) % n);
    }

    /**
     * The sum of the lanes, always added in the same order (halves, then quarters, ...). Not
     * {@code reduceLanes(ADD)}: its Java fallback adds the lanes in order and C2's intrinsic in halves,
     * so results depended on which JIT tier ran the caller (see {@link #exp}). Lane-wise adds and
     * shuffles are exact in every tier; C2's results are unchanged bit for bit.
     */
    static float sumLanes(FloatVector v) {
        switch (v.length()) {
            case 16 -> v = fold(fold(fold(fold(v, ROTATE_16_8), ROTATE_16_4), ROTATE_16_2), ROTATE_16_1);
            case 8 -> v = fold(fold(fold(v, ROTATE_8_4), ROTATE_8_2), ROTATE_8_1);
            case 4 -> v = fold(fold(v, ROTATE_4_2), ROTATE_4_1);
            case 2 -> v = fold(v, ROTATE_2_1);
            default -> throw new IllegalArgumentException("sumLanes: no float species of " + v.length() + " lanes");
        }
        return v.lane(0);
    }

    /** {@code v + v rotated by the shuffle}. */
    private static FloatVector fold(FloatVector v, VectorShuffle<Float> rotate) {
        return v.add(v.rearrange(rotate));
    }

    /** {@code |mag|} with the sign bit of {@code sign}. */
    static FloatVector copySign(FloatVector mag, FloatVector sign) {
        IntVector m = mag.reinterpretAsInts().and(0x7fffffff);
        IntVector s = sign.reinterpretAsInts().and(0x80000000);
        return m.or(s).reinterpretAsFloats();
    }

    /**
     * The logistic function 1 / (1 + e^-x), evaluated as e / (1 + e) on the negative side so that
     * tiny results keep their relative accuracy.
     */
    static FloatVector sigmoid(FloatVector x) {
        FloatVector e = exp(x.abs().neg());
        FloatVector pos = bc(1f).div(e.add(1f));
        return pos.blend(e.mul(pos), x.compare(VectorOperators.LT, 0f));
    }

    /** 1 - sigmoid(x) = sigmoid(-x), computed without cancellation. */
    static FloatVector sigmoidComplement(FloatVector x) {
        return sigmoid(x.neg());
    }

    /**
     * erfc(|x| / sqrt(2)) for any x, with relative error about 2e-7 even deep in the tail: Numerical
     * Recipes' Chebyshev fit {@code t * exp(-z^2 + P(t))}, t = 1 / (1 + z / 2), whose exponent is
     * split so that z^2 = x^2 / 2 is exact (x * x is split by an fma into a rounded part and its error).
     */
    static FloatVector erfcOfScaled(FloatVector x) {
        FloatVector ax = x.abs().min(20f); // erfc(20 / sqrt 2) underflows anyway; keeps x * x finite
        FloatVector z = ax.mul(SQRT1_2);
        FloatVector xx = ax.mul(ax);
        FloatVector xxLow = ax.fma(ax, xx.neg());
        return erfcCore(z, xx.mul(0.5f), xxLow.mul(0.5f));
    }

    /** erfc(z) for z >= 0 given z^2 as zzHigh + zzLow (see {@link #erfcOfScaled}). */
    private static FloatVector erfcCore(FloatVector z, FloatVector zzHigh, FloatVector zzLow) {
        FloatVector t = bc(1f).div(z.fma(bc(0.5f), bc(1f)));
        FloatVector p = t.fma(bc(0.17087277f), bc(-0.82215223f));
        p = p.fma(t, bc(1.48851587f));
        p = p.fma(t, bc(-1.13520398f));
        p = p.fma(t, bc(0.27886807f));
        p = p.fma(t, bc(-0.18628806f));
        p = p.fma(t, bc(0.09678418f));
        p = p.fma(t, bc(0.37409196f));
        p = p.fma(t, bc(1.00002368f));
        p = p.fma(t, bc(-1.26551223f));
        // exp(-zz) * exp(P - zzLow): keeps the large exponent exact instead of rounding -zz + P.
        FloatVector big = expStub(zzHigh.neg());
        FloatVector small = expStub(p.sub(zzLow));
        return t.mul(big).mul(small);
    }

    /**
     * erf(x): an odd Taylor polynomial below |x| = 0.75 (relative error under 1e-8 there), and
     * 1 - erfc(|x|) above it, with the sign of x restored.
     */
    static FloatVector erf(FloatVector x) {
        FloatVector ax = x.abs();
        FloatVector x2 = x.mul(x);
        // 2/sqrt(pi) * (x - x^3/3 + x^5/10 - x^7/42 + x^9/216 - x^11/1320 + x^13/9360 - x^15/75600)
        FloatVector p = x2.fma(bc(-1.4925650358406e-5f), bc(1.2055332981789664e-4f));
        p = p.fma(x2, bc(-8.548327023450852e-4f));
        p = p.fma(x2, bc(5.223977625442188e-3f));
        p = p.fma(x2, bc(-2.686617064513125e-2f));
        p = p.fma(x2, bc(1.1283791670955126e-1f));
        p = p.fma(x2, bc(-3.761263890318375e-1f));
        p = p.fma(x2, bc(1.1283791670955126f));
        FloatVector small = x.mul(p);
        FloatVector az = ax.min(10f); // erfc(10) is below float resolution of 1; keeps z * z finite
        FloatVector azz = az.mul(az);
        FloatVector large = bc(1f).sub(erfcCore(az, azz, az.fma(az, azz.neg())));
        FloatVector r = copySign(large, x).blend(small, ax.compare(VectorOperators.LT, 0.75f));
        return r.blend(x, x.test(VectorOperators.IS_NAN)); // NaN in, NaN out
    }

    /** Phi(x) = P(N(0,1) <= x) = erfc(-x / sqrt 2) / 2, accurate in both tails. */
    static FloatVector normalCdf(FloatVector x) {
        FloatVector half = erfcOfScaled(x).mul(0.5f);
        return bc(1f).sub(half).blend(half, x.compare(VectorOperators.LT, 0f));
    }

    /** Exact GELU: x * Phi(x). */
    static FloatVector gelu(FloatVector x) {
        return x.mul(normalCdf(x));
    }

    /** d/dx GELU = Phi(x) + x * phi(x), with phi the standard normal density. */
    static FloatVector geluGrad(FloatVector x) {
        return normalCdf(x).add(x.mul(normalDensity(x)));
    }

    /** phi(x) = e^(-x^2/2) / sqrt(2 pi), with x^2 split exactly so the tail stays accurate. */
    static FloatVector normalDensity(FloatVector x) {
        x = x.abs().min(20f); // the density is 0 in float beyond 20; keeps x * x finite
        FloatVector xx = x.mul(x);
        FloatVector low = x.fma(x, xx.neg());
        FloatVector e = expStub(xx.mul(-0.5f));
        return e.mul(bc(1f).sub(low.mul(0.5f))).mul(INV_SQRT_2PI);
    }

    /** The argument u of tanh in GELU_TANH, times two: 2 sqrt(2/pi) (x + 0.044715 x^3). */
    private static FloatVector geluTanhArg2(FloatVector x) {
        return x.mul(x).fma(bc(GELU_TANH_C), bc(1f)).mul(x).mul(TWO_SQRT_2_OVER_PI);
    }

    /** GELU, tanh approximation: 0.5 x (1 + tanh(u)) = x * sigmoid(2u). */
    static FloatVector geluTanh(FloatVector x) {
        return x.mul(sigmoid(geluTanhArg2(x)));
    }

    /**
     * d/dx of GELU_TANH: 0.5 (1 + t) + 0.5 x (1 - t^2) u', written with s = sigmoid(2u) as
     * s + 2 x s (1 - s) u' (no cancellation in 1 - t^2).
     */
    static FloatVector geluTanhGrad(FloatVector x) {
        // Beyond |x| = 20 the gradient is exactly 0 or 1 in float; clamping keeps x^3 and u' finite.
        FloatVector xc = x.max(-20f).min(20f);
        FloatVector u2 = geluTanhArg2(xc);
        FloatVector s = sigmoid(u2);
        FloatVector sc = sigmoidComplement(u2);
        FloatVector du = xc.mul(xc).fma(bc(3 * GELU_TANH_C * SQRT_2_OVER_PI), bc(SQRT_2_OVER_PI));
        // x * (s (1 - s)) with the unclamped x: 0 for huge x, NaN for infinite x, as the scalar definition.
        return x.mul(s.mul(sc)).mul(2f).fma(du, s);
    }

    /** d/dx SiLU = s (1 + x (1 - s)), s = sigmoid(x). */
    static FloatVector siluGrad(FloatVector x) {
        FloatVector s = sigmoid(x);
        return s.mul(x.fma(sigmoidComplement(x), bc(1f)));
    }

    /** softplus(x) = log(1 + e^x), linear above 20 like PyTorch: max(x, 0) + log1p(e^-|x|). */
    static FloatVector softplus(FloatVector x) {
        FloatVector r = x.max(0f).add(exp(x.abs().neg()).lanewise(VectorOperators.LOG1P));
        return r.blend(x, x.compare(VectorOperators.GT, 20f));
    }

    /** Round to the nearest integer, ties to even, for 0 <= a < 2^23 (the FPU's own rounding). */
    private static FloatVector rintSmall(FloatVector a) {
        return a.add(TWO_POW_23).sub(TWO_POW_23);
    }

    /** Which rounding {@link #round} performs. */
    enum Rounding { FLOOR, CEIL, HALF_EVEN, TRUNC }

    /**
     * floor / ceil / rint / trunc with Java's semantics (signed zeros, NaN and infinities pass
     * through; values of magnitude 2^23 and above are already integers). Works on |x| and puts the
     * sign back, so -0.3 rounds to -0.0 as Math.ceil does.
     */
    static FloatVector round(FloatVector x, Rounding mode) {
        FloatVector a = x.abs();
        VectorMask<Float> small = a.compare(VectorOperators.LT, TWO_POW_23);
        FloatVector t = rintSmall(a);
        FloatVector mag = switch (mode) {
            case HALF_EVEN -> t;
            case TRUNC -> floorAbs(t, a);
            case FLOOR -> floorAbs(t, a).blend(ceilAbs(t, a), x.compare(VectorOperators.LT, 0f));
            case CEIL -> ceilAbs(t, a).blend(floorAbs(t, a), x.compare(VectorOperators.LT, 0f));
        };
        return x.blend(copySign(mag, x), small);
    }

    private static FloatVector floorAbs(FloatVector t, FloatVector a) {
        return t.lanewise(VectorOperators.SUB, 1f, t.compare(VectorOperators.GT, a));
    }

    private static FloatVector ceilAbs(FloatVector t, FloatVector a) {
        return t.lanewise(VectorOperators.ADD, 1f, t.compare(VectorOperators.LT, a));
    }
}
