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

    /** The node whose backward is running on this thread (anomaly mode only). */
    private static final ThreadLocal<Node> IN_BACKWARD = new ThreadLocal<>();

    static Node enterBackward(Node node) {
        Node prev = IN_BACKWARD.get();
        IN_BACKWARD.set(node);
        return prev;
    }

    static void exitBackward(Node prev) {
        IN_BACKWARD.set(prev);
    }

    static void checkForward(Op op, Tensor out) {
        if (out.dtype().isFloating() && !allFinite(out)) {
            Node node = IN_BACKWARD.get();
            if (node != null) {
                throw new ArithmeticException("anomaly: backward of '" + node.name() + "' produced NaN or infinity (in its '"
                        + op.name() + "' step, shape " + out.shape() + ")"
                        + (node.createdAt == null ? "" : "\n  the forward op was called at: " + node.createdAt));
            }
            throw new ArithmeticException("anomaly: forward of '" + op.name() + "' produced NaN or infinity in its output of shape "
                    + out.shape() + "\n  op called at: " + callSite());
        }
    }

    static void checkBackward(Node node, int input, Tensor grad) {
        if (grad != null && grad.dtype().isFloating() && !allFinite(grad)) {
            throw new ArithmeticException("anomaly: backward of '" + node.name() + "' returned NaN or infinity in the gradient of input "
                    + input + " (shape " + grad.shape() + ")"
                    + (node.createdAt == null ? "" : "\n  the forward op was called at: " + node.createdAt));
        }
    }

    /** Reads the storage directly (going through ops here would recurse into the anomaly check). */
    private static boolean allFinite(Tensor t) {
        if (!(t.storage() instanceof dev.ember.tensor.HeapStorage hs)) return true;
        int[] dims = dev.ember.tensor.TensorAccess.dims(t), st = dev.ember.tensor.TensorAccess.strides(t);
        int[] idx = new int[dims.length];
        for (int e = 0, n = t.numel(); e < n; e++) {
            int p = t.offset();
            for (int d = 0; d < dims.length; d++) p += idx[d] * st[d];
            if (!Double.isFinite(hs.getDouble(p))) return false;
            for (int d = dims.length - 1; d >= 0; d--) {
                if (++idx[d] < dims[d]) break;
                idx[d] = 0;
            }
        }
        return true;
    }

    private static final java.security.CodeSource EMBER = Anomaly.class.getProtectionDomain().getCodeSource();

    /**
     * Where user code called into Ember: the first stack frame whose class does not come from
     * ember-core itself (so layers and composite ops are skipped), else the top frame.
     */
    static String callSite() {
        return StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE).walk(frames -> frames
                .filter(f -> {
                    var cs = f.getDeclaringClass().getProtectionDomain().getCodeSource();
                    return EMBER == null || cs == null || !sameLocation(cs, EMBER);
                })
                .findFirst()
                .map(StackWalker.StackFrame::toStackTraceElement)
                .map(StackTraceElement::toString)
                .orElse("(unknown)"));
    }

    private static boolean sameLocation(java.security.CodeSource a, java.security.CodeSource b) {
        return a.getLocation() != null && a.getLocation().equals(b.getLocation());
    }
}
