package dev.ember.kernels.cpu;

import dev.ember.kernels.ReduceOp;
import dev.ember.tensor.Tensor;
import dev.ember.tensor.TensorAccess;

import static dev.ember.kernels.cpu.CpuElementwise.data;
import static dev.ember.kernels.cpu.CpuElementwise.getD;
import static dev.ember.kernels.cpu.CpuElementwise.getL;
import static dev.ember.kernels.cpu.CpuElementwise.setD;
import static dev.ember.kernels.cpu.CpuElementwise.setL;

/**
 * Reductions and arg-reductions on the CPU. FLOAT32 sum/max/min go to {@link FloatReduction}; the
 * rest (other dtypes, prod, all, any) use element-by-element loops through long or double.
 */
final class CpuReduce {
    private CpuReduce() {
    }

    /** Splits x's dimensions into kept (iterated per output element) and reduced (a strided loop). */
    private record Split(int[] keptDims, int[] keptStrides, StridedLoop reduced) {
        int baseOffset(int outIndex, int xOffset) {
            int o = xOffset;
            for (int i = keptDims.length - 1; i >= 0; i--) {
                o += (outIndex % keptDims[i]) * keptStrides[i];
                outIndex /= keptDims[i];
            }
            return o;
        }
    }

    private static Split split(Tensor x, boolean[] reduceDims) {
        int[] dims = TensorAccess.dims(x);
        int[] st = TensorAccess.strides(x);
        int nk = 0, nr = 0;
        for (boolean r : reduceDims) {
            if (r) nr++;
            else nk++;
        }
        int[] kd = new int[nk], ks = new int[nk], rd = new int[nr], rs = new int[nr];
        for (int i = 0, a = 0, b = 0; i < dims.length; i++) {
            if (reduceDims[i]) {
                rd[b] = dims[i];
                rs[b++] = st[i];
            } else {
                kd[a] = dims[i];
                ks[a++] = st[i];
            }
        }
        return new Split(kd, ks, StridedLoop.of(rd, new int[][] {rs}, new int[] {0}));
    }

    static void reduce(ReduceOp op, Tensor x, boolean[] reduceDims, Tensor out) {
        reduce(Simd.FLOAT, op, x, reduceDims, out);
    }

    /** {@link #reduce} with the given FLOAT32 loops (tests run both implementations). */
    static void reduce(FloatKernels k, ReduceOp op, Tensor x, boolean[] reduceDims, Tensor out) {
        if (data(x) instanceof float[] && data(out) instanceof float[]
                && (op == ReduceOp.SUM || op == ReduceOp.MAX || op == ReduceOp.MIN)) {
            FloatReduction.reduce(k, op, x, reduceDims, out);
            return;
        }
        Split sp = split(x, reduceDims);
        StridedLoop red = sp.reduced;
        int rs = red.innerStride[0];
        int outN = out.numel();
        Object xa = data(x), oa = data(out);
        int xoff = x.offset(), ooff = out.offset();
        int grain = Math.max(1, CpuElementwise.GRAIN_SCALAR / Math.max(1, red.total));
        boolean integer = !x.dtype().isFloating();
        if (red.total == 0 && (op == ReduceOp.MAX || op == ReduceOp.MIN)) throw emptyReduction(op, x);
        Parallel.forRange(outN, grain, (s, e) -> {
            for (int o = s; o < e; o++) {
                int base = sp.baseOffset(o, xoff);
                double[] accD = {identity(op)};
                long[] accL = {(long) identity(op)};
                boolean[] first = {true};
                red.forEachRun(0, red.total, (off, n) -> {
                    for (int i = 0; i < n; i++) {
                        int xi = base + off[0] + i * rs;
                        if (integer) {
                            long v = getL(xa, xi);
                            accL[0] = first[0] && (op == ReduceOp.MAX || op == ReduceOp.MIN) ? v : combineL(op, accL[0], v);
                        } else {
                            double v = getD(xa, xi);
                            accD[0] = first[0] && (op == ReduceOp.MAX || op == ReduceOp.MIN) ? v : combine(op, accD[0], v);
                        }
                        first[0] = false;
                    }
                });
                if (integer) setL(oa, ooff + o, accL[0]);
                else setD(oa, ooff + o, accD[0]);
            }
        });
    }

    private static RuntimeException emptyReduction(ReduceOp op, Tensor x) {
        return new IllegalArgumentException(op.name().toLowerCase() + ": cannot reduce over an empty dimension (input shape "
                + x.shape() + "); the operation has no identity");
    }

    private static double identity(ReduceOp op) {
        return switch (op) {
            case SUM, ANY -> 0;
            case PROD, ALL -> 1;
            case MAX -> Double.NEGATIVE_INFINITY;
            case MIN -> Double.POSITIVE_INFINITY;
        };
    }

    private static double combine(ReduceOp op, double a, double v) {
        return switch (op) {
            case SUM -> a + v;
            case PROD -> a * v;
            case MAX -> Double.isNaN(a) || Double.isNaN(v) ? Double.NaN : Math.max(a, v);
            case MIN -> Double.isNaN(a) || Double.isNaN(v) ? Double.NaN : Math.min(a, v);
            case ALL -> (a != 0 && v != 0) ? 1 : 0;
            case ANY -> (a != 0 || v != 0) ? 1 : 0;
        };
    }

    private static long combineL(ReduceOp op, long a, long v) {
        return switch (op) {
            case SUM -> a + v;
            case PROD -> a * v;
            case MAX -> Math.max(a, v);
            case MIN -> Math.min(a, v);
            case ALL -> (a != 0 && v != 0) ? 1 : 0;
            case ANY -> (a != 0 || v != 0) ? 1 : 0;
        };
    }

    static void argReduce(boolean max, Tensor x, int dim, Tensor out) {
        int[] dims = TensorAccess.dims(x);
        if (dims[dim] == 0) {
            throw new IllegalArgumentException((max ? "argmax" : "argmin") + ": cannot reduce over an empty dimension (input shape "
                    + x.shape() + ")");
        }
        boolean[] rd = new boolean[dims.length];
        rd[dim] = true;
        Split sp = split(x, rd);
        int len = dims[dim];
        int stride = TensorAccess.strides(x)[dim];
        Object xa = data(x);
        long[] o = (long[]) data(out);
        int xoff = x.offset(), ooff = out.offset();
        boolean integer = !x.dtype().isFloating();
        Parallel.forRange(out.numel(), Math.max(1, CpuElementwise.GRAIN_SCALAR / len), (s, e) -> {
            for (int q = s; q < e; q++) {
                int base = sp.baseOffset(q, xoff);
                int best = 0;
                if (integer) {
                    long bv = getL(xa, base);
                    for (int i = 1; i < len; i++) {
                        long v = getL(xa, base + i * stride);
                        if (max ? v > bv : v < bv) {
                            bv = v;
                            best = i;
                        }
                    }
                } else {
                    double bv = getD(xa, base);
                    for (int i = 1; i < len && !Double.isNaN(bv); i++) {
                        double v = getD(xa, base + i * stride);
                        if (Double.isNaN(v) || (max ? v > bv : v < bv)) { // NaN counts as the extreme, as in PyTorch
                            bv = v;
                            best = i;
                        }
                    }
                }
                o[ooff + q] = best;
            }
        });
    }
}
