package dev.ember.ops.catalog;

import dev.ember.nn.CrossEntropyOptions;
import dev.ember.nn.Losses;
import dev.ember.nn.Reduction;
import dev.ember.tensor.DType;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

import static dev.ember.ops.catalog.Samples.awayFrom;
import static dev.ember.ops.catalog.Samples.randn;
import static dev.ember.ops.catalog.Samples.uniform;

/**
 * Catalogue entries for the losses of {@link Losses} (the functional API's losses, like the other
 * {@code F} helpers). The fused cross-entropy (class indices, no weights) has entries for each of
 * its options, checked to second order through its composite backward; weighted cross-entropy runs
 * the composite path. Class-index targets are INT64 inputs that take no gradient. Piecewise losses
 * get differences kept away from their switch points, so finite differences never straddle one.
 */
final class LossSpecs {
    private LossSpecs() {
    }

    private static OpSpec.Sample sample(String label, Tensor... inputs) {
        return new OpSpec.Sample(label, inputs);
    }

    /** INT64 class indices in [0, c), with every {@code ignoreEvery}-th set to ignoreIndex (0: none ignored). */
    private static Tensor classes(Generator g, int c, int ignoreEvery, long ignoreIndex, int... shape) {
        Tensor t = Tensor.randint(g, 0, c, Shape.of(shape));
        if (ignoreEvery == 0) return t;
        long[] v = t.toLongArray();
        for (int i = 0; i < v.length; i += ignoreEvery) v[i] = ignoreIndex;
        return Tensor.of(v, shape);
    }

    /** Probabilities along dim 1 (not requiring grad unless asked). */
    private static Tensor probabilities(Generator g, boolean grad, int... shape) {
        Tensor p = Tensor.randn(g, Shape.of(shape), DType.FLOAT64).softmax(1).detach();
        return grad ? p.requiresGrad(true) : p;
    }

    /** {@code base + d} as a fresh leaf, with d kept {@code gap} away from each kink. */
    private static Tensor offsetFrom(Generator g, Tensor base, double gap, double[] kinks) {
        Tensor d = awayFrom(g, gap, kinks, base.shape().toArray()).detach();
        return base.detach().add(d).detach().requiresGrad(true);
    }

    private static CrossEntropyOptions.Builder ce() {
        return CrossEntropyOptions.builder();
    }

    static List<OpSpec> all() {
        List<OpSpec> l = new ArrayList<>();
        // ---- fused softmax cross-entropy
        l.add(OpSpec.of("crossEntropy", g -> List.of(
                        sample("[6, 5] mean", randn(g, 6, 5), classes(g, 5, 0, -100, 6)),
                        sample("[1, 7] single row", randn(g, 1, 7), classes(g, 7, 0, -100, 1))),
                in -> Losses.crossEntropy(in[0], in[1])));
        l.add(OpSpec.of("crossEntropyIgnoreIndexSum", g -> List.of(sample("[7, 4], every third row ignored", randn(g, 7, 4),
                        classes(g, 4, 3, -100, 7))),
                in -> Losses.crossEntropy(in[0], in[1], ce().reduction(Reduction.SUM).build())));
        l.add(OpSpec.of("crossEntropyIgnoreIndexMean", g -> List.of(sample("[5, 3], ignoreIndex 1", randn(g, 5, 3),
                        Tensor.of(new long[] {1, 0, 2, 1, 0}, 5))),
                in -> Losses.crossEntropy(in[0], in[1], ce().ignoreIndex(1).build())));
        l.add(OpSpec.of("crossEntropySmoothingNone", g -> List.of(sample("[5, 4], smoothing 0.2, ignored rows", randn(g, 5, 4),
                        classes(g, 4, 2, -100, 5))),
                in -> Losses.crossEntropy(in[0], in[1], ce().labelSmoothing(0.2).reduction(Reduction.NONE).build())));
        l.add(OpSpec.of("crossEntropyKDim", g -> List.of(sample("[2, 3, 2, 2] vs [2, 2, 2]", randn(g, 2, 3, 2, 2),
                        classes(g, 3, 3, -100, 2, 2, 2))),
                in -> Losses.crossEntropy(in[0], in[1], ce().labelSmoothing(0.1).build())));
        l.add(OpSpec.of("crossEntropyTransposedUnbatched", g -> List.of(sample("transposed logits; unbatched [C]", randn(g, 4, 3),
                        classes(g, 4, 0, -100, 3), randn(g, 5), Tensor.scalar(2, DType.INT64))),
                in -> Losses.crossEntropy(in[0].t(), in[1]).add(Losses.crossEntropy(in[2], in[3]))));
        // ---- composite paths
        l.add(OpSpec.of("crossEntropyWeighted", g -> List.of(sample("[6, 4], weights, smoothing, ignored rows", randn(g, 6, 4),
                        classes(g, 4, 4, -100, 6), uniform(g, 0.2, 2, 4).detach())),
                in -> Losses.crossEntropy(in[0], in[1], ce().weight(in[2]).labelSmoothing(0.3).build())));
        l.add(OpSpec.of("crossEntropyProbabilities", g -> List.of(
                        sample("[4, 5] soft targets", randn(g, 4, 5), probabilities(g, true, 4, 5)),
                        sample("[2, 3, 4] K-dim soft targets", randn(g, 2, 3, 4), probabilities(g, true, 2, 3, 4))),
                in -> Losses.crossEntropy(in[0], in[1], ce().labelSmoothing(0.1).build())));
        l.add(OpSpec.of("nllLoss", g -> List.of(sample("[5, 4], weights, ignored rows, none", randn(g, 5, 4), classes(g, 4, 3, -100, 5),
                        uniform(g, 0.5, 1.5, 4).detach())),
                in -> Losses.nllLoss(in[0].logSoftmax(1), in[1], in[2], -100, Reduction.NONE)));
        l.add(OpSpec.of("nllLossKDimMean", g -> List.of(sample("[2, 3, 4] vs [2, 4]", randn(g, 2, 3, 4), classes(g, 3, 0, -100, 2, 4))),
                in -> Losses.nllLoss(in[0], in[1])));
        // ---- regression
        l.add(OpSpec.of("mseLoss", g -> List.of(sample("[3, 4]", randn(g, 3, 4), randn(g, 3, 4))),
                in -> Losses.mseLoss(in[0], in[1])));
        l.add(OpSpec.of("l1Loss", g -> {
            Tensor t = randn(g, 3, 4);
            return List.of(sample("[3, 4], differences away from 0", offsetFrom(g, t, 1e-2, new double[] {0}), t));
        }, in -> Losses.l1Loss(in[0], in[1], Reduction.SUM).square()));
        l.add(OpSpec.of("smoothL1Loss", g -> {
            Tensor t = randn(g, 4, 3);
            return List.of(sample("beta 0.5, both regions", offsetFrom(g, t, 1e-2, new double[] {-0.5, 0.5}), t));
        }, in -> Losses.smoothL1Loss(in[0], in[1], 0.5, Reduction.NONE)));
        l.add(OpSpec.of("huberLoss", g -> {
            Tensor t = randn(g, 4, 3);
            return List.of(sample("delta 0.8, both regions", offsetFrom(g, t, 1e-2, new double[] {-0.8, 0.8}), t));
        }, in -> Losses.huberLoss(in[0], in[1], 0.8, Reduction.MEAN)));
        // ---- binary
        l.add(OpSpec.of("binaryCrossEntropy", g -> List.of(sample("[3, 4], weight [4]", uniform(g, 0.05, 0.95, 3, 4),
                        uniform(g, 0, 1, 3, 4), uniform(g, 0.5, 2, 4).detach())),
                in -> Losses.binaryCrossEntropy(in[0], in[1], in[2], Reduction.NONE)));
        l.add(OpSpec.of("bceWithLogits", g -> List.of(sample("[3, 4], weight and posWeight [4]", randn(g, 3, 4).detach().mul(3).detach()
                                .requiresGrad(true), uniform(g, 0, 1, 3, 4), uniform(g, 0.5, 2, 3, 4).detach(),
                        uniform(g, 0.2, 4, 4).detach())),
                in -> Losses.bceWithLogits(in[0], in[1], in[2], in[3], Reduction.SUM)));
        // ---- KL divergence
        l.add(OpSpec.of("klDiv", g -> List.of(sample("[3, 4] probabilities", randn(g, 3, 4), uniform(g, 0.1, 1, 3, 4))),
                in -> Losses.klDiv(in[0], in[1], Reduction.NONE, false)));
        l.add(OpSpec.of("klDivLogTargetBatchMean", g -> List.of(sample("[3, 4] log-probabilities", randn(g, 3, 4), randn(g, 3, 4))),
                in -> Losses.klDivBatchMean(in[0], in[1], true)));
        return l;
    }
}
