package dev.ember.nn;

import dev.ember.ops.Recurrent;
import dev.ember.tensor.Tensor;

/**
 * A long short-term memory network (PyTorch's {@code nn.LSTM}): per layer and step
 * <pre>
 *   [i, f, g, o] = W_ih x + b_ih + W_hh h + b_hh
 *   c' = σ(f) * c + σ(i) * tanh(g)
 *   h' = σ(o) * tanh(c')
 * </pre>
 * with the gates stacked i, f, g, o in {@code weight_ih_l{k}} [4H, in] and {@code weight_hh_l{k}} [4H, H].
 *
 * <p>Parameters, shapes, initialisation and variable lengths: see {@link RNNBase}. ({@code proj_size}
 * is not supported.)
 *
 * <pre>{@code
 * LSTM lstm = new LSTM(10, 20, 2, true, true, 0.0, true); // batch first, bidirectional
 * RNNBase.Output r = lstm.forward(Tensor.randn(3, 5, 10), null, null);
 * r.output();                                             // [3, 5, 40]
 * r.hN(); r.cN();                                         // [4, 3, 20] each
 * }</pre>
 */
public final class LSTM extends RNNBase {
    public LSTM(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, 1);
    }

    /** {@code numLayers} layers with bias, time-major, no dropout, one direction. */
    public LSTM(int inputSize, int hiddenSize, int numLayers) {
        this(inputSize, hiddenSize, numLayers, true, false, 0.0, false);
    }

    public LSTM(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, double dropout, boolean bidirectional) {
        super(Recurrent.Mode.LSTM, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional);
    }

    /**
     * Runs the network from initial states {@code h0} and {@code c0} [D*numLayers, N, H] (null: zeros;
     * give both or neither, as PyTorch's {@code (h_0, c_0)} tuple).
     */
    public Output forward(Tensor x, Tensor h0, Tensor c0) {
        return run(x, checkPair(h0, c0), c0, null);
    }

    /** A padded batch of sequences with the given lengths (see {@link RNNBase}). */
    public Output forward(Tensor x, Tensor h0, Tensor c0, int[] lengths) {
        return run(x, checkPair(h0, c0), c0, lengths);
    }

    /** Lengths as an int64 or int32 tensor [N]. */
    public Output forward(Tensor x, Tensor h0, Tensor c0, Tensor lengths) {
        return run(x, checkPair(h0, c0), c0, lengthsOf("LSTM", lengths));
    }

    private static Tensor checkPair(Tensor h0, Tensor c0) {
        if ((h0 == null) != (c0 == null)) {
            throw new IllegalArgumentException("LSTM: give both initial states h0 and c0 or neither, got only "
                    + (h0 == null ? "c0 " + c0.shape() : "h0 " + h0.shape()));
        }
        return h0;
    }
}
