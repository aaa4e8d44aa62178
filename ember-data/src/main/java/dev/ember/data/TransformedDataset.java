package dev.ember.data;

import dev.ember.tensor.Generator;

/**
 * A dataset whose examples pass through a {@link Transform} when fetched.
 *
 * @param <A> example type of the source
 * @param <B> example type after the transform
 */
public final class TransformedDataset<A, B> implements Dataset<B> {
    private final Dataset<A> source;
    private final Transform<? super A, ? extends B> transform;

    /** {@code source} with {@code transform} applied to each example. */
    public TransformedDataset(Dataset<A> source, Transform<? super A, ? extends B> transform) {
        this.source = source;
        this.transform = transform;
    }

    @Override
    public int size() {
        return source.size();
    }

    @Override
    public B get(int index, Generator rng) {
        return transform.apply(source.get(index, rng), rng);
    }
}
