package dev.ember.nn;

import dev.ember.ops.Elementwise;
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
        if (weight.rank() != 2) throw new IllegalArgumentException("linear: weight must be [out, in], got " + weight.shape());
        if (x.rank() == 0 || x.size(-1) != weight.size(1)) {
            throw new IllegalArgumentException("linear: input " + x.shape() + " has " + (x.rank() == 0 ? "no" : x.size(-1))
                    + " features but the weight " + weight.shape() + " expects " + weight.size(1));
        }
        Tensor y = x.matmul(weight.t());
        return bias == null ? y : y.add(bias);
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
}
