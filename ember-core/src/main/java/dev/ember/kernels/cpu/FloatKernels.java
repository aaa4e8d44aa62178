package dev.ember.kernels.cpu;

import dev.ember.kernels.BinaryOp;
import dev.ember.kernels.UnaryOp;

/**
 * Inner loops for FLOAT32 runs: {@code n} elements starting at an offset, with a stride per operand
 * (0 means a broadcast value, 1 contiguous). Two implementations: {@link ScalarFloatKernels} (plain
 * Java, always available) and a Vector API one chosen by {@link Simd} when
 * {@code jdk.incubator.vector} is present. Callers switch on nothing per element: one call per run.
 */
public interface FloatKernels {
    void unary(UnaryOp op, float[] x, int xo, int xs, float[] o, int oo, int os, int n, float p0, float p1);

    void binary(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int os, int n, float p0);

    /** Comparisons and logical ops writing BOOL (0/1 bytes). */
    void compare(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs, byte[] o, int oo, int os, int n);

    void where(byte[] c, int co, int cs, float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int os, int n);

    void copy(float[] x, int xo, int xs, float[] o, int oo, int os, int n);

    void fill(float[] o, int oo, int os, int n, float v);

    /** Sum of a run (accumulated at least in float with several partial sums). */
    double sum(float[] x, int xo, int xs, int n);

    /** Max (or min) of a non-empty run; NaN propagates. */
    float max(float[] x, int xo, int xs, int n, boolean min);

    /** {@code o[i] += x[i]} over a run (used for outer-dimension reductions). */
    void accumulate(float[] x, int xo, int xs, float[] o, int oo, int n);
}
