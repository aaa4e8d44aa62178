package dev.ember.nn;

import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;

/**
 * A lookup table of {@code numEmbeddings} vectors of size {@code embeddingDim} (PyTorch's
 * {@code nn.Embedding}): {@code out[..., :] = weight[indices[...], :]}.
 *
 * <p>Shapes: indices int64 or int32 of any shape [*], output [*, embeddingDim]; weight
 * [numEmbeddings, embeddingDim] initialised from N(0, 1). With a padding index that row starts at
 * zero and never receives a gradient, so it stays what it is (commonly the vector for padding
 * tokens). Indices outside [0, numEmbeddings) are an error naming the index.
 *
 * <pre>{@code
 * Embedding emb = new Embedding(1000, 64, 0);             // index 0 is padding
 * Tensor tokens = Tensor.of(new long[] {5, 9, 0, 0}, 1, 4);
 * Tensor vectors = emb.forward(tokens);                   // [1, 4, 64]; rows for index 0 are zero
 * }</pre>
 */
public final class Embedding extends Module {
    /** Value of {@link #paddingIdx} when there is no padding index. */
    public static final int NO_PADDING = -1;

    public final int numEmbeddings;
    public final int embeddingDim;
    /** The padding row (normalised to [0, numEmbeddings)), or {@link #NO_PADDING}. */
    public final int paddingIdx;
    public final Tensor weight;

    /** A table without a padding index. */
    public Embedding(int numEmbeddings, int embeddingDim) {
        this(numEmbeddings, embeddingDim, null, null, true);
    }

    /** A table whose row {@code paddingIdx} (negative counts from the end, as PyTorch) is zero and gets no gradient. */
    public Embedding(int numEmbeddings, int embeddingDim, int paddingIdx) {
        this(numEmbeddings, embeddingDim, paddingIdx, null, true);
    }

    private Embedding(int numEmbeddings, int embeddingDim, Integer paddingIdx, Tensor initial, boolean trainable) {
        if (numEmbeddings <= 0 || embeddingDim <= 0) {
            throw new IllegalArgumentException("Embedding: numEmbeddings and embeddingDim must be positive, got numEmbeddings="
                    + numEmbeddings + ", embeddingDim=" + embeddingDim);
        }
        this.numEmbeddings = numEmbeddings;
        this.embeddingDim = embeddingDim;
        this.paddingIdx = paddingIdx == null ? NO_PADDING : normalizePadding("Embedding", paddingIdx, numEmbeddings);
        this.weight = param("weight", initial != null ? initial : Tensor.zeros(numEmbeddings, embeddingDim));
        if (initial == null) resetParameters();
        if (!trainable) weight.requiresGrad(false);
    }

    /**
     * A table holding a copy of {@code embeddings} [num, dim]; {@code freeze} keeps it fixed (no
     * gradient), as PyTorch's {@code Embedding.from_pretrained}.
     */
    public static Embedding fromPretrained(Tensor embeddings, boolean freeze) {
        if (embeddings.rank() != 2 || !embeddings.dtype().isFloating()) {
            throw new IllegalArgumentException("Embedding.fromPretrained: embeddings must be a 2-D floating tensor [num, dim], got "
                    + embeddings.dtype().pyName() + " " + embeddings.shape());
        }
        return new Embedding(embeddings.size(0), embeddings.size(1), null, embeddings.detach().copy(), !freeze);
    }

    static int normalizePadding(String op, int paddingIdx, int num) {
        if (paddingIdx < -num || paddingIdx >= num) {
            throw new IllegalArgumentException(op + ": paddingIdx " + paddingIdx + " must be within [-" + num + ", " + (num - 1)
                    + "] for " + num + " embeddings");
        }
        return paddingIdx < 0 ? paddingIdx + num : paddingIdx;
    }

    /** Re-draws the table from N(0, 1) and zeroes the padding row, as PyTorch. */
    public void resetParameters() {
        Init.normal(weight, 0, 1);
        if (paddingIdx != NO_PADDING) {
            try (var g = dev.ember.autograd.Grad.off()) {
                weight.select(0, paddingIdx).fillInPlace(0);
            }
        }
    }

    @Override
    public Tensor forward(Tensor indices) {
        return paddingIdx == NO_PADDING ? F.embedding(indices, weight) : F.embedding(indices, weight, paddingIdx);
    }

    @Override
    protected String extraRepr() {
        return numEmbeddings + ", " + embeddingDim + (paddingIdx != NO_PADDING ? ", padding_idx=" + paddingIdx : "");
    }

    /** The output shape for indices of shape {@code s}. */
    static Shape outputShape(Shape s, int dim) {
        int[] d = java.util.Arrays.copyOf(s.toArray(), s.rank() + 1);
        d[s.rank()] = dim;
        return Shape.of(d);
    }
}
