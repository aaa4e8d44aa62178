package dev.ember.ops.catalog;

import dev.ember.tensor.DType;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;

/** Helpers for building catalogue sample inputs (float64 leaves). */
public final class Samples {
    private Samples() {
    }

    /** Standard normal float64 values requiring grad. */
    public static Tensor randn(Generator g, int... shape) {
        return Tensor.randn(g, Shape.of(shape), DType.FLOAT64).requiresGrad(true);
    }

    /** Uniform values in [lo, hi) requiring grad (for ops with restricted domains such as log). */
    public static Tensor uniform(Generator g, double lo, double hi, int... shape) {
        Tensor u = Tensor.rand(g, Shape.of(shape), DType.FLOAT64);
        return u.mul(hi - lo).add(lo).detach().requiresGrad(true);
    }

    /** Values at least {@code gap} away from every point in {@code kinks} (so finite differences never straddle one). */
    public static Tensor awayFrom(Generator g, double gap, double[] kinks, int... shape) {
        Tensor t = Tensor.randn(g, Shape.of(shape), DType.FLOAT64);
        double[] d = t.toDoubleArray();
        for (int i = 0; i < d.length; i++) {
            for (double k : kinks) {
                if (Math.abs(d[i] - k) < gap) d[i] = k + (d[i] >= k ? gap : -gap) * 1.5;
            }
        }
        return Tensor.of(d, shape).requiresGrad(true);
    }

    /** A float64 tensor not requiring grad (e.g. a mask source). */
    public static Tensor constant(Generator g, int... shape) {
        return Tensor.randn(g, Shape.of(shape), DType.FLOAT64);
    }
}
