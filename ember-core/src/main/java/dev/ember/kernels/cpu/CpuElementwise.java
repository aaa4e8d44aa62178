package dev.ember.kernels.cpu;

import dev.ember.kernels.BinaryOp;
import dev.ember.kernels.UnaryOp;
import dev.ember.tensor.DType;
import dev.ember.tensor.HeapStorage;
import dev.ember.tensor.Tensor;
import dev.ember.tensor.TensorAccess;

/**
 * Elementwise kernels on the CPU. FLOAT32 operands take the {@link FloatKernels} fast path; FLOAT64
 * uses double loops over {@link ScalarMath}; other dtype mixes go through a generic path that reads
 * and writes elements as long or double.
 */
final class CpuElementwise {
    /*
     * Parallel grains: elements per chunk below which a loop stays on one thread. Measured on the
     * 2-core machine (see BENCHMARKS.md, "Elementwise and reductions"): handing a chunk to the pool
     * costs about 45 us when the worker has parked (waking an idle vCPU), 2-7 us when it is still
     * awake; one thread runs memory-bound vector loops at 0.1-0.25 ns per element, exp-like ones at
     * 0.15-0.4 ns, GELU/erf and strided scalar loops at about 0.4-1 ns. A second thread paid off from
     * about 2M elements for add/relu/sum, 1M for exp, 256K for strided scalar loops and much earlier
     * for GELU; the grains put the switch there.
     */
    /** Grain of memory-bound vector loops (add, relu, compare, where, copy, fill, ...). */
    static final int GRAIN = 1 << 20;
    /** Grain of vector loops with one transcendental function per element. */
    static final int GRAIN_TRANSCENDENTAL = 1 << 18;
    /** Grain of expensive vector loops and of every scalar loop. */
    static final int GRAIN_SCALAR = 1 << 16;
    private static final FloatKernels F = Simd.FLOAT;
    private static final boolean VECTOR = F.getClass() != ScalarFloatKernels.class;

    private CpuElementwise() {
    }

    static Object data(Tensor t) {
        return ((HeapStorage) t.storage()).array();
    }

    static void unary(UnaryOp op, Tensor x, Tensor out, double p0, double p1) {
        StridedLoop loop = StridedLoop.of(out, x);
        Object xa = data(x), oa = data(out);
        int grain = grain(op, x.dtype() == DType.FLOAT32 && vectorStrides(loop));
        if (xa instanceof float[] xf && oa instanceof float[] of) {
            float fp0 = (float) p0, fp1 = (float) p1;
            int xs = loop.innerStride[1], os = loop.innerStride[0];
            Parallel.forRange(loop.total, grain, (s, e) -> loop.forEachRun(s, e,
                    (off, n) -> F.unary(op, xf, off[1], xs, of, off[0], os, n, fp0, fp1)));
        } else if (xa instanceof float[] xf && oa instanceof byte[] ob && op.boolResult()) {
            int xs = loop.innerStride[1], os = loop.innerStride[0];
            Parallel.forRange(loop.total, grain, (s, e) -> loop.forEachRun(s, e,
                    (off, n) -> F.predicate(op, xf, off[1], xs, ob, off[0], os, n)));
        } else if (xa instanceof double[] xd && oa instanceof double[] od) {
            int xs = loop.innerStride[1], os = loop.innerStride[0];
            Parallel.forRange(loop.total, grain, (s, e) -> loop.forEachRun(s, e, (off, n) -> {
                for (int i = 0; i < n; i++) od[off[0] + i * os] = ScalarMath.unary(op, xd[off[1] + i * xs], p0, p1);
            }));
        } else {
            boolean integer = x.dtype() != DType.FLOAT32 && x.dtype() != DType.FLOAT64 && op.integerClosed();
            genericRuns(loop, grain, (off, n, st) -> {
                for (int i = 0; i < n; i++) {
                    int oi = off[0] + i * st[0], xi = off[1] + i * st[1];
                    if (integer) setL(oa, oi, ScalarMath.unaryLong(op, getL(xa, xi), p0, p1));
                    else setD(oa, oi, ScalarMath.unary(op, getD(xa, xi), p0, p1));
                }
            });
        }
    }

    /** True when every operand's inner stride lets the vector loops run (0 or 1, output 1). */
    private static boolean vectorStrides(StridedLoop loop) {
        if (!VECTOR || loop.innerStride[0] != 1) return false;
        for (int s : loop.innerStride) if (s != 0 && s != 1) return false;
        return true;
    }

    static int grain(UnaryOp op, boolean vector) {
        if (!vector) return GRAIN_SCALAR;
        return switch (op) {
            case NEG, ABS, RELU, SQUARE, CLAMP, LEAKY_RELU, SIGN, LOGICAL_NOT, ISNAN, FLOOR, CEIL, ROUND, TRUNC, SQRT, RSQRT,
                 RECIPROCAL -> GRAIN;
            case EXP, LOG, TANH, SIGMOID, SILU, SOFTPLUS, ELU, LOG1P, EXPM1 -> GRAIN_TRANSCENDENTAL;
            default -> GRAIN_SCALAR; // GELU, ERF, SIN, COS, POW, ...
        };
    }

    static int grain(BinaryOp op, boolean vector) {
        if (!vector) return GRAIN_SCALAR;
        return switch (op) {
            case POW, ATAN2, REMAINDER, GELU_BACKWARD, GELU_TANH_BACKWARD -> GRAIN_SCALAR;
            case SIGMOID_BACKWARD, TANH_BACKWARD, RELU_BACKWARD, LEAKY_RELU_BACKWARD, ADD, SUB, MUL, DIV, MINIMUM, MAXIMUM, EQ, NE,
                 LT, LE, GT, GE, LOGICAL_AND, LOGICAL_OR, LOGICAL_XOR -> GRAIN;
            default -> GRAIN_TRANSCENDENTAL; // SILU, SOFTPLUS, ELU backward: one exp each
        };
    }

    static void binary(BinaryOp op, Tensor a, Tensor b, Tensor out, double p0) {
        StridedLoop loop = StridedLoop.of(out, a, b);
        Object aa = data(a), ba = data(b), oa = data(out);
        int os = loop.innerStride[0], as = loop.innerStride[1], bs = loop.innerStride[2];
        int grain = grain(op, aa instanceof float[] && ba instanceof float[] && vectorStrides(loop));
        if (aa instanceof float[] af && ba instanceof float[] bf) {
            if (oa instanceof float[] of) {
                float fp0 = (float) p0;
                Parallel.forRange(loop.total, grain, (s, e) -> loop.forEachRun(s, e,
                        (off, n) -> F.binary(op, af, off[1], as, bf, off[2], bs, of, off[0], os, n, fp0)));
                return;
            }
            if (oa instanceof byte[] ob && out.dtype() == DType.BOOL) {
                Parallel.forRange(loop.total, grain, (s, e) -> loop.forEachRun(s, e,
                        (off, n) -> F.compare(op, af, off[1], as, bf, off[2], bs, ob, off[0], os, n)));
                return;
            }
        }
        if (aa instanceof double[] ad && ba instanceof double[] bd && oa instanceof double[] od) {
            Parallel.forRange(loop.total, grain, (s, e) -> loop.forEachRun(s, e, (off, n) -> {
                for (int i = 0; i < n; i++) {
                    od[off[0] + i * os] = ScalarMath.binary(op, ad[off[1] + i * as], bd[off[2] + i * bs], p0);
                }
            }));
            return;
        }
        boolean integer = !a.dtype().isFloating() && !b.dtype().isFloating();
        genericRuns(loop, grain, (off, n, st) -> {
            for (int i = 0; i < n; i++) {
                int oi = off[0] + i * st[0], ai = off[1] + i * st[1], bi = off[2] + i * st[2];
                if (integer) setL(oa, oi, ScalarMath.binaryLong(op, getL(aa, ai), getL(ba, bi)));
                else setD(oa, oi, ScalarMath.binary(op, getD(aa, ai), getD(ba, bi), p0));
            }
        });
    }

    static void where(Tensor c, Tensor a, Tensor b, Tensor out) {
        StridedLoop loop = StridedLoop.of(out, c, a, b);
        Object ca = data(c), aa = data(a), ba = data(b), oa = data(out);
        int[] st = loop.innerStride;
        if (ca instanceof byte[] cb && aa instanceof float[] af && ba instanceof float[] bf && oa instanceof float[] of) {
            Parallel.forRange(loop.total, vectorStrides(loop) ? GRAIN : GRAIN_SCALAR, (s, e) -> loop.forEachRun(s, e,
                    (off, n) -> F.where(cb, off[1], st[1], af, off[2], st[2], bf, off[3], st[3], of, off[0], st[0], n)));
            return;
        }
        boolean integer = !out.dtype().isFloating();
        genericRuns(loop, GRAIN_SCALAR, (off, n, s) -> {
            for (int i = 0; i < n; i++) {
                boolean cond = getL(ca, off[1] + i * s[1]) != 0;
                Object src = cond ? aa : ba;
                int si = cond ? off[2] + i * s[2] : off[3] + i * s[3];
                if (integer) setL(oa, off[0] + i * s[0], getL(src, si));
                else setD(oa, off[0] + i * s[0], getD(src, si));
            }
        });
    }

    static void copy(Tensor src, Tensor dst) {
        if (copyTransposed(src, dst)) return;
        StridedLoop loop = StridedLoop.of(dst, src);
        Object sa = data(src), da = data(dst);
        int ds = loop.innerStride[0], ss = loop.innerStride[1];
        if (sa instanceof float[] sf && da instanceof float[] df) {
            Parallel.forRange(loop.total, vectorStrides(loop) ? GRAIN : GRAIN_SCALAR, (s, e) -> loop.forEachRun(s, e,
                    (off, n) -> F.copy(sf, off[1], ss, df, off[0], ds, n)));
            return;
        }
        if (sa.getClass() == da.getClass() && ss == 1 && ds == 1) {
            Parallel.forRange(loop.total, GRAIN, (s, e) -> loop.forEachRun(s, e,
                    (off, n) -> System.arraycopy(sa, off[1], da, off[0], n)));
            return;
        }
        boolean integer = !src.dtype().isFloating() && !dst.dtype().isFloating();
        boolean toBool = dst.dtype() == DType.BOOL;
        genericRuns(loop, GRAIN_SCALAR, (off, n, st) -> {
            for (int i = 0; i < n; i++) {
                int di = off[0] + i * st[0], si = off[1] + i * st[1];
                if (integer) setL(da, di, getL(sa, si));
                else if (toBool) setL(da, di, getD(sa, si) != 0 ? 1 : 0);
                else setD(da, di, getD(sa, si));
            }
        });
    }

    /**
     * A float matrix viewed transposed (strides [1, ld], e.g. {@code m.t().contiguous()}, or the gradient
     * of a matmul through {@code w.t()}, which arrives transposed) copied into a contiguous one: a blocked
     * transpose instead of an element-wise strided loop. Returns false (nothing done) for any other layout.
     */
    private static boolean copyTransposed(Tensor src, Tensor dst) {
        if (src.rank() != 2 || dst.rank() != 2 || !(data(src) instanceof float[] sf) || !(data(dst) instanceof float[] df)) return false;
        int rows = dst.size(0), cols = dst.size(1);
        int[] ss = TensorAccess.strides(src), ds = TensorAccess.strides(dst);
        if (src.size(0) != rows || src.size(1) != cols) return false;
        if (rows < 2 || cols < 2 || ss[0] != 1 || ss[1] < rows || ds[1] != 1 || ds[0] != cols) return false;
        int so = src.offset(), dOff = dst.offset(), ld = ss[1];
        // Source row c (dst column c) starts at so + c*ld; each task transposes a band of dst columns.
        Parallel.forRange(cols, Math.max(16, GRAIN / Math.max(1, rows)), (c0, c1) ->
                F.transpose(c1 - c0, rows, sf, so + c0 * ld, ld, df, dOff + c0, cols));
        return true;
    }

    static void fill(Tensor dst, double v) {
        StridedLoop loop = StridedLoop.of(dst);
        Object da = data(dst);
        int ds = loop.innerStride[0];
        if (da instanceof float[] df) {
            float fv = (float) v;
            Parallel.forRange(loop.total, GRAIN, (s, e) -> loop.forEachRun(s, e, (off, n) -> F.fill(df, off[0], ds, n, fv)));
            return;
        }
        boolean integer = !dst.dtype().isFloating();
        long lv = dst.dtype() == DType.BOOL ? (v != 0 ? 1 : 0) : (long) v;
        genericRuns(loop, GRAIN_SCALAR, (off, n, st) -> {
            for (int i = 0; i < n; i++) {
                if (integer) setL(da, off[0] + i * st[0], lv);
                else setD(da, off[0] + i * st[0], v);
            }
        });
    }

    // ------------------------------------------------------------------ generic element access

    @FunctionalInterface
    interface GenericRun {
        void run(int[] offsets, int n, int[] innerStrides);
    }

    static void genericRuns(StridedLoop loop, int grain, GenericRun body) {
        int[] st = loop.innerStride;
        Parallel.forRange(loop.total, grain, (s, e) -> loop.forEachRun(s, e, (off, n) -> body.run(off, n, st)));
    }

    static double getD(Object a, int i) {
        return switch (a) {
            case float[] f -> f[i];
            case double[] d -> d[i];
            case long[] l -> l[i];
            case int[] n -> n[i];
            case byte[] b -> b[i];
            default -> throw new IllegalStateException();
        };
    }

    static long getL(Object a, int i) {
        return switch (a) {
            case long[] l -> l[i];
            case int[] n -> n[i];
            case byte[] b -> b[i];
            case float[] f -> (long) f[i];
            case double[] d -> (long) d[i];
            default -> throw new IllegalStateException();
        };
    }

    static void setD(Object a, int i, double v) {
        switch (a) {
            case float[] f -> f[i] = (float) v;
            case double[] d -> d[i] = v;
            case long[] l -> l[i] = (long) v;
            case int[] n -> n[i] = (int) v;
            case byte[] b -> b[i] = (byte) (v != 0 ? 1 : 0);
            default -> throw new IllegalStateException();
        }
    }

    static void setL(Object a, int i, long v) {
        switch (a) {
            case long[] l -> l[i] = v;
            case int[] n -> n[i] = (int) v;
            case byte[] b -> b[i] = (byte) (v != 0 ? 1 : 0);
            case float[] f -> f[i] = v;
            case double[] d -> d[i] = v;
            default -> throw new IllegalStateException();
        }
    }
}
