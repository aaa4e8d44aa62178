package dev.ember.kernels.cpu;

import dev.ember.tensor.Tensor;
import dev.ember.tensor.TensorAccess;

import static dev.ember.kernels.cpu.CpuElementwise.data;

/**
 * Gather and scatter (plain or accumulating) along one dimension, on any strides and dtypes.
 *
 * <p>Both walk the index's shape as lines: for every position {@code k} along {@code dim}, a
 * {@link StridedLoop} over the remaining ("rest") dimensions. Addresses are computed into a small
 * position buffer, then {@link TypedMoves} moves the values. Threads split the work as follows:
 * <ul>
 *   <li>gather writes each output element once, so any split is safe: the flat (k, rest) space is cut
 *       into chunks;</li>
 *   <li>scatter may write one output element from many index positions, but only from positions
 *       that share all their rest coordinates. Threads therefore split the rest coordinates, and each
 *       runs every k for its own share: no two threads ever write the same element, and repeated
 *       writes happen in index order, so the result does not depend on the thread count.</li>
 * </ul>
 * A broadcast index (stride 0 along the inner run, as index select uses) takes a row fast path:
 * one bounds check, then a block copy or a vectorised row add.
 */
final class CpuIndexing {
    /** Position buffer length: large enough to amortise a call, small enough to stay in L1. */
    private static final int BLOCK = 512;

    private CpuIndexing() {
    }

    static void gather(Tensor x, int dim, Tensor index, Tensor out) {
        int[] shape = TensorAccess.dims(index);
        // Operands: 0 = out, 1 = index, 2 = x with its dim stride zeroed (the index supplies that term).
        int[][] st = {TensorAccess.strides(out), TensorAccess.strides(index), zeroAt(TensorAccess.strides(x), dim)};
        int[] offs = {out.offset(), index.offset(), x.offset()};
        int size = sizeAt(x, dim), xsd = strideAt(x, dim);
        Object xa = data(x), oa = data(out), ia = data(index);
        forEachLine(shape, dim, st, offs, true, (inner, off, n, scratch) -> {
            int os = inner[0], is = inner[1], xs = inner[2];
            if (is == 0 && xs == 1 && os == 1) { // index select row: one index for the whole run
                int j = TypedMoves.index(ia, off[1], size, dim);
                System.arraycopy(xa, off[2] + j * xsd, oa, off[0], n);
                return;
            }
            for (int b = 0; b < n; b += BLOCK) {
                int m = Math.min(BLOCK, n - b);
                TypedMoves.positions(ia, off[1] + b * is, is, m, off[2] + b * xs, xs, xsd, size, dim, scratch);
                TypedMoves.gather(xa, scratch, m, oa, off[0] + b * os, os);
            }
        });
    }

    static void scatter(Tensor self, int dim, Tensor index, Tensor src, boolean accumulate, Tensor out) {
        if (self != out) CpuElementwise.copy(self, out);
        int[] shape = TensorAccess.dims(index);
        // Operands: 0 = index, 1 = src, 2 = out with its dim stride zeroed.
        int[][] st = {TensorAccess.strides(index), TensorAccess.strides(src), zeroAt(TensorAccess.strides(out), dim)};
        int[] offs = {index.offset(), src.offset(), out.offset()};
        int size = sizeAt(out, dim), osd = strideAt(out, dim);
        Object sa = data(src), oa = data(out), ia = data(index);
        forEachLine(shape, dim, st, offs, false, (inner, off, n, scratch) -> {
            int is = inner[0], ss = inner[1], os = inner[2];
            if (is == 0 && ss == 1 && os == 1) { // index add row
                int j = TypedMoves.index(ia, off[0], size, dim);
                if (accumulate) TypedMoves.addRow(sa, off[1], oa, off[2] + j * osd, n);
                else System.arraycopy(sa, off[1], oa, off[2] + j * osd, n);
                return;
            }
            for (int b = 0; b < n; b += BLOCK) {
                int m = Math.min(BLOCK, n - b);
                TypedMoves.positions(ia, off[0] + b * is, is, m, off[2] + b * os, os, osd, size, dim, scratch);
                TypedMoves.scatter(sa, off[1] + b * ss, ss, scratch, m, oa, accumulate);
            }
        });
    }

    // ------------------------------------------------------------------ the line walk

    @FunctionalInterface
    private interface LineBody {
        void run(int[] innerStrides, int[] off, int n, int[] scratch);
    }

    /**
     * Walks {@code shape} line by line along {@code dim}. With {@code splitAlongDim} threads may share a
     * line's rest coordinates (safe only when no two positions write the same element); without, a
     * thread owns a range of rest coordinates for every k.
     */
    private static void forEachLine(int[] shape, int dim, int[][] strides, int[] offsets, boolean splitAlongDim, LineBody body) {
        int ops = strides.length;
        int rank = shape.length;
        int lines = rank == 0 ? 1 : shape[dim];
        int[] restShape = new int[Math.max(rank - 1, 0)];
        int[][] restStrides = new int[ops][restShape.length];
        int[] dimStride = new int[ops];
        for (int d = 0, r = 0; d < rank; d++) {
            if (d == dim) {
                for (int t = 0; t < ops; t++) dimStride[t] = strides[t][d];
                continue;
            }
            restShape[r] = shape[d];
            for (int t = 0; t < ops; t++) restStrides[t][r] = strides[t][d];
            r++;
        }
        StridedLoop loop = StridedLoop.of(restShape, restStrides, offsets);
        int rest = loop.total;
        if (rest == 0 || lines == 0) return;
        int[] inner = loop.innerStride;
        if (splitAlongDim) {
            Parallel.forRange(lines * rest, CpuElementwise.GRAIN / 4, (s, e) -> {
                int[] scratch = new int[BLOCK];
                for (int f = s; f < e; ) {
                    int k = f / rest, r0 = f % rest, r1 = Math.min(rest, r0 + (e - f));
                    walkLine(loop, k, dimStride, r0, r1, inner, body, scratch);
                    f += r1 - r0;
                }
            });
        } else {
            Parallel.forRange(rest, Math.max(1, CpuElementwise.GRAIN / 4 / lines), (s, e) -> {
                int[] scratch = new int[BLOCK];
                for (int k = 0; k < lines; k++) walkLine(loop, k, dimStride, s, e, inner, body, scratch);
            });
        }
    }

    private static void walkLine(StridedLoop loop, int k, int[] dimStride, int r0, int r1, int[] inner, LineBody body, int[] scratch) {
        loop.forEachRun(r0, r1, (off, n) -> {
            // forEachRun recomputes off before every run, so shifting it in place is safe.
            for (int t = 0; t < off.length; t++) off[t] += k * dimStride[t];
            body.run(inner, off, n, scratch);
        });
    }

    // ------------------------------------------------------------------ geometry helpers (0-d counts as size 1)

    private static int[] zeroAt(int[] strides, int dim) {
        if (strides.length == 0) return strides;
        int[] s = strides.clone();
        s[dim] = 0;
        return s;
    }

    private static int sizeAt(Tensor t, int dim) {
        return t.rank() == 0 ? 1 : t.size(dim);
    }

    private static int strideAt(Tensor t, int dim) {
        return t.rank() == 0 ? 0 : t.stride(dim);
    }
}
