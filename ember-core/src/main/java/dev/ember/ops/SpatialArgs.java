package dev.ember.ops;

import dev.ember.tensor.Tensor;

import java.util.Arrays;

/**
 * Argument handling shared by the convolution, pooling and upsampling functions: PyTorch-style
 * per-axis arguments (one value for both axes, or one per axis) and the checks whose messages name
 * the op, the argument and the shapes involved.
 */
final class SpatialArgs {
    private SpatialArgs() {
    }

    /**
     * A per-axis argument expanded to {@code axes} values: null or empty gives {@code def} on every
     * axis, one value is repeated, otherwise there must be exactly {@code axes} values.
     */
    static int[] expand(String op, String name, int[] v, int axes, int def) {
        if (v == null || v.length == 0) {
            int[] r = new int[axes];
            Arrays.fill(r, def);
            return r;
        }
        if (v.length == 1) {
            int[] r = new int[axes];
            Arrays.fill(r, v[0]);
            return r;
        }
        if (v.length != axes) {
            throw new IllegalArgumentException(op + ": " + name + " needs 1 or " + axes + " values, got " + Arrays.toString(v));
        }
        return v.clone();
    }

    /**
     * {@link #expand}, then checks every value is {@code >= min}, else "op: name must be
     * positive/non-negative, got [..]" showing the values as the caller gave them.
     */
    static int[] expand(String op, String name, int[] v, int axes, int def, int min) {
        int[] r = expand(op, name, v, axes, def);
        for (int x : r) {
            if (x < min) {
                throw new IllegalArgumentException(op + ": " + name + " must be " + (min > 0 ? "positive" : "non-negative")
                        + ", got " + Arrays.toString(v));
            }
        }
        return r;
    }

    /** The tensor has {@code rank} dimensions, else "op: expected what with N dimensions layout, got shape". */
    static void rank(String op, String what, Tensor t, int rank, String layout) {
        if (t.rank() != rank) {
            throw new IllegalArgumentException(op + ": expected " + what + " with " + rank + " dimensions " + layout + ", got "
                    + t.shape());
        }
    }

    /** A floating dtype, else "op: expected a floating what, got int64". */
    static void floating(String op, String what, Tensor t) {
        if (!t.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": expected a floating-point " + what + ", got " + t.dtype().pyName()
                    + " (shape " + t.shape() + "). Hint: convert with to(DType.FLOAT32)");
        }
    }

    /** The same dtype as {@code ref}, else "op: what has dtype a but input has b". */
    static void sameDType(String op, String what, Tensor t, Tensor ref) {
        if (t.dtype() != ref.dtype()) {
            throw new IllegalArgumentException(op + ": " + what + " has dtype " + t.dtype().pyName() + " but input has "
                    + ref.dtype().pyName() + ". Hint: convert one with to(...)");
        }
    }

    /** Non-empty spatial dimensions (the last two), else "op: input [..] has an empty spatial dimension". */
    static void nonEmptySpatial(String op, Tensor x) {
        int r = x.rank();
        for (int d = r - 2; d < r; d++) {
            if (x.size(d) == 0) {
                throw new IllegalArgumentException(op + ": input " + x.shape() + " has an empty spatial dimension");
            }
        }
    }

    /** "a x b" for messages. */
    static String size2(int a, int b) {
        return a + "x" + b;
    }
}
