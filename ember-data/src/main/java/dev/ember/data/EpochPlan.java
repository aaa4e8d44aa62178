package dev.ember.data;

import dev.ember.tensor.Generator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * What one epoch of a {@link DataLoader} loads: the batches, in order, each a pure function of the plan
 * (indices and per-sample seeds fixed up front), so any worker can build any batch and the result does not
 * depend on the worker count. Plans hold no reference to the iterator that runs them, so an abandoned
 * iterator can be garbage collected while its workers finish.
 */
sealed interface EpochPlan<B> {
    /** Number of batches, or -1 when unknown (a stream). */
    int batches();

    /** A map-style epoch: a permutation cut into batches. */
    record MapStyle<T, B>(Dataset<T> dataset, BatchedDataset fastPath, Collate<T, B> collate,
                          int[] order, int batchSize, int batches, long seed, int epoch) implements EpochPlan<B> {
        /** Builds batch {@code k} (thread-safe). */
        @SuppressWarnings("unchecked")
        B load(int k) {
            int start = k * batchSize, end = Math.min(start + batchSize, order.length);
            int[] idx = Arrays.copyOfRange(order, start, end);
            long[] seeds = new long[idx.length];
            for (int p = 0; p < idx.length; p++) seeds[p] = SampleSeeds.forSample(seed, epoch, start + p);
            if (fastPath != null) {
                try {
                    return (B) fastPath.batch(idx, seeds);
                } catch (RuntimeException e) {
                    throw new IllegalStateException("DataLoader: failed to load batch " + k + " (sample indices "
                            + preview(idx) + "): " + e.getMessage(), e);
                }
            }
            List<T> samples = new ArrayList<>(idx.length);
            for (int p = 0; p < idx.length; p++) {
                try {
                    samples.add(dataset.get(idx[p], new Generator(seeds[p])));
                } catch (RuntimeException e) {
                    throw new IllegalStateException("DataLoader: failed to load sample index " + idx[p] + " (batch " + k
                            + "): " + e.getMessage(), e);
                }
            }
            return collateOrExplain(collate, samples, k);
        }
    }

    /** A streaming epoch: chunks read in order from one iterator, then transformed and collated. */
    record Stream<T, B>(Iterator<Object> source, Transform<Object, ? extends T> transform,
                        Collate<T, B> collate, int batchSize, boolean dropLast, int batches,
                        long seed, int epoch) implements EpochPlan<B> {
        /** Reads the next chunk (call from one thread, in order); null at the end of the stream. */
        List<Object> read() {
            List<Object> chunk = new ArrayList<>(batchSize);
            while (chunk.size() < batchSize && source.hasNext()) chunk.add(source.next());
            if (chunk.isEmpty() || (dropLast && chunk.size() < batchSize)) return null;
            return chunk;
        }

        /** Transforms and collates chunk {@code k} (thread-safe). */
        @SuppressWarnings("unchecked")
        B process(List<Object> chunk, int k) {
            List<T> samples = new ArrayList<>(chunk.size());
            for (int p = 0; p < chunk.size(); p++) {
                long position = (long) k * batchSize + p;
                try {
                    samples.add(transform == null ? (T) chunk.get(p)
                            : transform.apply(chunk.get(p), new Generator(SampleSeeds.forSample(seed, epoch, position))));
                } catch (RuntimeException e) {
                    throw new IllegalStateException("DataLoader: failed to transform stream element " + position + " (batch " + k
                            + "): " + e.getMessage(), e);
                }
            }
            return collateOrExplain(collate, samples, k);
        }
    }

    private static <T, B> B collateOrExplain(Collate<T, B> collate, List<T> samples, int k) {
        try {
            return collate.collate(samples);
        } catch (RuntimeException e) {
            throw new IllegalStateException("DataLoader: collate failed for batch " + k + ": " + e.getMessage(), e);
        }
    }

    private static String preview(int[] idx) {
        if (idx.length <= 8) return Arrays.toString(idx);
        return Arrays.toString(Arrays.copyOf(idx, 8)).replace("]", ", ... (" + idx.length + " in all)]");
    }
}
