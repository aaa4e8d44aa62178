package dev.ember.data;

import dev.ember.tensor.Generator;

import java.util.Iterator;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Batches a dataset: seeded shuffling, drop-last, a pluggable collate, and background workers that load
 * and augment batches in parallel with prefetching (PyTorch's {@code DataLoader}).
 *
 * <pre>{@code
 * DataLoader<Batch> loader = DataLoader.builder(train).batchSize(64).shuffle(true).seed(42).workers(2).build();
 * for (int epoch = 0; epoch < 3; epoch++) {
 *     for (Batch b : loader) { ... b.x() is [64, 1, 28, 28] FLOAT32, b.y() is [64] INT64 ... }
 * }
 * }</pre>
 *
 * <p><b>Determinism.</b> Each call of {@link #iterator()} loads the next epoch (0, 1, 2, ...; see
 * {@link #epoch(int)}). The epoch's shuffle order comes from {@code (seed, epoch)} and every sample's
 * augmentation from a generator seeded by {@code (seed, epoch, position in the epoch)}, so the batches are
 * identical whatever the number of workers, and a run can be replayed from its seed.
 *
 * <p><b>Workers.</b> With {@code workers(0)} batches are built on the calling thread. With {@code n > 0},
 * {@code n} daemon threads build up to {@code n * prefetch} batches ahead; batches are still delivered in
 * order. A failure in a worker is rethrown from {@code next()} with the sample index in the message.
 * Breaking out of a for-each early is fine: the workers stop on their own (or call
 * {@link LoaderIterator#close()} to stop them at once).
 *
 * @param <B> the batch type ({@link Batch} with the default collate)
 */
public final class DataLoader<B> implements Iterable<B> {
    private final Dataset<?> dataset;
    private final IterableDataset<?> stream;
    private final Collate<?, B> collate;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final long seed;
    private final int workers;
    private final int prefetch;
    private final long keepAliveMillis;
    private final AtomicInteger nextEpoch = new AtomicInteger();

    private DataLoader(Builder<?, B> b) {
        this.dataset = b.dataset;
        this.stream = b.stream;
        this.collate = b.collate;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.dropLast = b.dropLast;
        this.seed = b.seed;
        this.workers = b.workers;
        this.prefetch = b.prefetch;
        this.keepAliveMillis = b.keepAliveMillis;
    }

    /** A builder for a loader of {@link Sample}s into {@link Batch}es with the default collate {@link Collate#stack()}. */
    public static Builder<Sample, Batch> builder(Dataset<Sample> dataset) {
        return new Builder<>(dataset, null, Collate.stack());
    }

    /** A builder for a loader with a custom collate. */
    public static <T, B> Builder<T, B> builder(Dataset<T> dataset, Collate<T, B> collate) {
        return new Builder<>(dataset, null, collate);
    }

    /** A builder for a loader over a stream of {@link Sample}s (shuffle a stream with {@link IterableDataset#shuffled}). */
    public static Builder<Sample, Batch> builder(IterableDataset<Sample> stream) {
        return new Builder<>(null, stream, Collate.stack());
    }

    /** A builder for a loader over a stream with a custom collate. */
    public static <T, B> Builder<T, B> builder(IterableDataset<T> stream, Collate<T, B> collate) {
        return new Builder<>(null, stream, collate);
    }

    /** Batches per epoch (for progress bars): {@code ceil(n / batchSize)}, or {@code floor} with drop-last; -1 for a stream of unknown length. */
    public int size() {
        int n = dataset != null ? dataset.size() : stream.sizeHint();
        if (n < 0) return -1;
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** Examples per epoch (after drop-last), or -1 when unknown. */
    public int examples() {
        int batches = size();
        if (batches < 0) return -1;
        int n = dataset != null ? dataset.size() : stream.sizeHint();
        return dropLast ? batches * batchSize : n;
    }

    /** The batch size. */
    public int batchSize() {
        return batchSize;
    }

    /** The number of worker threads (0: load on the calling thread). */
    public int workers() {
        return workers;
    }

    /** The seed of shuffling and augmentation. */
    public long seed() {
        return seed;
    }

    /** The epoch the next {@link #iterator()} will load. */
    public int epoch() {
        return nextEpoch.get();
    }

    /** Makes the next {@link #iterator()} load {@code epoch} (e.g. when resuming from a checkpoint). Returns this. */
    public DataLoader<B> epoch(int epoch) {
        if (epoch < 0) throw new IllegalArgumentException("DataLoader.epoch: epoch must be >= 0, got " + epoch);
        nextEpoch.set(epoch);
        return this;
    }

    /** Loads the next epoch. */
    @Override
    public LoaderIterator<B> iterator() {
        return iterator(nextEpoch.getAndIncrement());
    }

    /** Loads {@code epoch} without changing the loader's epoch counter. */
    public LoaderIterator<B> iterator(int epoch) {
        return new LoaderIterator<>(plan(epoch), workers, prefetch, keepAliveMillis);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private EpochPlan<B> plan(int epoch) {
        if (dataset != null) {
            int n = dataset.size();
            int[] order = shuffle ? Subset.permutation(n, new Generator(SampleSeeds.forEpoch(seed, epoch))) : identity(n);
            BatchedDataset fast = collate == Collate.stack() ? FastPath.of(dataset) : null;
            return new EpochPlan.MapStyle(dataset, fast, collate, order, batchSize, size(), seed, epoch);
        }
        Generator streamRng = new Generator(SampleSeeds.forEpoch(seed, epoch));
        IterableDataset<?> source = stream;
        Transform<Object, ?> transform = null;
        if (stream instanceof IterableDataset.Mapped<?, ?> m) {
            source = m.source();
            transform = (Transform<Object, ?>) m.transform();
        }
        Iterator<Object> it = (Iterator<Object>) source.iterator(streamRng);
        return new EpochPlan.Stream(it, transform, collate, batchSize, dropLast, size(), seed, epoch);
    }

    private static int[] identity(int n) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        return a;
    }

    @Override
    public String toString() {
        return "DataLoader(" + (dataset != null ? dataset.size() + " examples" : "stream") + ", batchSize=" + batchSize
                + ", shuffle=" + shuffle + ", dropLast=" + dropLast + ", seed=" + seed + ", workers=" + workers + ")";
    }

    /**
     * Options of a {@link DataLoader}; defaults: batch size 1, no shuffle, keep the last partial batch,
     * seed 0, no workers, prefetch 2 batches per worker.
     */
    public static final class Builder<T, B> {
        private final Dataset<?> dataset;
        private final IterableDataset<?> stream;
        private final Collate<T, B> collate;
        private int batchSize = 1;
        private boolean shuffle;
        private boolean dropLast;
        private long seed;
        private int workers;
        private int prefetch = 2;
        private long keepAliveMillis = 2000;

        private Builder(Dataset<?> dataset, IterableDataset<?> stream, Collate<T, B> collate) {
            if (dataset == null && stream == null) throw new IllegalArgumentException("DataLoader: dataset must not be null");
            if (collate == null) throw new IllegalArgumentException("DataLoader: collate must not be null");
            this.dataset = dataset;
            this.stream = stream;
            this.collate = collate;
        }

        /** Examples per batch (>= 1). */
        public Builder<T, B> batchSize(int batchSize) {
            if (batchSize < 1) throw new IllegalArgumentException("DataLoader: batchSize must be >= 1, got " + batchSize);
            this.batchSize = batchSize;
            return this;
        }

        /** Reshuffle the examples every epoch (map-style datasets; for streams use {@link IterableDataset#shuffled}). */
        public Builder<T, B> shuffle(boolean shuffle) {
            if (shuffle && stream != null) {
                throw new IllegalArgumentException("DataLoader: a stream cannot be shuffled by index; use stream.shuffled(bufferSize)");
            }
            this.shuffle = shuffle;
            return this;
        }

        /** Drop the last batch when it is smaller than the batch size. */
        public Builder<T, B> dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /** The seed of shuffling and of every random transform. */
        public Builder<T, B> seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Background threads that build batches (0: build them on the consuming thread). */
        public Builder<T, B> workers(int workers) {
            if (workers < 0) throw new IllegalArgumentException("DataLoader: workers must be >= 0, got " + workers);
            this.workers = workers;
            return this;
        }

        /** Batches each worker may build ahead of the consumer (>= 1). */
        public Builder<T, B> prefetch(int batchesPerWorker) {
            if (batchesPerWorker < 1) throw new IllegalArgumentException("DataLoader: prefetch must be >= 1, got " + batchesPerWorker);
            this.prefetch = batchesPerWorker;
            return this;
        }

        /** How long an idle worker thread waits for work before it exits (default 2 s). */
        public Builder<T, B> workerKeepAliveMillis(long millis) {
            if (millis < 1) throw new IllegalArgumentException("DataLoader: workerKeepAliveMillis must be >= 1, got " + millis);
            this.keepAliveMillis = millis;
            return this;
        }

        /** The loader. */
        public DataLoader<B> build() {
            return new DataLoader<>(this);
        }
    }
}
