package dev.ember.data;

import dev.ember.tensor.Generator;

import java.util.ArrayList;
import java.util.List;

/**
 * A map-style dataset: {@link #size()} examples, each fetched by index (PyTorch's {@code Dataset}).
 *
 * <p>Random augmentation draws from the {@link Generator} passed to {@link #get(int, Generator)};
 * the {@link DataLoader} seeds one generator per sample from its own seed, the epoch and the sample's
 * position, so batches are the same whatever the number of workers. Implementations must be safe to
 * call from several worker threads at once (reading immutable arrays is).
 *
 * <pre>{@code
 * Dataset<Sample> train = FashionMnist.train().transform(Compose.of(new ToTensor(), new Normalize(0.286, 0.353)));
 * List<Subset<Sample>> parts = train.randomSplit(42, 0.9, 0.1);   // train / validation
 * }</pre>
 *
 * @param <T> the example type, usually {@link Sample}
 */
public interface Dataset<T> {
    /** Number of examples. */
    int size();

    /** Example {@code index} (0-based) with deterministic processing (random transforms use a generator seeded by the index). */
    default T get(int index) {
        return get(index, new Generator(SampleSeeds.forIndex(index)));
    }

    /** Example {@code index}, drawing any randomness (augmentation) from {@code rng}. */
    T get(int index, Generator rng);

    /** This dataset with {@code transform} applied to every example as it is fetched. */
    default <R> Dataset<R> map(Transform<? super T, ? extends R> transform) {
        return new TransformedDataset<>(this, transform);
    }

    /** The examples at {@code indices}, in that order (a view, nothing is copied). */
    default Subset<T> subset(int... indices) {
        return new Subset<>(this, indices);
    }

    /**
     * Splits the dataset into disjoint random subsets with the given fractions (summing to 1; rounding
     * remainders go to the first parts), PyTorch's {@code random_split}. The same seed gives the same split.
     */
    default List<Subset<T>> randomSplit(long seed, double... fractions) {
        return Subset.randomSplit(this, seed, fractions);
    }

    /** The datasets one after the other (see {@link ConcatDataset}). */
    @SafeVarargs
    static <T> ConcatDataset<T> concat(Dataset<? extends T>... parts) {
        List<Dataset<? extends T>> list = new ArrayList<>(parts.length);
        for (Dataset<? extends T> p : parts) list.add(p);
        return new ConcatDataset<>(list);
    }

    /** Checks {@code 0 <= index < size}, throwing a message that names the dataset. */
    static void checkIndex(int index, int size, String what) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(what + ": index " + index + " out of range for a dataset of " + size + " examples");
        }
    }
}
