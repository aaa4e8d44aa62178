package dev.ember.autograd;

import dev.ember.tensor.Tensor;

/**
 * Anomaly detection (PyTorch's {@code detect_anomaly}): while enabled, every recorded op remembers
 * where it was called, and the first op whose forward output or backward gradient contains NaN or
 * infinity throws an {@link ArithmeticException} naming the op and where the offending tensor was
 * created. It is slow (it checks every value); use it to debug, not to train.
 *
 * <pre>{@code
 * try (var a = Anomaly.detect()) {
 *     loss.backward();
 * }
 * }</pre>
 */
public final class Anomaly {
    private static volatile int depth;

    private Anomaly() {
    }

    /** Enables anomaly detection until the returned scope is closed. */
    public static Grad.Scope detect() {
        synchronized (Anomaly.class) {
            depth++;
        }
        return () -> {
            synchronized (Anomaly.class) {
                depth--;
            }
        };
    }

    /** Whether anomaly detection is on. */
    public static boolean isEnabled() {
        return depth > 0;
    }

    static void checkForward(Op op, Tensor out) {
        if (out.dtype().isFloating() && !allFinite(out)) {
            throw new ArithmeticException("anomaly: forward of '" + op.name() + "' produced NaN or infinity in its output of shape "
                    + out.shape() + "\n  op called at: " + callSite(new Throwable().getStackTrace()));
        }
    }

    static void checkBackward(Node node, int input, Tensor grad) {
        if (grad != null && grad.dtype().isFloating() && !allFinite(grad)) {
            throw new ArithmeticException("anomaly: backward of '" + node.name() + "' returned NaN or infinity in the gradient of input "
                    + input + " (shape " + grad.shape() + ")"
                    + (node.createdAt == null ? "" : "\n  the forward op was called at: " + callSite(node.createdAt)));
        }
    }

    private static boolean allFinite(Tensor t) {
        for (double v : t.toDoubleArray()) {
            if (!Double.isFinite(v)) return false;
        }
        return true;
    }

    /** The first stack frame outside Ember's own op machinery, else the top frame. */
    static String callSite(StackTraceElement[] trace) {
        for (StackTraceElement e : trace) {
            String c = e.getClassName();
            if (!c.startsWith("dev.ember.autograd.") && !c.startsWith("dev.ember.ops.") && !c.startsWith("dev.ember.tensor.")
                    && !c.startsWith("dev.ember.kernels.")) {
                return e.toString();
            }
        }
        return trace.length > 0 ? trace[0].toString() : "(unknown)";
    }
}
