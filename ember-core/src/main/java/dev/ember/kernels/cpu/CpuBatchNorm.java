package dev.ember.kernels.cpu;

import dev.ember.tensor.Tensor;

/**
 * Training-mode batch normalisation over FLOAT32 [N, C, S] (S = H*W for images), channel by channel in
 * parallel: two read passes for the statistics (mean, then the squared deviations, so the variance
 * does not cancel catastrophically), one pass for the output; the backward reads g and x once for the
 * two channel sums and once more to write the input gradient. Sums run in float over one row of S
 * (the SIMD kernels' vector accumulators; scalar float reductions do not vectorise) and in double
 * across rows.
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
                for (int i = 0; i < n; i++) sum += Simd.FLOAT.sum(xa, xo + (i * c + ch) * s, 1, s);
                float m = (float) (sum / count);
                double sq = 0;
                for (int i = 0; i < n; i++) sq += Simd.FLOAT.squaredDeviations(xa, xo + (i * c + ch) * s, s, m);
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
                    Simd.FLOAT.scaleShift(xa, xb, oa, ob, s, scale, shift);
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
                    sumG += Simd.FLOAT.sum(ga, go + b, 1, s);
                    sumGX += Simd.FLOAT.dotCentered(ga, go + b, xa, xo + b, s, m);
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
                        Simd.FLOAT.batchNormInputGrad(ga, go + b, xa, xo + b, gxa, gxo + b, s, k, meanG, m, xhatScale);
                    }
                }
            }
        });
    }
}
