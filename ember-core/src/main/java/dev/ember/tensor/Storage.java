package dev.ember.tensor;

/**
 * The memory behind one or more tensors (a tensor and all its views share one storage).
 *
 * <p>Storage is managed by the garbage collector: nothing needs closing. Each storage carries a
 * version counter that every in-place write increments; autograd records the version of each tensor
 * it saves for backward and refuses to use it if the version changed (see PyTorch's
 * "one of the variables needed for gradient computation has been modified by an inplace operation").
 */
public abstract class Storage {
    private int version;

    /** Element type. */
    public abstract DType dtype();

    /** Number of elements. */
    public abstract int size();

    /** Where the memory lives. */
    public abstract Device device();

    /** How many in-place writes this storage has seen. */
    public final int version() {
        return version;
    }

    /** Records an in-place write (called by the op dispatcher, not by kernels). */
    public final void bumpVersion() {
        version++;
    }
}
