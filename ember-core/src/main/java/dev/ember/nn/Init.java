package dev.ember.nn;

import dev.ember.autograd.Grad;
import dev.ember.tensor.DType;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;

import java.util.Locale;

/**
 * In-place parameter initialisation, as {@code torch.nn.init}. Every method fills its tensor
 * without recording gradients and returns it; random ones draw from {@link Generator#global()}
 * unless a generator is given, so {@code Ember.manualSeed} fixes them.
 */
public final class Init {
    private Init() {
    }

    /** fan_in = size(1) * receptive field, fan_out = size(0) * receptive field (tensors of rank >= 2). */
    public static int[] fans(Tensor t) {
        if (t.rank() < 2) {
            throw new IllegalArgumentException("init: fan in and fan out cannot be computed for a tensor of rank " + t.rank()
                    + " (shape " + t.shape() + "); it needs at least 2 dimensions");
        }
        int receptive = 1;
        for (int i = 2; i < t.rank(); i++) receptive *= t.size(i);
        return new int[] {t.size(1) * receptive, t.size(0) * receptive};
    }

    /** The recommended gain for a nonlinearity ("linear", "conv2d", "sigmoid", "tanh", "relu", "leaky_relu", "selu"). */
    public static double calculateGain(String nonlinearity, double param) {
        return switch (nonlinearity.toLowerCase(Locale.ROOT)) {
            case "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "sigmoid" -> 1.0;
            case "tanh" -> 5.0 / 3;
            case "relu" -> Math.sqrt(2.0);
            case "leaky_relu" -> Math.sqrt(2.0 / (1 + param * param));
            case "selu" -> 3.0 / 4;
            default -> throw new IllegalArgumentException("calculateGain: unsupported nonlinearity '" + nonlinearity + "'");
        };
    }

    private static Tensor fill(Tensor t, Tensor values) {
        try (var g = Grad.off()) {
            t.copyFrom(values);
        }
        return t;
    }

    private static DType floatType(Tensor t) {
        return t.dtype().isFloating() ? t.dtype() : DType.FLOAT32;
    }

    /** Uniform values in [a, b). */
    public static Tensor uniform(Tensor t, double a, double b, Generator gen) {
        return fill(t, Tensor.rand(gen, t.shape(), floatType(t)).mul(b - a).add(a));
    }

    /** Uniform values in [a, b) from the global generator. */
    public static Tensor uniform(Tensor t, double a, double b) {
        return uniform(t, a, b, Generator.global());
    }

    /** Normal(mean, std) values. */
    public static Tensor normal(Tensor t, double mean, double std, Generator gen) {
        return fill(t, Tensor.randn(gen, t.shape(), floatType(t)).mul(std).add(mean));
    }

    /** Normal(mean, std) values from the global generator. */
    public static Tensor normal(Tensor t, double mean, double std) {
        return normal(t, mean, std, Generator.global());
    }

    /** Every element set to {@code value}. */
    public static Tensor constant(Tensor t, double value) {
        try (var g = Grad.off()) {
            return t.fillInPlace(value);
        }
    }

    /** Zeros. */
    public static Tensor zeros(Tensor t) {
        return constant(t, 0);
    }

    /** Ones. */
    public static Tensor ones(Tensor t) {
        return constant(t, 1);
    }

    /**
     * He (Kaiming) uniform: U(-bound, bound) with bound = gain * sqrt(3 / fan), gain from the
     * nonlinearity with parameter {@code a} (negative slope). {@code fanIn} selects fan_in (else fan_out).
     */
    public static Tensor kaimingUniform(Tensor t, double a, boolean fanIn, String nonlinearity) {
        int fan = fans(t)[fanIn ? 0 : 1];
        double bound = calculateGain(nonlinearity, a) * Math.sqrt(3.0 / fan);
        return uniform(t, -bound, bound);
    }

    /** He (Kaiming) normal: N(0, (gain / sqrt(fan))^2). */
    public static Tensor kaimingNormal(Tensor t, double a, boolean fanIn, String nonlinearity) {
        int fan = fans(t)[fanIn ? 0 : 1];
        return normal(t, 0, calculateGain(nonlinearity, a) / Math.sqrt(fan));
    }

    /** Glorot (Xavier) uniform: U(-b, b), b = gain * sqrt(6 / (fan_in + fan_out)). */
    public static Tensor xavierUniform(Tensor t, double gain) {
        int[] f = fans(t);
        double b = gain * Math.sqrt(6.0 / (f[0] + f[1]));
        return uniform(t, -b, b);
    }

    /** Glorot (Xavier) normal: N(0, gain^2 * 2 / (fan_in + fan_out)). */
    public static Tensor xavierNormal(Tensor t, double gain) {
        int[] f = fans(t);
        return normal(t, 0, gain * Math.sqrt(2.0 / (f[0] + f[1])));
    }

    /**
     * A (semi-)orthogonal matrix from the QR decomposition of a normal sample, as PyTorch does: the
     * tensor is viewed as [size(0), numel / size(0)], with signs fixed by R's diagonal.
     */
    public static Tensor orthogonal(Tensor t, double gain, Generator gen) {
        if (t.rank() < 2) throw new IllegalArgumentException("orthogonal: only tensors with 2 or more dimensions are supported, got " + t.shape());
        int rows = t.size(0), cols = t.numel() / rows;
        boolean transpose = rows < cols;
        int m = transpose ? cols : rows, n = transpose ? rows : cols;
        double[] a = Tensor.randn(gen, Shape.of(m, n), DType.FLOAT64).toDoubleArray();
        double[] q = Householder.thinQ(a, m, n);
        double[] out = new double[rows * cols];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double v = q[i * n + j] * gain;
                if (transpose) out[j * cols + i] = v;
                else out[i * cols + j] = v;
            }
        }
        return fill(t, Tensor.of(out, t.shape().toArray()));
    }

    /** Orthogonal initialisation from the global generator. */
    public static Tensor orthogonal(Tensor t, double gain) {
        return orthogonal(t, gain, Generator.global());
    }

    /** Thin QR by Householder reflections, with Q's columns signed so that R has a positive diagonal. */
    static final class Householder {
        private Householder() {
        }

        /** Q (m x n, m >= n, row-major) of A = QR. */
        static double[] thinQ(double[] a, int m, int n) {
            double[] r = a.clone();
            double[][] vs = new double[n][];
            double[] diag = new double[n];
            for (int k = 0; k < n; k++) {
                double norm = 0;
                for (int i = k; i < m; i++) norm += r[i * n + k] * r[i * n + k];
                norm = Math.sqrt(norm);
                double alpha = r[k * n + k] > 0 ? -norm : norm;
                double[] v = new double[m];
                for (int i = k; i < m; i++) v[i] = r[i * n + k];
                v[k] -= alpha;
                double vn = 0;
                for (int i = k; i < m; i++) vn += v[i] * v[i];
                if (vn > 0) {
                    for (int j = k; j < n; j++) {
                        double dot = 0;
                        for (int i = k; i < m; i++) dot += v[i] * r[i * n + j];
                        double f = 2 * dot / vn;
                        for (int i = k; i < m; i++) r[i * n + j] -= f * v[i];
                    }
                }
                vs[k] = vn > 0 ? v : null;
                diag[k] = r[k * n + k];
            }
            // Q = H_0 H_1 ... H_{n-1} applied to the first n columns of the identity.
            double[] q = new double[m * n];
            for (int j = 0; j < n; j++) q[j * n + j] = 1;
            for (int k = n - 1; k >= 0; k--) {
                double[] v = vs[k];
                if (v == null) continue;
                double vn = 0;
                for (int i = k; i < m; i++) vn += v[i] * v[i];
                for (int j = 0; j < n; j++) {
                    double dot = 0;
                    for (int i = k; i < m; i++) dot += v[i] * q[i * n + j];
                    double f = 2 * dot / vn;
                    for (int i = k; i < m; i++) q[i * n + j] -= f * v[i];
                }
            }
            for (int j = 0; j < n; j++) {
                if (diag[j] < 0) {
                    for (int i = 0; i < m; i++) q[i * n + j] = -q[i * n + j];
                }
            }
            return q;
        }
    }

    /**
     * PyTorch's {@code reset_parameters} of Linear and the convolutions: weight kaiming-uniform with
     * a = sqrt(5), bias (may be null) U(-1/sqrt(fanIn), 1/sqrt(fanIn)) with fanIn from the weight as
     * {@link #fans} computes it (for a transposed convolution that is out/groups * kernel, as in PyTorch).
     */
    static void layerDefaults(Tensor weight, Tensor bias) {
        kaimingUniform(weight, Math.sqrt(5), true, "leaky_relu");
        if (bias != null) {
            double bound = 1 / Math.sqrt(fans(weight)[0]);
            uniform(bias, -bound, bound);
        }
    }
}
