package dev.ember.kernels.cpu;

import dev.ember.kernels.BinaryOp;
import dev.ember.kernels.UnaryOp;
import jdk.incubator.vector.FloatVector;

/**
 * Vector API FLOAT32 loops for contiguous (stride 1) and broadcast (stride 0) runs; other strides
 * fall back to the plain loops of {@link ScalarFloatKernels}. Loaded only through {@link Simd} when
 * the incubator module is present. The loops themselves live in {@link VectorUnaryLoops},
 * {@link VectorBinaryLoops}, {@link VectorCompareLoops}, {@link VectorReduceLoops} and
 * {@link VectorSoftmaxLoops}; this class only routes runs by stride.
 */
final class VectorFloatKernels extends ScalarFloatKernels {
    public static int vectorBits() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }

    private static boolean unitOrZero(int stride) {
        return stride == 0 || stride == 1;
    }

    @Override
    public void unary(UnaryOp op, float[] x, int xo, int xs, float[] o, int oo, int os, int n, float p0, float p1) {
        if (os == 1 && xs == 1) {
            VectorUnaryLoops.run(op, x, xo, o, oo, n, p0, p1);
        } else if (os == 1 && xs == 0 && n > 1) { // one value repeated: compute it once
            super.unary(op, x, xo, 0, o, oo, 1, 1, p0, p1);
            fill(o, oo + 1, 1, n - 1, o[oo]);
        } else {
            super.unary(op, x, xo, xs, o, oo, os, n, p0, p1);
        }
    }

    @Override
    public void binary(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int os, int n, float p0) {
        if (op.boolResult() || os != 1 || !unitOrZero(as) || !unitOrZero(bs)) {
            super.binary(op, a, ao, as, b, bo, bs, o, oo, os, n, p0);
        } else if (as == 0 && bs == 0 && n > 1) { // both broadcast: one value repeated
            super.binary(op, a, ao, 0, b, bo, 0, o, oo, 1, 1, p0);
            fill(o, oo + 1, 1, n - 1, o[oo]);
        } else if (tailRunsPastEnd(n, a, ao, as, b, bo, bs, o, oo) && exactInScalar(op)) {
            // The last partial vector goes to the scalar loop (the same IEEE results for these ops).
            int body = n - n % VectorMath.S.length();
            if (body > 0) VectorBinaryLoops.run(op, a, ao, as, b, bo, bs, o, oo, body, p0);
            super.binary(op, a, ao + body * as, as, b, bo + body * bs, bs, o, oo + body, 1, n - body, p0);
        } else {
            VectorBinaryLoops.run(op, a, ao, as, b, bo, bs, o, oo, n, p0);
        }
    }

    private static boolean tailRunsPastEnd(int n, float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo) {
        return maskedTailCrossesEnd(o, oo, n) || (as == 1 && maskedTailCrossesEnd(a, ao, n)) || (bs == 1 && maskedTailCrossesEnd(b, bo, n));
    }

    /**
     * Whether a loop over {@code a[off .. off+n)} in whole vectors would end with a masked vector reaching
     * past the array's end: there the Vector API checks each lane's index in Java (not intrinsified), which
     * costs more than the rest of a short call, so such tails go to the scalar loops instead.
     */
    private static boolean maskedTailCrossesEnd(float[] a, int off, int n) {
        int lanes = VectorMath.S.length(), rem = n % lanes;
        return rem != 0 && off + n - rem + lanes > a.length;
    }

    private static boolean exactInScalar(BinaryOp op) {
        return switch (op) {
            case ADD, SUB, MUL, DIV, MINIMUM, MAXIMUM, RELU_BACKWARD -> true;
            default -> false;
        };
    }

    @Override
    public void compare(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs, byte[] o, int oo, int os, int n) {
        if (VectorCompareLoops.B == null || os != 1 || !unitOrZero(as) || !unitOrZero(bs)) {
            super.compare(op, a, ao, as, b, bo, bs, o, oo, os, n);
            return;
        }
        VectorCompareLoops.compare(op, a, ao, as, b, bo, bs, o, oo, n);
    }

    @Override
    public void predicate(UnaryOp op, float[] x, int xo, int xs, byte[] o, int oo, int os, int n) {
        if (VectorCompareLoops.B == null || os != 1 || xs != 1) {
            super.predicate(op, x, xo, xs, o, oo, os, n);
            return;
        }
        VectorCompareLoops.predicate(op, x, xo, o, oo, n);
    }

    @Override
    public void where(byte[] c, int co, int cs, float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int os, int n) {
        if (n <= 0) return;
        if (os == 1 && cs == 0) { // one condition for the whole run: a plain copy of one side
            if (c[co] != 0) copy(a, ao, as, o, oo, 1, n);
            else copy(b, bo, bs, o, oo, 1, n);
            return;
        }
        if (VectorCompareLoops.B == null || os != 1 || cs != 1 || !unitOrZero(as) || !unitOrZero(bs)) {
            super.where(c, co, cs, a, ao, as, b, bo, bs, o, oo, os, n);
            return;
        }
        VectorCompareLoops.where(c, co, a, ao, as, b, bo, bs, o, oo, n);
    }

    @Override
    public void copy(float[] x, int xo, int xs, float[] o, int oo, int os, int n) {
        if (xs == 0 && os == 1 && n > 0) {
            fill(o, oo, 1, n, x[xo]);
            return;
        }
        if (xs == 2 && os == 1) {
            VectorStrideLoops.copyEvens(x, xo, o, oo, n); // a stride-2 im2col row
            return;
        }
        super.copy(x, xo, xs, o, oo, os, n); // arraycopy for stride 1 is already a vector loop
    }

    @Override
    public double sum(float[] x, int xo, int xs, int n) {
        if (xs == 1) return VectorReduceLoops.sum(x, xo, n);
        if (xs == 0) return n == 0 ? 0 : (double) x[xo] * n;
        return super.sum(x, xo, xs, n);
    }

    @Override
    public float max(float[] x, int xo, int xs, int n, boolean min) {
        if (xs == 1) return VectorReduceLoops.max(x, xo, n, min);
        return super.max(x, xo, xs, n, min);
    }

    @Override
    public void sumRows(float[] x, int xo, int rowStride, int rows, float[] acc, int ao, int width) {
        // As in binary(): e.g. a 10-class bias gradient, whose acc holds 10 floats, would cross on every row.
        if (rows > 0 && (maskedTailCrossesEnd(acc, ao, width) || maskedTailCrossesEnd(x, xo + (rows - 1) * rowStride, width))) {
            int body = width - width % VectorMath.S.length();
            if (body > 0) VectorReduceLoops.sumRows(x, xo, rowStride, rows, acc, ao, body);
            super.sumRows(x, xo + body, rowStride, rows, acc, ao + body, width - body);
            return;
        }
        VectorReduceLoops.sumRows(x, xo, rowStride, rows, acc, ao, width);
    }

    @Override
    public double squaredDeviations(float[] x, int xo, int n, float m) {
        return VectorReduceLoops.squaredDeviations(x, xo, n, m);
    }

    @Override
    public double dotCentered(float[] g, int go, float[] x, int xo, int n, float m) {
        return VectorReduceLoops.dotCentered(g, go, x, xo, n, m);
    }

    @Override
    public void scaleShift(float[] x, int xo, float[] o, int oo, int n, float scale, float shift) {
        VectorNormLoops.scaleShift(x, xo, o, oo, n, scale, shift);
    }

    @Override
    public void batchNormInputGrad(float[] g, int go, float[] x, int xo, float[] o, int oo, int n, float scale, float meanG,
                                   float m, float xhatScale) {
        VectorNormLoops.batchNormInputGrad(g, go, x, xo, o, oo, n, scale, meanG, m, xhatScale);
    }

    @Override
    public void maxRows(float[] x, int xo, int rowStride, int rows, float[] acc, int ao, int width, boolean min) {
        VectorReduceLoops.maxRows(x, xo, rowStride, rows, acc, ao, width, min);
    }

    @Override
    public void softmaxRow(float[] x, int xo, float[] o, int oo, int len, boolean log) {
        VectorSoftmaxLoops.softmaxRow(x, xo, o, oo, len, log);
    }

    @Override
    public void softmaxColumns(float[] x, int xo, float[] o, int oo, int len, int stride, int width, boolean log) {
        VectorSoftmaxLoops.softmaxColumns(x, xo, o, oo, len, stride, width, log);
    }

    @Override
    public void softmaxBackwardRow(float[] g, int go, float[] y, int yo, float[] o, int oo, int len, boolean log) {
        VectorSoftmaxLoops.softmaxBackwardRow(g, go, y, yo, o, oo, len, log);
    }

    @Override
    public void softmaxBackwardColumns(float[] g, int go, float[] y, int yo, float[] o, int oo, int len, int stride, int width,
                                       boolean log) {
        VectorSoftmaxLoops.softmaxBackwardColumns(g, go, y, yo, o, oo, len, stride, width, log);
    }

    // ---------------------------------------------------------------- softmax cross-entropy (CpuLosses; loops in VectorLossLoops)

    @Override
    public double logSumExpRow(float[] x, int xo, int len) {
        return VectorLossLoops.logSumExpRow(x, xo, len);
    }

    @Override
    public void crossEntropyGradRow(float[] x, int xo, float lse, float scale, float shift, float[] o, int oo, int len) {
        VectorLossLoops.crossEntropyGradRow(x, xo, lse, scale, shift, o, oo, len);
    }

    @Override
    public void maxPool2x2(float[] x, int plane, int w, int[] topLeft, int windows, float[] vals, int vo, long[] idx, int io) {
        VectorPoolLoops.maxPool2x2(x, plane, w, topLeft, windows, vals, vo, idx, io);
    }

    @Override
    public void transpose(int rows, int cols, float[] src, int sOff, int sLd, float[] dst, int dOff, int dLd) {
        VectorPacking.transposeBlocked(rows, cols, src, sOff, sLd, dst, dOff, dLd);
    }
}
