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
 * float over at most {@link #ROW_BLOCK} rows or {@link VectorReduceLoops#BLOCK} elements, added up in
 * double: the error stays close to a pairwise sum's (PyTorch uses a cascade sum for the same reason).
 */
final class FloatReduction {
    /** Rows summed in float by an outer reduction before the block's column sums are added in double. */
    static final int ROW_BLOCK = 256;
    /** Row blocks per outer-reduction task (a parallel unit with its own partial result). */
    static final int GROUP_BLOCKS = 16;
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
        int groupRows = ROW_BLOCK * GROUP_BLOCKS;
        int groups = (nRows + groupRows - 1) / groupRows;
        int outN = keptOuter * width;
        boolean sum = op == ReduceOp.SUM, min = op == ReduceOp.MIN;
        float identity = sum ? 0f : min ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
        // One group of rows: write straight into out. Several: one partial row per group, combined in order.
        double[] partials = groups == 1 ? null : new double[groups * outN];
        int tasks = keptOuter * colBlocks * groups;
        long perTask = (long) Math.min(nRows, groupRows) * Math.min(width, COL_BLOCK);
        Parallel.forRange(tasks, (int) Math.max(1, GRAIN / perTask), (s, e) -> {
            float[] acc = new float[Math.min(width, COL_BLOCK)];
            double[] total = new double[acc.length];
            for (int t = s; t < e; t++) {
                int g = t % groups, rest = t / groups;
                int cb = rest % colBlocks, o = rest / colBlocks;
                int c0 = cb * COL_BLOCK, w = Math.min(COL_BLOCK, width - c0);
                int base = xOffset + keptBase(o, kd, ks) + c0;
                int rowEnd = Math.min(nRows, (g + 1) * groupRows);
                Arrays.fill(total, 0, w, identity);
                for (int r0 = g * groupRows; r0 < rowEnd; r0 += ROW_BLOCK) {
                    Arrays.fill(acc, 0, w, identity);
                    rows.forEachRun(r0, Math.min(rowEnd, r0 + ROW_BLOCK), (off, n) -> {
                        if (sum) k.sumRows(x, base + off[0], rowStride, n, acc, 0, w);
                        else k.maxRows(x, base + off[0], rowStride, n, acc, 0, w, min);
                    });
                    for (int j = 0; j < w; j++) total[j] = combine(op, total[j], acc[j]);
                }
                if (partials == null) {
                    for (int j = 0; j < w; j++) out[outOffset + o * width + c0 + j] = (float) total[j];
                } else {
                    System.arraycopy(total, 0, partials, g * outN + o * width + c0, w);
                }
            }
        });
        if (partials != null) {
            Parallel.forRange(outN, GRAIN / groups + 1, (s, e) -> {
                for (int i = s; i < e; i++) {
                    double r = partials[i];
                    for (int g = 1; g < groups; g++) r = combine(op, r, partials[g * outN + i]);
                    out[outOffset + i] = (float) r;
                }
            });
        }
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
