package dev.ember.kernels.cpu;

import dev.ember.tensor.Tensor;

/**
 * Training-mode batch normalisation over FLOAT32 [N, C, S] (S = H*W for images), a range of channels per
 * thread: two read passes for the statistics (mean, then the squared deviations, so the variance
 * does not cancel catastrophically), one pass for the output; the backward reads g and x once for the
 * two channel sums and once more to write the input gradient. Sums run in float over one row of S
 * (the SIMD kernels' vector accumulators; scalar float reductions do not vectorise) and in double
 * across rows, image by image. Each pass walks memory in order (image by image, the thread's channels
 * within each), so a thread streams one contiguous block per image rather than one row of S floats per
 * (channel, image) strided C*S apart: the same additions in the same order per channel.
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
            int cs = c1 - c0;
            double[] sum = new double[cs], sq = new double[cs];
            float[] m = new float[cs];
            for (int i = 0; i < n; i++) {
                for (int ch = c0; ch < c1; ch++) sum[ch - c0] += Simd.FLOAT.sum(xa, xo + (i * c + ch) * s, 1, s);
            }
            for (int j = 0; j < cs; j++) m[j] = (float) (sum[j] / count);
            for (int i = 0; i < n; i++) {
                for (int ch = c0; ch < c1; ch++) sq[ch - c0] += Simd.FLOAT.squaredDeviations(xa, xo + (i * c + ch) * s, s, m[ch - c0]);
            }
            for (int j = 0; j < cs; j++) {
                ma[mo + c0 + j] = m[j];
                va[vo + c0 + j] = (float) (sq[j] / count);
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
            float[] scale = new float[c1 - c0], shift = new float[c1 - c0];
            for (int ch = c0; ch < c1; ch++) {
                scale[ch - c0] = ia[io + ch] * (wa == null ? 1f : wa[wo + ch]);
                shift[ch - c0] = (ba == null ? 0f : ba[bo + ch]) - ma[mo + ch] * scale[ch - c0];
            }
            for (int i = 0; i < n; i++) {
                for (int ch = c0; ch < c1; ch++) {
                    int b = (i * c + ch) * s;
                    Simd.FLOAT.scaleShift(xa, xo + b, oa, oo + b, s, scale[ch - c0], shift[ch - c0]);
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
            int cs = c1 - c0;
            double[] sumG = new double[cs], sumGX = new double[cs];
            for (int i = 0; i < n; i++) {
                for (int ch = c0; ch < c1; ch++) {
                    int b = (i * c + ch) * s;
                    sumG[ch - c0] += Simd.FLOAT.sum(ga, go + b, 1, s);
                    sumGX[ch - c0] += Simd.FLOAT.dotCentered(ga, go + b, xa, xo + b, s, ma[mo + ch]);
                }
            }
            float[] k = new float[cs], meanG = new float[cs], xhatScale = new float[cs];
            for (int ch = c0; ch < c1; ch++) {
                int j = ch - c0;
                float inv = ia[io + ch];
                float dBias = (float) sumG[j], dWeight = (float) (sumGX[j] * inv); // sum g * xhat
                if (gba != null) gba[gbo + ch] = dBias;
                if (gwa != null) gwa[gwo + ch] = dWeight;
                // gradX = k * (g - meanG - (x - m) * inv * dWeight / M)
                k[j] = (wa == null ? 1f : wa[wo + ch]) * inv;
                meanG[j] = (float) (sumG[j] / count);
                xhatScale[j] = (float) (dWeight / count) * inv;
            }
            if (gxa == null) return;
            for (int i = 0; i < n; i++) {
                for (int ch = c0; ch < c1; ch++) {
                    int b = (i * c + ch) * s, j = ch - c0;
                    Simd.FLOAT.batchNormInputGrad(ga, go + b, xa, xo + b, gxa, gxo + b, s, k[j], meanG[j], ma[mo + ch], xhatScale[j]);
                }
            }
        });
    }
}
