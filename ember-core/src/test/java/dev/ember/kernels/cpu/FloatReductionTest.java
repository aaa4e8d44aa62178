package dev.ember.kernels.cpu;

import dev.ember.kernels.ReduceOp;
import dev.ember.tensor.DType;
import dev.ember.tensor.HeapStorage;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;
import dev.ember.tensor.TensorAccess;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * FLOAT32 sum / max / min reductions and softmax / log-softmax (forward and backward) in both kernel
 * implementations, against double-precision references computed element by element: random shapes,
 * random sets of reduced dimensions, permuted and strided inputs, and the layouts that pick each
 * strategy (outer reductions such as a bias gradient, inner ones such as row sums and batch-norm
 * statistics, long reductions split into blocks).
 */
class FloatReductionTest {
    static List<Named<FloatKernels>> kernels() {
        return KernelImplementations.all();
    }

    // ------------------------------------------------------------------------------ reductions

    @ParameterizedTest
    @MethodSource("kernels")
    void randomReductionsMatchDoubleReference(FloatKernels k) {
        Random rnd = new Random(99);
        int[] sizes = {1, 2, 3, 5, 16, 17, 31, 64};
        for (int trial = 0; trial < 300; trial++) {
            int rank = 1 + rnd.nextInt(4);
            int[] dims = new int[rank];
            for (int i = 0; i < rank; i++) dims[i] = sizes[rnd.nextInt(sizes.length)];
            boolean[] flags = new boolean[rank];
            for (int i = 0; i < rank; i++) flags[i] = rnd.nextBoolean();
            Tensor x = randomLayout(rnd, dims, KernelImplementations.uniform(rnd, numel(dims), 5f));
            for (ReduceOp op : new ReduceOp[] {ReduceOp.SUM, ReduceOp.MAX, ReduceOp.MIN}) {
                checkReduction(k, op, x, flags, "trial " + trial);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void namedLayoutsMatchDoubleReference(FloatKernels k) {
        Random rnd = new Random(5);
        Object[][] cases = {
            {new int[] {128, 256}, new boolean[] {true, false}},            // bias gradient: outer
            {new int[] {1000, 3}, new boolean[] {true, false}},             // outer, many row blocks, narrow rows
            {new int[] {4, 600, 40}, new boolean[] {false, true, false}},   // outer with a kept outer dim
            {new int[] {8, 6, 7, 7}, new boolean[] {true, false, true, true}}, // batch-norm statistics
            {new int[] {3, 70000}, new boolean[] {false, true}},           // long rows: blocked inner
            {new int[] {200, 33}, new boolean[] {false, true}},            // many short rows
            {new int[] {140000}, new boolean[] {true}},                    // a full sum in blocks
            {new int[] {5, 2, 3000}, new boolean[] {true, false, true}},    // mixed
            {new int[] {40, 1, 30}, new boolean[] {false, true, false}},    // only a size-1 dim: a copy
        };
        for (Object[] c : cases) {
            int[] dims = (int[]) c[0];
            boolean[] flags = (boolean[]) c[1];
            Tensor x = contiguous(dims, KernelImplementations.uniform(rnd, numel(dims), 3f));
            for (ReduceOp op : new ReduceOp[] {ReduceOp.SUM, ReduceOp.MAX, ReduceOp.MIN}) {
                checkReduction(k, op, x, flags, Shape.of(dims).toString());
                checkReduction(k, op, randomLayout(rnd, dims, x.toFloatArray()), flags, Shape.of(dims) + " strided");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void longSumsStayAccurate(FloatKernels k) {
        // 2^22 values near 0.1: a naive float accumulator is off by percents; blocks keep it near 1e-7.
        int n = 1 << 22;
        float[] v = new float[n];
        Random rnd = new Random(3);
        double exact = 0;
        for (int i = 0; i < n; i++) {
            v[i] = 0.1f + rnd.nextFloat() * 1e-3f;
            exact += v[i];
        }
        for (boolean[] flags : new boolean[][] {{true}, {true, true}}) {
            Tensor x = flags.length == 1 ? contiguous(new int[] {n}, v) : contiguous(new int[] {1 << 11, 1 << 11}, v);
            Tensor out = outputFor(x, flags);
            CpuReduce.reduce(k, ReduceOp.SUM, x, flags, out);
            double got = out.toFloatArray()[0];
            assertEquals(exact, got, 2e-7 * exact + Math.ulp((float) exact), "sum of 2^22 values, rank " + flags.length);
        }
        Tensor cols = contiguous(new int[] {1 << 16, 64}, v);
        Tensor out = outputFor(cols, new boolean[] {true, false});
        CpuReduce.reduce(k, ReduceOp.SUM, cols, new boolean[] {true, false}, out);
        checkReduction(k, ReduceOp.SUM, cols, new boolean[] {true, false}, "65536 rows into 64 columns");
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void nanPropagatesAndEmptyDimensionsBehave(FloatKernels k) {
        float[] v = KernelImplementations.uniform(new Random(1), 64 * 40, 1f);
        v[17 * 40 + 5] = Float.NaN;
        for (boolean[] flags : new boolean[][] {{true, false}, {false, true}, {true, true}}) {
            Tensor x = contiguous(new int[] {64, 40}, v);
            for (ReduceOp op : new ReduceOp[] {ReduceOp.MAX, ReduceOp.MIN, ReduceOp.SUM}) {
                Tensor out = outputFor(x, flags);
                CpuReduce.reduce(k, op, x, flags, out);
                float[] o = out.toFloatArray();
                int nanIndex = flags[0] && flags[1] ? 0 : flags[0] ? 5 : 17;
                assertTrue(Float.isNaN(o[nanIndex]), op + " over " + java.util.Arrays.toString(flags) + " keeps NaN");
                for (int i = 0; i < o.length; i++) if (i != nanIndex) assertTrue(!Float.isNaN(o[i]), op + " only where the NaN is");
            }
        }
        Tensor empty = contiguous(new int[] {0, 4}, new float[0]);
        Tensor sum = outputFor(empty, new boolean[] {true, false});
        CpuReduce.reduce(k, ReduceOp.SUM, empty, new boolean[] {true, false}, sum);
        assertEquals(4, sum.numel());
        for (float f : sum.toFloatArray()) assertEquals(0f, f);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CpuReduce.reduce(k, ReduceOp.MAX, empty, new boolean[] {true, false}, outputFor(empty, new boolean[] {true, false})));
        assertTrue(e.getMessage().startsWith("max: cannot reduce over an empty dimension"), e.getMessage());
    }

    private static void checkReduction(FloatKernels k, ReduceOp op, Tensor x, boolean[] flags, String label) {
        int[] dims = TensorAccess.dims(x);
        if (op != ReduceOp.SUM && numel(dims) == 0) return;
        Tensor out = outputFor(x, flags);
        CpuReduce.reduce(k, op, x, flags, out);
        int outN = out.numel();
        double[] ref = new double[outN], absSum = new double[outN];
        boolean[] seen = new boolean[outN];
        float[] data = (float[]) CpuElementwise.data(x);
        int[] strides = TensorAccess.strides(x);
        int[] keep = TensorAccess.dims(out);
        int[] idx = new int[dims.length];
        for (int e = 0; e < numel(dims); e++) {
            int rem = e, src = x.offset(), dst = 0;
            for (int i = dims.length - 1; i >= 0; i--) {
                idx[i] = rem % dims[i];
                rem /= dims[i];
            }
            for (int i = 0; i < dims.length; i++) {
                src += idx[i] * strides[i];
                dst = dst * keep[i] + (flags[i] ? 0 : idx[i]);
            }
            double v = data[src];
            if (op == ReduceOp.SUM) ref[dst] += v;
            else if (!seen[dst]) ref[dst] = v;
            else ref[dst] = op == ReduceOp.MAX ? Math.max(ref[dst], v) : Math.min(ref[dst], v);
            absSum[dst] += Math.abs(v);
            seen[dst] = true;
        }
        float[] got = out.toFloatArray();
        for (int i = 0; i < outN; i++) {
            String where = op + " " + label + " shape " + Shape.of(dims) + " dims " + java.util.Arrays.toString(flags) + " out " + i;
            if (op == ReduceOp.SUM) assertEquals(ref[i], got[i], 1e-6 * absSum[i] + 1e-30, where);
            else assertEquals((float) ref[i], got[i], 0f, where);
        }
    }

    // ------------------------------------------------------------------------------ softmax

    @ParameterizedTest
    @MethodSource("kernels")
    void softmaxForwardAndBackwardMatchDoubleReference(FloatKernels k) {
        Random rnd = new Random(1234);
        int[][] shapes = {{1}, {7}, {16}, {1000}, {5, 17}, {3, 4, 5}, {2, 33, 7}, {4, 10, 300}, {2, 3, 16, 16}, {64, 10}, {6, 5000}};
        for (int[] dims : shapes) {
            for (int dim = 0; dim < dims.length; dim++) {
                float[] v = KernelImplementations.uniform(rnd, numel(dims), 30f);
                if (v.length > 3) v[v.length / 2] = Float.NEGATIVE_INFINITY; // a masked-out logit
                float[] g = KernelImplementations.uniform(rnd, numel(dims), 2f);
                for (boolean log : new boolean[] {false, true}) checkSoftmax(k, dims, dim, log, v, g);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void softmaxOfAllMinusInfinityIsNaN(FloatKernels k) {
        float[] v = {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, 1f, 2f, 3f};
        for (boolean log : new boolean[] {false, true}) {
            Tensor out = Tensor.empty(Shape.of(2, 3), DType.FLOAT32, dev.ember.tensor.Device.CPU);
            CpuSoftmax.softmax(k, contiguous(new int[] {2, 3}, v), 1, log, out);
            float[] o = out.toFloatArray();
            for (int i = 0; i < 3; i++) assertTrue(Float.isNaN(o[i]), "row of -inf gives NaN, log=" + log);
            for (int i = 3; i < 6; i++) assertTrue(Float.isFinite(o[i]), "other rows are finite, log=" + log);
        }
    }

    private static void checkSoftmax(FloatKernels k, int[] dims, int dim, boolean log, float[] v, float[] g) {
        int len = dims[dim], inner = 1;
        for (int i = dim + 1; i < dims.length; i++) inner *= dims[i];
        int lines = v.length / len;
        double[] ref = new double[v.length], shift = new double[v.length];
        for (int line = 0; line < lines; line++) {
            int base = (line / inner) * len * inner + line % inner;
            double m = Double.NEGATIVE_INFINITY, sum = 0;
            for (int i = 0; i < len; i++) m = Math.max(m, v[base + i * inner]);
            for (int i = 0; i < len; i++) sum += Math.exp(v[base + i * inner] - m);
            for (int i = 0; i < len; i++) {
                double xv = v[base + i * inner];
                ref[base + i * inner] = log ? xv - m - Math.log(sum) : Math.exp(xv - m) / sum;
                shift[base + i * inner] = Math.abs(xv - m);
            }
        }
        Tensor out = Tensor.empty(Shape.of(dims), DType.FLOAT32, dev.ember.tensor.Device.CPU);
        CpuSoftmax.softmax(k, contiguous(dims, v), dim, log, out);
        float[] got = out.toFloatArray();
        String label = (log ? "logSoftmax " : "softmax ") + Shape.of(dims) + " dim " + dim;
        for (int i = 0; i < v.length; i++) {
            // x - max is rounded to float (as in PyTorch), which costs e^(x - max) about |x - max| * 2^-24 relative.
            if (Double.isInfinite(shift[i])) { // a -inf logit: probability 0, log-probability -inf
                assertEquals(log ? Float.NEGATIVE_INFINITY : 0f, got[i], 0f, label + " at " + i);
                continue;
            }
            double tol = log ? 2e-6 * Math.max(1, Math.abs(ref[i])) : (2e-6 + 6e-8 * shift[i]) * ref[i] + 1e-30;
            assertEquals(ref[i], got[i], tol, label + " at " + i);
        }
        // Backward at the float forward output y.
        double[] gradRef = new double[v.length], gradTol = new double[v.length];
        for (int line = 0; line < lines; line++) {
            int base = (line / inner) * len * inner + line % inner;
            double dot = 0, absDot = 0;
            for (int i = 0; i < len; i++) {
                int q = base + i * inner;
                dot += log ? g[q] : (double) g[q] * got[q];
                absDot += log ? Math.abs(g[q]) : Math.abs((double) g[q] * got[q]);
            }
            for (int i = 0; i < len; i++) {
                int q = base + i * inner;
                double yv = got[q];
                gradRef[q] = log ? g[q] - Math.exp(yv) * dot : yv * (g[q] - dot);
                gradTol[q] = log ? 2e-6 * (Math.abs(g[q]) + Math.exp(yv) * absDot) : 2e-6 * Math.abs(yv) * (Math.abs(g[q]) + absDot);
            }
        }
        Tensor grad = Tensor.empty(Shape.of(dims), DType.FLOAT32, dev.ember.tensor.Device.CPU);
        CpuSoftmax.softmaxBackward(k, contiguous(dims, g), out, dim, log, grad);
        float[] gg = grad.toFloatArray();
        for (int i = 0; i < v.length; i++) {
            if (Double.isNaN(gradRef[i])) assertTrue(Float.isNaN(gg[i]), label + " backward at " + i);
            else assertEquals(gradRef[i], gg[i], gradTol[i] + 1e-30, label + " backward at " + i);
        }
    }

    // ------------------------------------------------------------------------------ tensors

    private static int numel(int[] dims) {
        int n = 1;
        for (int d : dims) n *= d;
        return n;
    }

    static Tensor contiguous(int[] dims, float[] values) {
        return TensorAccess.make(HeapStorage.wrap(values), Shape.of(dims));
    }

    static Tensor outputFor(Tensor x, boolean[] flags) {
        int[] keep = TensorAccess.dims(x).clone();
        for (int i = 0; i < keep.length; i++) if (flags[i]) keep[i] = 1;
        return Tensor.empty(Shape.of(keep), DType.FLOAT32, dev.ember.tensor.Device.CPU);
    }

    /**
     * The logical tensor {@code values} (row-major over dims) stored in a random physical layout: dims
     * permuted, elements spread apart (stride multiple 1 or 2) and shifted by an offset.
     */
    static Tensor randomLayout(Random rnd, int[] dims, float[] values) {
        int rank = dims.length;
        int[] perm = new int[rank];
        for (int i = 0; i < rank; i++) perm[i] = i;
        for (int i = rank - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int spread = 1 + rnd.nextInt(2), offset = rnd.nextInt(4);
        int[] strides = new int[rank];
        int s = spread;
        for (int j = rank - 1; j >= 0; j--) {
            strides[perm[j]] = s;
            s *= dims[perm[j]];
        }
        float[] storage = new float[offset + s + 1];
        java.util.Arrays.fill(storage, Float.NaN); // gaps must never be read
        int[] idx = new int[rank];
        for (int e = 0; e < values.length; e++) {
            int rem = e, pos = offset;
            for (int i = rank - 1; i >= 0; i--) {
                idx[i] = rem % dims[i];
                rem /= dims[i];
            }
            for (int i = 0; i < rank; i++) pos += idx[i] * strides[i];
            storage[pos] = values[e];
        }
        return TensorAccess.make(HeapStorage.wrap(storage), Shape.of(dims), strides, offset);
    }
}
