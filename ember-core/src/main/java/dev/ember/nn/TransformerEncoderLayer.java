package dev.ember.nn;

import dev.ember.tensor.Tensor;

/**
 * One transformer encoder block, as PyTorch's {@code nn.TransformerEncoderLayer}: self-attention
 * and a feed-forward network (linear1 -> activation -> dropout -> linear2), each with a residual
 * connection, dropout and layer norm; post-norm by default, pre-norm with {@code normFirst}.
 * Parameter names match PyTorch ({@code self_attn.*}, {@code linear1}, {@code linear2},
 * {@code norm1}, {@code norm2}).
 */
public final class TransformerEncoderLayer extends Module {
    public final MultiheadAttention selfAttn;
    public final Linear linear1;
    public final Dropout dropout;
    public final Linear linear2;
    public final LayerNorm norm1;
    public final LayerNorm norm2;
    public final Dropout dropout1;
    public final Dropout dropout2;
    public final boolean normFirst;
    public final boolean gelu;

    /** d_model, nhead, dim_feedforward 2048, dropout 0.1, ReLU, eps 1e-5, sequence-first, post-norm. */
    public TransformerEncoderLayer(int dModel, int nhead) {
        this(dModel, nhead, 2048, 0.1, false, 1e-5, false, false);
    }

    /**
     * @param gelu use GELU instead of ReLU in the feed-forward network
     */
    public TransformerEncoderLayer(int dModel, int nhead, int dimFeedforward, double dropout, boolean gelu, double layerNormEps,
                                   boolean batchFirst, boolean normFirst) {
        this.selfAttn = register("self_attn", new MultiheadAttention(dModel, nhead, dropout, true, batchFirst));
        this.linear1 = register("linear1", new Linear(dModel, dimFeedforward));
        this.dropout = register("dropout", new Dropout(dropout));
        this.linear2 = register("linear2", new Linear(dimFeedforward, dModel));
        this.norm1 = register("norm1", new LayerNorm(new int[] {dModel}, layerNormEps, true));
        this.norm2 = register("norm2", new LayerNorm(new int[] {dModel}, layerNormEps, true));
        this.dropout1 = register("dropout1", new Dropout(dropout));
        this.dropout2 = register("dropout2", new Dropout(dropout));
        this.normFirst = normFirst;
        this.gelu = gelu;
    }

    @Override
    public Tensor forward(Tensor src) {
        return forward(src, null, null);
    }

    /** Encodes {@code src} with optional attention and key-padding masks (see {@link MultiheadAttention}). */
    public Tensor forward(Tensor src, Tensor srcMask, Tensor keyPaddingMask) {
        Tensor x = src;
        if (normFirst) {
            x = x.add(selfAttention(norm1.call(x), srcMask, keyPaddingMask));
            x = x.add(feedForward(norm2.call(x)));
        } else {
            x = norm1.call(x.add(selfAttention(x, srcMask, keyPaddingMask)));
            x = norm2.call(x.add(feedForward(x)));
        }
        return x;
    }

    private Tensor selfAttention(Tensor x, Tensor mask, Tensor kpm) {
        return dropout1.call(selfAttn.forward(x, x, x, kpm, mask, false).output());
    }

    private Tensor feedForward(Tensor x) {
        Tensor h = linear1.call(x);
        h = gelu ? F.gelu(h) : h.relu();
        return dropout2.call(linear2.call(dropout.call(h)));
    }
}
