package dev.ember.kernels.cpu;

import dev.ember.kernels.BinaryOp;
import dev.ember.kernels.IndexOutOfRange;

/**
 * Typed data movement for the index and shape kernels. Addresses are computed once into an
 * {@code int[]} of positions (dtype-independent work), then one of these loops moves the values:
 * the switch on the array type happens once per call, never per element.
 */
final class TypedMoves {
    private TypedMoves() {
    }

    /**
     * {@code pos[i] = base + i * stride + index[iOff + i * iStride] * dimStride} for {@code i < n},
     * checking every index against {@code [0, size)}.
     */
    static void positions(Object index, int iOff, int iStride, int n, int base, int stride, int dimStride, int size,
                          int dim, int[] pos) {
        if (index instanceof long[] ix) {
            for (int i = 0; i < n; i++) {
                long j = ix[iOff + i * iStride];
                if (j < 0 || j >= size) throw new IndexOutOfRange(j, dim, size);
                pos[i] = base + i * stride + (int) j * dimStride;
            }
        } else {
            int[] ix = (int[]) index;
            for (int i = 0; i < n; i++) {
                int j = ix[iOff + i * iStride];
                if (j < 0 || j >= size) throw new IndexOutOfRange(j, dim, size);
                pos[i] = base + i * stride + j * dimStride;
            }
        }
    }

    /** Reads one index value, checked against {@code [0, size)}. */
    static int index(Object index, int at, int size, int dim) {
        long j = index instanceof long[] ix ? ix[at] : ((int[]) index)[at];
        if (j < 0 || j >= size) throw new IndexOutOfRange(j, dim, size);
        return (int) j;
    }

    /** {@code dst[dOff + i * dStride] = src[pos[i]]} for {@code i < n}; src and dst have the same type. */
    static void gather(Object src, int[] pos, int n, Object dst, int dOff, int dStride) {
        switch (dst) {
            case float[] d -> {
                float[] s = (float[]) src;
                for (int i = 0; i < n; i++) d[dOff + i * dStride] = s[pos[i]];
            }
            case double[] d -> {
                double[] s = (double[]) src;
                for (int i = 0; i < n; i++) d[dOff + i * dStride] = s[pos[i]];
            }
            case long[] d -> {
                long[] s = (long[]) src;
                for (int i = 0; i < n; i++) d[dOff + i * dStride] = s[pos[i]];
            }
            case int[] d -> {
                int[] s = (int[]) src;
                for (int i = 0; i < n; i++) d[dOff + i * dStride] = s[pos[i]];
            }
            case byte[] d -> {
                byte[] s = (byte[]) src;
                for (int i = 0; i < n; i++) d[dOff + i * dStride] = s[pos[i]];
            }
            default -> throw new IllegalStateException("gather: unsupported storage " + dst.getClass());
        }
    }

    /** {@code dst[dOff + i] = src[base + rel[from + i]]} for {@code i < to - from} (a table-driven row copy, one pass). */
    static void gatherRow(Object src, int base, int[] rel, int from, int to, Object dst, int dOff) {
        int n = to - from;
        switch (dst) {
            case float[] d -> {
                float[] s = (float[]) src;
                for (int i = 0; i < n; i++) d[dOff + i] = s[base + rel[from + i]];
            }
            case double[] d -> {
                double[] s = (double[]) src;
                for (int i = 0; i < n; i++) d[dOff + i] = s[base + rel[from + i]];
            }
            case long[] d -> {
                long[] s = (long[]) src;
                for (int i = 0; i < n; i++) d[dOff + i] = s[base + rel[from + i]];
            }
            case int[] d -> {
                int[] s = (int[]) src;
                for (int i = 0; i < n; i++) d[dOff + i] = s[base + rel[from + i]];
            }
            case byte[] d -> {
                byte[] s = (byte[]) src;
                for (int i = 0; i < n; i++) d[dOff + i] = s[base + rel[from + i]];
            }
            default -> throw new IllegalStateException("gather: unsupported storage " + dst.getClass());
        }
    }

    /** {@code dst[dOff + i] = src[last - i]} for {@code i < n}: a reversed row (flip of the last dimension). */
    static void reverseRow(Object src, int last, Object dst, int dOff, int n) {
        switch (dst) {
            case float[] d -> {
                float[] s = (float[]) src;
                for (int i = 0; i < n; i++) d[dOff + i] = s[last - i];
            }
            case double[] d -> {
                double[] s = (double[]) src;
                for (int i = 0; i < n; i++) d[dOff + i] = s[last - i];
            }
            case long[] d -> {
                long[] s = (long[]) src;
                for (int i = 0; i < n; i++) d[dOff + i] = s[last - i];
            }
            case int[] d -> {
                int[] s = (int[]) src;
                for (int i = 0; i < n; i++) d[dOff + i] = s[last - i];
            }
            case byte[] d -> {
                byte[] s = (byte[]) src;
                for (int i = 0; i < n; i++) d[dOff + i] = s[last - i];
            }
            default -> throw new IllegalStateException("flip: unsupported storage " + dst.getClass());
        }
    }

    /** Like {@link #gather}, but a negative position writes {@code fill} (constant padding). */
    static void gatherOrFill(Object src, int[] pos, int n, Object dst, int dOff, double fill) {
        switch (dst) {
            case float[] d -> {
                float[] s = (float[]) src;
                float f = (float) fill;
                for (int i = 0; i < n; i++) d[dOff + i] = pos[i] < 0 ? f : s[pos[i]];
            }
            case double[] d -> {
                double[] s = (double[]) src;
                for (int i = 0; i < n; i++) d[dOff + i] = pos[i] < 0 ? fill : s[pos[i]];
            }
            case long[] d -> {
                long[] s = (long[]) src;
                long f = (long) fill;
                for (int i = 0; i < n; i++) d[dOff + i] = pos[i] < 0 ? f : s[pos[i]];
            }
            case int[] d -> {
                int[] s = (int[]) src;
                int f = (int) fill;
                for (int i = 0; i < n; i++) d[dOff + i] = pos[i] < 0 ? f : s[pos[i]];
            }
            case byte[] d -> {
                byte[] s = (byte[]) src;
                byte f = (byte) (fill != 0 ? 1 : 0);
                for (int i = 0; i < n; i++) d[dOff + i] = pos[i] < 0 ? f : s[pos[i]];
            }
            default -> throw new IllegalStateException("pad: unsupported storage " + dst.getClass());
        }
    }

    /**
     * {@code dst[pos[i]] = src[sOff + i * sStride]} for {@code i < n}, or {@code +=} when {@code add}
     * (BOOL adds as logical or). Later writes win where positions repeat.
     */
    static void scatter(Object src, int sOff, int sStride, int[] pos, int n, Object dst, boolean add) {
        switch (dst) {
            case float[] d -> {
                float[] s = (float[]) src;
                if (add) for (int i = 0; i < n; i++) d[pos[i]] += s[sOff + i * sStride];
                else for (int i = 0; i < n; i++) d[pos[i]] = s[sOff + i * sStride];
            }
            case double[] d -> {
                double[] s = (double[]) src;
                if (add) for (int i = 0; i < n; i++) d[pos[i]] += s[sOff + i * sStride];
                else for (int i = 0; i < n; i++) d[pos[i]] = s[sOff + i * sStride];
            }
            case long[] d -> {
                long[] s = (long[]) src;
                if (add) for (int i = 0; i < n; i++) d[pos[i]] += s[sOff + i * sStride];
                else for (int i = 0; i < n; i++) d[pos[i]] = s[sOff + i * sStride];
            }
            case int[] d -> {
                int[] s = (int[]) src;
                if (add) for (int i = 0; i < n; i++) d[pos[i]] += s[sOff + i * sStride];
                else for (int i = 0; i < n; i++) d[pos[i]] = s[sOff + i * sStride];
            }
            case byte[] d -> {
                byte[] s = (byte[]) src;
                if (add) for (int i = 0; i < n; i++) d[pos[i]] |= s[sOff + i * sStride];
                else for (int i = 0; i < n; i++) d[pos[i]] = s[sOff + i * sStride];
            }
            default -> throw new IllegalStateException("scatter: unsupported storage " + dst.getClass());
        }
    }

    /** {@code dst[dOff + i] += src[sOff + i]} over a contiguous row (BOOL: logical or). */
    static void addRow(Object src, int sOff, Object dst, int dOff, int n) {
        switch (dst) {
            case float[] d -> Simd.FLOAT.binary(BinaryOp.ADD, d, dOff, 1, (float[]) src, sOff, 1, d, dOff, 1, n, 0f);
            case double[] d -> {
                double[] s = (double[]) src;
                for (int i = 0; i < n; i++) d[dOff + i] += s[sOff + i];
            }
            case long[] d -> {
                long[] s = (long[]) src;
                for (int i = 0; i < n; i++) d[dOff + i] += s[sOff + i];
            }
            case int[] d -> {
                int[] s = (int[]) src;
                for (int i = 0; i < n; i++) d[dOff + i] += s[sOff + i];
            }
            case byte[] d -> {
                byte[] s = (byte[]) src;
                for (int i = 0; i < n; i++) d[dOff + i] |= s[sOff + i];
            }
            default -> throw new IllegalStateException("scatterAdd: unsupported storage " + dst.getClass());
        }
    }

    /** Sets {@code dst[from, to)} to {@code value} (converted to dst's type; BOOL stores value != 0). */
    static void fill(Object dst, int from, int to, double value) {
        if (from >= to) return;
        switch (dst) {
            case float[] d -> java.util.Arrays.fill(d, from, to, (float) value);
            case double[] d -> java.util.Arrays.fill(d, from, to, value);
            case long[] d -> java.util.Arrays.fill(d, from, to, (long) value);
            case int[] d -> java.util.Arrays.fill(d, from, to, (int) value);
            case byte[] d -> java.util.Arrays.fill(d, from, to, (byte) (value != 0 ? 1 : 0));
            default -> throw new IllegalStateException("fill: unsupported storage " + dst.getClass());
        }
    }
}
