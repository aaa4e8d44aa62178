package dev.ember.kernels.cpu;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The one thread pool CPU kernels share. {@link #forRange} splits an index range into at most
 * {@link #threads()} chunks of at least {@code grain} indices; the calling thread runs the first
 * chunk itself, so small tensors never pay for a hand-off.
 *
 * <p>The workers spin for a short while ({@link #SPIN_NANOS}) after each chunk before they park, as
 * OpenMP runtimes do: a training step is a stream of kernels tens of microseconds long, and waking a
 * parked thread takes about as long on a virtual machine (a ForkJoinPool here made a 128 x 256 x 128
 * GEMM slower on two threads than on one). The caller still runs any chunk no worker has claimed.
 *
 * <p>The thread count defaults to the number of available processors and can be set with the
 * {@code EMBER_NUM_THREADS} environment variable, the {@code ember.threads} system property, or
 * {@link #setThreads}.
 */
public final class Parallel {
    /** A body run over [start, end). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int start, int end);
    }

    /**
     * How long an idle worker spins for the next chunk before it parks: 200 us, or
     * {@code ember.spinMicros} / {@code EMBER_SPIN_MICROS} (0: park at once, for machines shared with
     * other busy processes, like OpenMP's {@code OMP_WAIT_POLICY=passive}).
     */
    static final long SPIN_NANOS = 1000L * spinMicros();

    private static volatile int threads = initialThreads();
    private static volatile Worker[] pool;

    private Parallel() {
    }

    /** A setting from its system property, else its environment variable; null when neither is set. */
    private static String setting(String property, String env) {
        String s = System.getProperty(property);
        return s != null ? s : System.getenv(env);
    }

    private static long spinMicros() {
        return spinMicros(setting("ember.spinMicros", "EMBER_SPIN_MICROS"));
    }

    /** The spin setting's value in microseconds: 200 when unset, or (with a warning naming it) when not a number >= 0. */
    static long spinMicros(String s) {
        if (s != null) {
            try {
                long us = Long.parseLong(s.trim());
                if (us >= 0) return us;
            } catch (NumberFormatException ignored) {
                // fall back to the default
            }
            System.err.println("ember: ignoring EMBER_SPIN_MICROS / ember.spinMicros '" + s + "' (not a number of microseconds >= 0)");
        }
        return 200;
    }

    private static int initialThreads() {
        String s = setting("ember.threads", "EMBER_NUM_THREADS");
        if (s != null) {
            try {
                int n = Integer.parseInt(s.trim());
                if (n >= 1) return n;
            } catch (NumberFormatException ignored) {
                // fall back to the processor count
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** Number of threads kernels use (including the caller). */
    public static int threads() {
        return threads;
    }

    /** Sets the number of threads kernels use (1 = run everything on the calling thread). */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("Parallel.setThreads: need at least 1 thread, got " + n);
        if (n != threads) {
            threads = n;
            Worker[] old = pool;
            pool = null;
            if (old != null) {
                for (Worker w : old) w.shutDown();
            }
        }
    }

    private static Worker[] pool() {
        Worker[] p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                p = pool;
                if (p == null) {
                    p = new Worker[Math.max(1, threads - 1)];
                    for (int i = 0; i < p.length; i++) {
                        p[i] = new Worker("ember-kernel-" + i);
                        p[i].start();
                    }
                    pool = p;
                }
            }
        }
        return p;
    }

    /** True on one of the pool's worker threads (nested parallel loops then run serially). */
    public static boolean inWorker() {
        return Thread.currentThread() instanceof Worker;
    }

    /** Runs {@code body} over [0, n) in parallel chunks of at least {@code grain} indices. */
    public static void forRange(int n, int grain, RangeBody body) {
        if (n <= 0) return;
        int t = threads;
        int chunks = (int) Math.min(t, Math.max(1, (long) n / Math.max(1, grain)));
        if (chunks <= 1 || inWorker()) {
            body.run(0, n);
            return;
        }
        Worker[] p = pool();
        Chunk[] rest = new Chunk[chunks - 1];
        for (int c = 1; c < chunks; c++) {
            rest[c - 1] = new Chunk(body, (int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
            offer(p, rest[c - 1]);
        }
        Throwable failure = null;
        try {
            body.run(0, (int) ((long) n / chunks));
        } catch (RuntimeException | Error ex) {
            failure = ex;
        }
        // Chunks no worker has claimed run here, rather than waiting for a worker to get to them.
        for (Chunk c : rest) {
            if (c.claim()) c.runClaimed();
        }
        for (Chunk c : rest) {
            c.awaitDone();
            if (failure == null) failure = c.failure;
        }
        if (failure instanceof RuntimeException r) throw r;
        if (failure instanceof Error e) throw e;
    }

    /** Hands {@code c} to a worker whose slot is free; when none is, the caller will run it. */
    private static void offer(Worker[] p, Chunk c) {
        for (Worker w : p) {
            if (w.slot.compareAndSet(null, c)) {
                if (w.parked) LockSupport.unpark(w);
                return;
            }
        }
    }

    /** One chunk of a {@link #forRange}: run by whichever thread claims it first. */
    private static final class Chunk {
        final RangeBody body;
        final int start, end;
        final AtomicBoolean claimed = new AtomicBoolean();
        volatile boolean done;
        volatile Throwable failure;

        Chunk(RangeBody body, int start, int end) {
            this.body = body;
            this.start = start;
            this.end = end;
        }

        boolean claim() {
            return claimed.compareAndSet(false, true);
        }

        /** Runs the chunk for the thread that claimed it; a failure is kept for the caller. */
        void runClaimed() {
            try {
                body.run(start, end);
            } catch (Throwable t) {
                failure = t;
            } finally {
                done = true;
            }
        }

        /** Waits for a worker that claimed this chunk to finish it (spinning, then yielding). */
        void awaitDone() {
            for (int spins = 0; !done; spins++) {
                if (spins < 1 << 16) Thread.onSpinWait();
                else Thread.yield();
            }
        }
    }

    /**
     * A kernel thread: runs the chunk put in its slot, spins for the next one for up to
     * {@link #SPIN_NANOS}, then parks until {@link #offer} unparks it.
     */
    private static final class Worker extends Thread {
        final AtomicReference<Chunk> slot = new AtomicReference<>();
        volatile boolean parked;
        private volatile boolean shutDown;

        Worker(String name) {
            super(name);
            setDaemon(true);
        }

        void shutDown() {
            shutDown = true;
            LockSupport.unpark(this);
        }

        @Override
        public void run() {
            long idleSince = System.nanoTime();
            while (!shutDown) {
                Chunk c = slot.get();
                if (c != null) {
                    if (c.claim()) c.runClaimed();
                    slot.set(null);
                    idleSince = System.nanoTime();
                } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    // parked is written before the slot is read again, and offer writes the slot before it
                    // reads parked: one of the two always sees the other, so no chunk is left unwoken.
                    parked = true;
                    if (slot.get() == null && !shutDown) LockSupport.park(this);
                    parked = false;
                    idleSince = System.nanoTime();
                }
            }
        }
    }

    /** Runs {@code body} once per task index in [0, tasks), spreading tasks over the pool. */
    public static void forEach(int tasks, RangeBody body) {
        forRange(tasks, 1, body);
    }
}
