package dev.ember.kernels.cpu;

import dev.ember.kernels.BinaryOp;
import dev.ember.kernels.UnaryOp;

/** Plain-Java FLOAT32 loops: the fallback when the Vector API is absent, and the strided-case helper. */
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
    public float max(float[] x, int xo, int xs, int n, boolean min) {
        float m = x[xo];
        for (int i = 1; i < n; i++) {
            float v = x[xo + i * xs];
            if (v != v) return v;
            if (min ? v < m : v > m) m = v;
        }
        return m;
    }

    @Override
    public void accumulate(float[] x, int xo, int xs, float[] o, int oo, int n) {
        for (int i = 0; i < n; i++) o[oo + i] += x[xo + i * xs];
    }
}
