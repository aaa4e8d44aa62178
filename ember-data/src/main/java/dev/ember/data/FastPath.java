package dev.ember.data;

import dev.ember.tensor.Generator;

/** Finds a {@link BatchedDataset} behind a dataset (directly or through {@link Subset}s) for the loader. */
final class FastPath {
    private FastPath() {
    }

    /** The batched form of {@code dataset}, or null if it has none. */
    static BatchedDataset of(Dataset<?> dataset) {
        if (dataset instanceof BatchedDataset b) return b;
        if (dataset instanceof Subset<?> s) {
            BatchedDataset inner = of(s.source());
            if (inner == null) return null;
            return new BatchedDataset() {
                @Override
                public Batch batch(int[] indices, long[] seeds) {
                    int[] mapped = new int[indices.length];
                    for (int k = 0; k < indices.length; k++) mapped[k] = s.sourceIndex(indices[k]);
                    return inner.batch(mapped, seeds);
                }

                @Override
                public int size() {
                    return s.size();
                }

                @Override
                public Sample get(int index, Generator rng) {
                    return inner.get(s.sourceIndex(index), rng);
                }
            };
        }
        return null;
    }
}
