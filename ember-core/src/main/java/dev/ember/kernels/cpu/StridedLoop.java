package dev.ember.kernels.cpu;

import dev.ember.tensor.Tensor;
import dev.ember.tensor.TensorAccess;

/**
 * Iteration over the elements of several same-shape strided tensors (operand 0 is usually the
 * output). Dimensions of size 1 are dropped and adjacent dimensions merged wherever every operand's
 * strides allow, so a contiguous tensor becomes a single run and a row-broadcast becomes runs of
 * row length. The innermost remaining dimension is handed to kernels as a run with one stride per
 * operand; {@link #forEachRun} walks any flat sub-range [start, end) of the element order, which is
 * how work is split across threads.
 */
final class StridedLoop {
    /** A kernel body for one run: operand offsets and the run length (inner strides are fixed per loop). */
    @FunctionalInterface
    interface RunBody {
        void run(int[] offsets, int n);
    }

    final int[] dims;          // coalesced sizes, outermost first (at least one entry)
    final int[][] strides;     // [operand][dim]
    final int[] baseOffsets;   // per operand
    final int inner;           // size of the innermost dimension
    final int[] innerStride;   // per operand
    final int total;

    private StridedLoop(int[] dims, int[][] strides, int[] baseOffsets) {
        this.dims = dims;
        this.strides = strides;
        this.baseOffsets = baseOffsets;
        int r = dims.length;
        this.inner = dims[r - 1];
        this.innerStride = new int[strides.length];
        for (int k = 0; k < strides.length; k++) innerStride[k] = strides[k][r - 1];
        long t = 1;
        for (int d : dims) t *= d;
        this.total = (int) t;
    }

    /** A loop over {@code tensors}, which must all have the shape of the first. */
    static StridedLoop of(Tensor... tensors) {
        int[] shape = TensorAccess.dims(tensors[0]);
        int k = tensors.length;
        int[][] st = new int[k][];
        int[] offs = new int[k];
        for (int i = 0; i < k; i++) {
            st[i] = TensorAccess.strides(tensors[i]);
            offs[i] = tensors[i].offset();
        }
        return of(shape, st, offs);
    }

    static StridedLoop of(int[] shape, int[][] strides, int[] offsets) {
        int k = strides.length;
        int r = shape.length;
        int[] d = new int[Math.max(r, 1)];
        int[][] s = new int[k][Math.max(r, 1)];
        int m = 0;
        for (int i = 0; i < r; i++) {
            if (shape[i] == 1) continue;
            if (m > 0) {
                boolean merge = true;
                for (int j = 0; j < k; j++) {
                    if (s[j][m - 1] != strides[j][i] * shape[i]) {
                        merge = false;
                        break;
                    }
                }
                if (merge) {
                    d[m - 1] *= shape[i];
                    for (int j = 0; j < k; j++) s[j][m - 1] = strides[j][i];
                    continue;
                }
            }
            d[m] = shape[i];
            for (int j = 0; j < k; j++) s[j][m] = strides[j][i];
            m++;
        }
        if (m == 0) { // scalar, or all sizes 1 (or a size-0 dimension)
            boolean empty = false;
            for (int v : shape) empty |= v == 0;
            return new StridedLoop(new int[] {empty ? 0 : 1}, zeroStrides(k), offsets.clone());
        }
        int[] dims = java.util.Arrays.copyOf(d, m);
        int[][] strs = new int[k][];
        for (int j = 0; j < k; j++) strs[j] = java.util.Arrays.copyOf(s[j], m);
        return new StridedLoop(dims, strs, offsets.clone());
    }

    private static int[][] zeroStrides(int k) {
        int[][] z = new int[k][1];
        return z;
    }

    /** True if every operand's innermost stride is 1 and there is one run covering everything. */
    boolean isFlatContiguous() {
        if (dims.length != 1) return false;
        for (int s : innerStride) if (s != 1) return false;
        return true;
    }

    /** Calls {@code body} for every run intersecting the flat element range [start, end). */
    void forEachRun(int start, int end, RunBody body) {
        if (start >= end) return;
        int r = dims.length;
        int k = strides.length;
        int[] idx = new int[r];
        int[] off = new int[k];
        // Decompose start into a multi-index (row part) and a position inside the row.
        int rem = start / inner;
        int pos = start % inner;
        for (int i = r - 2; i >= 0; i--) {
            idx[i] = rem % dims[i];
            rem /= dims[i];
        }
        for (int j = 0; j < k; j++) {
            int o = baseOffsets[j];
            for (int i = 0; i < r - 1; i++) o += idx[i] * strides[j][i];
            off[j] = o;
        }
        int[] cur = new int[k];
        int done = start;
        while (done < end) {
            int n = Math.min(inner - pos, end - done);
            for (int j = 0; j < k; j++) cur[j] = off[j] + pos * innerStride[j];
            body.run(cur, n);
            done += n;
            pos = 0;
            // Advance the odometer over the outer dimensions.
            for (int i = r - 2; i >= 0; i--) {
                idx[i]++;
                for (int j = 0; j < k; j++) off[j] += strides[j][i];
                if (idx[i] < dims[i]) break;
                for (int j = 0; j < k; j++) off[j] -= strides[j][i] * dims[i];
                idx[i] = 0;
            }
        }
    }
}
