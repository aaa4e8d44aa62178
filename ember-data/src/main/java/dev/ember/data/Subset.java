package dev.ember.data;

import dev.ember.tensor.Generator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The examples of another dataset at a list of indices, in that order; a view that copies nothing.
 *
 * @param <T> the example type
 */
public final class Subset<T> implements Dataset<T> {
    private final Dataset<T> source;
    private final int[] indices;

    /** A view of {@code source} at {@code indices} (each must be in range). */
    public Subset(Dataset<T> source, int[] indices) {
        this.source = source;
        this.indices = indices.clone();
        int n = source.size();
        for (int i : this.indices) Dataset.checkIndex(i, n, "Subset");
    }

    /** The dataset this is a view of. */
    public Dataset<T> source() {
        return source;
    }

    /** The source index of example {@code i} of this subset. */
    public int sourceIndex(int i) {
        Dataset.checkIndex(i, indices.length, "Subset");
        return indices[i];
    }

    /** The source indices, in order (a copy). */
    public int[] indices() {
        return indices.clone();
    }

    @Override
    public int size() {
        return indices.length;
    }

    @Override
    public T get(int index, Generator rng) {
        return source.get(sourceIndex(index), rng);
    }

    static <T> List<Subset<T>> randomSplit(Dataset<T> ds, long seed, double[] fractions) {
        if (fractions.length == 0) throw new IllegalArgumentException("randomSplit: give at least one fraction");
        double sum = 0;
        for (double f : fractions) {
            if (!(f >= 0)) throw new IllegalArgumentException("randomSplit: fractions must be >= 0, got " + Arrays.toString(fractions));
            sum += f;
        }
        if (Math.abs(sum - 1) > 1e-6) {
            throw new IllegalArgumentException("randomSplit: fractions must sum to 1, got " + Arrays.toString(fractions) + " (sum " + sum + ")");
        }
        int n = ds.size();
        int[] lengths = new int[fractions.length];
        int assigned = 0;
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = (int) Math.floor(n * fractions[i]);
            assigned += lengths[i];
        }
        for (int i = 0; assigned < n; i = (i + 1) % lengths.length, assigned++) lengths[i]++;
        int[] perm = permutation(n, new Generator(SampleSeeds.forEpoch(seed, -1)));
        List<Subset<T>> out = new ArrayList<>(lengths.length);
        int start = 0;
        for (int len : lengths) {
            out.add(new Subset<>(ds, Arrays.copyOfRange(perm, start, start + len)));
            start += len;
        }
        return out;
    }

    /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
    static int[] permutation(int n, Generator rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }
}
