package dev.ember.kernels.cpu;

import dev.ember.kernels.BinaryOp;
import dev.ember.kernels.UnaryOp;

/**
 * Plain-Java FLOAT32 loops: the fallback when the Vector API is absent, the strided-case helper, and
 * the reference the vector kernels are tested against. Elementwise results are ScalarMath's double
 * values rounded to float; sums accumulate in double.
 */
public class ScalarFloatKernels implements FloatKernels {
    @Override
    public void unary(UnaryOp op, float[] x, int xo, int xs, float[] o, int oo, int os, int n, float p0, float p1) {
        switch (op) {
            case RELU -> {
                for (int i = 0; i < n; i++) {
                    float v = x[xo + i * xs];
                    o[oo + i * os] = v > 0 ? v : (v != v ? v : 0f);
                }
            }
            case NEG -> {
                for (int i = 0; i < n; i++) o[oo + i * os] = -x[xo + i * xs];
            }
            case SQUARE -> {
                for (int i = 0; i < n; i++) {
                    float v = x[xo + i * xs];
                    o[oo + i * os] = v * v;
                }
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i * os] = (float) ScalarMath.unary(op, x[xo + i * xs], p0, p1);
                }
            }
        }
    }

    @Override
    public void binary(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int os, int n, float p0) {
        switch (op) {
            case ADD -> {
                for (int i = 0; i < n; i++) o[oo + i * os] = a[ao + i * as] + b[bo + i * bs];
            }
            case SUB -> {
                for (int i = 0; i < n; i++) o[oo + i * os] = a[ao + i * as] - b[bo + i * bs];
            }
            case MUL -> {
                for (int i = 0; i < n; i++) o[oo + i * os] = a[ao + i * as] * b[bo + i * bs];
            }
            case DIV -> {
                for (int i = 0; i < n; i++) o[oo + i * os] = a[ao + i * as] / b[bo + i * bs];
            }
            case RELU_BACKWARD -> {
                for (int i = 0; i < n; i++) o[oo + i * os] = b[bo + i * bs] > 0 ? a[ao + i * as] : 0f;
            }
            default -> {
                for (int i = 0; i < n; i++) {
                    o[oo + i * os] = (float) ScalarMath.binary(op, a[ao + i * as], b[bo + i * bs], p0);
                }
            }
        }
    }

    @Override
    public void compare(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs, byte[] o, int oo, int os, int n) {
        for (int i = 0; i < n; i++) {
            o[oo + i * os] = (byte) ScalarMath.binary(op, a[ao + i * as], b[bo + i * bs], 0);
        }
    }

    @Override
    public void predicate(UnaryOp op, float[] x, int xo, int xs, byte[] o, int oo, int os, int n) {
        for (int i = 0; i < n; i++) {
            o[oo + i * os] = (byte) ScalarMath.unary(op, x[xo + i * xs], 0, 0);
        }
    }

    @Override
    public void where(byte[] c, int co, int cs, float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int os, int n) {
        for (int i = 0; i < n; i++) {
            o[oo + i * os] = c[co + i * cs] != 0 ? a[ao + i * as] : b[bo + i * bs];
        }
    }

    @Override
    public void copy(float[] x, int xo, int xs, float[] o, int oo, int os, int n) {
        if (xs == 1 && os == 1) {
            System.arraycopy(x, xo, o, oo, n);
            return;
        }
        for (int i = 0; i < n; i++) o[oo + i * os] = x[xo + i * xs];
    }

    @Override
    public void fill(float[] o, int oo, int os, int n, float v) {
        if (os == 1) {
            java.util.Arrays.fill(o, oo, oo + n, v);
            return;
        }
        for (int i = 0; i < n; i++) o[oo + i * os] = v;
    }

    @Override
    public double sum(float[] x, int xo, int xs, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += x[xo + i * xs];
        return s;
    }

    @Override
    public double squaredDeviations(float[] a, int o, int len, float m) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int k = 0;
        for (; k + 4 <= len; k += 4) {
            float d0 = a[o + k] - m, d1 = a[o + k + 1] - m, d2 = a[o + k + 2] - m, d3 = a[o + k + 3] - m;
            s0 += d0 * d0;
            s1 += d1 * d1;
            s2 += d2 * d2;
            s3 += d3 * d3;
        }
        for (; k < len; k++) {
            float d = a[o + k] - m;
            s0 += d * d;
        }
        return (double) s0 + s1 + s2 + s3;
    }

    @Override
    public double dotCentered(float[] g, int go, float[] x, int xo, int len, float m) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int k = 0;
        for (; k + 4 <= len; k += 4) {
            s0 += g[go + k] * (x[xo + k] - m);
            s1 += g[go + k + 1] * (x[xo + k + 1] - m);
            s2 += g[go + k + 2] * (x[xo + k + 2] - m);
            s3 += g[go + k + 3] * (x[xo + k + 3] - m);
        }
        for (; k < len; k++) s0 += g[go + k] * (x[xo + k] - m);
        return (double) s0 + s1 + s2 + s3;
    }

    @Override
    public void scaleShift(float[] x, int xo, float[] o, int oo, int n, float scale, float shift) {
        for (int k = 0; k < n; k++) o[oo + k] = x[xo + k] * scale + shift;
    }

    @Override
    public void batchNormInputGrad(float[] g, int go, float[] x, int xo, float[] o, int oo, int n, float scale, float meanG,
                                   float m, float xhatScale) {
        for (int k = 0; k < n; k++) o[oo + k] = scale * (g[go + k] - meanG - (x[xo + k] - m) * xhatScale);
    }

    /** Math.max / Math.min semantics (NaN wins, -0.0 below 0.0), as the vector lanes. */
    @Override
    public float max(float[] x, int xo, int xs, int n, boolean min) {
        float m = x[xo];
        for (int i = 1; i < n; i++) {
            float v = x[xo + i * xs];
            if (v != v) return v;
            m = min ? Math.min(m, v) : Math.max(m, v);
        }
        return m;
    }

    @Override
    public void sumRows(float[] x, int xo, int rowStride, int rows, float[] acc, int ao, int width) {
        for (int r = 0; r < rows; r++) {
            int row = xo + r * rowStride;
            for (int j = 0; j < width; j++) acc[ao + j] += x[row + j];
        }
    }

    @Override
    public void maxRows(float[] x, int xo, int rowStride, int rows, float[] acc, int ao, int width, boolean min) {
        for (int r = 0; r < rows; r++) {
            int row = xo + r * rowStride;
            for (int j = 0; j < width; j++) {
                acc[ao + j] = min ? Math.min(acc[ao + j], x[row + j]) : Math.max(acc[ao + j], x[row + j]);
            }
        }
    }

    @Override
    public void softmaxRow(float[] x, int xo, float[] o, int oo, int len, boolean log) {
        softmaxLine(x, xo, o, oo, len, 1, log);
    }

    @Override
    public void softmaxColumns(float[] x, int xo, float[] o, int oo, int len, int stride, int width, boolean log) {
        for (int j = 0; j < width; j++) softmaxLine(x, xo + j, o, oo + j, len, stride, log);
    }

    /** One softmax along a strided line: m = max, then e^(x - m) / sum, or (x - m) - log(sum). */
    private static void softmaxLine(float[] x, int xb, float[] o, int ob, int len, int stride, boolean log) {
        if (len == 0) return;
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < len; i++) m = Math.max(m, x[xb + i * stride]);
        if (m == Float.NEGATIVE_INFINITY) m = 0; // an all -inf line: exp gives 0s and the result is NaN, as PyTorch
        double sum = 0;
        if (log) {
            for (int i = 0; i < len; i++) sum += Math.exp(x[xb + i * stride] - m);
            float lse = (float) Math.log(sum);
            for (int i = 0; i < len; i++) o[ob + i * stride] = (x[xb + i * stride] - m) - lse;
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

    @Override
    public void softmaxBackwardRow(float[] g, int go, float[] y, int yo, float[] o, int oo, int len, boolean log) {
        softmaxBackwardLine(g, go, y, yo, o, oo, len, 1, log);
    }

    @Override
    public void softmaxBackwardColumns(float[] g, int go, float[] y, int yo, float[] o, int oo, int len, int stride, int width,
                                       boolean log) {
        for (int j = 0; j < width; j++) softmaxBackwardLine(g, go + j, y, yo + j, o, oo + j, len, stride, log);
    }

    /** softmax: y * (g - sum(g * y)); log-softmax: g - e^y * sum(g). */
    private static void softmaxBackwardLine(float[] g, int gb, float[] y, int yb, float[] o, int ob, int len, int stride, boolean log) {
        double dot = 0;
        for (int i = 0; i < len; i++) {
            int k = i * stride;
            dot += log ? g[gb + k] : (double) g[gb + k] * y[yb + k];
        }
        for (int i = 0; i < len; i++) {
            int k = i * stride;
            double gv = g[gb + k], yv = y[yb + k];
            o[ob + k] = (float) (log ? gv - Math.exp(yv) * dot : yv * (gv - dot));
        }
    }

    // ---------------------------------------------------------------- softmax cross-entropy (CpuLosses)

    @Override
    public double logSumExpRow(float[] x, int xo, int len) {
        float m = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < len; i++) m = Math.max(m, x[xo + i]); // Math.max propagates NaN
        if (m == Float.NEGATIVE_INFINITY) return Double.NEGATIVE_INFINITY;
        double sum = 0;
        for (int i = 0; i < len; i++) sum += Math.exp(x[xo + i] - m);
        return m + Math.log(sum);
    }

    @Override
    public void crossEntropyGradRow(float[] x, int xo, float lse, float scale, float shift, float[] o, int oo, int len) {
        for (int i = 0; i < len; i++) o[oo + i] = (float) (((float) Math.exp(x[xo + i] - lse) - shift) * (double) scale);
    }

    @Override
    public void maxPool2x2(float[] x, int plane, int w, int[] topLeft, int windows, float[] vals, int vo, long[] idx, int io) {
        PoolLoops.maxPool2x2(x, plane, w, topLeft, 0, windows, vals, vo, idx, io);
    }

    @Override
    public void transpose(int rows, int cols, float[] src, int sOff, int sLd, float[] dst, int dOff, int dLd) {
        Transposes.scalar(rows, cols, src, sOff, sLd, dst, dOff, dLd);
    }
}
