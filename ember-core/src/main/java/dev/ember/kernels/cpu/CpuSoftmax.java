package dev.ember.kernels.cpu;

import dev.ember.tensor.Tensor;
import dev.ember.tensor.TensorAccess;

import static dev.ember.kernels.cpu.CpuElementwise.data;
import static dev.ember.kernels.cpu.CpuElementwise.getD;
import static dev.ember.kernels.cpu.CpuElementwise.setD;

/**
 * Softmax and log-softmax (forward and backward) on the CPU, for contiguous tensors. A tensor is
 * viewed as [outer, len, inner] around the softmax dimension. FLOAT32 with inner == 1 runs one
 * {@link FloatKernels#softmaxRow} per row; with inner > 1, {@link FloatKernels#softmaxColumns} over
 * blocks of up to {@link #COLUMNS} adjacent inner positions, one softmax per vector lane. Other
 * dtypes use double loops.
 */
final class CpuSoftmax {
    /** Inner positions handled by one column task. */
    static final int COLUMNS = 256;
    /** Elements below which softmax stays on one thread (each element costs an exp and three passes). */
    static final int GRAIN = CpuElementwise.GRAIN_TRANSCENDENTAL;

    private CpuSoftmax() {
    }

    /** [outer, len, inner] around dim. */
    private record Geometry(int outer, int len, int inner) {
        static Geometry of(Tensor t, int dim) {
            int[] dims = TensorAccess.dims(t);
            int inner = 1, outer = 1;
            for (int i = dim + 1; i < dims.length; i++) inner *= dims[i];
            for (int i = 0; i < dim; i++) outer *= dims[i];
            return new Geometry(outer, dims[dim], inner);
        }

        int columnBlocks() {
            return (inner + COLUMNS - 1) / COLUMNS;
        }

        int grain(int perTask) {
            return Math.max(1, GRAIN / Math.max(1, perTask));
        }
    }

    static void softmax(Tensor x, int dim, boolean log, Tensor out) {
        softmax(Simd.FLOAT, x, dim, log, out);
    }

    static void softmax(FloatKernels k, Tensor x, int dim, boolean log, Tensor out) {
        Geometry g = Geometry.of(x, dim);
        int len = g.len(), inner = g.inner();
        if (len == 0 || g.outer() == 0 || inner == 0) return;
        Object xa = data(x), oa = data(out);
        int xo = x.offset(), oo = out.offset();
        if (xa instanceof float[] xf && oa instanceof float[] of) {
            if (inner == 1) {
                Parallel.forRange(g.outer(), g.grain(len), (s, e) -> {
                    for (int r = s; r < e; r++) k.softmaxRow(xf, xo + r * len, of, oo + r * len, len, log);
                });
            } else {
                int blocks = g.columnBlocks();
                Parallel.forRange(g.outer() * blocks, g.grain(len * Math.min(inner, COLUMNS)), (s, e) -> {
                    for (int t = s; t < e; t++) {
                        int j0 = (t % blocks) * COLUMNS, base = (t / blocks) * len * inner + j0;
                        k.softmaxColumns(xf, xo + base, of, oo + base, len, inner, Math.min(COLUMNS, inner - j0), log);
                    }
                });
            }
            return;
        }
        Parallel.forRange(g.outer() * inner, g.grain(4 * len), (s, e) -> {
            for (int r = s; r < e; r++) {
                int base = (r / inner) * len * inner + r % inner;
                double m = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < len; i++) m = Math.max(m, getD(xa, xo + base + i * inner));
                if (m == Double.NEGATIVE_INFINITY) m = 0;
                double sum = 0;
                for (int i = 0; i < len; i++) sum += Math.exp(getD(xa, xo + base + i * inner) - m);
                double logSum = Math.log(sum);
                for (int i = 0; i < len; i++) {
                    double v = getD(xa, xo + base + i * inner);
                    setD(oa, oo + base + i * inner, log ? (v - m) - logSum : Math.exp(v - m) / sum);
                }
            }
        });
    }

    static void softmaxBackward(Tensor g, Tensor y, int dim, boolean log, Tensor out) {
        softmaxBackward(Simd.FLOAT, g, y, dim, log, out);
    }

    /** softmax: {@code y * (g - sum(g * y))}; log-softmax: {@code g - exp(y) * sum(g)}; all contiguous. */
    static void softmaxBackward(FloatKernels k, Tensor g, Tensor y, int dim, boolean log, Tensor out) {
        Geometry geo = Geometry.of(y, dim);
        int len = geo.len(), inner = geo.inner();
        if (len == 0 || geo.outer() == 0 || inner == 0) return;
        Object ga = data(g), ya = data(y), oa = data(out);
        int go = g.offset(), yo = y.offset(), oo = out.offset();
        if (ga instanceof float[] gf && ya instanceof float[] yf && oa instanceof float[] of) {
            if (inner == 1) {
                Parallel.forRange(geo.outer(), geo.grain(len), (s, e) -> {
                    for (int r = s; r < e; r++) k.softmaxBackwardRow(gf, go + r * len, yf, yo + r * len, of, oo + r * len, len, log);
                });
            } else {
                int blocks = geo.columnBlocks();
                Parallel.forRange(geo.outer() * blocks, geo.grain(len * Math.min(inner, COLUMNS)), (s, e) -> {
                    for (int t = s; t < e; t++) {
                        int j0 = (t % blocks) * COLUMNS, base = (t / blocks) * len * inner + j0;
                        k.softmaxBackwardColumns(gf, go + base, yf, yo + base, of, oo + base, len, inner,
                                Math.min(COLUMNS, inner - j0), log);
                    }
                });
            }
            return;
        }
        Parallel.forRange(geo.outer() * inner, geo.grain(4 * len), (s, e) -> {
            for (int r = s; r < e; r++) {
                int base = (r / inner) * len * inner + r % inner;
                double dot = 0;
                for (int i = 0; i < len; i++) {
                    int q = base + i * inner;
                    dot += log ? getD(ga, go + q) : getD(ga, go + q) * getD(ya, yo + q);
                }
                for (int i = 0; i < len; i++) {
                    int q = base + i * inner;
                    double gv = getD(ga, go + q), yv = getD(ya, yo + q);
                    setD(oa, oo + q, log ? gv - Math.exp(yv) * dot : yv * (gv - dot));
                }
            }
        });
    }
}
