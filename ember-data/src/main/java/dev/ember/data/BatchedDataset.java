package dev.ember.data;

/**
 * A dataset that can build a whole {@link Batch} at once, faster than fetching samples one by one and
 * stacking them (e.g. converting a batch of uint8 images straight into one float array).
 *
 * <p>Contract: {@code batch(indices, seeds)} equals {@link Collate#stack()} applied to
 * {@code get(indices[k], new Generator(seeds[k]))} for every k, bit for bit. The {@link DataLoader} uses it
 * when the collate is the default one (also through {@link Subset}s).
 */
public interface BatchedDataset extends Dataset<Sample> {
    /** The batch of examples {@code indices}, sample k drawing its randomness from {@code new Generator(seeds[k])}. */
    Batch batch(int[] indices, long[] seeds);
}
