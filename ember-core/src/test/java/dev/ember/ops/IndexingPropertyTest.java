package dev.ember.ops;

import dev.ember.kernels.cpu.Parallel;
import dev.ember.tensor.DType;
import dev.ember.tensor.Generator;
import dev.ember.tensor.PadMode;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Seeded random trials comparing the indexing and shape kernels with plain reference loops, on
 * random ranks, dims, non-contiguous inputs and (for the parallel paths) large float32 tensors.
 */
class IndexingPropertyTest {
    // ------------------------------------------------------------------ reference helpers

    /** Row-major coordinates of flat position {@code p} in {@code shape}. */
    static int[] coords(int p, int[] shape) {
        int[] c = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            c[d] = p % shape[d];
            p /= shape[d];
        }
        return c;
    }

    /** Row-major flat position of {@code c} in {@code shape}. */
    static int flat(int[] c, int[] shape) {
        int p = 0;
        for (int d = 0; d < shape.length; d++) p = p * shape[d] + c[d];
        return p;
    }

    static int[] randomShape(Random r, int rank, int max) {
        int[] s = new int[rank];
        for (int i = 0; i < rank; i++) s[i] = 1 + r.nextInt(max);
        return s;
    }

    /** A float64 tensor with shape {@code shape} whose memory is laid out transposed (a non-contiguous view). */
    static Tensor maybeStrided(Random r, Generator g, int[] shape) {
        if (shape.length < 2 || r.nextBoolean()) return Tensor.randn(g, Shape.of(shape), DType.FLOAT64);
        int[] rev = new int[shape.length], perm = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            rev[i] = shape[shape.length - 1 - i];
            perm[i] = shape.length - 1 - i;
        }
        return Tensor.randn(g, Shape.of(rev), DType.FLOAT64).permute(perm);
    }

    static Tensor randomIndex(Random r, int bound, int[] shape) {
        int n = 1;
        for (int s : shape) n *= s;
        long[] v = new long[n];
        for (int i = 0; i < n; i++) v[i] = r.nextInt(bound);
        return Tensor.of(v, shape);
    }

    // ------------------------------------------------------------------ gather / scatter

    @Test
    void gatherAndScatterMatchReferenceLoops() {
        Random r = new Random(7);
        Generator g = new Generator(7);
        for (int trial = 0; trial < 200; trial++) {
            int rank = 1 + r.nextInt(4);
            int[] xs = randomShape(r, rank, 5);
            int dim = r.nextInt(rank);
            int[] is = new int[rank];
            for (int d = 0; d < rank; d++) is[d] = d == dim ? r.nextInt(7) : 1 + r.nextInt(xs[d]);
            Tensor x = maybeStrided(r, g, xs);
            Tensor index = randomIndex(r, xs[dim], is);
            if (r.nextBoolean()) index = index.to(DType.INT32);
            int negDim = r.nextBoolean() ? dim : dim - rank;
            double[] xv = x.toDoubleArray();
            long[] iv = index.toLongArray();
            int n = iv.length;

            double[] gathered = new double[n];
            for (int p = 0; p < n; p++) {
                int[] c = coords(p, is);
                c[dim] = (int) iv[p];
                gathered[p] = xv[flat(c, xs)];
            }
            assertArrayEquals(gathered, x.gather(negDim, index).toDoubleArray(), 0, "gather trial " + trial);

            Tensor src = maybeStrided(r, g, is);
            double[] sv = src.toDoubleArray();
            double[] added = xv.clone(), written = xv.clone();
            for (int p = 0; p < n; p++) { // index order: the last colliding write wins
                int[] c = coords(p, is);
                c[dim] = (int) iv[p];
                added[flat(c, xs)] += sv[p];
                written[flat(c, xs)] = sv[p];
            }
            assertArrayEquals(added, x.scatterAdd(negDim, index, src).toDoubleArray(), 1e-12, "scatterAdd trial " + trial);
            assertArrayEquals(written, x.scatter(negDim, index, src).toDoubleArray(), 0, "scatter trial " + trial);
        }
    }

    @Test
    void indexSelectAndIndexAddMatchReferenceLoops() {
        Random r = new Random(11);
        Generator g = new Generator(11);
        for (int trial = 0; trial < 100; trial++) {
            int rank = 1 + r.nextInt(4);
            int[] xs = randomShape(r, rank, 5);
            int dim = r.nextInt(rank);
            Tensor x = maybeStrided(r, g, xs);
            Tensor index = randomIndex(r, xs[dim], new int[] {r.nextInt(7)});
            int[] os = xs.clone();
            os[dim] = index.numel();
            double[] xv = x.toDoubleArray();
            long[] iv = index.toLongArray();
            double[] selected = new double[Shape.of(os).numel()];
            for (int p = 0; p < selected.length; p++) {
                int[] c = coords(p, os);
                c[dim] = (int) iv[c[dim]];
                selected[p] = xv[flat(c, xs)];
            }
            assertArrayEquals(selected, x.indexSelect(dim, index).toDoubleArray(), 0, "indexSelect trial " + trial);

            Tensor src = maybeStrided(r, g, os);
            double[] sv = src.toDoubleArray(), added = xv.clone();
            for (int p = 0; p < sv.length; p++) {
                int[] c = coords(p, os);
                c[dim] = (int) iv[c[dim]];
                added[flat(c, xs)] += sv[p];
            }
            assertArrayEquals(added, x.indexAdd(dim, index, src).toDoubleArray(), 1e-12, "indexAdd trial " + trial);
        }
    }

    /**
     * Large float32 scatterAdd runs on several threads. Each output element must still receive its
     * additions in index order, so the float result equals a serial float loop bit for bit and does not
     * depend on the thread count.
     */
    @Test
    void largeScatterAddIsExactAndThreadCountIndependent() {
        Random r = new Random(3);
        int[][] selfShapes = {{512, 256}, {64, 4096}, {1000}, {8, 300, 40}};
        int[][] indexShapes = {{2048, 256}, {64, 8192}, {200_000}, {8, 900, 40}};
        int[] dims = {0, 1, 0, 1};
        int threads = Parallel.threads();
        try {
            for (int t = 0; t < dims.length; t++) {
                int[] ss = selfShapes[t], is = indexShapes[t];
                int dim = dims[t];
                Tensor self = Tensor.rand(new Generator(t), Shape.of(ss), DType.FLOAT32);
                Tensor src = Tensor.rand(new Generator(100 + t), Shape.of(is), DType.FLOAT32);
                Tensor index = randomIndex(r, ss[dim], is);
                float[] expected = self.toFloatArray(), sv = src.toFloatArray();
                long[] iv = index.toLongArray();
                for (int p = 0; p < iv.length; p++) {
                    int[] c = coords(p, is);
                    c[dim] = (int) iv[p];
                    expected[flat(c, ss)] += sv[p];
                }
                Parallel.setThreads(Math.max(2, threads));
                float[] parallel = self.scatterAdd(dim, index, src).toFloatArray();
                Parallel.setThreads(1);
                float[] serial = self.scatterAdd(dim, index, src).toFloatArray();
                assertArrayEquals(expected, parallel, "scatterAdd " + java.util.Arrays.toString(is) + " on several threads");
                assertArrayEquals(serial, parallel, "scatterAdd " + java.util.Arrays.toString(is) + ": 1 thread vs several");
            }
        } finally {
            Parallel.setThreads(threads);
        }
    }

    @Test
    void largeEmbeddingLookupAndItsGradient() {
        Random r = new Random(5);
        Tensor weight = Tensor.randn(new Generator(5), Shape.of(1000, 64), DType.FLOAT32).requiresGrad(true);
        Tensor tokens = randomIndex(r, 1000, new int[] {40, 128});
        Tensor out = weight.index(tokens); // [40, 128, 64]
        assertEquals(Shape.of(40, 128, 64), out.shape());
        float[] w = weight.toFloatArray(), o = out.toFloatArray();
        long[] tv = tokens.toLongArray();
        for (int p = 0; p < tv.length; p++) {
            for (int j = 0; j < 64; j++) assertEquals(w[(int) tv[p] * 64 + j], o[p * 64 + j], 0, "row " + p);
        }
        Tensor upstream = Tensor.rand(new Generator(6), out.shape(), DType.FLOAT32);
        out.backward(upstream);
        float[] expected = new float[1000 * 64], u = upstream.toFloatArray();
        for (int p = 0; p < tv.length; p++) {
            for (int j = 0; j < 64; j++) expected[(int) tv[p] * 64 + j] += u[p * 64 + j];
        }
        assertArrayEquals(expected, weight.grad().toFloatArray(), "embedding gradient (indexAdd rows in index order)");
    }

    // ------------------------------------------------------------------ pad, flip, triangles, cat/split, repeat

    static int padSource(int o, int before, int n, PadMode mode) {
        int i = o - before;
        return switch (mode) {
            case CONSTANT -> i >= 0 && i < n ? i : -1;
            case REPLICATE -> Math.max(0, Math.min(n - 1, i));
            case REFLECT -> i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i;
        };
    }

    @Test
    void padAndItsGradientMatchReferenceLoops() {
        Random r = new Random(13);
        Generator g = new Generator(13);
        for (int trial = 0; trial < 150; trial++) {
            PadMode mode = PadMode.values()[trial % 3];
            int rank = 1 + r.nextInt(4);
            int[] xs = randomShape(r, rank, 5);
            int pairs = 1 + r.nextInt(rank);
            int[] pads = new int[2 * pairs], before = new int[rank], os = xs.clone();
            for (int i = 0; i < pairs; i++) {
                int d = rank - 1 - i, n = xs[d];
                for (int k = 0; k < 2; k++) {
                    int p = switch (mode) {
                        case REFLECT -> r.nextInt(n); // must stay below n
                        case REPLICATE -> r.nextInt(5);
                        case CONSTANT -> r.nextInt(5) - Math.min(n / 2, 2); // some crops
                    };
                    pads[2 * i + k] = p;
                    os[d] += p;
                }
                before[d] = pads[2 * i];
            }
            double value = mode == PadMode.CONSTANT ? r.nextGaussian() : 0;
            Tensor x = maybeStrided(r, g, xs).requiresGrad(true);
            Tensor y = mode == PadMode.CONSTANT ? x.pad(pads, value) : x.pad(pads, mode);
            double[] xv = x.toDoubleArray(), expected = new double[Shape.of(os).numel()];
            Tensor w = Tensor.randn(g, Shape.of(os), DType.FLOAT64);
            double[] wv = w.toDoubleArray(), grad = new double[xv.length];
            for (int p = 0; p < expected.length; p++) {
                int[] c = coords(p, os);
                boolean border = false;
                for (int d = 0; d < rank; d++) {
                    c[d] = padSource(c[d], before[d], xs[d], mode);
                    border |= c[d] < 0;
                }
                expected[p] = border ? value : xv[flat(c, xs)];
                if (!border) grad[flat(c, xs)] += wv[p];
            }
            String what = mode + " pad " + java.util.Arrays.toString(pads) + " of " + java.util.Arrays.toString(xs);
            assertArrayEquals(expected, y.toDoubleArray(), 0, what);
            y.mul(w).sum().backward();
            assertArrayEquals(grad, x.grad().toDoubleArray(), 1e-12, what + " gradient");
        }
    }

    @Test
    void largeReflectPadGradientOnSeveralThreads() {
        Tensor x = Tensor.rand(new Generator(1), Shape.of(8, 16, 48, 40), DType.FLOAT32).requiresGrad(true);
        Tensor w = Tensor.rand(new Generator(2), Shape.of(8, 16, 54, 46), DType.FLOAT32);
        x.pad(new int[] {3, 3, 3, 3}, PadMode.REFLECT).mul(w).sum().backward();
        float[] wv = w.toFloatArray(), expected = new float[x.numel()];
        int[] os = {8, 16, 54, 46}, xs = {8, 16, 48, 40};
        for (int p = 0; p < wv.length; p++) { // same order as the kernel: rows, then along the row
            int[] c = coords(p, os);
            c[2] = padSource(c[2], 3, 48, PadMode.REFLECT);
            c[3] = padSource(c[3], 3, 40, PadMode.REFLECT);
            expected[flat(c, xs)] += wv[p];
        }
        assertArrayEquals(expected, x.grad().toFloatArray(), "reflect pad gradient");
    }

    @Test
    void flipTrianglesAndRepeatMatchReferenceLoops() {
        Random r = new Random(17);
        Generator g = new Generator(17);
        for (int trial = 0; trial < 100; trial++) {
            int rank = 1 + r.nextInt(4);
            int[] xs = randomShape(r, rank, 5);
            Tensor x = maybeStrided(r, g, xs);
            double[] xv = x.toDoubleArray();
            List<Integer> dims = new ArrayList<>();
            for (int d = 0; d < rank; d++) if (r.nextBoolean()) dims.add(r.nextBoolean() ? d : d - rank);
            double[] flipped = new double[xv.length];
            for (int p = 0; p < xv.length; p++) {
                int[] c = coords(p, xs);
                for (int d : dims) {
                    int dd = d < 0 ? d + rank : d;
                    c[dd] = xs[dd] - 1 - c[dd];
                }
                flipped[p] = xv[flat(c, xs)];
            }
            assertArrayEquals(flipped, x.flip(dims.stream().mapToInt(Integer::intValue).toArray()).toDoubleArray(), 0, "flip " + dims);

            int[] reps = new int[rank + r.nextInt(2)];
            int lead = reps.length - rank;
            int[] rs = new int[reps.length];
            for (int d = 0; d < reps.length; d++) {
                reps[d] = r.nextInt(3);
                rs[d] = reps[d] * (d < lead ? 1 : xs[d - lead]);
            }
            double[] repeated = new double[Shape.of(rs).numel()];
            for (int p = 0; p < repeated.length; p++) {
                int[] c = coords(p, rs), src = new int[rank];
                for (int d = 0; d < rank; d++) src[d] = c[d + lead] % xs[d];
                repeated[p] = xv[flat(src, xs)];
            }
            assertArrayEquals(repeated, x.repeat(reps).toDoubleArray(), 0, "repeat " + java.util.Arrays.toString(reps));

            if (rank < 2) continue;
            int k = r.nextInt(9) - 4;
            double[] lower = new double[xv.length], upper = new double[xv.length];
            for (int p = 0; p < xv.length; p++) {
                int[] c = coords(p, xs);
                int i = c[rank - 2], j = c[rank - 1];
                lower[p] = j - i <= k ? xv[p] : 0;
                upper[p] = j - i >= k ? xv[p] : 0;
            }
            assertArrayEquals(lower, x.tril(k).toDoubleArray(), 0, "tril " + k);
            assertArrayEquals(upper, x.triu(k).toDoubleArray(), 0, "triu " + k);
        }
    }

    @Test
    void splitThenCatIsTheIdentity() {
        Random r = new Random(19);
        Generator g = new Generator(19);
        for (int trial = 0; trial < 100; trial++) {
            int rank = 1 + r.nextInt(4);
            int[] xs = randomShape(r, rank, 6);
            Tensor x = maybeStrided(r, g, xs);
            int dim = r.nextInt(rank);
            List<Tensor> pieces = switch (trial % 3) {
                case 0 -> x.split(1 + r.nextInt(xs[dim]), dim);
                case 1 -> x.chunk(1 + r.nextInt(4), dim - rank);
                default -> {
                    int a = r.nextInt(xs[dim] + 1);
                    yield x.split(new int[] {a, 0, xs[dim] - a}, dim);
                }
            };
            assertArrayEquals(x.toDoubleArray(), Tensor.cat(pieces, dim).toDoubleArray(), 0, "cat(split(x)) trial " + trial);
            if (rank < 4) {
                Tensor stacked = Tensor.stack(pieces.subList(0, 1), rank);
                assertArrayEquals(pieces.get(0).toDoubleArray(), stacked.toDoubleArray(), 0);
            }
        }
    }
}
