package dev.ember.kernels;

/**
 * Elementwise one-input kernels. Parameters {@code p0}/{@code p1} are passed alongside where an op
 * has them (noted per constant). Every backend implements all of them for floating dtypes; the
 * integer-valued ones (NEG, ABS, SIGN, SQUARE, CLAMP, LOGICAL_NOT) also for INT32/INT64/BOOL.
 */
public enum UnaryOp {
    NEG, EXP, LOG, LOG1P, EXPM1, SQRT, RSQRT, ABS, SIGN, SIN, COS, TANH, SIGMOID,
    RELU,
    /** Exact GELU: x * Phi(x). */
    GELU,
    /** GELU with the tanh approximation. */
    GELU_TANH,
    /** x * sigmoid(x). */
    SILU,
    /** log(1 + e^x) (linear above 20, as PyTorch's threshold). */
    SOFTPLUS,
    /** p0 = alpha: x > 0 ? x : alpha * (e^x - 1). */
    ELU,
    /** p0 = negative slope. */
    LEAKY_RELU,
    /** p0 = min, p1 = max (NaN = no bound). */
    CLAMP,
    /** p0 = exponent. */
    POW_SCALAR,
    /** p0 = base: base ^ x. */
    RPOW_SCALAR,
    RECIPROCAL, SQUARE, FLOOR, CEIL,
    /** Half to even. */
    ROUND,
    TRUNC, ERF,
    /** 1 where x == 0 (BOOL result). */
    LOGICAL_NOT,
    /** 1 where x is NaN (BOOL result). */
    ISNAN;

    /** True if the result dtype is BOOL whatever the input. */
    public boolean boolResult() {
        return this == LOGICAL_NOT || this == ISNAN;
    }

    /** True if the op is defined on integer inputs with an integer result. */
    public boolean integerClosed() {
        return switch (this) {
            case NEG, ABS, SIGN, SQUARE, CLAMP, RELU, LOGICAL_NOT, ISNAN, FLOOR, CEIL, ROUND, TRUNC -> true;
            default -> false;
        };
    }
}
