package dev.ember.data;

import dev.ember.tensor.Generator;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Supplier;

/**
 * A stream of examples read in order, for data that does not fit in memory (PyTorch's
 * {@code IterableDataset}, tf.data's sequential input).
 *
 * <p>The {@link DataLoader} reads the stream on one background thread (in order) and, when the dataset
 * is {@link #map mapped}, runs the outermost transform and the collate on its worker threads, seeding each
 * example by its position in the epoch's stream. Shuffling a stream is approximate:
 * {@link #shuffled(int)} keeps a buffer of examples and emits a random one of them each time.
 *
 * <pre>{@code
 * IterableDataset<Sample> rows = CsvDataset.stream(path, CsvFormat.labelColumn("species"));
 * DataLoader<Batch> loader = DataLoader.builder(rows.shuffled(10_000)).batchSize(256).workers(2).build();
 * }</pre>
 *
 * @param <T> the example type
 */
public interface IterableDataset<T> {
    /**
     * A fresh pass over the examples. {@code rng} is for stream-level randomness (shuffle buffers); the
     * loader seeds it per epoch.
     */
    Iterator<T> iterator(Generator rng);

    /** The number of examples if known (for {@link DataLoader#size()}), else -1. */
    default int sizeHint() {
        return -1;
    }

    /** The stream with {@code transform} applied to each example (on the loader's workers). */
    default <R> IterableDataset<R> map(Transform<? super T, ? extends R> transform) {
        return new Mapped<>(this, transform);
    }

    /**
     * The stream shuffled through a buffer of {@code bufferSize} examples: each output is drawn uniformly
     * from the buffer, which is refilled from the stream (tf.data's {@code shuffle}). A buffer at least
     * as large as the stream gives a full shuffle.
     */
    default IterableDataset<T> shuffled(int bufferSize) {
        if (bufferSize < 1) throw new IllegalArgumentException("IterableDataset.shuffled: bufferSize must be >= 1, got " + bufferSize);
        IterableDataset<T> self = this;
        return new IterableDataset<>() {
            @Override
            public Iterator<T> iterator(Generator rng) {
                return new ShuffleBufferIterator<>(self.iterator(rng), bufferSize, rng);
            }

            @Override
            public int sizeHint() {
                return self.sizeHint();
            }
        };
    }

    /** A stream whose passes come from {@code source} (called once per epoch); {@code size} may be -1. */
    static <T> IterableDataset<T> of(Supplier<? extends Iterator<T>> source, int size) {
        return new IterableDataset<>() {
            @Override
            public Iterator<T> iterator(Generator rng) {
                return source.get();
            }

            @Override
            public int sizeHint() {
                return size;
            }
        };
    }

    /** A map-style dataset read as a stream in index order. */
    static <T> IterableDataset<T> of(Dataset<T> dataset) {
        return new IterableDataset<>() {
            @Override
            public Iterator<T> iterator(Generator rng) {
                return new Iterator<>() {
                    int next;

                    @Override
                    public boolean hasNext() {
                        return next < dataset.size();
                    }

                    @Override
                    public T next() {
                        if (!hasNext()) throw new NoSuchElementException();
                        return dataset.get(next++, rng);
                    }
                };
            }

            @Override
            public int sizeHint() {
                return dataset.size();
            }
        };
    }

    /** A stream with a transform the loader may run on its workers. */
    record Mapped<A, B>(IterableDataset<A> source, Transform<? super A, ? extends B> transform) implements IterableDataset<B> {
        @Override
        public Iterator<B> iterator(Generator rng) {
            Iterator<A> it = source.iterator(rng);
            Generator itemRng = new Generator(rng.nextLong());
            return new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public B next() {
                    return transform.apply(it.next(), itemRng);
                }
            };
        }

        @Override
        public int sizeHint() {
            return source.sizeHint();
        }
    }
}

/** Draws uniformly from a buffer refilled from the underlying stream. */
final class ShuffleBufferIterator<T> implements Iterator<T> {
    private final Iterator<T> source;
    private final ArrayList<T> buffer;
    private final int capacity;
    private final Generator rng;

    ShuffleBufferIterator(Iterator<T> source, int capacity, Generator rng) {
        this.source = source;
        this.capacity = capacity;
        this.rng = rng;
        this.buffer = new ArrayList<>(Math.min(capacity, 1 << 16));
    }

    private void fill() {
        while (buffer.size() < capacity && source.hasNext()) buffer.add(source.next());
    }

    @Override
    public boolean hasNext() {
        fill();
        return !buffer.isEmpty();
    }

    @Override
    public T next() {
        if (!hasNext()) throw new NoSuchElementException();
        int k = rng.nextInt(buffer.size());
        T item = buffer.get(k);
        buffer.set(k, buffer.getLast());
        buffer.removeLast();
        return item;
    }
}
