package dev.ember.nn;

import dev.ember.ops.Elementwise;
import dev.ember.ops.LinAlg;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Tensor;

/**
 * The functional API (PyTorch's {@code torch.nn.functional}): every layer's computation as a
 * static function over tensors. Layers call these; so can users who manage their own parameters.
 */
public final class F {
    private F() {
    }

    // ------------------------------------------------------------------ linear

    /**
     * {@code x W^T + b}: x [*, in], weight [out, in], bias [out] or null; result [*, out].
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        return LinAlg.linear(x, weight, bias);
    }

    // ------------------------------------------------------------------ activations

    /** max(x, 0). */
    public static Tensor relu(Tensor x) {
        return x.relu();
    }

    /** x if x > 0 else slope * x. */
    public static Tensor leakyRelu(Tensor x, double negativeSlope) {
        return Elementwise.leakyRelu(x, negativeSlope);
    }

    /** x if x > 0 else alpha * (e^x - 1). */
    public static Tensor elu(Tensor x, double alpha) {
        return Elementwise.elu(x, alpha);
    }

    /** Exact GELU x * Phi(x). */
    public static Tensor gelu(Tensor x) {
        return x.gelu();
    }

    /** GELU with the tanh approximation. */
    public static Tensor geluTanh(Tensor x) {
        return Elementwise.geluTanh(x);
    }

    /** x * sigmoid(x) (a.k.a. swish). */
    public static Tensor silu(Tensor x) {
        return Elementwise.silu(x);
    }

    /** log(1 + e^x). */
    public static Tensor softplus(Tensor x) {
        return Elementwise.softplus(x);
    }

    /** 1 / (1 + e^-x). */
    public static Tensor sigmoid(Tensor x) {
        return x.sigmoid();
    }

    /** Hyperbolic tangent. */
    public static Tensor tanh(Tensor x) {
        return x.tanh();
    }

    /** Softmax along {@code dim}. */
    public static Tensor softmax(Tensor x, int dim) {
        return x.softmax(dim);
    }

    /** Log-softmax along {@code dim}. */
    public static Tensor logSoftmax(Tensor x, int dim) {
        return x.logSoftmax(dim);
    }

    // ------------------------------------------------------------------ dropout

    /**
     * Zeroes each element with probability p and scales the rest by 1 / (1 - p) when
     * {@code training}; the identity otherwise.
     */
    public static Tensor dropout(Tensor x, double p, boolean training, Generator gen) {
        checkP(p, "dropout");
        if (!training || p == 0) return x;
        if (p == 1) return x.mul(0.0);
        Tensor keep = Tensor.rand(gen, x.shape(), x.dtype()).ge(p);
        return x.mul(keep.to(x.dtype())).mul(1.0 / (1 - p));
    }

    /** Dropout with the global generator. */
    public static Tensor dropout(Tensor x, double p, boolean training) {
        return dropout(x, p, training, Generator.global());
    }

    /** Drops whole channels of an [N, C, *] input (one draw per sample and channel). */
    public static Tensor dropout2d(Tensor x, double p, boolean training, Generator gen) {
        checkP(p, "dropout2d");
        if (x.rank() < 3) throw new IllegalArgumentException("dropout2d: expected an input [N, C, H, W] or [C, H, W], got " + x.shape());
        if (!training || p == 0) return x;
        int[] ms = x.shape().toArray();
        for (int i = (x.rank() == 3 ? 1 : 2); i < ms.length; i++) ms[i] = 1;
        Tensor keep = Tensor.rand(gen, dev.ember.tensor.Shape.of(ms), x.dtype()).ge(p);
        return x.mul(keep.to(x.dtype())).mul(p == 1 ? 0.0 : 1.0 / (1 - p));
    }

    private static void checkP(double p, String op) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException(op + ": probability has to be between 0 and 1, got " + p);
    }

    // ------------------------------------------------------------------ embedding

    /**
     * Rows of {@code weight} [num, dim] picked by {@code indices} (int64 or int32, any shape [*]):
     * result [*, dim]. The gradient of the table adds each output row's gradient into the row it came
     * from (indexSelect's backward, an indexAdd).
     *
     * @throws IndexOutOfBoundsException for an index outside [0, num), naming it and the table size
     */
    public static Tensor embedding(Tensor indices, Tensor weight) {
        return embeddingLookup(indices, weight, Embedding.NO_PADDING);
    }

    /**
     * {@link #embedding(Tensor, Tensor)} where row {@code paddingIdx} (negative counts from the end)
     * receives no gradient: its uses read the row as it is but leave it untrained.
     */
    public static Tensor embedding(Tensor indices, Tensor weight, int paddingIdx) {
        if (weight.rank() != 2) throw new IllegalArgumentException("embedding: weight must be 2-D [num, dim], got " + weight.shape());
        return embeddingLookup(indices, weight, Embedding.normalizePadding("embedding", paddingIdx, weight.size(0)));
    }

    private static Tensor embeddingLookup(Tensor indices, Tensor weight, int paddingIdx) {
        if (weight.rank() != 2) throw new IllegalArgumentException("embedding: weight must be 2-D [num, dim], got " + weight.shape());
        if (indices.dtype() != dev.ember.tensor.DType.INT64 && indices.dtype() != dev.ember.tensor.DType.INT32) {
            throw new IllegalArgumentException("embedding: indices must be an int64 or int32 tensor, got " + indices.dtype().pyName()
                    + (indices.dtype().isFloating() ? ". Hint: convert them with indices.to(DType.INT64)" : ""));
        }
        int num = weight.size(0);
        Tensor flat = indices.reshape(-1);
        if (flat.numel() > 0) { // checked here so the message names the bad index and the table size
            long min = flat.min().itemLong(), max = flat.max().itemLong();
            if (min < 0 || max >= num) {
                throw new IndexOutOfBoundsException("embedding: index " + (min < 0 ? min : max) + " is out of range for a table of "
                        + num + " embeddings (valid indices are 0.." + (num - 1) + ")");
            }
        }
        Tensor rows = weight.indexSelect(0, flat); // backward: indexAdd of the gradient rows into the table
        if (paddingIdx != Embedding.NO_PADDING && rows.requiresGrad()) {
            // Same values, but the padding positions read a detached copy, so the padding row gets no gradient.
            rows = Elementwise.where(flat.eq((double) paddingIdx).unsqueeze(1), rows.detach(), rows);
        }
        return rows.reshape(Embedding.outputShape(indices.shape(), weight.size(1)).toArray());
    }

    // ------------------------------------------------------------------ normalisation

    /**
     * Batch normalisation over an [N, C, *] input: per channel, (x - mean) / sqrt(var + eps) * weight
     * + bias. In training the batch statistics are used (biased variance) and the running statistics
     * updated in place: running = (1 - momentum) * running + momentum * batch (unbiased variance);
     * momentum NaN means a cumulative average over {@code numBatchesTracked}. In eval the running
     * statistics are used. Running tensors, weight and bias may be null.
     */
    public static Tensor batchNorm(Tensor x, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, double momentum, double eps) {
        return Normalization.batchNorm(x, runningMean, runningVar, weight, bias, training, momentum, eps, null);
    }

    /** Layer normalisation over the trailing {@code normalizedShape} dimensions, with optional affine weight and bias. */
    public static Tensor layerNorm(Tensor x, int[] normalizedShape, Tensor weight, Tensor bias, double eps) {
        return Normalization.layerNorm(x, normalizedShape, weight, bias, eps);
    }

    /** Group normalisation of an [N, C, *] input over groups of C / groups channels, with optional per-channel affine. */
    public static Tensor groupNorm(Tensor x, int groups, Tensor weight, Tensor bias, double eps) {
        return Normalization.groupNorm(x, groups, weight, bias, eps);
    }

    // ------------------------------------------------------------------ convolution, pooling, resizing

    /** 2-D convolution of x [N, C, H, W] with w [out, C/groups, kH, kW] (see {@link dev.ember.ops.Conv#conv2d}); bias may be null. */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor bias, int stride, int padding, int dilation, int groups) {
        return dev.ember.ops.Conv.conv2d(x, w, bias, new int[] {stride}, new int[] {padding}, new int[] {dilation}, groups);
    }

    /** {@link #conv2d(Tensor, Tensor, Tensor, int, int, int, int)} with no dilation and one group. */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor bias, int stride, int padding) {
        return dev.ember.ops.Conv.conv2d(x, w, bias, stride, padding);
    }

    /** 1-D convolution of x [N, C, L] with w [out, C/groups, k]; bias may be null. */
    public static Tensor conv1d(Tensor x, Tensor w, Tensor bias, int stride, int padding, int dilation, int groups) {
        return dev.ember.ops.Conv.conv1d(x, w, bias, stride, padding, dilation, groups);
    }

    /** 2-D transposed convolution of x [N, in, H, W] with w [in, out/groups, kH, kW]; bias may be null. */
    public static Tensor convTranspose2d(Tensor x, Tensor w, Tensor bias, int stride, int padding, int outputPadding, int groups,
                                         int dilation) {
        return dev.ember.ops.Conv.convTranspose2d(x, w, bias, new int[] {stride}, new int[] {padding}, new int[] {outputPadding},
                new int[] {dilation}, groups);
    }

    /** Max pooling with square windows of {@code kernel}, stride {@code stride}, implicit -inf padding. */
    public static Tensor maxPool2d(Tensor x, int kernel, int stride, int padding) {
        return dev.ember.ops.Pooling.maxPool2d(x, new int[] {kernel}, new int[] {stride}, new int[] {padding}, null, false);
    }

    /** Max pooling with square windows, stride equal to the window. */
    public static Tensor maxPool2d(Tensor x, int kernel) {
        return dev.ember.ops.Pooling.maxPool2d(x, kernel);
    }

    /** Average pooling with square windows, zero padding counted in the divisor (PyTorch's default). */
    public static Tensor avgPool2d(Tensor x, int kernel, int stride, int padding) {
        return dev.ember.ops.Pooling.avgPool2d(x, new int[] {kernel}, new int[] {stride}, new int[] {padding}, false, true);
    }

    /** Average pooling with square windows, stride equal to the window. */
    public static Tensor avgPool2d(Tensor x, int kernel) {
        return dev.ember.ops.Pooling.avgPool2d(x, kernel);
    }

    /** Average pooling to a fixed [outH, outW] whatever the input size. */
    public static Tensor adaptiveAvgPool2d(Tensor x, int outH, int outW) {
        return dev.ember.ops.Pooling.adaptiveAvgPool2d(x, outH, outW);
    }

    /** Resizes x [N, C, H, W] to [N, C, outH, outW] (PyTorch's {@code F.interpolate} with a size). */
    public static Tensor interpolate(Tensor x, int outH, int outW, Upsample.Mode mode, boolean alignCorners) {
        return switch (mode) {
            case NEAREST -> {
                if (alignCorners) throw new IllegalArgumentException("interpolate: alignCorners only applies to bilinear interpolation, not nearest");
                yield dev.ember.ops.Upsampling.upsampleNearest2d(x, outH, outW);
            }
            case BILINEAR -> dev.ember.ops.Upsampling.upsampleBilinear2d(x, outH, outW, alignCorners);
        };
    }

    // ------------------------------------------------------------------ losses (see Losses for the full documentation)

    /** Cross-entropy of logits [N, C] (or [N, C, d...], [C]) against class indices or class probabilities, PyTorch's defaults. */
    public static Tensor crossEntropy(Tensor logits, Tensor target) {
        return Losses.crossEntropy(logits, target);
    }

    /** Cross-entropy with class weights, ignoreIndex, label smoothing and reduction from {@code options}. */
    public static Tensor crossEntropy(Tensor logits, Tensor target, CrossEntropyOptions options) {
        return Losses.crossEntropy(logits, target, options);
    }

    /** Negative log-likelihood of class indices under log-probabilities, mean over targets. */
    public static Tensor nllLoss(Tensor input, Tensor target) {
        return Losses.nllLoss(input, target);
    }

    /** Negative log-likelihood with class weights (or null), ignoreIndex and reduction. */
    public static Tensor nllLoss(Tensor input, Tensor target, Tensor weight, long ignoreIndex, Reduction reduction) {
        return Losses.nllLoss(input, target, weight, ignoreIndex, reduction);
    }

    /** Mean squared error. */
    public static Tensor mseLoss(Tensor input, Tensor target) {
        return Losses.mseLoss(input, target);
    }

    /** Squared error with a reduction. */
    public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
        return Losses.mseLoss(input, target, reduction);
    }

    /** Mean absolute error. */
    public static Tensor l1Loss(Tensor input, Tensor target) {
        return Losses.l1Loss(input, target);
    }

    /** Absolute error with a reduction. */
    public static Tensor l1Loss(Tensor input, Tensor target, Reduction reduction) {
        return Losses.l1Loss(input, target, reduction);
    }

    /** Smooth L1 loss with beta 1, mean. */
    public static Tensor smoothL1Loss(Tensor input, Tensor target) {
        return Losses.smoothL1Loss(input, target);
    }

    /** Smooth L1 loss: quadratic below {@code beta}, linear above. */
    public static Tensor smoothL1Loss(Tensor input, Tensor target, double beta, Reduction reduction) {
        return Losses.smoothL1Loss(input, target, beta, reduction);
    }

    /** Huber loss with delta 1, mean. */
    public static Tensor huberLoss(Tensor input, Tensor target) {
        return Losses.huberLoss(input, target);
    }

    /** Huber loss: quadratic below {@code delta}, linear (slope delta) above. */
    public static Tensor huberLoss(Tensor input, Tensor target, double delta, Reduction reduction) {
        return Losses.huberLoss(input, target, delta, reduction);
    }

    /** Binary cross-entropy of probabilities in [0, 1], mean. */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target) {
        return Losses.binaryCrossEntropy(input, target);
    }

    /** Binary cross-entropy of probabilities with a broadcastable weight (or null) and a reduction. */
    public static Tensor binaryCrossEntropy(Tensor input, Tensor target, Tensor weight, Reduction reduction) {
        return Losses.binaryCrossEntropy(input, target, weight, reduction);
    }

    /** Binary cross-entropy on logits (sigmoid folded in, numerically stable), mean. */
    public static Tensor bceWithLogits(Tensor input, Tensor target) {
        return Losses.bceWithLogits(input, target);
    }

    /** Binary cross-entropy on logits with weight and posWeight (each broadcastable, or null) and a reduction. */
    public static Tensor bceWithLogits(Tensor input, Tensor target, Tensor weight, Tensor posWeight, Reduction reduction) {
        return Losses.bceWithLogits(input, target, weight, posWeight, reduction);
    }

    /** KL divergence of target probabilities from input log-probabilities, mean over elements. */
    public static Tensor klDiv(Tensor input, Tensor target) {
        return Losses.klDiv(input, target);
    }

    /** KL divergence with a reduction; {@code logTarget} when the target holds log-probabilities. */
    public static Tensor klDiv(Tensor input, Tensor target, Reduction reduction, boolean logTarget) {
        return Losses.klDiv(input, target, reduction, logTarget);
    }

    /** KL divergence summed and divided by the batch size (PyTorch's {@code 'batchmean'}). */
    public static Tensor klDivBatchMean(Tensor input, Tensor target, boolean logTarget) {
        return Losses.klDivBatchMean(input, target, logTarget);
    }
}
