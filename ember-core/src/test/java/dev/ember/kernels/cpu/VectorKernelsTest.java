package dev.ember.kernels.cpu;

import dev.ember.kernels.BinaryOp;
import dev.ember.kernels.UnaryOp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every elementwise FLOAT32 kernel, in both implementations, against the double-precision
 * definitions in {@link ScalarMath}: seeded random inputs mixed with special values, run lengths
 * around the vector width (0, 1, 15, 16, 17, ..., 1027) and contiguous, broadcast (stride 0) and
 * strided operands. Results must agree to about 1e-6 relative (2 ulp for tiny values), bit for bit
 * (signed zeros and NaN included) for the ops whose float result is exactly defined, and writes
 * must stay inside the run.
 */
class VectorKernelsTest {
    private static final int[] LENGTHS = {0, 1, 2, 7, 15, 16, 17, 31, 33, 64, 100, 1027};
    /** {xs, os}: contiguous, broadcast input, strided both, contiguous in / strided out. */
    private static final int[][] UNARY_STRIDES = {{1, 1}, {0, 1}, {3, 2}, {1, 2}};
    /** {as, bs, os}. */
    private static final int[][] BINARY_STRIDES = {{1, 1, 1}, {1, 0, 1}, {0, 1, 1}, {0, 0, 1}, {2, 3, 1}, {1, 1, 2}};
    private static final float SENTINEL = 12345.5f;

    /** Ops whose float result is exactly defined (IEEE-exact operations, selections, roundings). */
    private static final Set<UnaryOp> EXACT_UNARY = EnumSet.of(UnaryOp.NEG, UnaryOp.ABS, UnaryOp.SIGN, UnaryOp.RELU,
            UnaryOp.LEAKY_RELU, UnaryOp.CLAMP, UnaryOp.SQUARE, UnaryOp.SQRT, UnaryOp.RECIPROCAL, UnaryOp.FLOOR, UnaryOp.CEIL,
            UnaryOp.ROUND, UnaryOp.TRUNC, UnaryOp.LOGICAL_NOT, UnaryOp.ISNAN);
    private static final Set<BinaryOp> EXACT_BINARY = EnumSet.of(BinaryOp.ADD, BinaryOp.SUB, BinaryOp.MUL, BinaryOp.DIV,
            BinaryOp.MINIMUM, BinaryOp.MAXIMUM, BinaryOp.RELU_BACKWARD, BinaryOp.LEAKY_RELU_BACKWARD);

    static List<Named<FloatKernels>> kernels() {
        return KernelImplementations.all();
    }

    // ------------------------------------------------------------------------------ unary

    /** Parameter sets {p0, p1} worth trying per op. */
    private static float[][] params(UnaryOp op) {
        return switch (op) {
            case ELU -> new float[][] {{1f, 0}, {0.3f, 0}};
            case LEAKY_RELU -> new float[][] {{0.01f, 0}, {-0.2f, 0}};
            case CLAMP -> new float[][] {{-0.5f, 0.5f}, {Float.NaN, 0.3f}, {0f, Float.NaN}, {-0f, 0f}};
            case POW_SCALAR -> new float[][] {{2, 0}, {3, 0}, {0.5f, 0}, {-1, 0}, {1.7f, 0}, {0, 0}, {1, 0}, {-2.5f, 0}};
            case RPOW_SCALAR -> new float[][] {{2, 0}, {0.5f, 0}, {(float) Math.E, 0}, {10, 0}, {1, 0}, {0, 0}};
            default -> new float[][] {{0, 0}};
        };
    }

    /** Magnitude of the random inputs per op (wide where saturation and overflow matter). */
    private static float range(UnaryOp op) {
        return switch (op) {
            case EXP, EXPM1, SIGMOID, SILU, SOFTPLUS, ELU -> 100f;
            case LOG, LOG1P, SQRT, RSQRT, RECIPROCAL -> 1000f;
            case SIN, COS -> 200f;
            case GELU, GELU_TANH, TANH -> 15f;
            case ERF -> 6f;
            case POW_SCALAR -> 8f;
            case RPOW_SCALAR -> 40f;
            case FLOOR, CEIL, ROUND, TRUNC -> 1e7f;
            default -> 10f;
        };
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void everyUnaryOpMatchesScalarMath(FloatKernels k) {
        Failures failures = new Failures();
        Random rnd = new Random(Long.getLong("ember.test.seed", 20240501));
        for (UnaryOp op : UnaryOp.values()) {
            for (float[] p : params(op)) {
                for (int n : LENGTHS) {
                    for (int[] st : UNARY_STRIDES) checkUnary(k, op, p[0], p[1], n, st[0], st[1], rnd, failures);
                }
            }
        }
        failures.assertNone();
    }

    private static void checkUnary(FloatKernels k, UnaryOp op, float p0, float p1, int n, int xs, int os, Random rnd, Failures f) {
        int xo = 5, oo = 3;
        float[] x = KernelImplementations.values(rnd, xo + n * Math.max(xs, 1) + 4, range(op));
        float[] o = new float[oo + n * os + 4];
        Arrays.fill(o, SENTINEL);
        k.unary(op, x, xo, xs, o, oo, os, n, p0, p1);
        String where = op + (p0 != 0 || p1 != 0 ? "(" + p0 + ", " + p1 + ")" : "") + " n=" + n + " xs=" + xs + " os=" + os;
        for (int i = 0; i < n; i++) {
            float xv = x[xo + i * xs];
            double ref = ScalarMath.unary(op, xv, p0, p1);
            f.check(where + " i=" + i + " x=" + xv, o[oo + i * os], ref, EXACT_UNARY.contains(op), unaryAbsTol(op, xv));
        }
        checkUntouched(o, oo, os, n, where, f);
        if (op.boolResult()) {
            byte[] ob = new byte[oo + n * os + 4];
            Arrays.fill(ob, (byte) 7);
            k.predicate(op, x, xo, xs, ob, oo, os, n);
            for (int i = 0; i < n; i++) {
                byte ref = (byte) ScalarMath.unary(op, x[xo + i * xs], 0, 0);
                if (ob[oo + i * os] != ref) f.add("predicate " + where + " i=" + i + " x=" + x[xo + i * xs] + ": " + ob[oo + i * os]);
            }
            for (int i = 0; i < ob.length; i++) {
                boolean written = i >= oo && i < oo + n * os && (i - oo) % os == 0;
                if (!written && ob[i] != 7) f.add("predicate " + where + " wrote outside the run at " + i);
            }
        }
    }

    /**
     * Extra absolute tolerance where the double reference itself, or float evaluation of a tail,
     * is only accurate relative to the input's scale (far tails of the GELU family).
     */
    private static double unaryAbsTol(UnaryOp op, float x) {
        return switch (op) {
            case GELU, GELU_TANH -> 1e-9 * Math.abs(x);
            default -> 0;
        };
    }

    // ------------------------------------------------------------------------------ binary

    private static float rangeA(BinaryOp op) {
        return switch (op) {
            case POW -> 4f;
            case REMAINDER -> 100f;
            case SIGMOID_BACKWARD, TANH_BACKWARD, GELU_BACKWARD, GELU_TANH_BACKWARD, SILU_BACKWARD, SOFTPLUS_BACKWARD,
                 ELU_BACKWARD, LEAKY_RELU_BACKWARD, RELU_BACKWARD -> 3f;
            default -> 50f;
        };
    }

    private static float rangeB(BinaryOp op) {
        return switch (op) {
            case POW -> 3f;
            case REMAINDER -> 7f;
            case SIGMOID_BACKWARD -> 1f;
            case TANH_BACKWARD -> 1.2f;
            case GELU_BACKWARD, GELU_TANH_BACKWARD, SILU_BACKWARD -> 15f;
            case SOFTPLUS_BACKWARD, ELU_BACKWARD -> 40f;
            default -> 50f;
        };
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void everyBinaryOpMatchesScalarMath(FloatKernels k) {
        Failures failures = new Failures();
        Random rnd = new Random(Long.getLong("ember.test.seed", 20240502));
        for (BinaryOp op : BinaryOp.values()) {
            float[] ps = op == BinaryOp.ELU_BACKWARD ? new float[] {1f, 0.3f} : op == BinaryOp.LEAKY_RELU_BACKWARD
                    ? new float[] {0.01f, -0.2f} : new float[] {0f};
            for (float p0 : ps) {
                for (int n : LENGTHS) {
                    for (int[] st : BINARY_STRIDES) checkBinary(k, op, p0, n, st[0], st[1], st[2], rnd, failures);
                }
            }
        }
        failures.assertNone();
    }

    private static void checkBinary(FloatKernels k, BinaryOp op, float p0, int n, int as, int bs, int os, Random rnd, Failures f) {
        int ao = 2, bo = 7, oo = 1;
        float[] a = KernelImplementations.values(rnd, ao + n * Math.max(as, 1) + 3, rangeA(op));
        float[] b = KernelImplementations.values(rnd, bo + n * Math.max(bs, 1) + 3, rangeB(op));
        if (op == BinaryOp.SIGMOID_BACKWARD || op == BinaryOp.TANH_BACKWARD) { // b is an activation output
            for (int i = 0; i < b.length; i++) if (Math.abs(b[i]) > 1.5f) b[i] = (rnd.nextFloat() * 2 - 1) * rangeB(op);
        }
        if (op.name().endsWith("_BACKWARD")) {
            // An infinite incoming gradient times a derivative that underflows gives inf or NaN depending
            // on whether the derivative reaches exactly 0, which is a matter of evaluation precision.
            for (int i = 0; i < a.length; i++) if (Float.isInfinite(a[i])) a[i] = (rnd.nextFloat() * 2 - 1) * rangeA(op);
        }
        String where = op + (p0 != 0 ? "(" + p0 + ")" : "") + " n=" + n + " as=" + as + " bs=" + bs + " os=" + os;
        if (op.boolResult()) {
            byte[] ob = new byte[oo + n * os + 4];
            Arrays.fill(ob, (byte) 7);
            k.compare(op, a, ao, as, b, bo, bs, ob, oo, os, n);
            for (int i = 0; i < n; i++) {
                float av = a[ao + i * as], bv = b[bo + i * bs];
                byte ref = (byte) ScalarMath.binary(op, av, bv, 0);
                if (ob[oo + i * os] != ref) f.add(where + " i=" + i + " a=" + av + " b=" + bv + ": got " + ob[oo + i * os]);
            }
            for (int i = 0; i < ob.length; i++) {
                boolean written = i >= oo && i < oo + n * os && (i - oo) % os == 0;
                if (!written && ob[i] != 7) f.add(where + " wrote outside the run at " + i);
            }
            return;
        }
        float[] o = new float[oo + n * os + 4];
        Arrays.fill(o, SENTINEL);
        k.binary(op, a, ao, as, b, bo, bs, o, oo, os, n, p0);
        for (int i = 0; i < n; i++) {
            float av = a[ao + i * as], bv = b[bo + i * bs];
            double ref = ScalarMath.binary(op, av, bv, p0);
            f.check(where + " i=" + i + " a=" + av + " b=" + bv, o[oo + i * os], ref, EXACT_BINARY.contains(op),
                    binaryAbsTol(op, av, bv));
        }
        checkUntouched(o, oo, os, n, where, f);
    }

    /**
     * Gradients that are a sum of terms with opposite signs cross zero; near a crossing the float
     * result is accurate relative to the terms (about |g| (1 + |x|)), not to the tiny sum. And a
     * derivative that is itself below the normal float range has few bits, which the incoming
     * gradient then scales.
     */
    private static double binaryAbsTol(BinaryOp op, double a, double b) {
        double denormalDerivative = op.name().endsWith("_BACKWARD") ? 1e-4 * Float.MIN_NORMAL * Math.abs(a) : 0;
        return denormalDerivative + switch (op) {
            case GELU_BACKWARD, SILU_BACKWARD -> 1e-6 * Math.abs(a) * (1 + Math.abs(b));
            case GELU_TANH_BACKWARD -> 1e-6 * Math.abs(a) * (1 + Math.abs(b) * (1 + b * b));
            default -> 0;
        };
    }

    // ------------------------------------------------------------------------------ where, copy, fill

    @ParameterizedTest
    @MethodSource("kernels")
    void whereCopyAndFillSelectExactly(FloatKernels k) {
        Failures f = new Failures();
        Random rnd = new Random(7);
        // {1, 2, 1, 1}: a copy of every second float (a stride-2 im2col row), to the source's last element.
        int[][] strides = {{1, 1, 1, 1}, {0, 1, 1, 1}, {1, 0, 1, 1}, {1, 1, 0, 1}, {2, 1, 3, 1}, {1, 1, 1, 2}, {1, 2, 1, 1}};
        for (int n : LENGTHS) {
            for (int[] st : strides) {
                int cs = st[0], as = st[1], bs = st[2], os = st[3];
                byte[] c = new byte[1 + n * Math.max(cs, 1) + 2];
                for (int i = 0; i < c.length; i++) c[i] = (byte) (rnd.nextBoolean() ? 1 : 0);
                float[] a = KernelImplementations.values(rnd, 3 + n * Math.max(as, 1), 10);
                float[] b = KernelImplementations.values(rnd, 2 + n * Math.max(bs, 1), 10);
                float[] o = new float[n * os + 3];
                Arrays.fill(o, SENTINEL);
                k.where(c, 1, cs, a, 3, as, b, 2, bs, o, 0, os, n);
                String where = "where n=" + n + " strides=" + Arrays.toString(st);
                for (int i = 0; i < n; i++) {
                    float ref = c[1 + i * cs] != 0 ? a[3 + i * as] : b[2 + i * bs];
                    f.check(where + " i=" + i, o[i * os], ref, true, 0);
                }
                checkUntouched(o, 0, os, n, where, f);

                float[] copy = new float[n * os + 3];
                Arrays.fill(copy, SENTINEL);
                k.copy(a, 3, as, copy, 0, os, n);
                for (int i = 0; i < n; i++) f.check("copy n=" + n + " i=" + i, copy[i * os], a[3 + i * as], true, 0);
                checkUntouched(copy, 0, os, n, "copy", f);

                float[] filled = new float[n * os + 3];
                Arrays.fill(filled, SENTINEL);
                k.fill(filled, 0, os, n, -0f);
                for (int i = 0; i < n; i++) f.check("fill n=" + n + " i=" + i, filled[i * os], -0.0, true, 0);
                checkUntouched(filled, 0, os, n, "fill", f);
            }
        }
        f.assertNone();
    }

    // ------------------------------------------------------------------------------ targeted cases

    @ParameterizedTest
    @MethodSource("kernels")
    void nanSemanticsFollowScalarMath(FloatKernels k) {
        float nan = Float.NaN;
        float[] x = {nan, -0f, 0f, -3f, 3f, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan, nan};
        float[] o = new float[x.length];
        k.unary(UnaryOp.RELU, x, 0, 1, o, 0, 1, x.length, 0, 0);
        assertTrue(Float.isNaN(o[0]), "relu(NaN) is NaN");
        assertEquals(Float.floatToIntBits(0f), Float.floatToIntBits(o[1]), "relu(-0.0) is +0.0");
        float[] b = {1f, 2f, nan, -1f, nan, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f};
        float[] a = {nan, 1f, 1f, nan, 2f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f, 1f};
        k.binary(BinaryOp.MAXIMUM, a, 0, 1, b, 0, 1, o, 0, 1, a.length, 0);
        assertTrue(Float.isNaN(o[0]) && Float.isNaN(o[2]) && Float.isNaN(o[3]) && Float.isNaN(o[4]), "maximum propagates NaN");
        k.binary(BinaryOp.MINIMUM, a, 0, 1, b, 0, 1, o, 0, 1, a.length, 0);
        assertTrue(Float.isNaN(o[0]) && Float.isNaN(o[2]) && Float.isNaN(o[3]) && Float.isNaN(o[4]), "minimum propagates NaN");
        assertTrue(Float.isNaN(k.max(a, 0, 1, a.length, false)), "max reduction propagates NaN");
        assertTrue(Float.isNaN(k.max(b, 0, 1, b.length, true)), "min reduction propagates NaN");
    }

    @Test
    void saturatingActivationsReachTheirLimitsExactly() {
        for (Named<FloatKernels> named : kernels()) {
            FloatKernels k = named.getPayload();
            float[] x = new float[40];
            for (int i = 0; i < 20; i++) {
                x[i] = 30f + 10 * i;   // far positive
                x[20 + i] = -30f - 10 * i;
            }
            float[] o = new float[40];
            k.unary(UnaryOp.SIGMOID, x, 0, 1, o, 0, 1, 40, 0, 0);
            for (int i = 0; i < 20; i++) assertEquals(1f, o[i], named + " sigmoid(" + x[i] + ")");
            for (int i = 20; i < 40; i++) assertTrue(o[i] >= 0 && o[i] < 1e-12, named + " sigmoid(" + x[i] + ") = " + o[i]);
            k.unary(UnaryOp.TANH, x, 0, 1, o, 0, 1, 40, 0, 0);
            for (int i = 0; i < 20; i++) assertEquals(1f, o[i], named + " tanh(" + x[i] + ")");
            for (int i = 20; i < 40; i++) assertEquals(-1f, o[i], named + " tanh(" + x[i] + ")");
            k.unary(UnaryOp.EXP, x, 0, 1, o, 0, 1, 40, 0, 0);
            for (int i = 0; i < 40; i++) assertEquals((float) Math.exp(x[i]), o[i], 2 * Math.ulp((float) Math.exp(x[i])),
                    named + " exp(" + x[i] + ")");
        }
    }

    // ------------------------------------------------------------------------------ helpers

    private static void checkUntouched(float[] o, int oo, int os, int n, String where, Failures f) {
        for (int i = 0; i < o.length; i++) {
            boolean written = i >= oo && i < oo + n * os && (i - oo) % os == 0;
            if (!written && Float.floatToIntBits(o[i]) != Float.floatToIntBits(SENTINEL)) {
                f.add(where + " wrote outside the run at index " + i);
            }
        }
    }

    /** Collects mismatches and reports the first few together. */
    static final class Failures {
        private final List<String> messages = new ArrayList<>();
        private int count;

        void add(String message) {
            count++;
            if (messages.size() < 12) messages.add(message);
        }

        /**
         * got vs the double reference: exact means the same float bits as the rounded reference (NaN
         * matching NaN); otherwise within 2e-6 relative, or 2 ulp of the rounded reference, plus absTol.
         * Results below the normal range have few significant bits (a product of two of them even
         * fewer), so there the comparison is absolute, at 1e-4 of the smallest normal float.
         */
        void check(String where, float got, double ref, boolean exact, double absTol) {
            float rf = (float) ref;
            if (Float.isNaN(rf) || Float.isNaN(got)) {
                if (Float.isNaN(rf) != Float.isNaN(got)) add(where + ": got " + got + ", want " + rf);
                return;
            }
            if (!exact && Float.isInfinite(rf) != Float.isInfinite(got)) { // rounding at the overflow threshold
                float finite = Float.isInfinite(rf) ? got : rf, inf = Float.isInfinite(rf) ? rf : got;
                if (Math.signum(finite) != Math.signum(inf) || Math.abs(finite) < Float.MAX_VALUE * (1 - 2e-6)) {
                    add(where + ": got " + got + ", want " + rf);
                }
                return;
            }
            if (exact || Float.isInfinite(rf)) {
                if (Float.floatToIntBits(got) != Float.floatToIntBits(rf)) add(where + ": got " + got + ", want exactly " + rf);
                return;
            }
            double tol = Math.max(Math.max(2e-6 * Math.abs(ref), 2 * Math.ulp(rf)), 1e-4 * Float.MIN_NORMAL) + absTol;
            if (!(Math.abs(got - ref) <= tol)) {
                add(where + ": got " + got + ", want " + ref + " (rel err " + (float) (Math.abs(got - ref) / Math.abs(ref)) + ")");
            }
        }

        void assertNone() {
            if (count > 0) fail(count + " mismatches, first ones:\n  " + String.join("\n  ", messages));
        }
    }
}
