package dev.ember.kernels;

/**
 * Thrown by kernels that read index tensors (gather, scatter, index select) when an index is
 * outside {@code [0, size)}. Kernels do not know which op called them, so the op catches this and
 * rethrows {@link #withOp(String) withOp(name)}, giving PyTorch's message with the op's name in front:
 * {@code gather: index 7 is out of bounds for dimension 1 with size 5}.
 */
public final class IndexOutOfRange extends IndexOutOfBoundsException {
    private final long index;
    private final int dim;
    private final int size;

    /** An out-of-range {@code index} for dimension {@code dim}, whose size is {@code size}. */
    public IndexOutOfRange(long index, int dim, int size) {
        super("index " + index + " is out of bounds for dimension " + dim + " with size " + size);
        this.index = index;
        this.dim = dim;
        this.size = size;
    }

    /** The offending index value. */
    public long index() {
        return index;
    }

    /** The dimension it indexes. */
    public int dim() {
        return dim;
    }

    /** The size of that dimension. */
    public int size() {
        return size;
    }

    /** The same problem as a plain exception whose message starts with {@code op}. */
    public IndexOutOfBoundsException withOp(String op) {
        return new IndexOutOfBoundsException(op + ": " + getMessage());
    }
}
