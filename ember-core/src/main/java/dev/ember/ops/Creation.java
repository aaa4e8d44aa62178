package dev.ember.ops;

import dev.ember.autograd.Grad;
import dev.ember.kernels.Backends;
import dev.ember.tensor.DType;
import dev.ember.tensor.Device;
import dev.ember.tensor.Generator;
import dev.ember.tensor.HeapStorage;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;
import dev.ember.tensor.TensorAccess;

/** Factories (zeros, arange, rand, ...) and conversions to Java arrays. */
public final class Creation {
    private Creation() {
    }

    /** A fresh contiguous tensor on the CPU (zeroed). */
    public static Tensor empty(Shape shape, DType dtype) {
        return Tensor.empty(shape, dtype, Device.CPU);
    }

    /** A fresh contiguous tensor on {@code device} (zeroed). */
    public static Tensor empty(Shape shape, DType dtype, Device device) {
        return Tensor.empty(shape, dtype, device);
    }

    /**
     * A fresh contiguous tensor on {@code device} whose contents are arbitrary (possibly not zeroed, see
     * {@link dev.ember.tensor.UninitializedArrays}): only for an op's output that the kernel called
     * next writes in every element.
     */
    public static Tensor uninitialized(Shape shape, DType dtype, Device device) {
        return TensorAccess.make(Backends.get(device).allocateUninitialized(dtype, shape.numel()), shape);
    }

    public static Tensor full(Shape shape, double value, DType dtype) {
        Tensor t = empty(shape, dtype);
        if (value != 0) Backends.get(Device.CPU).fill(t, value);
        return t;
    }

    public static Tensor of(HeapStorage storage, int[] shape, String op) {
        Shape s = shape.length == 0 ? Shape.of(storage.size()) : Shape.of(shape);
        if (s.numel() != storage.size()) {
            throw new IllegalArgumentException(op + ": " + storage.size() + " values cannot fill shape " + s + " ("
                    + s.numel() + " elements)");
        }
        return TensorAccess.make(storage, s);
    }

    public static Tensor ofRows(float[][] rows) {
        int r = rows.length, c = r == 0 ? 0 : rows[0].length;
        float[] d = new float[r * c];
        for (int i = 0; i < r; i++) {
            if (rows[i].length != c) throw ragged(i, rows[i].length, c);
            System.arraycopy(rows[i], 0, d, i * c, c);
        }
        return TensorAccess.make(HeapStorage.wrap(d), Shape.of(r, c));
    }

    public static Tensor ofRows(double[][] rows) {
        int r = rows.length, c = r == 0 ? 0 : rows[0].length;
        double[] d = new double[r * c];
        for (int i = 0; i < r; i++) {
            if (rows[i].length != c) throw ragged(i, rows[i].length, c);
            System.arraycopy(rows[i], 0, d, i * c, c);
        }
        return TensorAccess.make(HeapStorage.wrap(d), Shape.of(r, c));
    }

    private static IllegalArgumentException ragged(int row, int len, int expected) {
        return new IllegalArgumentException("of: row " + row + " has " + len + " values but row 0 has " + expected
                + " (a matrix needs rows of equal length)");
    }

    public static Tensor arange(double start, double end, double step, DType dtype) {
        if (step == 0 || Double.isNaN(step)) throw new IllegalArgumentException("arange: step must be non-zero, got " + step);
        if ((end - start) / step < 0) {
            throw new IllegalArgumentException("arange: upper bound and step are inconsistent (start " + start + ", end " + end
                    + ", step " + step + ")");
        }
        long n = (long) Math.ceil((end - start) / step);
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("arange: " + n + " elements is too many");
        Tensor t = empty(Shape.of((int) n), dtype);
        HeapStorage s = (HeapStorage) t.storage();
        for (int i = 0; i < n; i++) {
            if (dtype.isFloating()) s.setDouble(i, start + i * step);
            else s.setLong(i, (long) start + i * (long) step);
        }
        return t;
    }

    public static Tensor linspace(double start, double end, int steps, DType dtype) {
        if (steps < 0) throw new IllegalArgumentException("linspace: steps must be >= 0, got " + steps);
        Tensor t = empty(Shape.of(steps), dtype);
        HeapStorage s = (HeapStorage) t.storage();
        double step = steps > 1 ? (end - start) / (steps - 1) : 0;
        // Fill from both ends, as PyTorch does, so the last value is exactly `end`.
        int half = steps / 2;
        for (int i = 0; i < steps; i++) {
            s.setDouble(i, i < half ? start + step * i : end - step * (steps - 1 - i));
        }
        return t;
    }

    public static Tensor eye(int n, int m, DType dtype) {
        if (n < 0 || m < 0) throw new IllegalArgumentException("eye: sizes must be >= 0, got " + n + " x " + m);
        Tensor t = empty(Shape.of(n, m), dtype);
        HeapStorage s = (HeapStorage) t.storage();
        for (int i = 0; i < Math.min(n, m); i++) s.setDouble(i * m + i, 1);
        return t;
    }

    public static Tensor rand(Shape shape, DType dtype, Generator gen) {
        requireFloating(dtype, "rand");
        Tensor t = empty(shape, dtype);
        Backends.get(Device.CPU).uniform(t, 0, 1, gen);
        return t;
    }

    public static Tensor randn(Shape shape, DType dtype, Generator gen) {
        requireFloating(dtype, "randn");
        Tensor t = empty(shape, dtype);
        Backends.get(Device.CPU).normal(t, 0, 1, gen);
        return t;
    }

    public static Tensor randint(long low, long high, Shape shape, Generator gen) {
        if (high <= low) throw new IllegalArgumentException("randint: high (" + high + ") must be greater than low (" + low + ")");
        Tensor t = empty(shape, DType.INT64);
        long[] d = ((HeapStorage) t.storage()).longs();
        for (int i = 0; i < d.length; i++) d[i] = low + gen.nextLong(high - low);
        return t;
    }

    private static void requireFloating(DType dtype, String op) {
        if (!dtype.isFloating()) throw new IllegalArgumentException(op + ": needs a floating dtype, got " + dtype.pyName());
    }

    public static Tensor toCpu(Tensor t) {
        return t.device().type() == Device.Type.CPU ? t : toDevice(t, Device.CPU);
    }

    public static Tensor toDevice(Tensor t, Device device) {
        Backends.get(device); // throws a clear error for devices without a backend
        throw new UnsupportedOperationException("to: moving tensors between " + t.device() + " and " + device + " is not supported yet");
    }

    /** A contiguous CPU tensor of {@code dtype} with t's values, without recording history. */
    private static Tensor dense(Tensor t, DType dtype) {
        try (var g = Grad.off()) {
            Tensor c = toCpu(t).to(dtype).contiguous();
            return c;
        }
    }

    public static float[] toFloatArray(Tensor t) {
        Tensor c = dense(t, DType.FLOAT32);
        float[] out = new float[t.numel()];
        System.arraycopy(((HeapStorage) c.storage()).floats(), c.offset(), out, 0, out.length);
        return out;
    }

    public static double[] toDoubleArray(Tensor t) {
        Tensor c = dense(t, DType.FLOAT64);
        double[] out = new double[t.numel()];
        System.arraycopy(((HeapStorage) c.storage()).doubles(), c.offset(), out, 0, out.length);
        return out;
    }

    public static long[] toLongArray(Tensor t) {
        Tensor c = dense(t, DType.INT64);
        long[] out = new long[t.numel()];
        System.arraycopy(((HeapStorage) c.storage()).longs(), c.offset(), out, 0, out.length);
        return out;
    }

    public static int[] toIntArray(Tensor t) {
        Tensor c = dense(t, DType.INT32);
        int[] out = new int[t.numel()];
        System.arraycopy(((HeapStorage) c.storage()).ints(), c.offset(), out, 0, out.length);
        return out;
    }
}
