package dev.ember.nn;

import dev.ember.ops.Recurrent;
import dev.ember.tensor.Tensor;

/**
 * An Elman recurrent network (PyTorch's {@code nn.RNN}): per layer and step
 * {@code h_t = act(x_t W_ih^T + b_ih + h_{t-1} W_hh^T + b_hh)} with act tanh or relu.
 *
 * <p>Parameters, shapes, initialisation and variable lengths: see {@link RNNBase}.
 *
 * <pre>{@code
 * RNN rnn = new RNN(10, 20, 2);                          // inputSize 10, hiddenSize 20, 2 layers
 * RNNBase.Output r = rnn.forward(Tensor.randn(5, 3, 10), null);
 * r.output();                                            // [5, 3, 20]
 * r.hN();                                                // [2, 3, 20]
 * }</pre>
 */
public final class RNN extends RNNBase {
    /** The activation of {@link RNN} and {@link RNNCell}. */
    public enum Nonlinearity { TANH, RELU }

    public final Nonlinearity nonlinearity;

    /** One layer, tanh. */
    public RNN(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, 1);
    }

    /** {@code numLayers} layers, tanh, with bias, time-major, no dropout, one direction. */
    public RNN(int inputSize, int hiddenSize, int numLayers) {
        this(inputSize, hiddenSize, numLayers, Nonlinearity.TANH, true, false, 0.0, false);
    }

    public RNN(int inputSize, int hiddenSize, int numLayers, Nonlinearity nonlinearity, boolean bias, boolean batchFirst,
               double dropout, boolean bidirectional) {
        super(nonlinearity == Nonlinearity.RELU ? Recurrent.Mode.RNN_RELU : Recurrent.Mode.RNN_TANH, inputSize, hiddenSize, numLayers,
                bias, batchFirst, dropout, bidirectional);
        this.nonlinearity = nonlinearity;
    }

    /** Runs the network from initial state {@code h0} [D*numLayers, N, H] (null: zeros). */
    public Output forward(Tensor x, Tensor h0) {
        return run(x, h0, null, null);
    }

    /** A padded batch of sequences with the given lengths (see {@link RNNBase}). */
    public Output forward(Tensor x, Tensor h0, int[] lengths) {
        return run(x, h0, null, lengths);
    }

    /** Lengths as an int64 or int32 tensor [N]. */
    public Output forward(Tensor x, Tensor h0, Tensor lengths) {
        return run(x, h0, null, lengthsOf("RNN", lengths));
    }
}
