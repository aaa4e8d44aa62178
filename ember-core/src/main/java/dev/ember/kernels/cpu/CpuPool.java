package dev.ember.kernels.cpu;

import dev.ember.kernels.Pool2dParams;
import dev.ember.tensor.Tensor;
import dev.ember.tensor.TensorAccess;

/**
 * Max pooling as two steps: {@link #maxPool2dIndices} finds each window's argmax, and the values are
 * a gather by those indices ({@link #gatherPlanes}), whose adjoint is a scatter-add
 * ({@link #scatterAddPlanes}), whose adjoint is the gather again. Indices are flat positions
 * {@code ih * W + iw} within one [H, W] plane, as in PyTorch.
 */
final class CpuPool {
    private CpuPool() {
    }

    /** Planes per parallel task so a task does at least ~32K elements of work. */
    static int planeGrain(int planeWork) {
        return Math.max(1, (1 << 15) / Math.max(1, planeWork));
    }

    static void maxPool2dIndices(Tensor x, Pool2dParams p, Tensor indices) {
        x = x.contiguous();
        int[] xd = TensorAccess.dims(x), od = TensorAccess.dims(indices);
        int planes = xd[0] * xd[1], h = xd[2], w = xd[3], ho = od[2], wo = od[3];
        long[] idx = (long[]) CpuElementwise.data(indices);
        int io = indices.offset(), xo = x.offset();
        Object xa = CpuElementwise.data(x);
        if (xa instanceof float[] f && isPlain2x2(p) && 2 * ho <= h && 2 * wo <= w) {
            int[] topLeft = new int[ho * wo];
            for (int oh = 0, k = 0; oh < ho; oh++) {
                for (int ow = 0; ow < wo; ow++) topLeft[k++] = 2 * oh * w + 2 * ow;
            }
            Parallel.forRange(planes, planeGrain(h * w), (s, e) -> {
                for (int pl = s; pl < e; pl++) Simd.FLOAT.maxPool2x2Indices(f, xo + pl * h * w, w, topLeft, ho * wo, idx, io + pl * ho * wo);
            });
            return;
        }
        Parallel.forRange(planes, planeGrain(h * w), (s, e) -> {
            for (int pl = s; pl < e; pl++) {
                int plane = xo + pl * h * w;
                int out = io + pl * ho * wo;
                for (int oh = 0; oh < ho; oh++) {
                    int h0 = oh * p.strideH() - p.padH();
                    int h1 = Math.min(h0 + (p.kernelH() - 1) * p.dilationH() + 1, h);
                    while (h0 < 0) h0 += p.dilationH();
                    for (int ow = 0; ow < wo; ow++) {
                        int w0 = ow * p.strideW() - p.padW();
                        int w1 = Math.min(w0 + (p.kernelW() - 1) * p.dilationW() + 1, w);
                        while (w0 < 0) w0 += p.dilationW();
                        idx[out + oh * wo + ow] = xa instanceof float[] f
                                ? argMax(f, plane, w, h0, h1, p.dilationH(), w0, w1, p.dilationW())
                                : argMax((double[]) xa, plane, w, h0, h1, p.dilationH(), w0, w1, p.dilationW());
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
                for (int q = 0; q < k; q++) {
                    int src = xo + pl * hw + checked(idx[io + pl * k + q], hw, "gatherPlanes");
                    if (oa instanceof float[] of) of[oo + pl * k + q] = ((float[]) xa)[src];
                    else ((double[]) oa)[oo + pl * k + q] = ((double[]) xa)[src];
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
                for (int q = 0; q < k; q++) {
                    int dst = oo + pl * hw + checked(idx[io + pl * k + q], hw, "scatterAddPlanes");
                    if (oa instanceof float[] of) of[dst] += ((float[]) sa)[so + pl * k + q];
                    else ((double[]) oa)[dst] += ((double[]) sa)[so + pl * k + q];
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
