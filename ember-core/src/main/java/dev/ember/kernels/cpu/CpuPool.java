package dev.ember.kernels.cpu;

import dev.ember.kernels.Pool2dParams;
import dev.ember.tensor.Tensor;
import dev.ember.tensor.TensorAccess;

/**
 * Max pooling: {@link #maxPool2d} finds each window's maximum and its argmax in one pass; the gradient
 * is a scatter-add by those indices ({@link #scatterAddPlanes}), whose adjoint is a gather
 * ({@link #gatherPlanes}), whose adjoint is the scatter again. Indices are flat positions
 * {@code ih * W + iw} within one [H, W] plane, as in PyTorch.
 */
final class CpuPool {
    private CpuPool() {
    }

    /** Planes per parallel task so a task does at least ~32K elements of work. */
    static int planeGrain(int planeWork) {
        return Math.max(1, (1 << 15) / Math.max(1, planeWork));
    }

    /** Max pooling's values and/or argmax indices (either tensor may be null: not wanted). */
    static void maxPool2d(Tensor x, Pool2dParams p, Tensor values, Tensor indices) {
        x = x.contiguous();
        Tensor shapeOf = values != null ? values : indices;
        int[] xd = TensorAccess.dims(x), od = TensorAccess.dims(shapeOf);
        int planes = xd[0] * xd[1], h = xd[2], w = xd[3], ho = od[2], wo = od[3], win = ho * wo;
        long[] idx = indices == null ? null : (long[]) CpuElementwise.data(indices);
        int io = indices == null ? 0 : indices.offset(), vo = values == null ? 0 : values.offset(), xo = x.offset();
        Object xa = CpuElementwise.data(x), va = values == null ? null : CpuElementwise.data(values);
        if (xa instanceof float[] f && isPlain2x2(p) && 2 * ho <= h && 2 * wo <= w) {
            float[] vf = (float[]) va;
            int[] topLeft = new int[win];
            for (int oh = 0, k = 0; oh < ho; oh++) {
                for (int ow = 0; ow < wo; ow++) topLeft[k++] = 2 * oh * w + 2 * ow;
            }
            Parallel.forRange(planes, planeGrain(h * w), (s, e) -> {
                for (int pl = s; pl < e; pl++) {
                    Simd.FLOAT.maxPool2x2(f, xo + pl * h * w, w, topLeft, win, vf, vo + pl * win, idx, io + pl * win);
                }
            });
            return;
        }
        Parallel.forRange(planes, planeGrain(h * w), (s, e) -> {
            for (int pl = s; pl < e; pl++) {
                int plane = xo + pl * h * w;
                for (int oh = 0; oh < ho; oh++) {
                    int h0 = oh * p.strideH() - p.padH();
                    int h1 = Math.min(h0 + (p.kernelH() - 1) * p.dilationH() + 1, h);
                    while (h0 < 0) h0 += p.dilationH();
                    for (int ow = 0; ow < wo; ow++) {
                        int w0 = ow * p.strideW() - p.padW();
                        int w1 = Math.min(w0 + (p.kernelW() - 1) * p.dilationW() + 1, w);
                        while (w0 < 0) w0 += p.dilationW();
                        int k = pl * win + oh * wo + ow, best;
                        if (xa instanceof float[] xf) {
                            best = argMax(xf, plane, w, h0, h1, p.dilationH(), w0, w1, p.dilationW());
                            if (va != null) ((float[]) va)[vo + k] = xf[plane + best];
                        } else {
                            double[] xdd = (double[]) xa;
                            best = argMax(xdd, plane, w, h0, h1, p.dilationH(), w0, w1, p.dilationW());
                            if (va != null) ((double[]) va)[vo + k] = xdd[plane + best];
                        }
                        if (idx != null) idx[io + k] = best;
                    }
                }
            }
        });
    }

    /** 2x2 windows, stride 2, no padding or dilation: the pooling of nearly every CNN. */
    private static boolean isPlain2x2(Pool2dParams p) {
        return p.kernelH() == 2 && p.kernelW() == 2 && p.strideH() == 2 && p.strideW() == 2 && p.padH() == 0 && p.padW() == 0
                && p.dilationH() == 1 && p.dilationW() == 1;
    }

    // PyTorch's rule: strictly greater wins (first index on ties), and any NaN wins.
    private static int argMax(float[] x, int plane, int w, int h0, int h1, int dh, int w0, int w1, int dw) {
        int best = h0 * w + w0;
        float max = Float.NEGATIVE_INFINITY;
        for (int ih = h0; ih < h1; ih += dh) {
            for (int iw = w0; iw < w1; iw += dw) {
                float v = x[plane + ih * w + iw];
                if (v > max || Float.isNaN(v)) {
                    max = v;
                    best = ih * w + iw;
                }
            }
        }
        return best;
    }

    private static int argMax(double[] x, int plane, int w, int h0, int h1, int dh, int w0, int w1, int dw) {
        int best = h0 * w + w0;
        double max = Double.NEGATIVE_INFINITY;
        for (int ih = h0; ih < h1; ih += dh) {
            for (int iw = w0; iw < w1; iw += dw) {
                double v = x[plane + ih * w + iw];
                if (v > max || Double.isNaN(v)) {
                    max = v;
                    best = ih * w + iw;
                }
            }
        }
        return best;
    }

    static void gatherPlanes(Tensor x, Tensor indices, Tensor out) {
        x = x.contiguous();
        indices = indices.contiguous();
        int[] xd = TensorAccess.dims(x);
        int planes = xd[0] * xd[1], hw = xd[2] * xd[3], k = out.numel() / Math.max(1, planes);
        long[] idx = (long[]) CpuElementwise.data(indices);
        Object xa = CpuElementwise.data(x), oa = CpuElementwise.data(out);
        int xo = x.offset(), io = indices.offset(), oo = out.offset();
        Parallel.forRange(planes, planeGrain(k), (s, e) -> {
            for (int pl = s; pl < e; pl++) {
                int src = xo + pl * hw, i0 = io + pl * k, o0 = oo + pl * k;
                if (oa instanceof float[] of) {
                    float[] xf = (float[]) xa;
                    for (int q = 0; q < k; q++) of[o0 + q] = xf[src + checked(idx[i0 + q], hw, "gatherPlanes")];
                } else {
                    double[] od = (double[]) oa, xdd = (double[]) xa;
                    for (int q = 0; q < k; q++) od[o0 + q] = xdd[src + checked(idx[i0 + q], hw, "gatherPlanes")];
                }
            }
        });
    }

    static void scatterAddPlanes(Tensor src, Tensor indices, Tensor out) {
        src = src.contiguous();
        indices = indices.contiguous();
        int[] od = TensorAccess.dims(out);
        int planes = od[0] * od[1], hw = od[2] * od[3], k = src.numel() / Math.max(1, planes);
        long[] idx = (long[]) CpuElementwise.data(indices);
        Object sa = CpuElementwise.data(src), oa = CpuElementwise.data(out);
        int so = src.offset(), io = indices.offset(), oo = out.offset();
        // Planes are disjoint, so parallel tasks never add into the same element.
        Parallel.forRange(planes, planeGrain(k), (s, e) -> {
            for (int pl = s; pl < e; pl++) {
                int dst = oo + pl * hw, i0 = io + pl * k, s0 = so + pl * k;
                if (oa instanceof float[] of) {
                    float[] sf = (float[]) sa;
                    for (int q = 0; q < k; q++) of[dst + checked(idx[i0 + q], hw, "scatterAddPlanes")] += sf[s0 + q];
                } else {
                    double[] odd = (double[]) oa, sd = (double[]) sa;
                    for (int q = 0; q < k; q++) odd[dst + checked(idx[i0 + q], hw, "scatterAddPlanes")] += sd[s0 + q];
                }
            }
        });
    }

    private static int checked(long index, int planeSize, String op) {
        if (index < 0 || index >= planeSize) {
            throw new IndexOutOfBoundsException(op + ": index " + index + " is outside a plane of " + planeSize + " elements");
        }
        return (int) index;
    }
}
