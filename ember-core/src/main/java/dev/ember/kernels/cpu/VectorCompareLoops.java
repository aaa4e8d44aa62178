package dev.ember.kernels.cpu;

import dev.ember.kernels.BinaryOp;
import dev.ember.kernels.UnaryOp;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

import static dev.ember.kernels.cpu.VectorBinaryLoops.ld;

/**
 * Loops that move between float lanes and BOOL bytes: comparisons and logical ops (float in, 0/1
 * bytes out), LOGICAL_NOT and ISNAN (the same), and {@code where} (bytes select between floats). A
 * float mask is cast to a byte species with the same lane count, so 16 float lanes write 16 bytes.
 * Output strides are 1; input strides 0 or 1.
 */
final class VectorCompareLoops {
    private static final VectorSpecies<Float> S = VectorMath.S;
    private static final int L = S.length();
    /** Bytes with one lane per float lane, or null where that shape does not exist (under 64 bits). */
    static final VectorSpecies<Byte> B = L >= 8 ? VectorSpecies.of(byte.class, VectorShape.forBitSize(L * 8)) : null;

    private VectorCompareLoops() {
    }

    /** Comparison or logical op into 0/1 bytes. */
    static void compare(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs, byte[] o, int oo, int n) {
        switch (op) {
            case EQ -> equal(a, ao, as, b, bo, bs, o, oo, n, false);
            case NE -> equal(a, ao, as, b, bo, bs, o, oo, n, true);  // NaN != NaN: not-equal is exactly !(a == b)
            case LT -> less(a, ao, as, b, bo, bs, o, oo, n);
            case GT -> less(b, bo, bs, a, ao, as, o, oo, n);
            case LE -> lessOrEqual(a, ao, as, b, bo, bs, o, oo, n);
            case GE -> lessOrEqual(b, bo, bs, a, ao, as, o, oo, n);
            case LOGICAL_AND, LOGICAL_OR, LOGICAL_XOR -> logical(op, a, ao, as, b, bo, bs, o, oo, n);
            default -> throw new IllegalArgumentException(op + ": not a comparison");
        }
    }

    private static void store(VectorMask<Float> m, byte[] o, int off) {
        ByteVector.zero(B).blend((byte) 1, m.cast(B)).intoArray(o, off);
    }

    private static void store(VectorMask<Float> m, byte[] o, int off, VectorMask<Byte> tail) {
        ByteVector.zero(B).blend((byte) 1, m.cast(B)).intoArray(o, off, tail);
    }

    private static void equal(float[] a, int ao, int as, float[] b, int bo, int bs, byte[] o, int oo, int n, boolean negate) {
        int i = 0;
        for (; i <= n - L; i += L) {
            VectorMask<Float> m = ld(a, ao, as, i).compare(VectorOperators.EQ, ld(b, bo, bs, i));
            store(negate ? m.not() : m, o, oo + i);
        }
        if (i < n) {
            VectorMask<Float> t = S.indexInRange(i, n);
            VectorMask<Float> m = ld(a, ao, as, i, t).compare(VectorOperators.EQ, ld(b, bo, bs, i, t));
            store(negate ? m.not() : m, o, oo + i, B.indexInRange(i, n));
        }
    }

    private static void less(float[] a, int ao, int as, float[] b, int bo, int bs, byte[] o, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) store(ld(a, ao, as, i).compare(VectorOperators.LT, ld(b, bo, bs, i)), o, oo + i);
        if (i < n) {
            VectorMask<Float> t = S.indexInRange(i, n);
            store(ld(a, ao, as, i, t).compare(VectorOperators.LT, ld(b, bo, bs, i, t)), o, oo + i, B.indexInRange(i, n));
        }
    }

    private static void lessOrEqual(float[] a, int ao, int as, float[] b, int bo, int bs, byte[] o, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) store(ld(a, ao, as, i).compare(VectorOperators.LE, ld(b, bo, bs, i)), o, oo + i);
        if (i < n) {
            VectorMask<Float> t = S.indexInRange(i, n);
            store(ld(a, ao, as, i, t).compare(VectorOperators.LE, ld(b, bo, bs, i, t)), o, oo + i, B.indexInRange(i, n));
        }
    }

    /** Truth is "not zero" (NaN counts as true, as in C and PyTorch). */
    private static VectorMask<Float> truth(FloatVector v) {
        return v.compare(VectorOperators.EQ, 0f).not();
    }

    private static VectorMask<Float> combine(BinaryOp op, VectorMask<Float> x, VectorMask<Float> y) {
        return switch (op) {
            case LOGICAL_AND -> x.and(y);
            case LOGICAL_OR -> x.or(y);
            default -> x.eq(y).not();
        };
    }

    private static void logical(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs, byte[] o, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) store(combine(op, truth(ld(a, ao, as, i)), truth(ld(b, bo, bs, i))), o, oo + i);
        if (i < n) {
            VectorMask<Float> t = S.indexInRange(i, n);
            store(combine(op, truth(ld(a, ao, as, i, t)), truth(ld(b, bo, bs, i, t))), o, oo + i, B.indexInRange(i, n));
        }
    }

    /** LOGICAL_NOT (x == 0) or ISNAN into 0/1 bytes, contiguous. */
    static void predicate(UnaryOp op, float[] x, int xo, byte[] o, int oo, int n) {
        boolean isNan = op == UnaryOp.ISNAN;
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i);
            store(isNan ? v.test(VectorOperators.IS_NAN) : v.compare(VectorOperators.EQ, 0f), o, oo + i);
        }
        if (i < n) {
            FloatVector v = FloatVector.fromArray(S, x, xo + i, S.indexInRange(i, n));
            store(isNan ? v.test(VectorOperators.IS_NAN) : v.compare(VectorOperators.EQ, 0f), o, oo + i, B.indexInRange(i, n));
        }
    }

    /** o = c != 0 ? a : b, with c contiguous bytes. */
    static void where(byte[] c, int co, float[] a, int ao, int as, float[] b, int bo, int bs, float[] o, int oo, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            VectorMask<Float> m = ByteVector.fromArray(B, c, co + i).compare(VectorOperators.NE, (byte) 0).cast(S);
            ld(b, bo, bs, i).blend(ld(a, ao, as, i), m).intoArray(o, oo + i);
        }
        if (i < n) {
            VectorMask<Float> t = S.indexInRange(i, n);
            VectorMask<Float> m = ByteVector.fromArray(B, c, co + i, B.indexInRange(i, n)).compare(VectorOperators.NE, (byte) 0).cast(S);
            ld(b, bo, bs, i, t).blend(ld(a, ao, as, i, t), m).intoArray(o, oo + i, t);
        }
    }
}
