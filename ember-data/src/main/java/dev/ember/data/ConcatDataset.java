package dev.ember.data;

import dev.ember.tensor.Generator;

import java.util.Arrays;
import java.util.List;

/**
 * Several datasets one after the other: index {@code i} falls into the first part whose cumulative size
 * exceeds it.
 *
 * @param <T> the example type
 */
public final class ConcatDataset<T> implements Dataset<T> {
    private final List<Dataset<? extends T>> parts;
    /** ends[k] = total size of parts 0..k. */
    private final int[] ends;

    /** The concatenation of {@code parts}, in order. */
    public ConcatDataset(List<Dataset<? extends T>> parts) {
        if (parts.isEmpty()) throw new IllegalArgumentException("ConcatDataset: needs at least one dataset");
        this.parts = List.copyOf(parts);
        this.ends = new int[parts.size()];
        long total = 0;
        for (int k = 0; k < ends.length; k++) {
            total += parts.get(k).size();
            if (total > Integer.MAX_VALUE) throw new IllegalArgumentException("ConcatDataset: more than 2^31-1 examples");
            ends[k] = (int) total;
        }
    }

    /** The concatenated datasets. */
    public List<Dataset<? extends T>> parts() {
        return parts;
    }

    @Override
    public int size() {
        return ends[ends.length - 1];
    }

    @Override
    public T get(int index, Generator rng) {
        Dataset.checkIndex(index, size(), "ConcatDataset");
        int k = Arrays.binarySearch(ends, index);
        // binarySearch gives the part whose end equals index (index belongs to the next part) or an insertion point.
        k = k >= 0 ? k + 1 : -k - 1;
        while (parts.get(k).size() == 0) k++;
        int start = k == 0 ? 0 : ends[k - 1];
        return parts.get(k).get(index - start, rng);
    }
}
