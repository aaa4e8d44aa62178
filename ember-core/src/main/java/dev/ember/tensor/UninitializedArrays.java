package dev.ember.tensor;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Float and double arrays the JVM does not zero, for op outputs that a kernel overwrites in full.
 *
 * <p>Why: the JVM zeroes every new array, and a training step's outputs are fresh arrays, so each is
 * written twice, the first time into memory that is cold (the young generation is far larger than the
 * caches). For the MLP training step (batch 128, about 1.7 MB of new arrays per step) the zeroing was
 * ~10% of the step. The JDK's own {@code jdk.internal.misc.Unsafe.allocateUninitializedArray}, which
 * the JIT compiles to an allocation without the clearing, skips it for arrays that fit a thread's
 * allocation buffer (larger ones are zeroed anyway).
 *
 * <p>It is used only when the JVM runs with {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED}
 * (the {@code ./ember} launcher and the test suite pass it); without it, the arrays are ordinary zeroed
 * ones and nothing else changes; {@code -Dember.uninitializedArrays=false} turns it off. With the system property {@code ember.poisonUninitialized=true}
 * (set for the test suite) every such array is filled with NaN, so a kernel that leaves part of its
 * output unwritten fails the tests instead of returning stale numbers.
 *
 * <p>Arrays of 256 KB and more that the autograd engine knows are dead (gradient buffers a backward has
 * consumed) come back through {@link #recycle} and serve the next request of their length. The test
 * suite sets {@code ember.recycleMinFloats=1}, so every such buffer is recycled, and poisoned as it is:
 * a tensor still reading recycled memory fails its test.
 */
public final class UninitializedArrays {
    private static final MethodHandle ALLOCATE = find();
    private static final boolean POISON = Boolean.getBoolean("ember.poisonUninitialized");

    private UninitializedArrays() {
    }

    /** Whether arrays really come unzeroed (the JVM granted access to the JDK's allocator). */
    public static boolean available() {
        return ALLOCATE != null;
    }

    private static MethodHandle find() {
        if ("false".equals(System.getProperty("ember.uninitializedArrays"))) return null; // off: A/B timing, or a suspected kernel bug
        try {
            Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            Object unsafe = lookup.findStatic(unsafeClass, "getUnsafe", MethodType.methodType(unsafeClass)).invoke();
            return lookup.findVirtual(unsafeClass, "allocateUninitializedArray",
                    MethodType.methodType(Object.class, Class.class, int.class)).bindTo(unsafe);
        } catch (Throwable notExported) {
            // IllegalAccessException without --add-exports; anything else (another JDK): plain arrays.
            return null;
        }
    }

    /** {@code new float[n]}, possibly not zeroed: a recycled array of that length when there is one. */
    public static float[] floats(int n) {
        float[] a = takeRecycled(n);
        if (a == null) a = ALLOCATE == null || n == 0 ? new float[n] : (float[]) allocate(float.class, n);
        if (POISON) Arrays.fill(a, Float.NaN);
        return a;
    }

    /** {@code new double[n]}, possibly not zeroed. */
    public static double[] doubles(int n) {
        double[] a = ALLOCATE == null || n == 0 ? new double[n] : (double[]) allocate(double.class, n);
        if (POISON) Arrays.fill(a, Double.NaN);
        return a;
    }

    /**
     * {@code new float[n]}, zeroed: a recycled array of that length, cleared, when there is one (so that
     * the arrays recycled from zero-filled outputs, like max pooling's gradient, are reused rather than
     * piling up), else a new one.
     */
    public static float[] zeroedFloats(int n) {
        float[] a = takeRecycled(n);
        if (a == null) return new float[n];
        Arrays.fill(a, 0f);
        return a;
    }

    // ------------------------------------------------------------------ recycled arrays

    /**
     * Smallest array worth recycling (256 KB): smaller ones fit a thread's allocation buffer and come
     * unzeroed from the allocator anyway; the big ones are zeroed by the JVM whatever is asked (and
     * written into memory no cache holds), which a recycled array, used a moment ago, avoids.
     */
    static final int POOL_MIN_FLOATS = Math.max(1, Integer.getInteger("ember.recycleMinFloats", 1 << 16)); // the tests: 1
    /** At most this many bytes wait for reuse; an array that would go over is left to the collector. */
    private static final long POOL_MAX_BYTES = 128L << 20;
    /** Recycled arrays by length, most recent last. */
    private static final Map<Integer, ArrayDeque<float[]>> POOL = new HashMap<>();
    private static long pooledBytes;

    /**
     * Offers an array no tensor will use again for reuse by {@link #floats}. With the poison on (the
     * tests) it is filled with NaN first, so a tensor still reading it would fail loudly.
     */
    static void recycle(float[] a) {
        if (a.length < POOL_MIN_FLOATS) return;
        if (POISON) Arrays.fill(a, Float.NaN);
        synchronized (POOL) {
            if (pooledBytes + 4L * a.length > POOL_MAX_BYTES) return;
            POOL.computeIfAbsent(a.length, k -> new ArrayDeque<>()).addLast(a);
            pooledBytes += 4L * a.length;
        }
    }

    /** A recycled array of length n, or null (none waiting, or too short to be recycled). */
    private static float[] takeRecycled(int n) {
        if (n < POOL_MIN_FLOATS) return null;
        synchronized (POOL) {
            ArrayDeque<float[]> q = POOL.get(n);
            float[] a = q == null ? null : q.pollLast();
            if (a != null) pooledBytes -= 4L * n;
            return a;
        }
    }

    private static Object allocate(Class<?> type, int n) {
        try {
            return (Object) ALLOCATE.invokeExact(type, n);
        } catch (Throwable e) {
            throw new IllegalStateException("uninitialized array of " + n + " " + type, e);
        }
    }
}
