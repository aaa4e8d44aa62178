package dev.ember.nn;

import dev.ember.autograd.Dispatch;
import dev.ember.ops.Elementwise;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;

import java.util.Objects;
import java.util.function.BinaryOperator;

/**
 * Loss functions with PyTorch 1.13's semantics ({@code torch.nn.functional}'s losses): the same
 * formulas, defaults, reductions, ignored targets, clamps and gradients. {@link F} has the same
 * functions under the same names.
 *
 * <pre>{@code
 * Tensor loss = Losses.crossEntropy(model.forward(x), labels);          // logits [N, C], labels [N] int64
 * loss.backward();
 *
 * Tensor seg = Losses.crossEntropy(logits, mask, CrossEntropyOptions.builder()   // [N, C, H, W] vs [N, H, W]
 *         .ignoreIndex(255).labelSmoothing(0.1).build());
 * Tensor mse = Losses.mseLoss(pred, target, Reduction.SUM);
 * }</pre>
 *
 * <p>Shapes: classification losses take an input [N, C], [N, C, d1, ...] or an unbatched [C], with
 * class-index targets of the input's shape without the class dimension 1 (INT64 or INT32). The
 * other losses take a target of exactly the input's shape (no broadcasting between the two: a
 * [N] vs [N, 1] mix-up is an error instead of an [N, N] loss). {@link Reduction#NONE} returns one
 * value per sample (classification) or per element.
 *
 * <p>Cross-entropy over class indices without class weights (the training loss of every
 * classifier) runs as one fused op: one log-sum-exp per row forward, and a backward that writes
 * {@code softmax - one-hot} directly; every other case is composed from tensor ops.
 */
public final class Losses {
    private Losses() {
    }

    // ================================================================== cross-entropy and NLL

    /** Cross-entropy with PyTorch's defaults (no weights, ignoreIndex -100, no smoothing, mean); see {@link #crossEntropy(Tensor, Tensor, CrossEntropyOptions)}. */
    public static Tensor crossEntropy(Tensor logits, Tensor target) {
        return crossEntropy(logits, target, CrossEntropyOptions.DEFAULTS);
    }

    /**
     * Cross-entropy between the softmax of {@code logits} over the class dimension and a target that
     * is either class indices or class probabilities.
     *
     * <ul>
     *   <li>Class indices: logits [N, C] (or [N, C, d1, ...], or [C]) and target [N] (or [N, d1, ...],
     *       or a scalar), INT64 or INT32. Per sample {@code l = -w[t] log softmax(x)[t]}; with label
     *       smoothing s, {@code (1 - s) l + s/C sum_c (-w[c] log softmax(x)[c])}. Targets equal to
     *       {@code ignoreIndex} give 0 and are left out of the mean, which divides by the summed weights
     *       {@code w[t]} of the counted targets (their number without weights; 0/0 = NaN if none).</li>
     *   <li>Probabilities: a floating target of the logits' shape. Per sample
     *       {@code -sum_c w[c] t[c] log softmax(x)[c]}, with {@code t} smoothed to {@code (1 - s) t + s/C};
     *       the mean divides by the number of samples (not by the weights); ignoreIndex is unused.</li>
     * </ul>
     *
     * @throws IllegalArgumentException for non-floating logits, a target whose dtype or shape fits
     *                                  neither form, a class index outside [0, C) that is not ignoreIndex
     *                                  (naming it and C), or a weight that is not [C]
     */
    public static Tensor crossEntropy(Tensor logits, Tensor target, CrossEntropyOptions options) {
        Objects.requireNonNull(options, "crossEntropy: options must not be null (use CrossEntropyOptions.DEFAULTS)");
        String op = "crossEntropy";
        checkFloating(op, "logits", logits);
        checkHasClasses(op, "logits", logits);
        int c = classCount(logits);
        Tensor weight = checkWeight(op, options.weight(), c, logits);
        if (target.shape().equals(logits.shape())) {
            if (!target.dtype().isFloating()) {
                throw new IllegalArgumentException(op + ": a target of the logits' shape " + logits.shape()
                        + " holds class probabilities and must be floating point, got " + target.dtype().pyName()
                        + "; class indices have shape " + indexTargetShape(logits));
            }
            return probabilityCrossEntropy(logits, target, weight, options.labelSmoothing(), options.reduction());
        }
        if (!target.dtype().isIntegral()) {
            throw new IllegalArgumentException(op + ": class-index targets must be int64 or int32, got " + target.dtype().pyName()
                    + " " + target.shape() + ". Hint: convert with target.to(DType.INT64); class probabilities need the logits' shape "
                    + logits.shape());
        }
        checkIndexTargetShape(op, logits, target, " (or the logits' shape for class probabilities)");
        if (weight == null) return fusedCrossEntropy(logits, target, options);
        return crossEntropyComposite(logits, target, options);
    }

    /**
     * A loss function for {@code (output, target)} pairs with these options, e.g. for a trainer:
     * {@code new Trainer(model, opt, Losses.crossEntropy(CrossEntropyOptions.builder().labelSmoothing(0.1).build()))}.
     */
    public static BinaryOperator<Tensor> crossEntropy(CrossEntropyOptions options) {
        Objects.requireNonNull(options, "crossEntropy: options must not be null (use CrossEntropyOptions.DEFAULTS)");
        return (logits, target) -> crossEntropy(logits, target, options);
    }

    /** Negative log-likelihood with PyTorch's defaults (no weights, ignoreIndex -100, mean); see {@link #nllLoss(Tensor, Tensor, Tensor, long, Reduction)}. */
    public static Tensor nllLoss(Tensor input, Tensor target) {
        return nllLoss(input, target, null, CrossEntropyOptions.DEFAULT_IGNORE_INDEX, Reduction.MEAN);
    }

    /**
     * Negative log-likelihood of class indices under log-probabilities {@code input} (e.g. a
     * {@code logSoftmax} output): per sample {@code -weight[t] * input[t]}. Shapes, ignoreIndex and the
     * weighted mean as for class-index {@link #crossEntropy}.
     *
     * @param weight per-class weights [C], or null
     */
    public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction reduction) {
        String op = "nllLoss";
        Objects.requireNonNull(reduction, op + ": reduction must not be null");
        checkFloating(op, "input", input);
        checkHasClasses(op, "input", input);
        Tensor w = checkWeight(op, weight, classCount(input), input);
        if (!target.dtype().isIntegral()) {
            throw new IllegalArgumentException(op + ": target must hold class indices (int64 or int32), got " + target.dtype().pyName()
                    + " " + target.shape() + ". Hint: convert with target.to(DType.INT64)");
        }
        checkIndexTargetShape(op, input, target, "");
        boolean unbatched = input.rank() == 1;
        Tensor x = unbatched ? input.unsqueeze(0) : input, t = unbatched ? target.reshape(1) : target;
        Tensor loss = classIndexLoss(op, x, t, w == null ? null : w.to(x.dtype()), ignoreIndex, 0, reduction);
        return unbatched && reduction == Reduction.NONE ? loss.reshape() : loss;
    }

    /** The fused path: class indices, no weights. [N, C, d...] is laid out as rows [N * d..., C] first. */
    private static Tensor fusedCrossEntropy(Tensor logits, Tensor target, CrossEntropyOptions o) {
        int r = logits.rank(), c = classCount(logits);
        Tensor x;
        if (r == 1) {
            x = logits.reshape(1, c);
        } else if (r == 2) {
            x = logits;
        } else { // the class dimension last, so that each sample's logits are one contiguous row
            int[] perm = new int[r];
            for (int i = 1; i < r - 1; i++) perm[i] = i + 1;
            perm[r - 1] = 1;
            x = logits.permute(perm).reshape(-1, c);
        }
        Tensor loss = Dispatch.apply(new LossOps.SoftmaxCrossEntropy(o.ignoreIndex(), o.labelSmoothing(), o.reduction()),
                x.contiguous(), target.reshape(-1));
        return o.reduction() == Reduction.NONE ? loss.reshape(target.shape().toArray()) : loss;
    }

    /**
     * Class-index cross-entropy composed from {@code logSoftmax}, {@code gather} and reductions: the
     * path for class weights, and the definition the fused op is tested against.
     */
    static Tensor crossEntropyComposite(Tensor logits, Tensor target, CrossEntropyOptions o) {
        boolean unbatched = logits.rank() == 1;
        Tensor x = unbatched ? logits.unsqueeze(0) : logits, t = unbatched ? target.reshape(1) : target;
        Tensor w = o.weight() == null ? null : o.weight().to(x.dtype());
        Tensor loss = classIndexLoss("crossEntropy", x.logSoftmax(1), t, w, o.ignoreIndex(), o.labelSmoothing(), o.reduction());
        return unbatched && o.reduction() == Reduction.NONE ? loss.reshape() : loss;
    }

    /**
     * -w[t] logp[t] per target, mixed with the smoothing term -eps/C sum_c w[c] logp[c]; logp is
     * [N, C, d...] and t [N, d...]. Ignored targets give 0 and count neither in the mean's denominator.
     */
    private static Tensor classIndexLoss(String op, Tensor logp, Tensor t, Tensor weight, long ignoreIndex, double eps,
                                         Reduction reduction) {
        int c = logp.size(1);
        int counted = checkClassIndices(op, t, c, ignoreIndex);
        boolean anyIgnored = counted < t.numel();
        Tensor ignored = anyIgnored ? t.eq((double) ignoreIndex) : null;
        Tensor safe = anyIgnored ? t.maskedFill(ignored, 0) : t; // any valid index: those rows are masked below
        Tensor loss = logp.gather(1, safe.unsqueeze(1)).squeeze(1).neg();
        Tensor targetWeight = null;
        if (weight != null) {
            targetWeight = weight.indexSelect(0, safe.reshape(-1)).reshape(t.shape().toArray());
            loss = loss.mul(targetWeight);
        }
        if (eps > 0) {
            Tensor weighted = weight == null ? logp : logp.mul(classView(weight, logp.rank(), 1));
            loss = loss.mul(1 - eps).add(weighted.sum(new int[] {1}, false).neg().mul(eps / c));
        }
        if (anyIgnored) loss = loss.maskedFill(ignored, 0); // where(): ignored rows get exactly zero gradient
        return switch (reduction) {
            case NONE -> loss;
            case SUM -> loss.sum();
            case MEAN -> {
                if (targetWeight == null) yield loss.sum().div(counted); // 0 / 0 = NaN when nothing counts, as PyTorch
                yield loss.sum().div((anyIgnored ? targetWeight.maskedFill(ignored, 0) : targetWeight).sum());
            }
        };
    }

    /** Cross-entropy against class probabilities of the logits' shape. */
    private static Tensor probabilityCrossEntropy(Tensor logits, Tensor target, Tensor weight, double eps, Reduction reduction) {
        int classDim = logits.rank() == 1 ? 0 : 1, c = logits.size(classDim);
        Tensor t = eps > 0 ? target.mul(1 - eps).add(eps / c) : target;
        Tensor prod = logits.logSoftmax(classDim).mul(t);
        if (weight != null) prod = prod.mul(classView(weight.to(logits.dtype()), logits.rank(), classDim));
        return switch (reduction) {
            case NONE -> prod.sum(new int[] {classDim}, false).neg();
            case SUM -> prod.sum().neg();
            case MEAN -> prod.sum().neg().div(c == 0 ? 0.0 : (double) logits.numel() / c); // per sample; NaN for none
        };
    }

    // ================================================================== regression

    /** Mean squared error, {@code (input - target)^2} averaged; see {@link #mseLoss(Tensor, Tensor, Reduction)}. */
    public static Tensor mseLoss(Tensor input, Tensor target) {
        return mseLoss(input, target, Reduction.MEAN);
    }

    /** Squared error {@code (input - target)^2} per element, reduced. Input and target have the same shape. */
    public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
        checkPair("mseLoss", input, target, reduction);
        return reduce(input.sub(target).square(), reduction);
    }

    /** Mean absolute error; see {@link #l1Loss(Tensor, Tensor, Reduction)}. */
    public static Tensor l1Loss(Tensor input, Tensor target) {
        return l1Loss(input, target, Reduction.MEAN);
    }

    /** Absolute error {@code |input - target|} per element, reduced; the gradient at a zero difference is 0. */
    public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) {
        checkPair("l1Loss", input, target, reduction);
        return reduce(input.sub(target).abs(), reduction);
    }

    /** Smooth L1 with beta 1, averaged; see {@link #smoothL1Loss(Tensor, Tensor, double, Reduction)}. */
    public static Tensor smoothL1Loss(Tensor input, Tensor target) {
        return smoothL1Loss(input, target, 1.0, Reduction.MEAN);
    }

    /**
     * Smooth L1: with {@code d = input - target}, {@code 0.5 d^2 / beta} where {@code |d| < beta}, else
     * {@code |d| - 0.5 beta}; beta 0 is the L1 loss. Equals {@link #huberLoss} divided by beta.
     *
     * @param beta the switch point, {@code >= 0}
     */
    public static Tensor smoothL1Loss(Tensor input, Tensor target, double beta, Reduction reduction) {
        String op = "smoothL1Loss";
        if (!(beta >= 0)) throw new IllegalArgumentException(op + ": beta must be non-negative, got " + beta);
        checkPair(op, input, target, reduction);
        Tensor d = input.sub(target), a = d.abs();
        if (beta == 0) return reduce(a, reduction);
        return reduce(Elementwise.where(a.lt(beta), d.square().mul(0.5 / beta), a.sub(0.5 * beta)), reduction);
    }

    /** Huber loss with delta 1, averaged; see {@link #huberLoss(Tensor, Tensor, double, Reduction)}. */
    public static Tensor huberLoss(Tensor input, Tensor target) {
        return huberLoss(input, target, 1.0, Reduction.MEAN);
    }

    /**
     * Huber loss: with {@code d = input - target}, {@code 0.5 d^2} where {@code |d| < delta}, else
     * {@code delta (|d| - 0.5 delta)}.
     *
     * @param delta the switch point, {@code > 0}
     */
    public static Tensor huberLoss(Tensor input, Tensor target, double delta, Reduction reduction) {
        String op = "huberLoss";
        if (!(delta > 0)) throw new IllegalArgumentException(op + ": delta must be positive, got " + delta);
        checkPair(op, input, target, reduction);
        Tensor d = input.sub(target), a = d.abs();
        return reduce(Elementwise.where(a.lt(delta), d.square().mul(0.5), a.sub(0.5 * delta).mul(delta)), reduction);
    }

    // ================================================================== binary classification

    /** Binary cross-entropy of probabilities, averaged; see {@link #binaryCrossEntropy(Tensor, Tensor, Tensor, Reduction)}. */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target) {
        return binaryCrossEntropy(input, target, null, Reduction.MEAN);
    }

    /**
     * Binary cross-entropy of probabilities {@code input} in [0, 1] against {@code target}:
     * {@code -weight (t log x + (1 - t) log(1 - x))} per element, each log clamped at -100 (so a
     * confident wrong answer costs 100, not infinity), as PyTorch. The gradient is PyTorch's
     * {@code weight (x - t) / max(x (1 - x), 1e-12)}. For logits use {@link #bceWithLogits}, which is
     * more accurate.
     *
     * @param weight a rescaling weight broadcastable to the input's shape, or null
     * @throws IllegalArgumentException if an input element is outside [0, 1] (or NaN)
     */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight, Reduction reduction) {
        String op = "binaryCrossEntropy";
        checkPair(op, input, target, reduction);
        checkBroadcastsTo(op, "weight", weight, input);
        if (input.numel() > 0 && input.ge(0.0).logicalAnd(input.le(1.0)).all().item() == 0) {
            throw new IllegalArgumentException(op + ": all elements of input should be between 0 and 1, got values from "
                    + input.min().item() + " to " + input.max().item() + " (or NaN). Hint: apply sigmoid to logits, or use "
                    + "bceWithLogits on the logits directly (more accurate)");
        }
        Tensor loss = Dispatch.apply(new LossOps.BinaryCrossEntropy(), input, target);
        return reduce(weight == null ? loss : loss.mul(weight), reduction);
    }

    /** Binary cross-entropy on logits, averaged; see {@link #bceWithLogits(Tensor, Tensor, Tensor, Tensor, Reduction)}. */
    public static Tensor bceWithLogits(Tensor input, Tensor target) {
        return bceWithLogits(input, target, null, null, Reduction.MEAN);
    }

    /**
     * Binary cross-entropy of {@code sigmoid(input)} against {@code target}, computed stably from the
     * logits: {@code weight ((1 - t) x + (1 + (posWeight - 1) t) log(1 + e^-x))}, with
     * {@code log(1 + e^-x)} evaluated without overflow for any x. posWeight weights the positive term
     * (PyTorch's {@code pos_weight}; e.g. [C] for a multi-label [N, C] input).
     *
     * @param weight    a rescaling weight broadcastable to the input's shape, or null
     * @param posWeight the positive examples' weight, broadcastable to the input's shape, or null
     */
    public static Tensor bceWithLogits(Tensor input, Tensor target, Tensor weight, Tensor posWeight, Reduction reduction) {
        String op = "bceWithLogits";
        checkPair(op, input, target, reduction);
        checkBroadcastsTo(op, "weight", weight, input);
        checkBroadcastsTo(op, "posWeight", posWeight, input);
        Tensor softplusNeg = Elementwise.softplus(input.neg()); // log(1 + e^-x) = -log sigmoid(x)
        if (posWeight != null) softplusNeg = softplusNeg.mul(posWeight.sub(1.0).mul(target).add(1.0));
        Tensor loss = target.neg().add(1.0).mul(input).add(softplusNeg);
        return reduce(weight == null ? loss : loss.mul(weight), reduction);
    }

    // ================================================================== KL divergence

    /** KL divergence with PyTorch's defaults (mean over elements, target as probabilities); see {@link #klDiv(Tensor, Tensor, Reduction, boolean)}. */
    public static Tensor klDiv(Tensor input, Tensor target) {
        return klDiv(input, target, Reduction.MEAN, false);
    }

    /**
     * Kullback-Leibler divergence of {@code target} from the distribution whose log-probabilities are
     * {@code input}, per element: {@code t (log t - input)} (0 where t = 0), or with
     * {@code logTarget} (target given as log-probabilities) {@code e^t (t - input)}. Note that
     * {@link Reduction#MEAN} averages over every element, which is not the KL divergence of the batch;
     * {@link #klDivBatchMean} (PyTorch's {@code 'batchmean'}) is.
     */
    public static Tensor klDiv(Tensor input, Tensor target, Reduction reduction, boolean logTarget) {
        checkPair("klDiv", input, target, reduction);
        return reduce(klPointwise(input, target, logTarget), reduction);
    }

    /** KL divergence summed and divided by the batch size {@code input.size(0)} (PyTorch's {@code reduction='batchmean'}). */
    public static Tensor klDivBatchMean(Tensor input, Tensor target, boolean logTarget) {
        checkPair("klDiv", input, target, Reduction.SUM);
        Tensor sum = klPointwise(input, target, logTarget).sum();
        return input.rank() == 0 ? sum : sum.div(input.size(0));
    }

    private static Tensor klPointwise(Tensor input, Tensor target, boolean logTarget) {
        if (logTarget) return target.exp().mul(target.sub(input));
        // xlogy(t, t): log(1) at t == 0 keeps 0 * log 0 (and its gradient) at 0 instead of NaN
        Tensor tLogT = target.mul(target.maskedFill(target.eq(0.0), 1.0).log());
        return tLogT.sub(target.mul(input));
    }

    // ================================================================== helpers

    private static Tensor reduce(Tensor loss, Reduction reduction) {
        return switch (reduction) {
            case NONE -> loss;
            case SUM -> loss.sum();
            case MEAN -> loss.mean();
        };
    }

    private static void checkFloating(String op, String what, Tensor t) {
        if (!t.dtype().isFloating()) {
            throw new IllegalArgumentException(op + ": " + what + " must be floating point, got " + t.dtype().pyName() + " " + t.shape()
                    + ". Hint: convert with to(DType.FLOAT32)");
        }
    }

    /** Same shape, both floating; the regression and binary losses never broadcast input against target. */
    private static void checkPair(String op, Tensor input, Tensor target, Reduction reduction) {
        Objects.requireNonNull(reduction, op + ": reduction must not be null");
        checkFloating(op, "input", input);
        checkFloating(op, "target", target);
        if (!input.shape().equals(target.shape())) {
            throw new IllegalArgumentException(op + ": target shape " + target.shape() + " does not match input shape " + input.shape()
                    + " (losses do not broadcast input against target; reshape one of them, e.g. [N, 1] vs [N])");
        }
    }

    private static void checkBroadcastsTo(String op, String what, Tensor t, Tensor input) {
        if (t == null) return;
        checkFloating(op, what, t);
        Shape s;
        try {
            s = Shape.broadcast(t.shape(), input.shape(), op);
        } catch (IllegalArgumentException e) {
            s = null;
        }
        if (!input.shape().equals(s)) {
            throw new IllegalArgumentException(op + ": " + what + " of shape " + t.shape() + " cannot be broadcast to the input's shape "
                    + input.shape());
        }
    }

    private static void checkHasClasses(String op, String what, Tensor input) {
        if (input.rank() == 0) {
            throw new IllegalArgumentException(op + ": " + what + " must have a class dimension ([C], [N, C] or [N, C, d1, ...]), got a scalar");
        }
    }

    /** C: dimension 1, or dimension 0 of an unbatched [C] input. */
    private static int classCount(Tensor input) {
        return input.size(input.rank() == 1 ? 0 : 1);
    }

    /** The input's shape without the class dimension: what class-index targets must look like. */
    private static Shape indexTargetShape(Tensor input) {
        int[] d = input.shape().toArray();
        if (d.length == 1) return Shape.of();
        int[] r = new int[d.length - 1];
        r[0] = d[0];
        System.arraycopy(d, 2, r, 1, d.length - 2);
        return Shape.of(r);
    }

    private static void checkIndexTargetShape(String op, Tensor input, Tensor target, String alternative) {
        Shape expected = indexTargetShape(input);
        if (!target.shape().equals(expected)) {
            throw new IllegalArgumentException(op + ": target shape " + target.shape() + " does not match input shape " + input.shape()
                    + ": class-index targets must have shape " + expected + ", the input's shape without the class dimension "
                    + (input.rank() == 1 ? 0 : 1) + alternative);
        }
    }

    private static Tensor checkWeight(String op, Tensor weight, int c, Tensor input) {
        if (weight == null) return null;
        checkFloating(op, "weight", weight);
        if (weight.rank() != 1 || weight.size(0) != c) {
            throw new IllegalArgumentException(op + ": weight must have one entry per class, shape [" + c + "] for input "
                    + input.shape() + ", got " + weight.shape());
        }
        return weight;
    }

    /** Throws for a class index outside [0, c) that is not ignoreIndex; returns how many targets are not ignored. */
    private static int checkClassIndices(String op, Tensor target, int c, long ignoreIndex) {
        int counted = 0;
        for (long k : target.toLongArray()) {
            if (k == ignoreIndex) continue;
            if (k < 0 || k >= c) throw classOutOfRange(op, k, c, ignoreIndex);
            counted++;
        }
        return counted;
    }

    static IllegalArgumentException classOutOfRange(String op, long index, int c, long ignoreIndex) {
        return new IllegalArgumentException(op + ": target class index " + index + " is out of range for " + c + " classes (valid: "
                + (c == 0 ? "none" : "0 to " + (c - 1)) + ", or ignoreIndex " + ignoreIndex + ")");
    }

    /** A per-class [C] tensor viewed to broadcast along {@code classDim} of a rank-{@code rank} tensor. */
    private static Tensor classView(Tensor weight, int rank, int classDim) {
        int[] d = new int[rank];
        java.util.Arrays.fill(d, 1);
        d[classDim] = weight.size(0);
        return weight.reshape(d);
    }
}
