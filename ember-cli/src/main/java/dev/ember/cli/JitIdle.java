package dev.ember.cli;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * Whether the JIT has compiled anything lately. Benchmarks warm up until it has been idle for
 * {@link #QUIET_NANOS}: code still interpreted or C1-compiled can run 10-100x slower, and on a busy
 * machine C2 gets to the kernels late.
 */
final class JitIdle {
    /** How long the JIT must have compiled nothing. */
    static final long QUIET_NANOS = 500_000_000L;

    private final CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    private final boolean canAsk = jit != null && jit.isCompilationTimeMonitoringSupported();
    private long lastMillis = canAsk ? jit.getTotalCompilationTime() : 0;
    private long quietSince = System.nanoTime();

    /**
     * Call after every warm-up round (it notes when the JIT last compiled): true once it has compiled
     * nothing for {@link #QUIET_NANOS} before {@code now}, and always where the JVM cannot tell.
     */
    boolean quiet(long now) {
        if (!canAsk) return true;
        long millis = jit.getTotalCompilationTime();
        if (millis != lastMillis) {
            lastMillis = millis;
            quietSince = now;
        }
        return now - quietSince >= QUIET_NANOS;
    }
}
