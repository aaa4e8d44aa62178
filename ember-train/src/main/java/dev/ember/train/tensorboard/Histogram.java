package dev.ember.train.tensorboard;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A histogram in TensorBoard's {@code HistogramProto} form, bucketed exactly as TensorFlow's C++
 * {@code tensorflow::histogram::Histogram} does by default:
 *
 * <ul>
 *   <li>bucket edges {@code -DBL_MAX, -e_n, ..., -e_0, 0, e_0, ..., e_n, DBL_MAX} with
 *       {@code e_0 = 1e-12} and {@code e_(k+1) = 1.1 * e_k} while below {@code 1e20} (about 1,550 edges,
 *       10% wide buckets over 32 decades, fine enough for weights and gradients alike);</li>
 *   <li>a value {@code v} falls into the first bucket whose limit is greater than {@code v}, so bucket
 *       {@code i} holds {@code limit[i-1] <= v < limit[i]} (values beyond the last edge, i.e. +Infinity,
 *       land in the last bucket);</li>
 *   <li>runs of empty buckets are collapsed into one, reported with the limit of the run's last bucket
 *       (TensorFlow's {@code EncodeToProto(preserve_zero_buckets=false)}).</li>
 * </ul>
 *
 * @param min         smallest value
 * @param max         largest value
 * @param num         number of values
 * @param sum         sum of the values
 * @param sumSquares  sum of their squares
 * @param bucketLimit right edge of each bucket (increasing)
 * @param bucket      count of each bucket
 */
record Histogram(double min, double max, double num, double sum, double sumSquares, double[] bucketLimit,
                 double[] bucket) {
    /** TensorFlow's default bucket edges (see the class comment). */
    static final double[] DEFAULT_EDGES = defaultEdges();

    private static double[] defaultEdges() {
        List<Double> positive = new ArrayList<>();
        for (double v = 1e-12; v < 1e20; v *= 1.1) positive.add(v);
        int n = positive.size();
        double[] edges = new double[2 * n + 3];
        edges[0] = -Double.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            edges[1 + i] = -positive.get(n - 1 - i);
            edges[n + 2 + i] = positive.get(i);
        }
        edges[n + 1] = 0.0;
        edges[2 * n + 2] = Double.MAX_VALUE;
        return edges;
    }

    /**
     * Buckets {@code values} with the default edges.
     *
     * @param what names the values in messages (e.g. the summary tag)
     * @throws IllegalArgumentException if there are no values or some are NaN
     */
    static Histogram of(double[] values, String what) {
        if (values.length == 0) throw new IllegalArgumentException(what + ": cannot make a histogram of no values");
        double[] edges = DEFAULT_EDGES;
        long[] counts = new long[edges.length];
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double sum = 0;
        double sumSquares = 0;
        int nans = 0;
        for (double v : values) {
            if (Double.isNaN(v)) {
                nans++;
                continue;
            }
            min = Math.min(min, v);
            max = Math.max(max, v);
            sum += v;
            sumSquares += v * v;
            counts[Math.min(upperBound(edges, v), edges.length - 1)]++;
        }
        if (nans > 0) {
            throw new IllegalArgumentException(what + ": " + nans + " of " + values.length
                    + " values are NaN (a histogram needs numbers; check for a diverged model)");
        }
        return collapse(min, max, values.length, sum, sumSquares, edges, counts);
    }

    /** The index of the first edge greater than {@code v} (C++ {@code std::upper_bound}). */
    private static int upperBound(double[] edges, double v) {
        int lo = 0;
        int hi = edges.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (edges[mid] <= v) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }

    private static Histogram collapse(double min, double max, long num, double sum, double sumSquares,
                                      double[] edges, long[] counts) {
        double[] limits = new double[edges.length];
        double[] kept = new double[edges.length];
        int n = 0;
        for (int i = 0; i < edges.length; ) {
            double end = edges[i];
            long count = counts[i];
            i++;
            if (count == 0) {
                while (i < edges.length && counts[i] == 0) end = edges[i++];
            }
            limits[n] = end;
            kept[n++] = count;
        }
        return new Histogram(min, max, num, sum, sumSquares, Arrays.copyOf(limits, n), Arrays.copyOf(kept, n));
    }

    /** The {@code HistogramProto} message. */
    ProtoWriter encode() {
        return new ProtoWriter()
                .float64(1, min)
                .float64(2, max)
                .float64(3, num)
                .float64(4, sum)
                .float64(5, sumSquares)
                .packedDoubles(6, bucketLimit)
                .packedDoubles(7, bucket);
    }
}
