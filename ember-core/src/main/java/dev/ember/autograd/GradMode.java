package dev.ember.autograd;

/**
 * Per-thread switch for gradient recording. Users change it through the scopes in {@link Grad}
 * ({@code try (var g = Grad.off()) { ... }}); ops read it through {@link #isEnabled()}.
 */
public final class GradMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private GradMode() {
    }

    /** Whether ops on this thread currently record autograd history. */
    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** Sets the mode and returns the previous one (for restoring in a finally block). */
    static boolean set(boolean enabled) {
        boolean[] s = ENABLED.get();
        boolean prev = s[0];
        s[0] = enabled;
        return prev;
    }
}
