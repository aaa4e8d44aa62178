package dev.ember.data;

import java.util.List;

/**
 * Turns the samples of one batch into a batch value (PyTorch's {@code collate_fn}).
 *
 * <p>The default, {@link #stack()}, stacks {@link Sample}s into a {@link Batch}. A custom collate can pad
 * sequences, build masks, or return any batch type:
 * <pre>{@code
 * Collate<Sample, Batch> padded = samples -> new Batch(padAndStack(samples), Stacking.stack(ys(samples), "y"));
 * DataLoader<Batch> loader = DataLoader.builder(ds, padded).batchSize(32).build();
 * }</pre>
 *
 * <p>Collates run on the loader's worker threads and must be thread-safe.
 *
 * @param <T> the sample type
 * @param <B> the batch type
 */
@FunctionalInterface
public interface Collate<T, B> {
    /** The batch made of {@code samples} (in loader order, never empty). */
    B collate(List<T> samples);

    /**
     * The default collate: {@code x}s stacked into {@code [B, ...x.shape]} and {@code y}s into
     * {@code [B, ...y.shape]}, each keeping its dtype (labels from {@link Sample#of} give INT64 {@code [B]}).
     * All {@code x}s must share one shape and dtype, and so must all {@code y}s.
     */
    static Collate<Sample, Batch> stack() {
        return StackCollate.INSTANCE;
    }
}

/** The default collate; a singleton so the loader can recognise it and take a dataset's batch fast path. */
final class StackCollate implements Collate<Sample, Batch> {
    static final StackCollate INSTANCE = new StackCollate();

    private StackCollate() {
    }

    @Override
    public Batch collate(List<Sample> samples) {
        return new Batch(Stacking.stack(samples.stream().map(Sample::x).toList(), "x"),
                Stacking.stack(samples.stream().map(Sample::y).toList(), "y"));
    }
}
