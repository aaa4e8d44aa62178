package dev.ember.data;

import java.lang.ref.Cleaner;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One epoch of a {@link DataLoader}: yields the batches in order.
 *
 * <p>With workers, up to {@code workers * prefetch} batches are being built ahead of the consumer on a
 * pool of daemon threads owned by this iterator. The pool shuts down when the epoch ends, when
 * {@link #close()} is called, or, for an iteration abandoned half-way (a {@code break} out of a for-each),
 * when the iterator is garbage collected; idle worker threads also exit on their own after a few seconds,
 * so no thread outlives its use. A failure in a worker is rethrown here, on the consumer's thread, naming
 * the sample index.
 *
 * @param <B> the batch type
 */
public final class LoaderIterator<B> implements Iterator<B>, AutoCloseable {
    private static final Cleaner CLEANER = Cleaner.create();
    private static final AtomicInteger POOL_IDS = new AtomicInteger();

    private final EpochPlan<B> plan;
    private final int window;
    private final Pools pools;
    private final Cleaner.Cleanable cleanable;
    private final ArrayDeque<CompletableFuture<B>> pending = new ArrayDeque<>();
    private int submitted;
    private int delivered;
    private boolean done;
    private B next;

    LoaderIterator(EpochPlan<B> plan, int workers, int prefetch, long keepAliveMillis) {
        this.plan = plan;
        this.window = Math.max(1, workers * prefetch);
        if (workers > 0) {
            this.pools = new Pools(workers, plan instanceof EpochPlan.Stream, keepAliveMillis);
            this.cleanable = CLEANER.register(this, pools);
        } else {
            this.pools = null;
            this.cleanable = null;
        }
    }

    /** The epoch this iterator loads. */
    public int epoch() {
        return switch (plan) {
            case EpochPlan.MapStyle<?, B> m -> m.epoch();
            case EpochPlan.Stream<?, B> s -> s.epoch();
        };
    }

    /** Batches delivered so far. */
    public int delivered() {
        return delivered;
    }

    @Override
    public boolean hasNext() {
        if (next != null) return true;
        if (done) return false;
        B b = pools == null ? loadInline() : loadFromWorkers();
        if (b == null) {
            close();
            return false;
        }
        next = b;
        return true;
    }

    @Override
    public B next() {
        if (!hasNext()) throw new NoSuchElementException("DataLoader: the epoch has no more batches");
        B b = next;
        next = null;
        delivered++;
        return b;
    }

    /** Stops the workers and drops prefetched batches; the iterator then reports no more batches. Idempotent. */
    @Override
    public void close() {
        if (done) return;
        done = true;
        next = null;
        for (CompletableFuture<B> f : pending) f.cancel(true);
        pending.clear();
        if (cleanable != null) cleanable.clean();
    }

    private B loadInline() {
        try {
            return switch (plan) {
                case EpochPlan.MapStyle<?, B> m -> submitted < m.batches() ? m.load(submitted++) : null;
                case EpochPlan.Stream<?, B> s -> {
                    List<Object> chunk = s.read();
                    yield chunk == null ? null : s.process(chunk, submitted++);
                }
            };
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private B loadFromWorkers() {
        fill();
        CompletableFuture<B> head = pending.poll();
        if (head == null) return null;
        B b;
        try {
            b = head.join();
        } catch (CompletionException | CancellationException e) {
            close();
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof Error err) throw err;
            throw new IllegalStateException(cause.getMessage(), cause);
        }
        fill();
        return b;
    }

    private void fill() {
        while (!done && pending.size() < window) {
            switch (plan) {
                case EpochPlan.MapStyle<?, B> m -> {
                    if (submitted >= m.batches()) return;
                    int k = submitted++;
                    pending.add(CompletableFuture.supplyAsync(() -> m.load(k), pools.workers));
                }
                case EpochPlan.Stream<?, B> s -> {
                    int k = submitted++;
                    // Reads run in submission order on the single reader thread; the heavy part on the workers.
                    pending.add(CompletableFuture.supplyAsync(s::read, pools.reader)
                            .thenApplyAsync(chunk -> chunk == null ? null : s.process(chunk, k), pools.workers));
                }
            }
        }
    }

    /** The worker (and, for streams, reader) threads of one iteration; also the cleaner action. */
    private static final class Pools implements Runnable {
        final ExecutorService workers;
        final ExecutorService reader;

        Pools(int n, boolean stream, long keepAliveMillis) {
            int id = POOL_IDS.incrementAndGet();
            workers = pool(n, "ember-data-" + id + "-worker-", keepAliveMillis);
            reader = stream ? pool(1, "ember-data-" + id + "-reader-", keepAliveMillis) : null;
        }

        private static ExecutorService pool(int n, String prefix, long keepAliveMillis) {
            AtomicInteger count = new AtomicInteger();
            ThreadFactory factory = r -> {
                Thread t = new Thread(r, prefix + count.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
            ThreadPoolExecutor ex = new ThreadPoolExecutor(n, n, keepAliveMillis, TimeUnit.MILLISECONDS,
                    new LinkedBlockingQueue<>(), factory);
            ex.allowCoreThreadTimeOut(true);
            return ex;
        }

        @Override
        public void run() {
            workers.shutdownNow();
            if (reader != null) reader.shutdownNow();
        }
    }
}
