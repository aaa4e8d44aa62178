package dev.ember.data.transforms;

import dev.ember.data.Transform;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Tensor;

/**
 * With probability {@code p}, overwrites a random rectangle of a CHW tensor (torchvision's
 * {@code RandomErasing}, Zhong et al. 2017): its area is a {@code scale} fraction of the image and its
 * aspect ratio h/w lies in {@code ratio}. Use after {@link ToTensor} and {@link Normalize}. Returns a new
 * tensor; ten tries at a rectangle that fits, else the input unchanged.
 *
 * @param p probability of erasing
 * @param scaleMin smallest area fraction (default 0.02)
 * @param scaleMax largest area fraction (default 0.33)
 * @param ratioMin smallest aspect ratio (default 0.3)
 * @param ratioMax largest aspect ratio (default 3.3)
 * @param value fill value, or NaN to fill with standard normal noise (torchvision's {@code value="random"})
 */
public record RandomErasing(double p, double scaleMin, double scaleMax, double ratioMin, double ratioMax, double value)
        implements Transform<Tensor, Tensor> {
    public RandomErasing {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("RandomErasing: p must be in [0, 1], got " + p);
        if (!(scaleMin > 0 && scaleMin <= scaleMax && scaleMax <= 1)) {
            throw new IllegalArgumentException("RandomErasing: need 0 < scaleMin <= scaleMax <= 1, got " + scaleMin + ", " + scaleMax);
        }
        if (!(ratioMin > 0 && ratioMin <= ratioMax)) {
            throw new IllegalArgumentException("RandomErasing: need 0 < ratioMin <= ratioMax, got " + ratioMin + ", " + ratioMax);
        }
    }

    /** torchvision's defaults: p 0.5, scale (0.02, 0.33), ratio (0.3, 3.3), value 0. */
    public RandomErasing() {
        this(0.5, 0.02, 0.33, 0.3, 3.3, 0);
    }

    @Override
    public Tensor apply(Tensor x, Generator rng) {
        if (x.rank() != 3) throw new IllegalArgumentException("RandomErasing: expects a CHW tensor, got shape " + x.shape());
        if (rng.nextDouble() >= p) return x;
        int c = x.size(0), ih = x.size(1), iw = x.size(2);
        double area = (double) ih * iw, logMin = Math.log(ratioMin), logMax = Math.log(ratioMax);
        for (int attempt = 0; attempt < 10; attempt++) {
            double target = area * (scaleMin + (scaleMax - scaleMin) * rng.nextDouble());
            double aspect = Math.exp(logMin + (logMax - logMin) * rng.nextDouble());
            int h = (int) Math.rint(Math.sqrt(target * aspect));
            int w = (int) Math.rint(Math.sqrt(target / aspect));
            if (!(h < ih && w < iw) || h < 1 || w < 1) continue;
            int top = rng.nextInt(ih - h + 1), left = rng.nextInt(iw - w + 1);
            float[] out = x.toFloatArray();
            for (int ch = 0; ch < c; ch++) {
                for (int y = top; y < top + h; y++) {
                    int row = (ch * ih + y) * iw;
                    for (int xx = left; xx < left + w; xx++) {
                        out[row + xx] = Double.isNaN(value) ? (float) rng.nextGaussian() : (float) value;
                    }
                }
            }
            Tensor result = Tensor.wrap(out, c, ih, iw);
            return result.to(x.dtype());
        }
        return x;
    }
}
