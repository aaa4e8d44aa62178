package dev.ember.tensor;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;

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

    /** {@code new float[n]}, possibly not zeroed. */
    public static float[] floats(int n) {
        float[] a = ALLOCATE == null || n == 0 ? new float[n] : (float[]) allocate(float.class, n);
        if (POISON) Arrays.fill(a, Float.NaN);
        return a;
    }

    /** {@code new double[n]}, possibly not zeroed. */
    public static double[] doubles(int n) {
        double[] a = ALLOCATE == null || n == 0 ? new double[n] : (double[]) allocate(double.class, n);
        if (POISON) Arrays.fill(a, Double.NaN);
        return a;
    }

    private static Object allocate(Class<?> type, int n) {
        try {
            return (Object) ALLOCATE.invokeExact(type, n);
        } catch (Throwable e) {
            throw new IllegalStateException("uninitialized array of " + n + " " + type, e);
        }
    }
}
