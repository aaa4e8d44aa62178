package dev.ember.tensor;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory behind one or more tensors (a tensor and all its views share one storage).
 *
 * <p>Storage is managed by the garbage collector: nothing needs closing. Each storage carries a
 * version counter that every in-place write increments; autograd records the version of each tensor
 * it saves for backward and refuses to use it if the version changed (see PyTorch's
 * "one of the variables needed for gradient computation has been modified by an inplace operation").
 */
public abstract class Storage {
    /** Storages created so far in this JVM: each storage's {@link #serial} is its place in that order. */
    private static final AtomicLong CREATED = new AtomicLong();

    private final long serial = CREATED.incrementAndGet();
    private int version;

    /**
     * This storage's place in the order of creation (1 for the first storage of the JVM). Autograd
     * compares it with {@link #lastSerial()} taken before an op's backward to know that a gradient's
     * memory was made by that backward, so no other tensor can be holding it.
     */
    public final long serial() {
        return serial;
    }

    /** The serial of the newest storage created so far (0 if none). */
    public static long lastSerial() {
        return CREATED.get();
    }

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

    /**
     * Hands this storage's memory back for reuse by later allocations: only for memory no tensor will
     * read or write again (the autograd engine's own gradient buffers once consumed). A storage may ignore
     * it.
     */
    public void recycle() {
    }
}
