package dev.ember.kernels.cpu;

import dev.ember.kernels.Pool2dParams;
import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;
import dev.ember.tensor.TensorAccess;

/**
 * Average pooling, adaptive average pooling, nearest and bilinear upsampling: each is separable,
 * {@code out = R x R'^T} per [H, W] plane with R (rows) and R' (columns) sparse per-axis weight
 * matrices, so one kernel ({@link #apply}) and its adjoint ({@link #applyAdjoint}) serve all four;
 * they differ only in how the {@link AxisMap}s are built, which follows PyTorch's formulas.
 */
final class CpuResample {
    private CpuResample() {
    }

    /**
     * A sparse [out, in] matrix in compressed rows: output {@code o} is
     * {@code sum over e in [start[o], start[o+1]) of weight[e] * in[index[e]]}.
     */
    record AxisMap(int[] start, int[] index, double[] weight) {
        int outSize() {
            return start.length - 1;
        }

        /** Builds a map from per-output (first index, weights...) lists. */
        private static final class Builder {
            private final int[] start;
            private int[] index = new int[16];
            private double[] weight = new double[16];
            private int n, o;

            Builder(int out) {
                start = new int[out + 1];
            }

            void add(int i, double w) {
                if (n == index.length) {
                    index = java.util.Arrays.copyOf(index, 2 * n);
                    weight = java.util.Arrays.copyOf(weight, 2 * n);
                }
                index[n] = i;
                weight[n++] = w;
            }

            void next() {
                start[++o] = n;
            }

            AxisMap build() {
                return new AxisMap(start, java.util.Arrays.copyOf(index, n), java.util.Arrays.copyOf(weight, n));
            }
        }

        /** Average pooling along one axis (PyTorch's divisor rule; empty windows give 0). */
        static AxisMap avgPool(int in, int out, int k, int stride, int pad, boolean countIncludePad) {
            Builder b = new Builder(out);
            for (int o = 0; o < out; o++) {
                int s = o * stride - pad, e = Math.min(s + k, in + pad);
                int poolSize = e - s;
                s = Math.max(s, 0);
                e = Math.min(e, in);
                double wgt = 1.0 / (countIncludePad ? poolSize : Math.max(1, e - s));
                for (int i = s; i < e; i++) b.add(i, wgt);
                b.next();
            }
            return b.build();
        }

        /** Adaptive average pooling: cell o averages [floor(o*in/out), ceil((o+1)*in/out)). */
        static AxisMap adaptive(int in, int out) {
            Builder b = new Builder(out);
            for (int o = 0; o < out; o++) {
                int s = (int) ((long) o * in / out), e = (int) (((long) (o + 1) * in + out - 1) / out);
                for (int i = s; i < e; i++) b.add(i, 1.0 / (e - s));
                b.next();
            }
            return b.build();
        }

        /** Nearest neighbour, PyTorch's legacy rule in float arithmetic: min(floor(o * (float) in/out), in - 1). */
        static AxisMap nearest(int in, int out) {
            Builder b = new Builder(out);
            float scale = (float) in / out;
            for (int o = 0; o < out; o++) {
                int i = out == in ? o : out == 2 * in ? o >> 1 : Math.min((int) Math.floor(o * scale), in - 1);
                b.add(i, 1.0);
                b.next();
            }
            return b.build();
        }

        /** Linear interpolation with PyTorch's align_corners rule; float arithmetic for FLOAT32 as PyTorch does. */
        static AxisMap linear(int in, int out, boolean alignCorners, boolean single) {
            Builder b = new Builder(out);
            double scale = alignCorners ? (out > 1 ? (double) (in - 1) / (out - 1) : 0) : (double) in / out;
            if (single) scale = alignCorners ? (out > 1 ? (float) (in - 1) / (out - 1) : 0f) : (float) in / out;
            for (int o = 0; o < out; o++) {
                double src;
                if (single) {
                    float fs = (float) scale;
                    src = alignCorners ? fs * o : Math.max(fs * (o + 0.5f) - 0.5f, 0f);
                } else {
                    src = alignCorners ? scale * o : Math.max(scale * (o + 0.5) - 0.5, 0);
                }
                int i0 = (int) src;
                int step = i0 < in - 1 ? 1 : 0;
                double l1 = single ? (float) src - (float) i0 : src - i0;
                l1 = Math.min(Math.max(l1, 0), 1);
                b.add(i0, 1 - l1);
                b.add(i0 + step, l1);
                b.next();
            }
            return b.build();
        }
    }

    static void avgPool2d(Tensor x, Pool2dParams p, boolean countIncludePad, Tensor out, boolean adjoint) {
        Tensor in = adjoint ? out : x;
        Tensor res = adjoint ? x : out;
        int[] id = TensorAccess.dims(in), od = TensorAccess.dims(res);
        AxisMap rows = AxisMap.avgPool(id[2], od[2], p.kernelH(), p.strideH(), p.padH(), countIncludePad);
        AxisMap cols = AxisMap.avgPool(id[3], od[3], p.kernelW(), p.strideW(), p.padW(), countIncludePad);
        run(x, rows, cols, out, adjoint);
    }

    static void adaptiveAvgPool2d(Tensor x, Tensor out, boolean adjoint) {
        int[] id = TensorAccess.dims(adjoint ? out : x), od = TensorAccess.dims(adjoint ? x : out);
        run(x, AxisMap.adaptive(id[2], od[2]), AxisMap.adaptive(id[3], od[3]), out, adjoint);
    }

    static void upsampleNearest2d(Tensor x, Tensor out, boolean adjoint) {
        int[] id = TensorAccess.dims(adjoint ? out : x), od = TensorAccess.dims(adjoint ? x : out);
        run(x, AxisMap.nearest(id[2], od[2]), AxisMap.nearest(id[3], od[3]), out, adjoint);
    }

    static void upsampleBilinear2d(Tensor x, boolean alignCorners, Tensor out, boolean adjoint) {
        int[] id = TensorAccess.dims(adjoint ? out : x), od = TensorAccess.dims(adjoint ? x : out);
        boolean single = x.dtype() == DType.FLOAT32;
        run(x, AxisMap.linear(id[2], od[2], alignCorners, single), AxisMap.linear(id[3], od[3], alignCorners, single), out, adjoint);
    }

    /** {@code out = rows x src x cols^T} per plane, or its adjoint {@code out = rows^T x src x cols} (out zeroed). */
    private static void run(Tensor src, AxisMap rows, AxisMap cols, Tensor out, boolean adjoint) {
        if (out.numel() == 0 || src.numel() == 0) return;
        if (adjoint) applyAdjoint(src.contiguous(), rows, cols, out);
        else apply(src.contiguous(), rows, cols, out);
    }

    /** Forward: rows pass into a [Ho, W] buffer (whole-row axpys), then a columns pass (gathers). */
    static void apply(Tensor x, AxisMap rows, AxisMap cols, Tensor out) {
        int[] xd = TensorAccess.dims(x);
        int planes = xd[0] * xd[1], h = xd[2], w = xd[3], ho = rows.outSize(), wo = cols.outSize();
        int xo = x.offset(), oo = out.offset();
        Object xa = CpuElementwise.data(x), oa = CpuElementwise.data(out);
        Parallel.forRange(planes, CpuPool.planeGrain(h * w + ho * w), (s, e) -> {
            if (xa instanceof float[] xf) {
                float[] of = (float[]) oa, tmp = new float[ho * w];
                float[] rw = toFloats(rows.weight()), cw = toFloats(cols.weight());
                for (int pl = s; pl < e; pl++) {
                    java.util.Arrays.fill(tmp, 0f);
                    int plane = xo + pl * h * w;
                    for (int oh = 0; oh < ho; oh++) {
                        for (int k = rows.start()[oh]; k < rows.start()[oh + 1]; k++) {
                            float wt = rw[k];
                            int sr = plane + rows.index()[k] * w, dr = oh * w;
                            for (int iw = 0; iw < w; iw++) tmp[dr + iw] += wt * xf[sr + iw];
                        }
                    }
                    int op = oo + pl * ho * wo;
                    for (int oh = 0; oh < ho; oh++) {
                        for (int ow = 0; ow < wo; ow++) {
                            float acc = 0f;
                            for (int k = cols.start()[ow]; k < cols.start()[ow + 1]; k++) acc += cw[k] * tmp[oh * w + cols.index()[k]];
                            of[op + oh * wo + ow] = acc;
                        }
                    }
                }
            } else {
                double[] xdd = (double[]) xa, od = (double[]) oa, tmp = new double[ho * w];
                for (int pl = s; pl < e; pl++) {
                    java.util.Arrays.fill(tmp, 0);
                    int plane = xo + pl * h * w;
                    for (int oh = 0; oh < ho; oh++) {
                        for (int k = rows.start()[oh]; k < rows.start()[oh + 1]; k++) {
                            double wt = rows.weight()[k];
                            int sr = plane + rows.index()[k] * w, dr = oh * w;
                            for (int iw = 0; iw < w; iw++) tmp[dr + iw] += wt * xdd[sr + iw];
                        }
                    }
                    int op = oo + pl * ho * wo;
                    for (int oh = 0; oh < ho; oh++) {
                        for (int ow = 0; ow < wo; ow++) {
                            double acc = 0;
                            for (int k = cols.start()[ow]; k < cols.start()[ow + 1]; k++) acc += cols.weight()[k] * tmp[oh * w + cols.index()[k]];
                            od[op + oh * wo + ow] = acc;
                        }
                    }
                }
            }
        });
    }

    /** Adjoint: columns scattered into a [Ho, W] buffer, then rows added back with whole-row axpys. */
    static void applyAdjoint(Tensor g, AxisMap rows, AxisMap cols, Tensor out) {
        int[] od = TensorAccess.dims(out);
        int planes = od[0] * od[1], h = od[2], w = od[3], ho = rows.outSize(), wo = cols.outSize();
        int go = g.offset(), oo = out.offset();
        Object ga = CpuElementwise.data(g), oa = CpuElementwise.data(out);
        Parallel.forRange(planes, CpuPool.planeGrain(h * w + ho * w), (s, e) -> {
            if (ga instanceof float[] gf) {
                float[] of = (float[]) oa, tmp = new float[ho * w];
                float[] rw = toFloats(rows.weight()), cw = toFloats(cols.weight());
                for (int pl = s; pl < e; pl++) {
                    java.util.Arrays.fill(tmp, 0f);
                    int gp = go + pl * ho * wo;
                    for (int oh = 0; oh < ho; oh++) {
                        for (int ow = 0; ow < wo; ow++) {
                            float v = gf[gp + oh * wo + ow];
                            for (int k = cols.start()[ow]; k < cols.start()[ow + 1]; k++) tmp[oh * w + cols.index()[k]] += cw[k] * v;
                        }
                    }
                    int plane = oo + pl * h * w;
                    for (int oh = 0; oh < ho; oh++) {
                        for (int k = rows.start()[oh]; k < rows.start()[oh + 1]; k++) {
                            float wt = rw[k];
                            int dr = plane + rows.index()[k] * w, sr = oh * w;
                            for (int iw = 0; iw < w; iw++) of[dr + iw] += wt * tmp[sr + iw];
                        }
                    }
                }
            } else {
                double[] gd = (double[]) ga, odd = (double[]) oa, tmp = new double[ho * w];
                for (int pl = s; pl < e; pl++) {
                    java.util.Arrays.fill(tmp, 0);
                    int gp = go + pl * ho * wo;
                    for (int oh = 0; oh < ho; oh++) {
                        for (int ow = 0; ow < wo; ow++) {
                            double v = gd[gp + oh * wo + ow];
                            for (int k = cols.start()[ow]; k < cols.start()[ow + 1]; k++) tmp[oh * w + cols.index()[k]] += cols.weight()[k] * v;
                        }
                    }
                    int plane = oo + pl * h * w;
                    for (int oh = 0; oh < ho; oh++) {
                        for (int k = rows.start()[oh]; k < rows.start()[oh + 1]; k++) {
                            double wt = rows.weight()[k];
                            int dr = plane + rows.index()[k] * w, sr = oh * w;
                            for (int iw = 0; iw < w; iw++) odd[dr + iw] += wt * tmp[sr + iw];
                        }
                    }
                }
            }
        });
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }
}
