package dev.ember.kernels.cpu;

import dev.ember.tensor.Tensor;

/**
 * Training-mode batch normalisation over FLOAT32 [N, C, S] (S = H*W for images), channel by channel in
 * parallel: two read passes for the statistics (mean, then the squared deviations, so the variance
 * does not cancel catastrophically), one pass for the output; the backward reads g and x once for the
 * two channel sums and once more to write the input gradient. Sums run in float over one row of S
 * (four accumulators) and in double across rows.
 */
final class CpuBatchNorm {
    private CpuBatchNorm() {
    }

    private static float[] f(Tensor t) {
        return (float[]) CpuElementwise.data(t);
    }

    private static int grain(int perChannel) {
        return Math.max(1, (1 << 15) / Math.max(1, perChannel));
    }

    static void stats(Tensor x, Tensor mean, Tensor var) {
        int n = x.size(0), c = x.size(1), s = x.numel() / Math.max(1, n * c);
        float[] xa = f(x), ma = f(mean), va = f(var);
        int xo = x.offset(), mo = mean.offset(), vo = var.offset();
        long count = (long) n * s;
        Parallel.forRange(c, grain(n * s), (c0, c1) -> {
            for (int ch = c0; ch < c1; ch++) {
                double sum = 0;
                for (int i = 0; i < n; i++) sum += sum(xa, xo + (i * c + ch) * s, s);
                float m = (float) (sum / count);
                double sq = 0;
                for (int i = 0; i < n; i++) sq += squaredDeviations(xa, xo + (i * c + ch) * s, s, m);
                ma[mo + ch] = m;
                va[vo + ch] = (float) (sq / count);
            }
        });
    }

    static void forward(Tensor x, Tensor mean, Tensor invstd, Tensor weight, Tensor bias, Tensor out) {
        int n = x.size(0), c = x.size(1), s = x.numel() / Math.max(1, n * c);
        float[] xa = f(x), ma = f(mean), ia = f(invstd), oa = f(out);
        float[] wa = weight == null ? null : f(weight), ba = bias == null ? null : f(bias);
        int xo = x.offset(), oo = out.offset(), mo = mean.offset(), io = invstd.offset();
        int wo = weight == null ? 0 : weight.offset(), bo = bias == null ? 0 : bias.offset();
        Parallel.forRange(c, grain(n * s), (c0, c1) -> {
            for (int ch = c0; ch < c1; ch++) {
                float scale = ia[io + ch] * (wa == null ? 1f : wa[wo + ch]);
                float shift = (ba == null ? 0f : ba[bo + ch]) - ma[mo + ch] * scale;
                for (int i = 0; i < n; i++) {
                    int xb = xo + (i * c + ch) * s, ob = oo + (i * c + ch) * s;
                    for (int k = 0; k < s; k++) oa[ob + k] = xa[xb + k] * scale + shift;
                }
            }
        });
    }

    static void backward(Tensor g, Tensor x, Tensor mean, Tensor invstd, Tensor weight, Tensor gradX, Tensor gradWeight,
                         Tensor gradBias) {
        int n = x.size(0), c = x.size(1), s = x.numel() / Math.max(1, n * c);
        float[] ga = f(g), xa = f(x), ma = f(mean), ia = f(invstd), wa = weight == null ? null : f(weight);
        float[] gxa = gradX == null ? null : f(gradX), gwa = gradWeight == null ? null : f(gradWeight);
        float[] gba = gradBias == null ? null : f(gradBias);
        int go = g.offset(), xo = x.offset(), mo = mean.offset(), io = invstd.offset(), wo = weight == null ? 0 : weight.offset();
        int gxo = gradX == null ? 0 : gradX.offset(), gwo = gradWeight == null ? 0 : gradWeight.offset();
        int gbo = gradBias == null ? 0 : gradBias.offset();
        long count = (long) n * s;
        Parallel.forRange(c, grain(2 * n * s), (c0, c1) -> {
            for (int ch = c0; ch < c1; ch++) {
                float m = ma[mo + ch], inv = ia[io + ch];
                double sumG = 0, sumGX = 0;
                for (int i = 0; i < n; i++) {
                    int b = (i * c + ch) * s;
                    sumG += sum(ga, go + b, s);
                    sumGX += dotCentered(ga, go + b, xa, xo + b, s, m);
                }
                float dBias = (float) sumG, dWeight = (float) (sumGX * inv); // sum g * xhat
                if (gba != null) gba[gbo + ch] = dBias;
                if (gwa != null) gwa[gwo + ch] = dWeight;
                if (gxa != null) {
                    float w = wa == null ? 1f : wa[wo + ch];
                    float k = w * inv, meanG = (float) (sumG / count), xhatScale = (float) (dWeight / count) * inv;
                    // gradX = k * (g - meanG - (x - m) * inv * dWeight / M)
                    for (int i = 0; i < n; i++) {
                        int b = (i * c + ch) * s;
                        for (int q = 0; q < s; q++) {
                            gxa[gxo + b + q] = k * (ga[go + b + q] - meanG - (xa[xo + b + q] - m) * xhatScale);
                        }
                    }
                }
            }
        });
    }

    private static double sum(float[] a, int o, int len) {
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int k = 0;
        for (; k + 4 <= len; k += 4) {
            s0 += a[o + k];
            s1 += a[o + k + 1];
            s2 += a[o + k + 2];
            s3 += a[o + k + 3];
        }
        for (; k < len; k++) s0 += a[o + k];
        return (double) s0 + s1 + s2 + s3;
    }

    private static double squaredDeviations(float[] a, int o, int len, float m) {
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

    /** sum g * (x - m). */
    private static double dotCentered(float[] g, int go, float[] x, int xo, int len, float m) {
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
}
