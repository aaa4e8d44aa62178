package dev.ember.nn;

import dev.ember.autograd.Grad;
import dev.ember.tensor.DType;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;
import dev.ember.testing.Golden;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fused softmax cross-entropy against its composite definition ({@code logSoftmax}, {@code gather},
 * reductions), over seeded random shapes, dtypes, target dtypes, ignored rows, smoothing and
 * reductions; its first-order kernel gradient against its differentiable (create-graph) gradient;
 * and its numerical stability for huge logits.
 */
class CrossEntropyFusedTest {
    private static final Reduction[] REDUCTIONS = Reduction.values();

    private static Tensor targets(Random r, int c, int ignoreEveryOrZero, long ignoreIndex, DType dtype, int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        long[] v = new long[n];
        for (int i = 0; i < n; i++) v[i] = ignoreEveryOrZero > 0 && r.nextInt(ignoreEveryOrZero) == 0 ? ignoreIndex : r.nextInt(c);
        return Tensor.of(v, shape).to(dtype);
    }

    private static Tensor[] lossAndGrad(Tensor logits, Tensor target, CrossEntropyOptions o, boolean fused, boolean createGraph) {
        Tensor x = logits.detach().requiresGrad(true);
        Tensor loss = fused ? Losses.crossEntropy(x, target, o) : Losses.crossEntropyComposite(x, target, o);
        Tensor g = Tensor.randn(new Generator(7), loss.shape(), loss.dtype());
        Tensor[] grads = Grad.of(new Tensor[] {loss}, new Tensor[] {g}, new Tensor[] {x}, false, createGraph, false);
        return new Tensor[] {loss, grads[0]};
    }

    @Test
    void fusedMatchesCompositeOverRandomCases() {
        Random r = new Random(1234);
        for (int iter = 0; iter < 200; iter++) {
            DType dt = r.nextBoolean() ? DType.FLOAT32 : DType.FLOAT64;
            int n = 1 + r.nextInt(9), c = 1 + r.nextInt(r.nextBoolean() ? 8 : 70);
            int kind = r.nextInt(4); // 0: [N, C]; 1: [N, C, d1, d2]; 2: [C] unbatched; 3: a transposed [N, C]
            long ignore = r.nextBoolean() ? -100 : r.nextInt(c);
            double smoothing = new double[] {0, 0, 0.1, 0.35, 1}[r.nextInt(5)];
            Reduction red = REDUCTIONS[r.nextInt(3)];
            DType tdt = r.nextBoolean() ? DType.INT64 : DType.INT32;
            int ignoreEvery = r.nextInt(3) == 0 ? 0 : 2 + r.nextInt(3);
            Generator g = new Generator(iter);
            Tensor logits, target;
            switch (kind) {
                case 1 -> {
                    int d1 = 1 + r.nextInt(3), d2 = 1 + r.nextInt(3);
                    logits = Tensor.randn(g, Shape.of(n, c, d1, d2), dt).mul(3);
                    target = targets(r, c, ignoreEvery, ignore, tdt, n, d1, d2);
                }
                case 2 -> {
                    logits = Tensor.randn(g, Shape.of(c), dt).mul(3);
                    target = targets(r, c, 0, ignore, tdt).reshape();
                }
                case 3 -> {
                    logits = Tensor.randn(g, Shape.of(c, n), dt).mul(3).t();
                    target = targets(r, c, ignoreEvery, ignore, tdt, n);
                }
                default -> {
                    logits = Tensor.randn(g, Shape.of(n, c), dt).mul(3);
                    target = targets(r, c, ignoreEvery, ignore, tdt, n);
                }
            }
            CrossEntropyOptions o = CrossEntropyOptions.builder().ignoreIndex(ignore).labelSmoothing(smoothing).reduction(red).build();
            String what = "case " + iter + " " + dt + " " + logits.shape() + " ignore " + ignore + " smoothing " + smoothing + " " + red;
            Tensor[] f = lossAndGrad(logits, target, o, true, false), ref = lossAndGrad(logits, target, o, false, false);
            double tol = dt == DType.FLOAT32 ? 2e-5 : 1e-12;
            assertEquals(ref[0].dtype(), f[0].dtype(), what);
            Golden.assertClose(ref[0], f[0], tol, tol, what + " loss");
            Golden.assertClose(ref[1], f[1], tol, tol, what + " grad");
            // The double-backward form (tensor ops, taken when building a graph) gives the same gradient.
            Tensor[] cg = lossAndGrad(logits, target, o, true, true);
            Golden.assertClose(f[1], cg[1], tol, tol, what + " create-graph grad");
        }
    }

    @Test
    void commonCaseRunsAsOneFusedNode() {
        Tensor x = Tensor.randn(8, 10).requiresGrad(true);
        Tensor loss = Losses.crossEntropy(x, Tensor.randint(0, 10, 8));
        assertEquals("crossEntropy", loss.gradFn().name());
        assertTrue(loss.gradFn().op() instanceof LossOps.SoftmaxCrossEntropy, loss.gradFn().op().toString());
        Tensor weighted = Losses.crossEntropy(x, Tensor.randint(0, 10, 8),
                CrossEntropyOptions.builder().weight(Tensor.ones(10)).build());
        assertTrue(!(weighted.gradFn().op() instanceof LossOps.SoftmaxCrossEntropy), "class weights take the composite path");
    }

    @Test
    void hugeLogitsStayFinite() {
        // float32 logits far beyond exp's range: a naive softmax overflows, log-sum-exp does not.
        float[] v = {1e4f, -1e4f, 3e4f, 0f, -3e4f, 5e3f, 88.8f, 89f, -200f};
        Tensor x = Tensor.of(v, 3, 3).requiresGrad(true);
        Tensor t = Tensor.of(new long[] {0, 2, 1}, 3);
        Tensor loss = Losses.crossEntropy(x, t, CrossEntropyOptions.builder().reduction(Reduction.NONE).build());
        double[] l = loss.toDoubleArray();
        // Row 0: lse = 3e4, so the loss is 3e4 - 1e4; row 1: the target (5e3) is the max by far -> 0; row 2: lse - 89.
        assertEquals(2e4, l[0], 1e-2);
        assertEquals(0, l[1], 1e-6);
        double lse2 = 89 + Math.log(1 + Math.exp((double) 88.8f - 89.0) + Math.exp(-289.0));
        assertEquals(lse2 - 89.0, l[2], 1e-5);
        loss.sum().backward();
        for (double gv : x.grad().toDoubleArray()) assertTrue(Double.isFinite(gv) && Math.abs(gv) <= 1 + 1e-6, "grad " + gv);
    }

    @Test
    void everyTargetIgnoredGivesNanMeanAndZeroGradient() {
        Tensor x = Tensor.randn(4, 3).requiresGrad(true);
        Tensor loss = Losses.crossEntropy(x, Tensor.full(Shape.of(4), -100, DType.INT64));
        assertTrue(Double.isNaN(loss.item()), "PyTorch gives NaN (0 / 0) for the mean over no targets");
        loss.backward();
        for (double gv : x.grad().toDoubleArray()) assertEquals(0.0, gv);
    }

    @Test
    void emptyBatch() {
        Tensor x = Tensor.zeros(Shape.of(0, 5), DType.FLOAT32).requiresGrad(true);
        Tensor t = Tensor.zeros(Shape.of(0), DType.INT64);
        assertTrue(Double.isNaN(Losses.crossEntropy(x, t).item()));
        assertEquals(0.0, Losses.crossEntropy(x, t, CrossEntropyOptions.builder().reduction(Reduction.SUM).build()).item());
        assertEquals(Shape.of(0), Losses.crossEntropy(x, t, CrossEntropyOptions.builder().reduction(Reduction.NONE).build()).shape());
    }

    @Test
    void optionsBuilderKeepsDefaultsAndCopies() {
        CrossEntropyOptions d = CrossEntropyOptions.builder().build();
        assertEquals(CrossEntropyOptions.DEFAULTS, d);
        assertEquals(-100, d.ignoreIndex());
        assertEquals(Reduction.MEAN, d.reduction());
        CrossEntropyOptions o = d.toBuilder().ignoreIndex(3).labelSmoothing(0.5).build();
        assertEquals(3, o.ignoreIndex());
        assertEquals(0.5, o.labelSmoothing());
        assertEquals(Reduction.MEAN, o.reduction());
        Tensor x = Tensor.randn(5, 4), t = Tensor.randint(0, 4, 5);
        assertEquals(Losses.crossEntropy(x, t, o).item(), Losses.crossEntropy(o).apply(x, t).item());
        assertEquals(Losses.crossEntropy(x, t).item(), F.crossEntropy(x, t).item());
    }
}
