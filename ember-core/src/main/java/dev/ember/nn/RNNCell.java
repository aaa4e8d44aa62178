package dev.ember.nn;

import dev.ember.tensor.Tensor;

/**
 * One step of an Elman RNN (PyTorch's {@code nn.RNNCell}):
 * {@code h' = act(x W_ih^T + b_ih + h W_hh^T + b_hh)}, act tanh or relu. Parameters: see
 * {@link RNNCellBase} (G = 1).
 *
 * <pre>{@code
 * RNNCell cell = new RNNCell(10, 20);
 * Tensor h = null;
 * for (Tensor xt : steps) h = cell.forward(xt, h);      // xt [N, 10], h [N, 20]
 * }</pre>
 */
public final class RNNCell extends RNNCellBase {
    public final RNN.Nonlinearity nonlinearity;

    public RNNCell(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, true, RNN.Nonlinearity.TANH);
    }

    public RNNCell(int inputSize, int hiddenSize, boolean bias, RNN.Nonlinearity nonlinearity) {
        super(inputSize, hiddenSize, bias, 1);
        this.nonlinearity = nonlinearity;
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
        Tensor pre = F.linear(x, weightIh, biasIh).add(F.linear(h, weightHh, biasHh));
        return nonlinearity == RNN.Nonlinearity.RELU ? pre.relu() : pre.tanh();
    }

    @Override
    protected String extraRepr() {
        return super.extraRepr() + (nonlinearity == RNN.Nonlinearity.RELU ? ", nonlinearity='relu'" : "");
    }
}
