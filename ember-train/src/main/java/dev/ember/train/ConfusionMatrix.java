package dev.ember.train;

import dev.ember.tensor.Tensor;

/**
 * Counts of (true class, predicted class) pairs for classifiers whose output is [N, C] scores and
 * whose target is [N] class indices. Also the basis of macro precision, recall and F1.
 */
public final class ConfusionMatrix implements Metric {
    private final int numClasses;
    private final long[][] counts;

    public ConfusionMatrix(int numClasses) {
        if (numClasses < 2) throw new IllegalArgumentException("ConfusionMatrix: numClasses must be >= 2, got " + numClasses);
        this.numClasses = numClasses;
        this.counts = new long[numClasses][numClasses];
    }

    @Override
    public String name() {
        return "confusion_matrix";
    }

    @Override
    public void reset() {
        for (long[] row : counts) java.util.Arrays.fill(row, 0);
    }

    @Override
    public void update(Tensor output, Tensor target) {
        long[] pred = Metrics.predictedClasses(output, "ConfusionMatrix");
        long[] truth = Metrics.labels(target, pred.length, "ConfusionMatrix");
        for (int i = 0; i < pred.length; i++) {
            if (truth[i] < 0 || truth[i] >= numClasses || pred[i] >= numClasses) {
                throw new IllegalArgumentException("ConfusionMatrix: class " + Math.max(truth[i], pred[i]) + " out of range for "
                        + numClasses + " classes");
            }
            counts[(int) truth[i]][(int) pred[i]]++;
        }
    }

    /** Overall accuracy, so the matrix can stand in as a metric. */
    @Override
    public double result() {
        long right = 0, all = 0;
        for (int i = 0; i < numClasses; i++) {
            for (int j = 0; j < numClasses; j++) {
                all += counts[i][j];
                if (i == j) right += counts[i][j];
            }
        }
        return all == 0 ? Double.NaN : (double) right / all;
    }

    /** A copy of the counts: row = true class, column = predicted class. */
    public long[][] matrix() {
        long[][] c = new long[numClasses][];
        for (int i = 0; i < numClasses; i++) c[i] = counts[i].clone();
        return c;
    }

    public int numClasses() {
        return numClasses;
    }

    /** Precision of class c: TP / (TP + FP); NaN when nothing was predicted as c. */
    public double precision(int c) {
        long tp = counts[c][c], predicted = 0;
        for (int i = 0; i < numClasses; i++) predicted += counts[i][c];
        return predicted == 0 ? Double.NaN : (double) tp / predicted;
    }

    /** Recall of class c: TP / (TP + FN); NaN when c never occurred. */
    public double recall(int c) {
        long tp = counts[c][c], actual = 0;
        for (int j = 0; j < numClasses; j++) actual += counts[c][j];
        return actual == 0 ? Double.NaN : (double) tp / actual;
    }

    /** F1 of class c (0 when precision + recall is 0). */
    public double f1(int c) {
        double p = precision(c), r = recall(c);
        if (Double.isNaN(p) || Double.isNaN(r)) return Double.NaN;
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }
}
