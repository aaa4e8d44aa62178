package dev.ember.train;

import dev.ember.autograd.Grad;
import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;

import java.util.function.IntToDoubleFunction;

/**
 * Streaming classification metrics (Keras's {@code metrics}): accuracy, top-k accuracy, macro
 * precision/recall/F1 and the mean of a value (used for the loss). Outputs are [N, C] scores (logits
 * or probabilities) and targets [N] class indices; {@link #binaryAccuracy} takes [N] or [N, 1]
 * probabilities against 0/1 targets.
 */
public final class Metrics {
    private Metrics() {
    }

    /** Fraction of samples whose arg-max class equals the target. */
    public static Metric accuracy() {
        return new Counting("accuracy") {
            @Override
            long correct(Tensor output, long[] truth) {
                long[] pred = predictedClasses(output, "accuracy");
                long c = 0;
                for (int i = 0; i < pred.length; i++) if (pred[i] == truth[i]) c++;
                return c;
            }
        };
    }

    /** Fraction of samples whose target is among the k highest scores. */
    public static Metric topKAccuracy(int k) {
        if (k < 1) throw new IllegalArgumentException("topKAccuracy: k must be >= 1, got " + k);
        return new Counting("top" + k + "_accuracy") {
            @Override
            long correct(Tensor output, long[] truth) {
                if (output.rank() != 2) throw new IllegalArgumentException("top" + k + "_accuracy: expected scores [N, C], got " + output.shape());
                int n = output.size(0), c = output.size(1);
                float[] s = output.toFloatArray();
                long hits = 0;
                for (int i = 0; i < n; i++) {
                    float t = s[i * c + (int) truth[i]];
                    int better = 0;
                    for (int j = 0; j < c; j++) {
                        float v = s[i * c + j];
                        if (v > t || (v == t && j < truth[i])) better++; // ties resolved towards lower indices, as topk
                    }
                    if (better < k) hits++;
                }
                return hits;
            }
        };
    }

    /** Fraction of [N] or [N, 1] probabilities on the right side of {@code threshold} for 0/1 targets. */
    public static Metric binaryAccuracy(double threshold) {
        return new Counting("accuracy") {
            @Override
            long correct(Tensor output, long[] truth) {
                float[] p = output.toFloatArray();
                if (p.length != truth.length) {
                    throw new IllegalArgumentException("accuracy: " + p.length + " outputs for " + truth.length + " targets");
                }
                long c = 0;
                for (int i = 0; i < p.length; i++) if ((p[i] > threshold ? 1 : 0) == truth[i]) c++;
                return c;
            }
        };
    }

    /** Macro-averaged precision over classes that were predicted at least once. */
    public static Metric precision(int numClasses) {
        return macro("precision", numClasses, ConfusionMatrix::precision);
    }

    /** Macro-averaged recall over classes present in the targets. */
    public static Metric recall(int numClasses) {
        return macro("recall", numClasses, ConfusionMatrix::recall);
    }

    /** Macro-averaged F1. */
    public static Metric f1(int numClasses) {
        return macro("f1", numClasses, ConfusionMatrix::f1);
    }

    /** A confusion matrix (its {@code result()} is the accuracy). */
    public static ConfusionMatrix confusionMatrix(int numClasses) {
        return new ConfusionMatrix(numClasses);
    }

    /** The running mean of values passed to {@link MeanMetric#add}, weighted by count (e.g. the loss). */
    public static MeanMetric mean(String name) {
        return new MeanMetric(name);
    }

    private interface ClassScore {
        double score(ConfusionMatrix m, int c);
    }

    private static Metric macro(String name, int numClasses, ClassScore score) {
        ConfusionMatrix cm = new ConfusionMatrix(numClasses);
        return new Metric() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void reset() {
                cm.reset();
            }

            @Override
            public void update(Tensor output, Tensor target) {
                cm.update(output, target);
            }

            @Override
            public double result() {
                return average(numClasses, c -> score.score(cm, c));
            }
        };
    }

    static double average(int n, IntToDoubleFunction f) {
        double sum = 0;
        int k = 0;
        for (int c = 0; c < n; c++) {
            double v = f.applyAsDouble(c);
            if (!Double.isNaN(v)) {
                sum += v;
                k++;
            }
        }
        return k == 0 ? Double.NaN : sum / k;
    }

    /** Arg-max classes of [N, C] scores (or [N] already-predicted integer classes). */
    static long[] predictedClasses(Tensor output, String metric) {
        try (var g = Grad.off()) {
            if (output.rank() == 2) return output.argmax(1, false).toLongArray();
            if (output.rank() == 1 && !output.dtype().isFloating()) return output.toLongArray();
        }
        throw new IllegalArgumentException(metric + ": expected scores [N, C] (or predicted classes [N]), got " + output.shape()
                + " " + output.dtype().pyName());
    }

    static long[] labels(Tensor target, int n, String metric) {
        if (target.numel() != n) {
            throw new IllegalArgumentException(metric + ": " + n + " predictions but target has shape " + target.shape());
        }
        if (target.dtype().isFloating()) {
            throw new IllegalArgumentException(metric + ": targets must be class indices (int64), got " + target.dtype().pyName());
        }
        return target.toLongArray();
    }

    /** Base of metrics that count correct samples. */
    private abstract static class Counting implements Metric {
        private final String name;
        private long correct, total;

        Counting(String name) {
            this.name = name;
        }

        abstract long correct(Tensor output, long[] truth);

        @Override
        public String name() {
            return name;
        }

        @Override
        public void reset() {
            correct = 0;
            total = 0;
        }

        @Override
        public void update(Tensor output, Tensor target) {
            int n = output.rank() == 0 ? 1 : output.size(0);
            long[] truth = target.dtype() == DType.BOOL || !target.dtype().isFloating() ? labels(target, n, name)
                    : floatLabels(target, n);
            correct += correct(output, truth);
            total += n;
        }

        private long[] floatLabels(Tensor target, int n) {
            if (target.numel() != n) throw new IllegalArgumentException(name + ": " + n + " predictions but target has shape " + target.shape());
            float[] f = target.toFloatArray();
            long[] l = new long[f.length];
            for (int i = 0; i < f.length; i++) l[i] = f[i] > 0.5f ? 1 : 0;
            return l;
        }

        @Override
        public double result() {
            return total == 0 ? Double.NaN : (double) correct / total;
        }
    }
}
