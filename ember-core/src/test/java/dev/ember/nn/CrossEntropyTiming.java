package dev.ember.nn;

import dev.ember.autograd.Grad;
import dev.ember.tensor.Generator;
import dev.ember.tensor.DType;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.BinaryOperator;

/**
 * Forward + backward time (loss and the logits' gradient) of the fused cross-entropy against the
 * composite paths it replaces, on [128, 10] (a small classifier's batch) and [1000, 1000]; prints
 * median and best times over repetitions. Not a test: run by hand with
 * {@code java --add-modules jdk.incubator.vector -cp ember-core/target/classes:ember-core/target/test-classes dev.ember.nn.CrossEntropyTiming}.
 */
public final class CrossEntropyTiming {
    private CrossEntropyTiming() {
    }

    private static double timeMicros(BinaryOperator<Tensor> loss, Tensor x, Tensor t, int iters) {
        long start = System.nanoTime();
        for (int i = 0; i < iters; i++) {
            Tensor leaf = x.detach().requiresGrad(true);
            // Grad.of hands back the logits' gradient as a model's last layer receives it (backward() on a
            // leaf would add a copy into leaf.grad(), the same for every path).
            if (Grad.of(loss.apply(leaf, t), leaf)[0] == null) throw new AssertionError();
        }
        return (System.nanoTime() - start) / 1e3 / iters;
    }

    public static void main(String[] args) {
        BinaryOperator<Tensor> fused = Losses::crossEntropy;
        BinaryOperator<Tensor> gather = (x, t) -> x.logSoftmax(1).gather(1, t.unsqueeze(1)).mean().neg();
        BinaryOperator<Tensor> composite = (x, t) -> Losses.crossEntropyComposite(x, t, CrossEntropyOptions.DEFAULTS);
        int[][] shapes = {{128, 10}, {1000, 1000}};
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        for (int[] s : shapes) {
            Generator g = new Generator(1);
            Tensor x = Tensor.randn(g, Shape.of(s), DType.FLOAT32);
            Tensor t = Tensor.randint(g, 0, s[1], Shape.of(s[0]));
            int iters = s[1] >= 1000 ? 20 : 2000;
            String[] names = {"fused", "logSoftmax+gather", "Losses composite"};
            BinaryOperator<Tensor>[] fns = new BinaryOperator[] {fused, gather, composite};
            for (int w = 0; w < 3; w++) for (BinaryOperator<Tensor> f : fns) timeMicros(f, x, t, iters); // warm up every path first
            double[][] times = new double[fns.length][reps];
            for (int r = 0; r < reps; r++) for (int k = 0; k < fns.length; k++) times[k][r] = timeMicros(fns[k], x, t, iters);
            double[] med = new double[fns.length];
            for (int k = 0; k < fns.length; k++) {
                Arrays.sort(times[k]);
                med[k] = times[k][reps / 2];
            }
            for (int k = 0; k < fns.length; k++) {
                System.out.printf(Locale.ROOT, "%s %-18s %10.1f us  (min %.1f)  x%.2f vs fused%n", Arrays.toString(s), names[k], med[k],
                        times[k][0], med[k] / med[0]);
            }
        }
    }
}
