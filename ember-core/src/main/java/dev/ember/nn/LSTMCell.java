package dev.ember.nn;

import dev.ember.tensor.Tensor;

/**
 * One step of an LSTM (PyTorch's {@code nn.LSTMCell}):
 * {@code [i, f, g, o] = x W_ih^T + b_ih + h W_hh^T + b_hh}, {@code c' = σ(f) c + σ(i) tanh(g)},
 * {@code h' = σ(o) tanh(c')}. Parameters: see {@link RNNCellBase} (G = 4, gates i, f, g, o).
 *
 * <pre>{@code
 * LSTMCell cell = new LSTMCell(10, 20);
 * LSTMCell.State s = null;
 * for (Tensor xt : steps) s = cell.forward(xt, s);       // s.h(), s.c(): [N, 20]
 * }</pre>
 */
public final class LSTMCell extends RNNCellBase {
    /** The hidden and cell state. */
    public record State(Tensor h, Tensor c) {
    }

    public LSTMCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true);
    }

    public LSTMCell(int inputSize, int hiddenSize, boolean bias) {
        super(inputSize, hiddenSize, bias, 4);
    }

    /** The next hidden state from zero states (the cell state is dropped; use {@link #forward(Tensor, State)} to keep it). */
    @Override
    public Tensor forward(Tensor x) {
        return forward(x, null, null).h();
    }

    /** The next states from {@code state} (null: zeros). */
    public State forward(Tensor x, State state) {
        return state == null ? forward(x, null, null) : forward(x, state.h(), state.c());
    }

    /** The next states from {@code h} and {@code c} ([N, H], or [H] for a 1-D input; both null: zeros). */
    public State forward(Tensor x, Tensor h, Tensor c) {
        checkInput(x);
        if ((h == null) != (c == null)) {
            throw new IllegalArgumentException("LSTMCell: give both states h and c or neither, got only " + (h == null ? "c" : "h"));
        }
        h = state(x, h, "h");
        c = state(x, c, "c");
        int hs = hiddenSize;
        Tensor gates = F.linear(x, weightIh, biasIh).add(F.linear(h, weightHh, biasHh));
        Tensor i = gates.narrow(-1, 0, hs).sigmoid(), f = gates.narrow(-1, hs, hs).sigmoid();
        Tensor g = gates.narrow(-1, 2 * hs, hs).tanh(), o = gates.narrow(-1, 3 * hs, hs).sigmoid();
        Tensor c2 = f.mul(c).add(i.mul(g));
        return new State(o.mul(c2.tanh()), c2);
    }
}
