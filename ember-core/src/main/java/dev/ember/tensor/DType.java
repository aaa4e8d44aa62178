package dev.ember.tensor;

/**
 * Element types of a {@link Tensor}.
 *
 * <p>Type promotion (used by binary ops such as {@code add} when the two operands differ) follows
 * PyTorch's rule for tensor operands: the result is the higher of the two in the order
 * {@code BOOL < INT32 < INT64 < FLOAT32 < FLOAT64}. A Java scalar operand never widens a floating
 * tensor (a FLOAT32 tensor times {@code 0.5} stays FLOAT32); a fractional scalar applied to an integer
 * or bool tensor gives the default dtype FLOAT32. Division of integer tensors gives FLOAT32 (true
 * division), as in PyTorch. Comparisons give BOOL.
 */
public enum DType {
    BOOL(1, false),
    INT32(4, false),
    INT64(8, false),
    FLOAT32(4, true),
    FLOAT64(8, true);

    private final int byteSize;
    private final boolean floating;

    DType(int byteSize, boolean floating) {
        this.byteSize = byteSize;
        this.floating = floating;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** True for FLOAT32 and FLOAT64, the dtypes that can require gradients. */
    public boolean isFloating() {
        return floating;
    }

    /** True for INT32 and INT64. */
    public boolean isIntegral() {
        return this == INT32 || this == INT64;
    }

    /** The dtype of a binary op's result for two tensor operands (see the class comment). */
    public static DType promote(DType a, DType b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    /** The floating dtype an op with a float result (e.g. {@code exp}, true division) uses for this input. */
    public DType toFloating() {
        return floating ? this : FLOAT32;
    }

    /** Lower-case PyTorch-style name, e.g. {@code float32}. */
    public String pyName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
