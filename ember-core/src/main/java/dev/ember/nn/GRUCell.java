package dev.ember.nn;

import dev.ember.tensor.Tensor;

/**
 * One step of a GRU (PyTorch's {@code nn.GRUCell}): {@code r = σ(W_ir x + b_ir + W_hr h + b_hr)},
 * {@code z = σ(W_iz x + b_iz + W_hz h + b_hz)}, {@code n = tanh(W_in x + b_in + r * (W_hn h + b_hn))},
 * {@code h' = (1 - z) n + z h}. Parameters: see {@link RNNCellBase} (G = 3, gates r, z, n).
 *
 * <pre>{@code
 * GRUCell cell = new GRUCell(10, 20);
 * Tensor h = null;
 * for (Tensor xt : steps) h = cell.forward(xt, h);      // xt [N, 10], h [N, 20]
 * }</pre>
 */
public final class GRUCell extends RNNCellBase {
    public GRUCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true);
    }

    public GRUCell(int inputSize, int hiddenSize, boolean bias) {
        super(inputSize, hiddenSize, bias, 3);
    }

    /** The next hidden state from a zero state. */
    @Override
    public Tensor forward(Tensor x) {
        return forward(x, null);
    }

    /** The next hidden state from {@code h} ([N, H], or [H] for a 1-D input; null: zeros). */
    public Tensor forward(Tensor x, Tensor h) {
        checkInput(x);
        h = state(x, h, "h");
        int hs = hiddenSize;
        Tensor gi = F.linear(x, weightIh, biasIh), gh = F.linear(h, weightHh, biasHh);
        Tensor r = gi.narrow(-1, 0, hs).add(gh.narrow(-1, 0, hs)).sigmoid();
        Tensor z = gi.narrow(-1, hs, hs).add(gh.narrow(-1, hs, hs)).sigmoid();
        Tensor n = gi.narrow(-1, 2 * hs, hs).add(r.mul(gh.narrow(-1, 2 * hs, hs))).tanh();
        return n.add(z.mul(h.sub(n))); // (1 - z) n + z h
    }
}
