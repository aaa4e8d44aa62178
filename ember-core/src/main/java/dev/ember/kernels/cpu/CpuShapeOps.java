package dev.ember.kernels.cpu;

import dev.ember.tensor.PadMode;
import dev.ember.tensor.Tensor;
import dev.ember.tensor.TensorAccess;

import static dev.ember.kernels.cpu.CpuElementwise.data;
import static dev.ember.kernels.cpu.CpuElementwise.getD;
import static dev.ember.kernels.cpu.CpuElementwise.setD;

/**
 * Concatenation, padding, flipping and triangular masks on the CPU.
 *
 * <p>Padding and flipping share one kernel, {@link #tableGather}: every output coordinate along
 * dimension d reads input coordinate {@code table[d][o]} (or the fill value where that is -1), so
 * constant, reflect and replicate padding and flips differ only in how the tables are built. Output
 * rows are split across threads; along a row the stretch that reads contiguous input is one
 * {@code System.arraycopy}.
 */
final class CpuShapeOps {
    private static final int BLOCK = 512;

    private CpuShapeOps() {
    }

    static void cat(Tensor[] inputs, int dim, Tensor out) {
        int[] ost = TensorAccess.strides(out);
        int at = 0;
        for (Tensor in : inputs) {
            int len = in.size(dim);
            if (len > 0) copyRuns(in, TensorAccess.view(out, in.shape(), ost, out.offset() + at * ost[dim]));
            at += len;
        }
    }

    /** Copies src into dst (same shape and dtype): contiguous runs as block copies, anything else elementwise. */
    static void copyRuns(Tensor src, Tensor dst) {
        StridedLoop loop = StridedLoop.of(dst, src);
        if (loop.innerStride[0] != 1 || loop.innerStride[1] != 1) {
            CpuElementwise.copy(src, dst);
            return;
        }
        Object sa = data(src), da = data(dst);
        Parallel.forRange(loop.total, CpuElementwise.GRAIN, (s, e) -> loop.forEachRun(s, e,
                (off, n) -> System.arraycopy(sa, off[1], da, off[0], n)));
    }

    static void pad(Tensor x, int[] before, PadMode mode, double value, Tensor out) {
        tableGather(x, padTables(TensorAccess.dims(x), TensorAccess.dims(out), before, mode), value, out);
    }

    static void flip(Tensor x, boolean[] dims, Tensor out) {
        int[] d = TensorAccess.dims(x);
        int[][] tables = new int[d.length][];
        for (int i = 0; i < d.length; i++) {
            tables[i] = new int[d[i]];
            for (int o = 0; o < d[i]; o++) tables[i][o] = dims[i] ? d[i] - 1 - o : o;
        }
        tableGather(x, tables, 0, out);
    }

    /** For each dimension, the input coordinate every output coordinate reads (-1: the fill value). */
    static int[][] padTables(int[] in, int[] outDims, int[] before, PadMode mode) {
        int[][] tables = new int[in.length][];
        for (int d = 0; d < in.length; d++) {
            int n = in[d];
            int[] t = new int[outDims[d]];
            for (int o = 0; o < t.length; o++) {
                int i = o - before[d];
                t[o] = switch (mode) {
                    case CONSTANT -> i >= 0 && i < n ? i : -1;
                    case REPLICATE -> Math.max(0, Math.min(n - 1, i));
                    case REFLECT -> i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i; // padding < n: one bounce suffices
                };
            }
            tables[d] = t;
        }
        return tables;
    }

    /** {@code out[o] = x[table[0][o0], table[1][o1], ...]}, or {@code fill} where any entry is -1. out is contiguous. */
    private static void tableGather(Tensor x, int[][] tables, double fill, Tensor out) {
        Object xa = data(x), oa = data(out);
        int r = out.rank(), total = out.numel(), oOff = out.offset();
        if (total == 0) return;
        if (r == 0) {
            TypedMoves.gatherOrFill(xa, new int[] {x.offset()}, 1, oa, oOff, fill);
            return;
        }
        int[] od = TensorAccess.dims(out), xs = TensorAccess.strides(x);
        int width = od[r - 1], rows = total / width;
        int[] rel = new int[width]; // source offset along the last dimension relative to the row, -1 for fill
        for (int o = 0; o < width; o++) rel[o] = tables[r - 1][o] < 0 ? -1 : tables[r - 1][o] * xs[r - 1];
        int[] seg = longestContiguousRun(rel);
        int segLo = seg[0], segHi = seg[1];
        // The stretches left and right of the copied run are classified once: fill, gather, or mixed.
        int left = rangeKind(rel, 0, segLo), right = rangeKind(rel, segHi, width);
        boolean mixed = left == MIXED || right == MIXED;
        boolean reversed = width > 1 && segHi == segLo && rangeKind(rel, 0, width) == GATHER; // rel steps by -1: a flipped row
        for (int o = 1; reversed && o < width; o++) reversed = rel[o] == rel[o - 1] - 1;
        boolean reversedRow = reversed;
        Parallel.forRange(rows, Math.max(1, CpuElementwise.GRAIN / width), (s, e) -> {
            int[] pos = mixed ? new int[Math.min(BLOCK, width)] : null;
            for (int row = s; row < e; row++) {
                int base = x.offset();
                boolean border = false;
                for (int d = r - 2, rem = row; d >= 0; d--) {
                    int t = tables[d][rem % od[d]];
                    rem /= od[d];
                    if (t < 0) border = true;
                    else base += t * xs[d];
                }
                int dOff = oOff + row * width;
                if (border) {
                    TypedMoves.fill(oa, dOff, dOff + width, fill);
                    continue;
                }
                if (reversedRow) {
                    TypedMoves.reverseRow(xa, base + rel[0], oa, dOff, width);
                    continue;
                }
                copyRange(left, xa, base, rel, 0, segLo, oa, dOff, fill, pos);
                if (segHi > segLo) System.arraycopy(xa, base + rel[segLo], oa, dOff + segLo, segHi - segLo);
                copyRange(right, xa, base, rel, segHi, width, oa, dOff, fill, pos);
            }
        });
    }

    private static final int GATHER = 0, FILL = 1, MIXED = 2;

    private static int rangeKind(int[] rel, int from, int to) {
        int fills = 0;
        for (int o = from; o < to; o++) if (rel[o] < 0) fills++;
        return fills == 0 ? GATHER : fills == to - from ? FILL : MIXED;
    }

    /** Writes row positions [from, to): gathered through rel, filled, or (mixed) element by element. */
    private static void copyRange(int kind, Object xa, int base, int[] rel, int from, int to, Object oa, int dOff, double fill,
                                  int[] pos) {
        if (from >= to) return;
        if (kind == GATHER) {
            TypedMoves.gatherRow(xa, base, rel, from, to, oa, dOff + from);
        } else if (kind == FILL) {
            TypedMoves.fill(oa, dOff + from, dOff + to, fill);
        } else {
            for (int b = from; b < to; b += pos.length) {
                int m = Math.min(pos.length, to - b);
                for (int i = 0; i < m; i++) pos[i] = rel[b + i] < 0 ? -1 : base + rel[b + i];
                TypedMoves.gatherOrFill(xa, pos, m, oa, dOff + b, fill);
            }
        }
    }

    /** The longest [lo, hi) over which rel steps by exactly 1 (a plain copy), or an empty range. */
    private static int[] longestContiguousRun(int[] rel) {
        int bestLo = 0, bestHi = 0;
        for (int lo = 0; lo < rel.length; ) {
            if (rel[lo] < 0) {
                lo++;
                continue;
            }
            int hi = lo + 1;
            while (hi < rel.length && rel[hi] == rel[hi - 1] + 1) hi++;
            if (hi - lo > bestHi - bestLo) {
                bestLo = lo;
                bestHi = hi;
            }
            lo = hi;
        }
        return bestHi - bestLo > 1 ? new int[] {bestLo, bestHi} : new int[] {0, 0};
    }

    /**
     * {@code out[table(o)] += g[o]}. Leading dimensions that padding leaves alone map one to one, so
     * threads split them: each owns distinct output elements and the sums stay race-free.
     */
    static void padBackward(Tensor g, int[] before, PadMode mode, Tensor out) {
        int r = g.rank();
        Object ga = data(g), oa = data(out);
        if (g.numel() == 0) return;
        if (r == 0) {
            setD(oa, out.offset(), getD(oa, out.offset()) + getD(ga, g.offset()));
            return;
        }
        int[] gd = TensorAccess.dims(g), gs = TensorAccess.strides(g), xd = TensorAccess.dims(out), xs = TensorAccess.strides(out);
        int[][] tables = padTables(xd, gd, before, mode);
        int lead = 0;
        while (lead < r - 1 && before[lead] == 0 && gd[lead] == xd[lead]) lead++;
        int blocks = 1, inner = 1;
        for (int d = 0; d < r - 1; d++) {
            if (d < lead) blocks *= gd[d];
            else inner *= gd[d];
        }
        int rowsPerBlock = inner;
        int width = gd[r - 1];
        int[] srcRel = new int[width], dstRel = new int[width];
        int valid = 0;
        for (int o = 0; o < width; o++) {
            int t = tables[r - 1][o];
            if (t < 0) continue;
            srcRel[valid] = o * gs[r - 1];
            dstRel[valid++] = t * xs[r - 1];
        }
        int pairs = valid;
        Parallel.forRange(blocks, Math.max(1, CpuElementwise.GRAIN / Math.max(1, rowsPerBlock * width)), (s, e) -> {
            for (int row = s * rowsPerBlock; row < e * rowsPerBlock; row++) {
                int gBase = g.offset(), xBase = out.offset();
                boolean dropped = false;
                for (int d = r - 2, rem = row; d >= 0; d--) {
                    int c = rem % gd[d];
                    rem /= gd[d];
                    int t = tables[d][c];
                    if (t < 0) dropped = true;
                    gBase += c * gs[d];
                    xBase += t * xs[d];
                }
                if (!dropped) accumulate(ga, gBase, srcRel, oa, xBase, dstRel, pairs);
            }
        });
    }

    private static void accumulate(Object ga, int gBase, int[] srcRel, Object oa, int xBase, int[] dstRel, int n) {
        if (ga instanceof float[] gf && oa instanceof float[] of) {
            for (int i = 0; i < n; i++) of[xBase + dstRel[i]] += gf[gBase + srcRel[i]];
        } else if (ga instanceof double[] gd && oa instanceof double[] od) {
            for (int i = 0; i < n; i++) od[xBase + dstRel[i]] += gd[gBase + srcRel[i]];
        } else {
            for (int i = 0; i < n; i++) setD(oa, xBase + dstRel[i], getD(oa, xBase + dstRel[i]) + getD(ga, gBase + srcRel[i]));
        }
    }

    /** Copies x, then zeros the part of every matrix row outside the kept triangle. out is contiguous. */
    static void triangle(Tensor x, int k, boolean upper, Tensor out) {
        copyRuns(x, out);
        int r = out.rank(), cols = out.size(r - 1), matRows = out.size(r - 2);
        if (out.numel() == 0) return;
        int rows = out.numel() / cols;
        Object oa = data(out);
        int oOff = out.offset();
        Parallel.forRange(rows, Math.max(1, CpuElementwise.GRAIN / cols), (s, e) -> {
            for (int row = s; row < e; row++) {
                long i = row % matRows;
                int start = oOff + row * cols;
                if (upper) { // keep j >= i + k
                    TypedMoves.fill(oa, start, start + (int) Math.max(0, Math.min(cols, i + k)), 0);
                } else { // keep j <= i + k
                    TypedMoves.fill(oa, start + (int) Math.max(0, Math.min(cols, i + k + 1)), start + cols, 0);
                }
            }
        });
    }
}
