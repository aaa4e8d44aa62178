package dev.ember.kernels.cpu;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * The one thread pool CPU kernels share. {@link #forRange} splits an index range into at most
 * {@link #threads()} chunks of at least {@code grain} indices; the calling thread runs the first
 * chunk itself, so small tensors never pay for a hand-off.
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

    private static volatile int threads = initialThreads();
    private static volatile ForkJoinPool pool;

    private Parallel() {
    }

    private static int initialThreads() {
        String s = System.getProperty("ember.threads");
        if (s == null) s = System.getenv("EMBER_NUM_THREADS");
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
            ForkJoinPool old = pool;
            pool = null;
            if (old != null) old.shutdown();
        }
    }

    private static ForkJoinPool pool() {
        ForkJoinPool p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                p = pool;
                if (p == null) {
                    p = new ForkJoinPool(Math.max(1, threads - 1), fj -> {
                        ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(fj);
                        t.setName("ember-kernel-" + t.getPoolIndex());
                        t.setDaemon(true);
                        return t;
                    }, null, false);
                    pool = p;
                }
            }
        }
        return p;
    }

    /** True on one of the pool's worker threads (nested parallel loops then run serially). */
    public static boolean inWorker() {
        return Thread.currentThread() instanceof ForkJoinWorkerThread w && w.getPool() == pool;
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
        ForkJoinPool p = pool();
        Chunk[] rest = new Chunk[chunks - 1];
        for (int c = 1; c < chunks; c++) {
            rest[c - 1] = new Chunk(body, (int) ((long) n * c / chunks), (int) ((long) n * (c + 1) / chunks));
            rest[c - 1].task = p.submit(rest[c - 1]);
        }
        RuntimeException failure = null;
        try {
            body.run(0, (int) ((long) n / chunks));
        } catch (RuntimeException ex) {
            failure = ex;
        }
        // Chunks no worker has started yet run here: a parked worker can take far longer to wake (tens to
        // hundreds of microseconds on a virtual machine) than a small chunk takes to run, and waiting for it
        // made whole processes run several times slower than on one thread.
        for (Chunk c : rest) {
            if (c.claim()) {
                c.task.cancel(false);
                try {
                    body.run(c.start, c.end);
                } catch (RuntimeException ex) {
                    if (failure == null) failure = ex;
                }
            }
        }
        for (Chunk c : rest) {
            if (c.task.isCancelled()) continue;
            try {
                c.task.join();
            } catch (RuntimeException ex) {
                if (failure == null) failure = original(ex);
            }
        }
        if (failure != null) throw failure;
    }

    /**
     * The exception a worker's chunk threw: {@code join} rethrows a copy of it made by reflection (its
     * cause is the original, its message the original's {@code toString()}, and subclass fields lost),
     * so the caller gets the original back, exactly as if the chunk had run on its own thread.
     */
    private static RuntimeException original(RuntimeException joined) {
        return joined.getCause() instanceof RuntimeException cause && cause.getClass() == joined.getClass() ? cause : joined;
    }

    /** One chunk of a {@link #forRange}: run by whichever thread claims it first. */
    private static final class Chunk implements Runnable {
        final RangeBody body;
        final int start, end;
        final java.util.concurrent.atomic.AtomicBoolean claimed = new java.util.concurrent.atomic.AtomicBoolean();
        volatile ForkJoinTask<?> task;

        Chunk(RangeBody body, int start, int end) {
            this.body = body;
            this.start = start;
            this.end = end;
        }

        boolean claim() {
            return claimed.compareAndSet(false, true);
        }

        @Override
        public void run() {
            if (claim()) body.run(start, end);
        }
    }

    /** Runs {@code body} once per task index in [0, tasks), spreading tasks over the pool. */
    public static void forEach(int tasks, RangeBody body) {
        forRange(tasks, 1, body);
    }
}
