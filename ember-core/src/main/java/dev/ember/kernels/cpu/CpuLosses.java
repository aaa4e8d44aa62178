package dev.ember.kernels.cpu;

import dev.ember.kernels.IndexOutOfRange;
import dev.ember.tensor.Tensor;

import static dev.ember.kernels.cpu.CpuElementwise.data;
import static dev.ember.kernels.cpu.CpuElementwise.getD;
import static dev.ember.kernels.cpu.CpuElementwise.getL;
import static dev.ember.kernels.cpu.CpuElementwise.setD;

/**
 * The fused softmax cross-entropy on the CPU (see {@link dev.ember.kernels.Backend#crossEntropy}).
 * Logits are contiguous [M, C]; rows are independent, so threads take ranges of rows. FLOAT32 rows
 * run the {@link FloatKernels} row loops (Vector API when present); FLOAT64 uses double loops.
 *
 * <p>Per row with target t and smoothing eps, writing lse = log sum_j e^x[j]:
 * loss = lse - (1 - eps) x[t] - eps/C sum_j x[j] (which is (1 - eps) (-log p_t) + eps/C sum_j (-log p_j)),
 * gradient = scale (e^(x[j] - lse) - eps/C - (1 - eps) [j == t]).
 */
final class CpuLosses {
    /** Elements below which the loss stays on one thread (each element costs an exp and two or three passes). */
    static final int GRAIN = CpuElementwise.GRAIN_TRANSCENDENTAL;

    private CpuLosses() {
    }

    private static int grain(int c) {
        return Math.max(1, GRAIN / Math.max(1, c));
    }

    static int crossEntropy(Tensor x, Tensor target, long ignoreIndex, double eps, Tensor rowLoss, Tensor lse) {
        int m = x.size(0), c = x.size(1);
        Object ta = data(target);
        int to = target.offset(), ts = target.stride(0);
        int counted = 0;
        for (int r = 0; r < m; r++) { // checked up front (and in order) so a bad target fails before any work
            long t = getL(ta, to + r * ts);
            if (t == ignoreIndex) continue;
            if (t < 0 || t >= c) throw new IndexOutOfRange(t, 1, c);
            counted++;
        }
        Object xa = data(x), la = data(rowLoss), sa = data(lse);
        int xo = x.offset(), lo = rowLoss.offset(), so = lse.offset();
        double keep = 1 - eps, spread = eps / c;
        if (xa instanceof float[] xf && la instanceof float[] lf && sa instanceof float[] sf) {
            FloatKernels k = Simd.FLOAT;
            Parallel.forRange(m, grain(c), (s, e) -> {
                for (int r = s; r < e; r++) {
                    long t = getL(ta, to + r * ts);
                    if (t == ignoreIndex) {
                        lf[lo + r] = 0f;
                        sf[so + r] = 0f;
                        continue;
                    }
                    int base = xo + r * c;
                    double l = k.logSumExpRow(xf, base, c);
                    double v = l - keep * xf[base + (int) t];
                    if (eps != 0) v -= spread * k.sum(xf, base, 1, c);
                    lf[lo + r] = (float) v;
                    sf[so + r] = (float) l;
                }
            });
            return counted;
        }
        Parallel.forRange(m, grain(4 * c), (s, e) -> {
            for (int r = s; r < e; r++) {
                long t = getL(ta, to + r * ts);
                if (t == ignoreIndex) {
                    setD(la, lo + r, 0);
                    setD(sa, so + r, 0);
                    continue;
                }
                int base = xo + r * c;
                double mx = Double.NEGATIVE_INFINITY, sumX = 0;
                for (int j = 0; j < c; j++) {
                    double v = getD(xa, base + j);
                    mx = v > mx || v != v ? v : mx; // NaN sticks
                    sumX += v;
                }
                double l;
                if (mx == Double.NEGATIVE_INFINITY) {
                    l = Double.NEGATIVE_INFINITY;
                } else {
                    double sum = 0;
                    for (int j = 0; j < c; j++) sum += Math.exp(getD(xa, base + j) - mx);
                    l = mx + Math.log(sum);
                }
                double v = l - keep * getD(xa, base + (int) t);
                if (eps != 0) v -= spread * sumX;
                setD(la, lo + r, v);
                setD(sa, so + r, l);
            }
        });
        return counted;
    }

    static void crossEntropyBackward(Tensor x, Tensor target, Tensor lse, Tensor rowGrad, long ignoreIndex, double eps, Tensor grad) {
        int m = x.size(0), c = x.size(1);
        Object ta = data(target), xa = data(x), sa = data(lse), ra = data(rowGrad), ga = data(grad);
        int to = target.offset(), ts = target.stride(0), xo = x.offset(), so = lse.offset(), ro = rowGrad.offset(),
                rs = rowGrad.stride(0), go = grad.offset();
        double keep = 1 - eps, spread = eps / c;
        if (xa instanceof float[] xf && sa instanceof float[] sf && ga instanceof float[] gf) {
            FloatKernels k = Simd.FLOAT;
            Parallel.forRange(m, grain(c), (s, e) -> {
                for (int r = s; r < e; r++) {
                    long t = getL(ta, to + r * ts);
                    int gb = go + r * c;
                    if (t == ignoreIndex) {
                        k.fill(gf, gb, 1, c, 0f);
                        continue;
                    }
                    float scale = (float) getD(ra, ro + r * rs);
                    k.crossEntropyGradRow(xf, xo + r * c, sf[so + r], scale, (float) spread, gf, gb, c);
                    gf[gb + (int) t] -= (float) (keep * scale);
                }
            });
            return;
        }
        Parallel.forRange(m, grain(4 * c), (s, e) -> {
            for (int r = s; r < e; r++) {
                long t = getL(ta, to + r * ts);
                int gb = go + r * c, xb = xo + r * c;
                if (t == ignoreIndex) {
                    for (int j = 0; j < c; j++) setD(ga, gb + j, 0);
                    continue;
                }
                double scale = getD(ra, ro + r * rs), l = getD(sa, so + r);
                for (int j = 0; j < c; j++) setD(ga, gb + j, scale * (Math.exp(getD(xa, xb + j) - l) - spread));
                setD(ga, gb + (int) t, getD(ga, gb + (int) t) - keep * scale);
            }
        });
    }
}
