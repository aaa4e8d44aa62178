package dev.ember.data;

import dev.ember.tensor.DType;
import dev.ember.tensor.HeapStorage;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;

import java.util.List;

/** Stacks equally shaped tensors along a new leading dimension with plain array copies (no autograd). */
public final class Stacking {
    private Stacking() {
    }

    /**
     * {@code [n, ...shape]} holding {@code parts[0], parts[1], ...}; all parts must share shape and dtype.
     *
     * @param what names the tensors in error messages (e.g. "x")
     */
    public static Tensor stack(List<Tensor> parts, String what) {
        if (parts.isEmpty()) throw new IllegalArgumentException("collate: cannot stack an empty list of " + what);
        Tensor first = parts.getFirst();
        Shape shape = first.shape();
        DType dtype = first.dtype();
        for (int i = 1; i < parts.size(); i++) {
            Tensor t = parts.get(i);
            if (!t.shape().equals(shape) || t.dtype() != dtype) {
                throw new IllegalArgumentException("collate: cannot stack " + what + " of sample 0 (" + shape + ", " + dtype.pyName()
                        + ") with " + what + " of sample " + i + " (" + t.shape() + ", " + t.dtype().pyName() + ")"
                        + (t.shape().rank() == 3 ? "; hint: add a Resize or CenterCrop transform so all images have one size" : ""));
            }
        }
        int n = parts.size(), m = shape.numel();
        int[] dims = new int[shape.rank() + 1];
        dims[0] = n;
        System.arraycopy(shape.toArray(), 0, dims, 1, shape.rank());
        Object out = switch (dtype) {
            case FLOAT32 -> new float[n * m];
            case FLOAT64 -> new double[n * m];
            case INT64 -> new long[n * m];
            case INT32 -> new int[n * m];
            case BOOL -> new byte[n * m];
        };
        for (int i = 0; i < n; i++) copyInto(parts.get(i), out, i * m);
        Tensor result = switch (out) {
            case float[] a -> Tensor.wrap(a, dims);
            case double[] a -> Tensor.of(a, dims);
            case long[] a -> Tensor.of(a, dims);
            case int[] a -> Tensor.of(a, dims);
            default -> {
                boolean[] b = new boolean[n * m];
                byte[] bytes = (byte[]) out;
                for (int k = 0; k < b.length; k++) b[k] = bytes[k] != 0;
                yield Tensor.of(b, dims);
            }
        };
        return result;
    }

    private static void copyInto(Tensor t, Object out, int at) {
        int m = t.numel();
        if (t.isContiguous() && t.storage() instanceof HeapStorage hs) {
            System.arraycopy(hs.array(), t.offset(), out, at, m);
            return;
        }
        switch (out) {
            case float[] a -> System.arraycopy(t.toFloatArray(), 0, a, at, m);
            case double[] a -> System.arraycopy(t.toDoubleArray(), 0, a, at, m);
            case long[] a -> System.arraycopy(t.toLongArray(), 0, a, at, m);
            case int[] a -> System.arraycopy(t.toIntArray(), 0, a, at, m);
            case byte[] a -> {
                long[] v = t.toLongArray();
                for (int k = 0; k < m; k++) a[at + k] = (byte) (v[k] != 0 ? 1 : 0);
            }
            default -> throw new IllegalStateException();
        }
    }
}
