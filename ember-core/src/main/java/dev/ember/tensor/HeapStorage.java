package dev.ember.tensor;

/**
 * CPU storage backed by a plain Java array: {@code float[]} (FLOAT32), {@code double[]} (FLOAT64),
 * {@code long[]} (INT64), {@code int[]} (INT32) or {@code byte[]} holding 0/1 (BOOL).
 *
 * <p>Kernels take the typed array once ({@link #floats()} etc.) and loop over it; the per-element
 * {@link #getDouble}/{@link #setDouble} accessors are for slow paths such as printing.
 */
public final class HeapStorage extends Storage {
    private final DType dtype;
    private final Object array;
    private final int size;

    private HeapStorage(DType dtype, Object array, int size) {
        this.dtype = dtype;
        this.array = array;
        this.size = size;
    }

    /** A zero-filled storage of {@code n} elements. */
    public static HeapStorage allocate(DType dtype, int n) {
        return switch (dtype) {
            case FLOAT32 -> new HeapStorage(dtype, UninitializedArrays.zeroedFloats(n), n);
            case FLOAT64 -> new HeapStorage(dtype, new double[n], n);
            case INT64 -> new HeapStorage(dtype, new long[n], n);
            case INT32 -> new HeapStorage(dtype, new int[n], n);
            case BOOL -> new HeapStorage(dtype, new byte[n], n);
        };
    }

    /**
     * A storage of {@code n} elements whose contents are arbitrary: for outputs a kernel is about to
     * write in full. FLOAT32 and FLOAT64 arrays skip the JVM's zeroing when the JVM lets Ember use it
     * (see {@link UninitializedArrays}); other dtypes, and every dtype without that access, are zeroed.
     */
    public static HeapStorage allocateUninitialized(DType dtype, int n) {
        return switch (dtype) {
            case FLOAT32 -> new HeapStorage(dtype, UninitializedArrays.floats(n), n);
            case FLOAT64 -> new HeapStorage(dtype, UninitializedArrays.doubles(n), n);
            default -> allocate(dtype, n);
        };
    }

    /** Wraps (does not copy) an existing array. */
    public static HeapStorage wrap(float[] a) {
        return new HeapStorage(DType.FLOAT32, a, a.length);
    }

    /** Wraps (does not copy) an existing array. */
    public static HeapStorage wrap(double[] a) {
        return new HeapStorage(DType.FLOAT64, a, a.length);
    }

    /** Wraps (does not copy) an existing array. */
    public static HeapStorage wrap(long[] a) {
        return new HeapStorage(DType.INT64, a, a.length);
    }

    /** Wraps (does not copy) an existing array. */
    public static HeapStorage wrap(int[] a) {
        return new HeapStorage(DType.INT32, a, a.length);
    }

    /** Wraps (does not copy) a byte array of 0/1 values as BOOL storage. */
    public static HeapStorage wrapBool(byte[] a) {
        return new HeapStorage(DType.BOOL, a, a.length);
    }

    @Override
    public DType dtype() {
        return dtype;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Device device() {
        return Device.CPU;
    }

    @Override
    public void recycle() {
        if (array instanceof float[] f && f.length == size) UninitializedArrays.recycle(f);
    }

    /** The backing array as an Object (one of the five array types). */
    public Object array() {
        return array;
    }

    public float[] floats() {
        if (array instanceof float[] f) return f;
        throw wrongType(DType.FLOAT32);
    }

    public double[] doubles() {
        if (array instanceof double[] d) return d;
        throw wrongType(DType.FLOAT64);
    }

    public long[] longs() {
        if (array instanceof long[] l) return l;
        throw wrongType(DType.INT64);
    }

    public int[] ints() {
        if (array instanceof int[] i) return i;
        throw wrongType(DType.INT32);
    }

    public byte[] bools() {
        if (dtype == DType.BOOL) return (byte[]) array;
        throw wrongType(DType.BOOL);
    }

    private IllegalStateException wrongType(DType wanted) {
        return new IllegalStateException("storage holds " + dtype.pyName() + ", not " + wanted.pyName());
    }

    /** Element {@code i} converted to double (slow path). */
    public double getDouble(int i) {
        return switch (array) {
            case float[] a -> a[i];
            case double[] a -> a[i];
            case long[] a -> a[i];
            case int[] a -> a[i];
            case byte[] a -> a[i];
            default -> throw new IllegalStateException();
        };
    }

    /** Element {@code i} converted to long (slow path; exact for integer dtypes). */
    public long getLong(int i) {
        return switch (array) {
            case long[] a -> a[i];
            case int[] a -> a[i];
            case byte[] a -> a[i];
            case float[] a -> (long) a[i];
            case double[] a -> (long) a[i];
            default -> throw new IllegalStateException();
        };
    }

    /** Stores {@code v} at {@code i}, converted to this dtype (BOOL stores v != 0). */
    public void setDouble(int i, double v) {
        switch (array) {
            case float[] a -> a[i] = (float) v;
            case double[] a -> a[i] = v;
            case long[] a -> a[i] = (long) v;
            case int[] a -> a[i] = (int) v;
            case byte[] a -> a[i] = (byte) (v != 0 ? 1 : 0);
            default -> throw new IllegalStateException();
        }
    }

    /** Stores {@code v} at {@code i} exactly for integer dtypes. */
    public void setLong(int i, long v) {
        switch (array) {
            case long[] a -> a[i] = v;
            case int[] a -> a[i] = (int) v;
            case byte[] a -> a[i] = (byte) (v != 0 ? 1 : 0);
            case float[] a -> a[i] = v;
            case double[] a -> a[i] = v;
            default -> throw new IllegalStateException();
        }
    }
}
