package dev.ember.kernels;

/**
 * Elementwise two-input kernels. Inputs have the output's shape (broadcasting is done by views with
 * zero strides before the kernel runs) and the same dtype. The *_BACKWARD ops are fused gradient
 * kernels: {@code a} is the incoming gradient and {@code b} the saved forward input (or output, as
 * noted); {@code p0} carries the activation's parameter.
 */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW, MINIMUM, MAXIMUM,
    /** Python-style remainder (sign of the divisor). */
    REMAINDER,
    ATAN2,
    EQ, NE, LT, LE, GT, GE,
    LOGICAL_AND, LOGICAL_OR, LOGICAL_XOR,
    /** a * (b > 0), b = forward input. */
    RELU_BACKWARD,
    /** a * b * (1 - b), b = forward output. */
    SIGMOID_BACKWARD,
    /** a * (1 - b^2), b = forward output. */
    TANH_BACKWARD,
    /** a * GELU'(b), b = forward input. */
    GELU_BACKWARD,
    /** a * GELU_TANH'(b), b = forward input. */
    GELU_TANH_BACKWARD,
    /** a * SILU'(b), b = forward input. */
    SILU_BACKWARD,
    /** a * sigmoid(b) (b = input; PyTorch threshold 20). */
    SOFTPLUS_BACKWARD,
    /** a * (b > 0 ? 1 : p0 * e^b), b = forward input. */
    ELU_BACKWARD,
    /** a * (b > 0 ? 1 : p0), b = forward input. */
    LEAKY_RELU_BACKWARD;

    /** True for comparisons and logical ops, whose result is BOOL. */
    public boolean boolResult() {
        return switch (this) {
            case EQ, NE, LT, LE, GT, GE, LOGICAL_AND, LOGICAL_OR, LOGICAL_XOR -> true;
            default -> false;
        };
    }
}
