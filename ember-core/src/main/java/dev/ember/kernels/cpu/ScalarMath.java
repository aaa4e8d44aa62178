package dev.ember.kernels.cpu;

import dev.ember.kernels.BinaryOp;
import dev.ember.kernels.UnaryOp;

/**
 * The reference definition of every elementwise kernel in double precision. The float64 and generic
 * paths use it directly; the vectorised float32 kernels must agree with it (tests compare them).
 */
public final class ScalarMath {
    private static final double SQRT1_2 = 0.7071067811865476;
    private static final double INV_SQRT_2PI = 0.3989422804014327;
    private static final double SQRT_2_OVER_PI = 0.7978845608028654;
    private static final double GELU_TANH_C = 0.044715;

    private ScalarMath() {
    }

    /** {@code op(x)} with parameters p0, p1 (see {@link UnaryOp}). */
    public static double unary(UnaryOp op, double x, double p0, double p1) {
        return switch (op) {
            case NEG -> -x;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case LOG1P -> Math.log1p(x);
            case EXPM1 -> Math.expm1(x);
            case SQRT -> Math.sqrt(x);
            case RSQRT -> 1.0 / Math.sqrt(x);
            case ABS -> Math.abs(x);
            case SIGN -> Double.isNaN(x) ? x : Math.signum(x);
            case SIN -> Math.sin(x);
            case COS -> Math.cos(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> sigmoid(x);
            case RELU -> x > 0 ? x : (Double.isNaN(x) ? x : 0.0);
            case GELU -> 0.5 * x * (1.0 + erf(x * SQRT1_2));
            case GELU_TANH -> 0.5 * x * (1.0 + Math.tanh(SQRT_2_OVER_PI * (x + GELU_TANH_C * x * x * x)));
            case SILU -> x * sigmoid(x);
            case SOFTPLUS -> x > 20 ? x : Math.log1p(Math.exp(x));
            case ELU -> x > 0 ? x : p0 * Math.expm1(x);
            case LEAKY_RELU -> x > 0 ? x : p0 * x;
            case CLAMP -> clamp(x, p0, p1);
            case POW_SCALAR -> pow(x, p0);
            case RPOW_SCALAR -> Math.pow(p0, x);
            case RECIPROCAL -> 1.0 / x;
            case SQUARE -> x * x;
            case FLOOR -> Math.floor(x);
            case CEIL -> Math.ceil(x);
            case ROUND -> Math.rint(x);
            case TRUNC -> x < 0 ? Math.ceil(x) : Math.floor(x);
            case ERF -> erf(x);
            case LOGICAL_NOT -> x == 0 ? 1 : 0;
            case ISNAN -> Double.isNaN(x) ? 1 : 0;
        };
    }

    /** {@code op(a, b)} with parameter p0 (see {@link BinaryOp}); comparisons return 1 or 0. */
    public static double binary(BinaryOp op, double a, double b, double p0) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> pow(a, b);
            case MINIMUM -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.min(a, b);
            case MAXIMUM -> Double.isNaN(a) || Double.isNaN(b) ? Double.NaN : Math.max(a, b);
            case REMAINDER -> {
                double r = a % b;
                yield r != 0 && ((r < 0) != (b < 0)) ? r + b : r;
            }
            case ATAN2 -> Math.atan2(a, b);
            case EQ -> a == b ? 1 : 0;
            case NE -> a != b ? 1 : 0;
            case LT -> a < b ? 1 : 0;
            case LE -> a <= b ? 1 : 0;
            case GT -> a > b ? 1 : 0;
            case GE -> a >= b ? 1 : 0;
            case LOGICAL_AND -> a != 0 && b != 0 ? 1 : 0;
            case LOGICAL_OR -> a != 0 || b != 0 ? 1 : 0;
            case LOGICAL_XOR -> (a != 0) != (b != 0) ? 1 : 0;
            case RELU_BACKWARD -> b > 0 ? a : 0;
            case SIGMOID_BACKWARD -> a * b * (1 - b);
            case TANH_BACKWARD -> a * (1 - b * b);
            case GELU_BACKWARD -> a * (0.5 * (1.0 + erf(b * SQRT1_2)) + b * INV_SQRT_2PI * Math.exp(-0.5 * b * b));
            case GELU_TANH_BACKWARD -> {
                double inner = SQRT_2_OVER_PI * (b + GELU_TANH_C * b * b * b);
                double t = Math.tanh(inner);
                double dInner = SQRT_2_OVER_PI * (1 + 3 * GELU_TANH_C * b * b);
                yield a * (0.5 * (1 + t) + 0.5 * b * (1 - t * t) * dInner);
            }
            case SILU_BACKWARD -> {
                double s = sigmoid(b);
                yield a * s * (1 + b * (1 - s));
            }
            case SOFTPLUS_BACKWARD -> b > 20 ? a : a * sigmoid(b);
            case ELU_BACKWARD -> b > 0 ? a : a * p0 * Math.exp(b);
            case LEAKY_RELU_BACKWARD -> b > 0 ? a : a * p0;
        };
    }

    /** Integer form of the integer-closed binary ops (exact for INT64). */
    public static long binaryLong(BinaryOp op, long a, long b) {
        return switch (op) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> {
                if (b == 0) throw new ArithmeticException("div: integer division by zero");
                yield Math.floorDiv(a, b);
            }
            case POW -> {
                if (b < 0) throw new ArithmeticException("pow: integers to negative integer powers are not allowed");
                long r = 1, base = a, e = b;
                while (e > 0) {
                    if ((e & 1) != 0) r *= base;
                    base *= base;
                    e >>= 1;
                }
                yield r;
            }
            case MINIMUM -> Math.min(a, b);
            case MAXIMUM -> Math.max(a, b);
            case REMAINDER -> {
                if (b == 0) throw new ArithmeticException("remainder: integer division by zero");
                yield Math.floorMod(a, b);
            }
            case EQ -> a == b ? 1 : 0;
            case NE -> a != b ? 1 : 0;
            case LT -> a < b ? 1 : 0;
            case LE -> a <= b ? 1 : 0;
            case GT -> a > b ? 1 : 0;
            case GE -> a >= b ? 1 : 0;
            case LOGICAL_AND -> a != 0 && b != 0 ? 1 : 0;
            case LOGICAL_OR -> a != 0 || b != 0 ? 1 : 0;
            case LOGICAL_XOR -> (a != 0) != (b != 0) ? 1 : 0;
            default -> (long) binary(op, a, b, 0);
        };
    }

    /** Integer form of the integer-closed unary ops. */
    public static long unaryLong(UnaryOp op, long x, double p0, double p1) {
        return switch (op) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SIGN -> Long.signum(x);
            case SQUARE -> x * x;
            case RELU -> Math.max(x, 0);
            case CLAMP -> {
                long r = x;
                if (!Double.isNaN(p0) && r < p0) r = (long) Math.ceil(p0);
                if (!Double.isNaN(p1) && r > p1) r = (long) Math.floor(p1);
                yield r;
            }
            case LOGICAL_NOT -> x == 0 ? 1 : 0;
            case ISNAN -> 0;
            case FLOOR, CEIL, ROUND, TRUNC -> x;
            default -> throw new IllegalArgumentException(op.name().toLowerCase() + ": not defined for integer tensors");
        };
    }

    static double clamp(double x, double lo, double hi) {
        if (Double.isNaN(x)) return x;
        if (!Double.isNaN(lo) && x < lo) x = lo;
        if (!Double.isNaN(hi) && x > hi) x = hi;
        return x;
    }

    static double pow(double a, double b) {
        if (b == 2) return a * a;
        if (b == 1) return a;
        if (b == 0.5) return Math.sqrt(a);
        return Math.pow(a, b);
    }

    /** Numerically stable logistic function. */
    public static double sigmoid(double x) {
        if (x >= 0) return 1.0 / (1.0 + Math.exp(-x));
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    /**
     * The error function to about 1e-15: Maclaurin series below |x| = 2.5, the continued fraction for
     * erfc above (both converge fast there).
     */
    public static double erf(double x) {
        if (Double.isNaN(x)) return x;
        double ax = Math.abs(x);
        double r;
        if (ax < 2.5) {
            double x2 = ax * ax, term = ax, sum = ax;
            for (int n = 1; n < 100; n++) {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
            }
            r = 2.0 / Math.sqrt(Math.PI) * sum;
        } else if (ax > 6.5) {
            r = 1.0;
        } else {
            // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...)))) via modified Lentz.
            double tiny = 1e-300;
            double f = ax, c = ax, d = 0;
            for (int k = 1; k < 300; k++) {
                double ak = k / 2.0;
                d = ax + ak * d;
                d = d == 0 ? tiny : d;
                c = ax + ak / c;
                c = c == 0 ? tiny : c;
                d = 1 / d;
                double delta = c * d;
                f *= delta;
                if (Math.abs(delta - 1) < 1e-16) break;
            }
            r = 1.0 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
        }
        return x < 0 ? -r : r;
    }
}
