package dev.ember.tensor;

import java.util.Arrays;

/**
 * An immutable tensor shape: the size of each dimension, outermost first.
 *
 * <p>A rank-0 shape ({@code []}) describes a scalar with one element. Dimension indices accepted by
 * Ember methods may be negative and count from the end, as in PyTorch ({@code -1} is the last).
 */
public final class Shape {
    private static final int[] NO_DIMS = new int[0];
    /** The rank-0 shape of a scalar. */
    public static final Shape SCALAR = new Shape(NO_DIMS);

    private final int[] dims;
    private final int numel;

    private Shape(int[] dims) {
        this.dims = dims;
        long n = 1;
        for (int d : dims) {
            if (d < 0) throw new IllegalArgumentException("Shape: negative dimension in " + Arrays.toString(dims));
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("Shape: " + Arrays.toString(dims) + " has more than 2^31-1 elements");
            }
        }
        this.numel = (int) n;
    }

    /** A shape with the given dimension sizes (copied). */
    public static Shape of(int... dims) {
        return dims.length == 0 ? SCALAR : new Shape(dims.clone());
    }

    /** Wraps an array the caller promises never to modify again (internal fast path). */
    static Shape wrap(int[] dims) {
        return dims.length == 0 ? SCALAR : new Shape(dims);
    }

    /** Number of dimensions. */
    public int rank() {
        return dims.length;
    }

    /** Size of dimension {@code dim} (negative counts from the end). */
    public int size(int dim) {
        return dims[normalizeDim(dim, dims.length, "size")];
    }

    /** Total number of elements (1 for a scalar). */
    public int numel() {
        return numel;
    }

    /** A copy of the dimension sizes. */
    public int[] toArray() {
        return dims.clone();
    }

    /** Internal: the backing array, not to be modified. */
    int[] dimsUnsafe() {
        return dims;
    }

    /** Row-major (C order) strides for this shape. */
    public int[] contiguousStrides() {
        int[] s = new int[dims.length];
        int acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= Math.max(dims[i], 1);
        }
        return s;
    }

    /** This shape with dimension {@code dim} replaced by {@code size}. */
    public Shape with(int dim, int size) {
        int[] d = dims.clone();
        d[normalizeDim(dim, d.length, "with")] = size;
        return new Shape(d);
    }

    /**
     * The NumPy broadcast of two shapes: dimensions are aligned from the right and each pair must be
     * equal or contain a 1.
     *
     * @param op the operation name used in the error message
     */
    public static Shape broadcast(Shape a, Shape b, String op) {
        if (a.equals(b)) return a;
        int r = Math.max(a.rank(), b.rank());
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i < r - a.rank() ? 1 : a.dims[i - (r - a.rank())];
            int db = i < r - b.rank() ? 1 : b.dims[i - (r - b.rank())];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + a + " and " + b
                        + " cannot be broadcast (dimension " + i + ": " + da + " vs " + db + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return new Shape(out);
    }

    /**
     * Resolves a possibly negative dimension index against a rank, or throws a message naming the op.
     */
    public static int normalizeDim(int dim, int rank, String op) {
        int r = Math.max(rank, 1); // a scalar accepts dim 0 / -1 like PyTorch
        if (dim < -r || dim >= r) {
            throw new IndexOutOfBoundsException(op + ": dimension " + dim + " out of range for a tensor of rank "
                    + rank + " (expected " + (-r) + " to " + (r - 1) + ")");
        }
        return dim < 0 ? dim + r : dim;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** {@code [2, 3]}, as PyTorch prints sizes. */
    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
