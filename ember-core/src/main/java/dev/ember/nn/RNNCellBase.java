package dev.ember.nn;

import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;

/**
 * What {@link RNNCell}, {@link LSTMCell} and {@link GRUCell} share (PyTorch's {@code nn.RNNCellBase}):
 * one step of a recurrent layer, written with ordinary tensor ops (so any order of gradient works).
 * For whole sequences prefer {@link RNN}, {@link LSTM} and {@link GRU}, which fuse the time loop.
 *
 * <p>Parameters as PyTorch's: {@code weight_ih} [G*H, inputSize], {@code weight_hh} [G*H, H],
 * {@code bias_ih} and {@code bias_hh} [G*H] (absent without bias), G = 1, 4 or 3, all from
 * U(-1/sqrt(H), 1/sqrt(H)). Inputs are [N, inputSize] with states [N, H], or unbatched [inputSize]
 * with states [H].
 */
public abstract class RNNCellBase extends Module {
    public final int inputSize;
    public final int hiddenSize;
    public final boolean bias;
    public final Tensor weightIh;
    public final Tensor weightHh;
    /** Null without bias. */
    public final Tensor biasIh;
    /** Null without bias. */
    public final Tensor biasHh;

    RNNCellBase(int inputSize, int hiddenSize, boolean bias, int gates) {
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": inputSize and hiddenSize must be positive, got inputSize="
                    + inputSize + ", hiddenSize=" + hiddenSize);
        }
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.bias = bias;
        this.weightIh = param("weight_ih", Tensor.zeros(gates * hiddenSize, inputSize));
        this.weightHh = param("weight_hh", Tensor.zeros(gates * hiddenSize, hiddenSize));
        this.biasIh = bias ? param("bias_ih", Tensor.zeros(gates * hiddenSize)) : null;
        this.biasHh = bias ? param("bias_hh", Tensor.zeros(gates * hiddenSize)) : null;
        resetParameters();
    }

    /** Re-draws every parameter from U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)), as PyTorch. */
    public void resetParameters() {
        double k = 1 / Math.sqrt(hiddenSize);
        for (Tensor p : parameters()) Init.uniform(p, -k, k);
    }

    /** Checks the input: [N, inputSize] or [inputSize]. */
    final void checkInput(Tensor x) {
        String name = getClass().getSimpleName();
        if (x.rank() != 1 && x.rank() != 2) {
            throw new IllegalArgumentException(name + ": expected the input to be 1-D [inputSize] or 2-D [N, inputSize], got shape "
                    + x.shape());
        }
        if (!x.dtype().isFloating()) throw new IllegalArgumentException(name + ": the input must be floating point, got " + x.dtype().pyName());
        if (x.size(-1) != inputSize) {
            throw new IllegalArgumentException(name + ": input " + x.shape() + " has " + x.size(-1) + " features but inputSize is " + inputSize);
        }
    }

    /** A state for input x: checked against [N, H] (or [H] for a 1-D input), or zeros when null. */
    final Tensor state(Tensor x, Tensor s, String what) {
        String name = getClass().getSimpleName();
        boolean batched = x.rank() == 2;
        if (s == null) return batched ? Tensor.zeros(Shape.of(x.size(0), hiddenSize), x.dtype())
                : Tensor.zeros(Shape.of(hiddenSize), x.dtype());
        boolean ok = batched ? s.rank() == 2 && s.size(0) == x.size(0) && s.size(1) == hiddenSize
                : s.rank() == 1 && s.size(0) == hiddenSize;
        if (!ok) {
            throw new IllegalArgumentException(name + ": expected " + what + " of shape " + (batched ? "[" + x.size(0) + ", " + hiddenSize + "]"
                    : "[" + hiddenSize + "]") + " for the input " + x.shape() + ", got " + s.shape());
        }
        return s;
    }

    @Override
    protected String extraRepr() {
        return inputSize + ", " + hiddenSize + (bias ? "" : ", bias=False");
    }
}
