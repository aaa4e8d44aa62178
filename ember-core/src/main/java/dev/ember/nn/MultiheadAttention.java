package dev.ember.nn;

import dev.ember.ops.Elementwise;
import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;

/**
 * Multi-head scaled dot-product attention, as PyTorch's {@code nn.MultiheadAttention}:
 * {@code softmax(Q K^T / sqrt(d) + mask) V} per head, with a packed input projection
 * ({@code in_proj_weight} [3E, E], {@code in_proj_bias} [3E]) and an output projection
 * ({@code out_proj}), so state dicts load unchanged from PyTorch.
 *
 * <p>Shapes: query [L, N, E], key/value [S, N, E] ([N, L, E] / [N, S, E] with {@code batchFirst});
 * output like the query; attention weights [N, L, S] averaged over heads. Masks: {@code attnMask}
 * [L, S] or [N*heads, L, S], bool (true = may not attend) or float (added to the scores);
 * {@code keyPaddingMask} [N, S] bool (true = padding, ignored).
 */
public final class MultiheadAttention extends Module {
    /** The attended output and the head-averaged attention weights (null when not requested). */
    public record Output(Tensor output, Tensor weights) {
    }

    public final int embedDim;
    public final int numHeads;
    public final double dropout;
    public final boolean batchFirst;
    public final Tensor inProjWeight;
    public final Tensor inProjBias;
    public final Linear outProj;

    public MultiheadAttention(int embedDim, int numHeads) {
        this(embedDim, numHeads, 0.0, true, false);
    }

    public MultiheadAttention(int embedDim, int numHeads, double dropout, boolean bias, boolean batchFirst) {
        if (numHeads <= 0 || embedDim % numHeads != 0) {
            throw new IllegalArgumentException("MultiheadAttention: embedDim (" + embedDim + ") must be divisible by numHeads (" + numHeads + ")");
        }
        this.embedDim = embedDim;
        this.numHeads = numHeads;
        this.dropout = dropout;
        this.batchFirst = batchFirst;
        this.inProjWeight = param("in_proj_weight", Tensor.zeros(3 * embedDim, embedDim));
        this.inProjBias = bias ? param("in_proj_bias", Tensor.zeros(3 * embedDim)) : null;
        this.outProj = register("out_proj", new Linear(embedDim, embedDim, bias));
        resetParameters();
    }

    /** Xavier-uniform projections and zero biases, as PyTorch. */
    public void resetParameters() {
        Init.xavierUniform(inProjWeight, 1.0);
        if (inProjBias != null) {
            Init.zeros(inProjBias);
            Init.zeros(outProj.bias);
        }
    }

    /** Self-attention: {@code forward(x, x, x, null, null, false).output()}. */
    @Override
    public Tensor forward(Tensor x) {
        return forward(x, x, x, null, null, false).output();
    }

    /** Attention of {@code query} over {@code key}/{@code value}. */
    public Output forward(Tensor query, Tensor key, Tensor value, Tensor keyPaddingMask, Tensor attnMask, boolean needWeights) {
        if (query.rank() != 3 || key.rank() != 3 || value.rank() != 3) {
            throw new IllegalArgumentException("MultiheadAttention: expected 3-D query, key and value, got " + query.shape() + ", "
                    + key.shape() + ", " + value.shape());
        }
        if (batchFirst) {
            query = query.transpose(0, 1);
            key = key.transpose(0, 1);
            value = value.transpose(0, 1);
        }
        int l = query.size(0), n = query.size(1), e = query.size(2), s = key.size(0);
        if (e != embedDim || key.size(2) != embedDim || value.size(2) != embedDim) {
            throw new IllegalArgumentException("MultiheadAttention: embedding size must be " + embedDim + ", got query " + query.shape()
                    + ", key " + key.shape() + ", value " + value.shape());
        }
        if (key.size(1) != n || value.size(1) != n || value.size(0) != s) {
            throw new IllegalArgumentException("MultiheadAttention: key and value must be [S, N, E] matching the query's batch, got "
                    + key.shape() + " and " + value.shape() + " for query " + query.shape());
        }
        int hd = embedDim / numHeads;
        Tensor q = project(query, 0), k = project(key, 1), v = project(value, 2);
        // [L, N, E] -> [N*heads, L, hd]
        q = q.reshape(l, n * numHeads, hd).transpose(0, 1).mul(1.0 / Math.sqrt(hd));
        k = k.reshape(s, n * numHeads, hd).transpose(0, 1);
        v = v.reshape(s, n * numHeads, hd).transpose(0, 1);
        Tensor scores = q.matmul(k.transpose(1, 2)); // [N*heads, L, S]
        if (attnMask != null) scores = applyMask(scores, attnMask, "attnMask");
        if (keyPaddingMask != null) {
            if (keyPaddingMask.rank() != 2 || keyPaddingMask.size(0) != n || keyPaddingMask.size(1) != s) {
                throw new IllegalArgumentException("MultiheadAttention: keyPaddingMask must be [N, S] = [" + n + ", " + s + "], got "
                        + keyPaddingMask.shape());
            }
            Tensor kpm = keyPaddingMask.reshape(n, 1, 1, s).expand(n, numHeads, 1, s).reshape(n * numHeads, 1, s);
            scores = applyMask(scores, kpm, "keyPaddingMask");
        }
        Tensor attn = scores.softmax(-1);
        Tensor attnDropped = F.dropout(attn, dropout, isTraining());
        Tensor out = attnDropped.matmul(v).transpose(0, 1).reshape(l, n, embedDim); // [L, N, E]
        out = outProj.call(out);
        if (batchFirst) out = out.transpose(0, 1);
        Tensor weights = needWeights ? attn.reshape(n, numHeads, l, s).mean(1) : null;
        return new Output(out, weights);
    }

    private Tensor project(Tensor x, int which) {
        Tensor w = inProjWeight.narrow(0, which * embedDim, embedDim);
        Tensor b = inProjBias == null ? null : inProjBias.narrow(0, which * embedDim, embedDim);
        return F.linear(x, w, b);
    }

    private static Tensor applyMask(Tensor scores, Tensor mask, String what) {
        if (mask.dtype() == DType.BOOL) {
            return Elementwise.where(mask, Tensor.scalar(Double.NEGATIVE_INFINITY, scores.dtype()), scores);
        }
        if (!mask.dtype().isFloating()) {
            throw new IllegalArgumentException("MultiheadAttention: " + what + " must be bool or floating, got " + mask.dtype().pyName());
        }
        return scores.add(mask);
    }

    @Override
    protected String extraRepr() {
        return "embed_dim=" + embedDim + ", num_heads=" + numHeads + ", dropout=" + dropout + ", batch_first=" + batchFirst;
    }
}
