package dev.ember.data.transforms;

import dev.ember.data.Transform;
import dev.ember.tensor.DType;
import dev.ember.tensor.Generator;
import dev.ember.tensor.HeapStorage;
import dev.ember.tensor.Tensor;

import java.util.Arrays;

/**
 * Per-channel standardisation of a CHW (or NCHW) float tensor: {@code out[c] = (x[c] - mean[c]) / std[c]}
 * (torchvision's {@code Normalize}). Returns a new tensor.
 *
 * <pre>{@code
 * Normalize.of(0.2860, 0.3530)                                   // Fashion-MNIST, one channel
 * Normalize.of(new double[] {0.4914, 0.4822, 0.4465}, new double[] {0.2470, 0.2435, 0.2616})   // CIFAR-10
 * }</pre>
 *
 * @param mean per-channel means (length 1 applies to every channel)
 * @param std per-channel standard deviations (> 0)
 */
public record Normalize(double[] mean, double[] std) implements Transform<Tensor, Tensor> {
    public Normalize {
        if (mean.length == 0 || mean.length != std.length) {
            throw new IllegalArgumentException("Normalize: mean and std must have the same non-zero length, got "
                    + Arrays.toString(mean) + " and " + Arrays.toString(std));
        }
        for (double s : std) {
            if (!(s > 0)) throw new IllegalArgumentException("Normalize: std must be > 0, got " + Arrays.toString(std));
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** The means (a copy). */
    @Override
    public double[] mean() {
        return mean.clone();
    }

    /** The standard deviations (a copy). */
    @Override
    public double[] std() {
        return std.clone();
    }

    /** One mean and std for all channels. */
    public static Normalize of(double mean, double std) {
        return new Normalize(new double[] {mean}, new double[] {std});
    }

    /** Per-channel means and stds. */
    public static Normalize of(double[] mean, double[] std) {
        return new Normalize(mean, std);
    }

    /** {@code (v - mean[c]) / std[c]} in float arithmetic, exactly as {@link #apply} computes it. */
    public float apply(float v, int channel) {
        int c = mean.length == 1 ? 0 : channel;
        return (v - (float) mean[c]) / (float) std[c];
    }

    @Override
    public Tensor apply(Tensor x, Generator rng) {
        if (x.rank() < 3) {
            throw new IllegalArgumentException("Normalize: expects a CHW or NCHW tensor, got shape " + x.shape());
        }
        int channels = x.size(-3);
        if (mean.length != 1 && mean.length != channels) {
            throw new IllegalArgumentException("Normalize: " + mean.length + " means/stds for a tensor with " + channels
                    + " channels (shape " + x.shape() + ")");
        }
        if (x.dtype() == DType.FLOAT32 && x.isContiguous() && !x.requiresGrad() && x.storage() instanceof HeapStorage hs) {
            // Fast path for the common case (a fresh image from ToTensor): one pass over the float array.
            float[] src = hs.floats();
            int plane = x.size(-1) * x.size(-2), off = x.offset(), n = x.numel();
            float[] out = new float[n];
            for (int base = 0; base < n; base += plane) {
                int c = (base / plane) % channels;
                float m = (float) mean[mean.length == 1 ? 0 : c], s = (float) std[mean.length == 1 ? 0 : c];
                for (int p = 0; p < plane; p++) out[base + p] = (src[off + base + p] - m) / s;
            }
            return Tensor.wrap(out, x.shape().toArray());
        }
        float[] m = new float[channels], s = new float[channels];
        for (int c = 0; c < channels; c++) {
            m[c] = (float) mean[mean.length == 1 ? 0 : c];
            s[c] = (float) std[mean.length == 1 ? 0 : c];
        }
        return x.sub(Tensor.of(m, channels, 1, 1).to(x.dtype())).div(Tensor.of(s, channels, 1, 1).to(x.dtype()));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Normalize n && Arrays.equals(n.mean, mean) && Arrays.equals(n.std, std);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(mean) * 31 + Arrays.hashCode(std);
    }

    @Override
    public String toString() {
        return "Normalize(mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ")";
    }
}
