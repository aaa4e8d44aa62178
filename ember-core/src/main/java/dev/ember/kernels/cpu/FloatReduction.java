package dev.ember.kernels.cpu;

import dev.ember.kernels.ReduceOp;
import dev.ember.tensor.Tensor;
import dev.ember.tensor.TensorAccess;

import java.util.Arrays;

/**
 * FLOAT32 sum / max / min over a set of dimensions, in one of two shapes:
 * <ul>
 *   <li><b>Outer</b>: the innermost dimensions of x are kept and contiguous (width K), and the reduced
 *   dimensions lie outside them, e.g. sum over dim 0 of [128, 256] (a bias gradient). Whole rows of K
 *   are added into an accumulator row ({@link FloatKernels#sumRows}), so memory is read in order.</li>
 *   <li><b>Inner</b>: everything else (innermost dimension reduced, e.g. a row sum, or batch-norm
 *   statistics over N, H, W of [N, C, H, W], where each output walks N contiguous runs of H*W). Each
 *   output reduces its runs with {@link FloatKernels#sum} / {@link FloatKernels#max}.</li>
 * </ul>
 * Long reductions are cut into fixed-size blocks whose partial results are combined in a fixed order,
 * so the result depends on the data and shape only, never on the thread count. Partial sums are
 * float over at most {@link #ROW_BLOCK} rows or {@link VectorReduceLoops#BLOCK} elements, combined in
 * double: the error stays close to a pairwise sum's (PyTorch uses a cascade sum for the same reason).
 */
final class FloatReduction {
    /** Rows summed in float by one outer-reduction task before its partial is combined in double. */
    static final int ROW_BLOCK = 256;
    /** Accumulator row width per outer task (floats): 8 KiB, resident in L1. */
    static final int COL_BLOCK = 2048;
    /** Reduced elements per inner-reduction block (a parallel task and a partial sum). */
    static final int INNER_BLOCK = 1 << 16;
    /** Elements below which a reduction stays on one thread (vector sums run at memory speed). */
    static final int GRAIN = CpuElementwise.GRAIN;

    private FloatReduction() {
    }

    static void reduce(FloatKernels k, ReduceOp op, Tensor x, boolean[] reduceDims, Tensor out) {
        int[] dims = TensorAccess.dims(x);
        int[] strides = TensorAccess.strides(x);
        float[] xf = (float[]) CpuElementwise.data(x), of = (float[]) CpuElementwise.data(out);
        int outN = out.numel();
        if (outN == 0) return;
        long reducedTotal = 1;
        for (int i = 0; i < dims.length; i++) if (reduceDims[i]) reducedTotal *= dims[i];
        if (reducedTotal == 0) {
            if (op != ReduceOp.SUM) {
                throw new IllegalArgumentException(op.name().toLowerCase() + ": cannot reduce over an empty dimension (input shape "
                        + x.shape() + "); the operation has no identity");
            }
            Arrays.fill(of, out.offset(), out.offset() + outN, 0f);
            return;
        }
        if (reducedTotal == 1) { // only size-1 dimensions reduced: a copy into out's layout
            copy(k, xf, x.offset(), dims, strides, of, out.offset());
            return;
        }
        // Width of the trailing block of kept dimensions that is contiguous in x.
        int width = 1, last = dims.length;
        for (int i = dims.length - 1; i >= 0; i--) {
            if (dims[i] == 1) {
                last = i;
                continue;
            }
            if (reduceDims[i] || strides[i] != width) break;
            width *= dims[i];
            last = i;
        }
        boolean anyReducedOutside = false;
        for (int i = 0; i < last; i++) anyReducedOutside |= reduceDims[i] && dims[i] != 1;
        if (width > 1 && anyReducedOutside) {
            outer(k, op, xf, x.offset(), dims, strides, reduceDims, last, width, of, out.offset());
        } else {
            inner(k, op, xf, x.offset(), dims, strides, reduceDims, of, out.offset(), outN);
        }
    }

    private static void copy(FloatKernels k, float[] x, int xOffset, int[] dims, int[] strides, float[] out, int outOffset) {
        int[] outStrides = new int[dims.length];
        for (int i = dims.length - 1, s = 1; i >= 0; i--) {
            outStrides[i] = s;
            s *= dims[i];
        }
        StridedLoop loop = StridedLoop.of(dims, new int[][] {outStrides, strides}, new int[] {outOffset, xOffset});
        int os = loop.innerStride[0], xs = loop.innerStride[1];
        Parallel.forRange(loop.total, GRAIN, (s, e) -> loop.forEachRun(s, e, (off, n) -> k.copy(x, off[1], xs, out, off[0], os, n)));
    }

    // ------------------------------------------------------------------------------ outer

    private static void outer(FloatKernels k, ReduceOp op, float[] x, int xOffset, int[] dims, int[] strides, boolean[] reduceDims,
                              int innerStart, int width, float[] out, int outOffset) {
        int nk = 0, nr = 0;
        for (int i = 0; i < innerStart; i++) {
            if (reduceDims[i]) nr++;
            else nk++;
        }
        int[] kd = new int[nk], ks = new int[nk], rd = new int[nr], rs = new int[nr];
        for (int i = 0, a = 0, b = 0; i < innerStart; i++) {
            if (reduceDims[i]) {
                rd[b] = dims[i];
                rs[b++] = strides[i];
            } else {
                kd[a] = dims[i];
                ks[a++] = strides[i];
            }
        }
        StridedLoop rows = StridedLoop.of(rd, new int[][] {rs}, new int[] {0});
        int rowStride = rows.innerStride[0];
        int nRows = rows.total;
        int keptOuter = 1;
        for (int d : kd) keptOuter *= d;
        int colBlocks = (width + COL_BLOCK - 1) / COL_BLOCK;
        int rowBlocks = (nRows + ROW_BLOCK - 1) / ROW_BLOCK;
        int outN = keptOuter * width;
        // One block of rows: write straight into out. Several: partial rows, combined below in order.
        float[] target = rowBlocks == 1 ? out : new float[rowBlocks * outN];
        int targetOffset = rowBlocks == 1 ? outOffset : 0;
        float identity = op == ReduceOp.SUM ? 0f : op == ReduceOp.MAX ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
        int tasks = keptOuter * colBlocks * rowBlocks;
        long perTask = (long) Math.min(nRows, ROW_BLOCK) * Math.min(width, COL_BLOCK);
        Parallel.forRange(tasks, (int) Math.max(1, GRAIN / perTask), (s, e) -> {
            for (int t = s; t < e; t++) {
                int rb = t % rowBlocks, rest = t / rowBlocks;
                int cb = rest % colBlocks, o = rest / colBlocks;
                int c0 = cb * COL_BLOCK, w = Math.min(COL_BLOCK, width - c0);
                int base = xOffset + keptBase(o, kd, ks) + c0;
                int acc = targetOffset + rb * outN + o * width + c0;
                Arrays.fill(target, acc, acc + w, identity);
                rows.forEachRun(rb * ROW_BLOCK, Math.min(nRows, (rb + 1) * ROW_BLOCK), (off, n) -> {
                    if (op == ReduceOp.SUM) k.sumRows(x, base + off[0], rowStride, n, target, acc, w);
                    else k.maxRows(x, base + off[0], rowStride, n, target, acc, w, op == ReduceOp.MIN);
                });
            }
        });
        if (rowBlocks > 1) {
            Parallel.forRange(outN, GRAIN / rowBlocks + 1, (s, e) -> {
                for (int i = s; i < e; i++) out[outOffset + i] = combine(op, target, i, outN, rowBlocks);
            });
        }
    }

    /** Combines the rowBlocks partials of output i (stored outN apart), in block order. */
    private static float combine(ReduceOp op, float[] partials, int i, int outN, int rowBlocks) {
        if (op == ReduceOp.SUM) {
            double s = 0;
            for (int b = 0; b < rowBlocks; b++) s += partials[b * outN + i];
            return (float) s;
        }
        float m = partials[i];
        for (int b = 1; b < rowBlocks; b++) {
            float v = partials[b * outN + i];
            m = op == ReduceOp.MIN ? Math.min(m, v) : Math.max(m, v);
        }
        return m;
    }

    /** Offset of kept-outer index o (row-major over kd) in x. */
    private static int keptBase(int o, int[] kd, int[] ks) {
        int off = 0;
        for (int i = kd.length - 1; i >= 0; i--) {
            off += (o % kd[i]) * ks[i];
            o /= kd[i];
        }
        return off;
    }

    // ------------------------------------------------------------------------------ inner

    private static void inner(FloatKernels k, ReduceOp op, float[] x, int xOffset, int[] dims, int[] strides, boolean[] reduceDims,
                              float[] out, int outOffset, int outN) {
        int nk = 0, nr = 0;
        for (boolean r : reduceDims) {
            if (r) nr++;
            else nk++;
        }
        int[] kd = new int[nk], ks = new int[nk], rd = new int[nr], rs = new int[nr];
        for (int i = 0, a = 0, b = 0; i < dims.length; i++) {
            if (reduceDims[i]) {
                rd[b] = dims[i];
                rs[b++] = strides[i];
            } else {
                kd[a] = dims[i];
                ks[a++] = strides[i];
            }
        }
        StridedLoop red = StridedLoop.of(rd, new int[][] {rs}, new int[] {0});
        int total = red.total;
        int blocks = (total + INNER_BLOCK - 1) / INNER_BLOCK;
        if (blocks == 1) {
            Parallel.forRange(outN, Math.max(1, GRAIN / total), (s, e) -> {
                for (int o = s; o < e; o++) {
                    out[outOffset + o] = (float) reduceRange(k, op, x, xOffset + keptBase(o, kd, ks), red, 0, total);
                }
            });
            return;
        }
        double[] partials = new double[outN * blocks];
        Parallel.forRange(outN * blocks, Math.max(1, GRAIN / INNER_BLOCK), (s, e) -> {
            for (int t = s; t < e; t++) {
                int o = t / blocks, b = t % blocks;
                partials[t] = reduceRange(k, op, x, xOffset + keptBase(o, kd, ks), red, b * INNER_BLOCK,
                        Math.min(total, (b + 1) * INNER_BLOCK));
            }
        });
        for (int o = 0; o < outN; o++) {
            double acc = partials[o * blocks];
            for (int b = 1; b < blocks; b++) acc = combine(op, acc, partials[o * blocks + b]);
            out[outOffset + o] = (float) acc;
        }
    }

    private static double combine(ReduceOp op, double acc, double v) {
        return switch (op) {
            case SUM -> acc + v;
            case MAX -> Math.max(acc, v);
            case MIN -> Math.min(acc, v);
            default -> throw new IllegalArgumentException(op.name());
        };
    }

    /** Sum (in double) or max/min of the reduced elements [start, end) of the loop, from base. */
    private static double reduceRange(FloatKernels k, ReduceOp op, float[] x, int base, StridedLoop red, int start, int end) {
        int rs = red.innerStride[0];
        if (red.dims.length == 1) { // one run: no odometer
            return op == ReduceOp.SUM ? k.sum(x, base + start * rs, rs, end - start)
                    : k.max(x, base + start * rs, rs, end - start, op == ReduceOp.MIN);
        }
        double[] acc = {op == ReduceOp.SUM ? 0 : Double.NaN};
        boolean[] first = {true};
        red.forEachRun(start, end, (off, n) -> {
            if (op == ReduceOp.SUM) {
                acc[0] += k.sum(x, base + off[0], rs, n);
            } else {
                float m = k.max(x, base + off[0], rs, n, op == ReduceOp.MIN);
                acc[0] = first[0] ? m : combine(op, acc[0], m);
                first[0] = false;
            }
        });
        return acc[0];
    }
}
