package dev.ember.kernels.cpu;

import dev.ember.kernels.ReduceOp;
import dev.ember.tensor.Tensor;
import dev.ember.tensor.TensorAccess;

import static dev.ember.kernels.cpu.CpuElementwise.data;
import static dev.ember.kernels.cpu.CpuElementwise.getD;
import static dev.ember.kernels.cpu.CpuElementwise.getL;
import static dev.ember.kernels.cpu.CpuElementwise.setD;
import static dev.ember.kernels.cpu.CpuElementwise.setL;

/** Reductions, arg-reductions and softmax on the CPU. */
final class CpuReduce {
    private static final FloatKernels F = Simd.FLOAT;

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
        Split sp = split(x, reduceDims);
        StridedLoop red = sp.reduced;
        int rs = red.innerStride[0];
        int outN = out.numel();
        Object xa = data(x), oa = data(out);
        int xoff = x.offset(), ooff = out.offset();
        int grain = Math.max(1, CpuElementwise.GRAIN / Math.max(1, red.total));
        if (xa instanceof float[] xf && oa instanceof float[] of && (op == ReduceOp.SUM || op == ReduceOp.MAX || op == ReduceOp.MIN)) {
            if (red.total == 0 && op != ReduceOp.SUM) throw emptyReduction(op, x);
            Parallel.forRange(outN, grain, (s, e) -> {
                for (int o = s; o < e; o++) {
                    int base = sp.baseOffset(o, xoff);
                    double[] acc = {op == ReduceOp.SUM ? 0 : Double.NaN};
                    red.forEachRun(0, red.total, (off, n) -> {
                        if (op == ReduceOp.SUM) {
                            acc[0] += F.sum(xf, base + off[0], rs, n);
                        } else {
                            float m = F.max(xf, base + off[0], rs, n, op == ReduceOp.MIN);
                            acc[0] = Double.isNaN(acc[0]) ? m : combine(op, acc[0], m);
                        }
                    });
                    of[ooff + o] = (float) acc[0];
                }
            });
            return;
        }
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
        Parallel.forRange(out.numel(), Math.max(1, CpuElementwise.GRAIN / len), (s, e) -> {
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

    /** Softmax over {@code dim} of a contiguous x into contiguous out. */
    static void softmax(Tensor x, int dim, boolean log, Tensor out) {
        int[] dims = TensorAccess.dims(x);
        int len = dims[dim];
        int inner = 1, outer = 1;
        for (int i = dim + 1; i < dims.length; i++) inner *= dims[i];
        for (int i = 0; i < dim; i++) outer *= dims[i];
        Object xa = data(x), oa = data(out);
        int innerF = inner, xo = x.offset(), oo = out.offset();
        Parallel.forRange(outer * inner, Math.max(1, CpuElementwise.GRAIN / Math.max(1, 4 * len)), (s, e) -> {
            for (int r = s; r < e; r++) {
                int base = (r / innerF) * len * innerF + r % innerF;
                if (xa instanceof float[] xf && oa instanceof float[] of) {
                    softmaxRowFloat(xf, xo + base, of, oo + base, innerF, len, log);
                } else {
                    double m = Double.NEGATIVE_INFINITY;
                    for (int i = 0; i < len; i++) m = Math.max(m, getD(xa, xo + base + i * innerF));
                    if (m == Double.NEGATIVE_INFINITY) m = 0;
                    double sum = 0;
                    for (int i = 0; i < len; i++) sum += Math.exp(getD(xa, xo + base + i * innerF) - m);
                    double lse = m + Math.log(sum);
                    for (int i = 0; i < len; i++) {
                        double v = getD(xa, xo + base + i * innerF);
                        setD(oa, oo + base + i * innerF, log ? v - lse : Math.exp(v - m) / sum);
                    }
                }
            }
        });
    }

    private static void softmaxRowFloat(float[] x, int xb, float[] o, int ob, int stride, int len, boolean log) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < len; i++) m = Math.max(m, x[xb + i * stride]);
        if (m == Float.NEGATIVE_INFINITY) m = 0; // an all -inf row: exp gives 0s, as PyTorch (NaN result)
        double sum = 0;
        if (log) {
            for (int i = 0; i < len; i++) sum += Math.exp(x[xb + i * stride] - m);
            float lse = (float) (m + Math.log(sum));
            for (int i = 0; i < len; i++) o[ob + i * stride] = x[xb + i * stride] - lse;
        } else {
            for (int i = 0; i < len; i++) {
                float ev = (float) Math.exp(x[xb + i * stride] - m);
                o[ob + i * stride] = ev;
                sum += ev;
            }
            float inv = (float) (1.0 / sum);
            for (int i = 0; i < len; i++) o[ob + i * stride] *= inv;
        }
    }

    /** Softmax / log-softmax backward; g and y contiguous. */
    static void softmaxBackward(Tensor g, Tensor y, int dim, boolean log, Tensor out) {
        int[] dims = TensorAccess.dims(y);
        int len = dims[dim];
        int inner = 1, outer = 1;
        for (int i = dim + 1; i < dims.length; i++) inner *= dims[i];
        for (int i = 0; i < dim; i++) outer *= dims[i];
        Object ga = data(g), ya = data(y), oa = data(out);
        int innerF = inner, go = g.offset(), yo = y.offset(), oo = out.offset();
        Parallel.forRange(outer * inner, Math.max(1, CpuElementwise.GRAIN / Math.max(1, 4 * len)), (s, e) -> {
            for (int r = s; r < e; r++) {
                int base = (r / innerF) * len * innerF + r % innerF;
                double dot = 0;
                for (int i = 0; i < len; i++) {
                    int k = base + i * innerF;
                    dot += log ? getD(ga, go + k) : getD(ga, go + k) * getD(ya, yo + k);
                }
                for (int i = 0; i < len; i++) {
                    int k = base + i * innerF;
                    double gv = getD(ga, go + k), yv = getD(ya, yo + k);
                    setD(oa, oo + k, log ? gv - Math.exp(yv) * dot : yv * (gv - dot));
                }
            }
        });
    }
}
