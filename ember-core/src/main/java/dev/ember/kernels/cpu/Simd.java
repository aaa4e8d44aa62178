package dev.ember.kernels.cpu;

/**
 * Chooses between the Vector API kernels and the plain-Java ones. The Vector API lives in the
 * incubator module {@code jdk.incubator.vector}, which a JVM only loads when started with
 * {@code --add-modules jdk.incubator.vector}; without it Ember still works, more slowly, and says
 * so once on stderr.
 */
public final class Simd {
    /** True when the Vector API module is loaded in this JVM. */
    public static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    /** The FLOAT32 loops in use. */
    public static final FloatKernels FLOAT = chooseFloatKernels();

    private Simd() {
    }

    private static FloatKernels chooseFloatKernels() {
        if (AVAILABLE && !Boolean.getBoolean("ember.noSimd")) {
            try {
                // Reflection keeps the vector classes unloaded (and unverified) when the module is absent.
                return (FloatKernels) Class.forName("dev.ember.kernels.cpu.VectorFloatKernels")
                        .getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                System.err.println("ember: Vector API kernels unavailable (" + e + "); using plain Java kernels");
                return new ScalarFloatKernels();
            }
        }
        if (!AVAILABLE) {
            System.err.println("ember: running without the Vector API, so CPU kernels are several times slower. "
                    + "Start Java with --add-modules jdk.incubator.vector to enable SIMD kernels.");
        }
        return new ScalarFloatKernels();
    }

    /** Width in bits of the SIMD registers the float kernels use (0 when running the plain-Java kernels). */
    public static int vectorBits() {
        if (FLOAT.getClass() == ScalarFloatKernels.class) return 0;
        try {
            return (int) FLOAT.getClass().getMethod("vectorBits").invoke(null);
        } catch (ReflectiveOperationException e) {
            return 0;
        }
    }
}
