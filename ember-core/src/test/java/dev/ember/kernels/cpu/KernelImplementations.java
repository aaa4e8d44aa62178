package dev.ember.kernels.cpu;

import org.junit.jupiter.api.Named;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The FLOAT32 kernel implementations under test (the plain-Java one always, the Vector API one when
 * the JVM has {@code jdk.incubator.vector}) and seeded input generators with the values that break
 * kernels: NaN, infinities, signed zeros, denormals, huge magnitudes, saturation points, halves.
 */
final class KernelImplementations {
    static final float[] SPECIALS = {
        Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f, 1f, -1f, 0.5f, -0.5f, 1.5f, -1.5f, 2.5f, -2.5f,
        1e-30f, -1e-30f, 1e-40f, -1e-40f, Float.MIN_NORMAL, 1e30f, -1e30f, Float.MAX_VALUE, -Float.MAX_VALUE,
        88.7f, -88.7f, 103f, -103f, 20f, -20f, 20.5f, 9.5f, -9.5f, 0.49999997f, 4194304.5f, -4194304.5f, 8388608f, 3e9f, 2f, 3f,
    };

    private KernelImplementations() {
    }

    /** The implementations to run a test against. */
    static List<Named<FloatKernels>> all() {
        List<Named<FloatKernels>> list = new ArrayList<>();
        list.add(Named.of("scalar", new ScalarFloatKernels()));
        if (Simd.AVAILABLE) {
            try { // reflection, as in Simd: the class must not load when the module is absent
                FloatKernels v = (FloatKernels) Class.forName("dev.ember.kernels.cpu.VectorFloatKernels")
                        .getDeclaredConstructor().newInstance();
                list.add(Named.of("vector", v));
            } catch (ReflectiveOperationException e) {
                throw new AssertionError("Vector API present but VectorFloatKernels did not load", e);
            }
        }
        return list;
    }

    /** size values: mostly uniform in [-range, range], some tiny, about 15% from {@link #SPECIALS}. */
    static float[] values(Random r, int size, float range) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            double p = r.nextDouble();
            if (p < 0.15) a[i] = SPECIALS[r.nextInt(SPECIALS.length)];
            else if (p < 0.25) a[i] = (r.nextFloat() * 2 - 1) * 1e-3f;
            else a[i] = (r.nextFloat() * 2 - 1) * range;
        }
        return a;
    }

    /** size finite values uniform in [-range, range]. */
    static float[] uniform(Random r, int size, float range) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) a[i] = (r.nextFloat() * 2 - 1) * range;
        return a;
    }
}
