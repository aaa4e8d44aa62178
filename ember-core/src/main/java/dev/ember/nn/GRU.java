package dev.ember.nn;

import dev.ember.ops.Recurrent;
import dev.ember.tensor.Tensor;

/**
 * A gated recurrent unit network (PyTorch's {@code nn.GRU}): per layer and step
 * <pre>
 *   r = σ(W_ir x + b_ir + W_hr h + b_hr)
 *   z = σ(W_iz x + b_iz + W_hz h + b_hz)
 *   n = tanh(W_in x + b_in + r * (W_hn h + b_hn))
 *   h' = (1 - z) * n + z * h
 * </pre>
 * with the gates stacked r, z, n in {@code weight_ih_l{k}} [3H, in] and {@code weight_hh_l{k}} [3H, H].
 *
 * <p>Parameters, shapes, initialisation and variable lengths: see {@link RNNBase}.
 *
 * <pre>{@code
 * GRU gru = new GRU(8, 16, 1, true, true, 0.0, true);   // batch first, bidirectional
 * RNNBase.Output r = gru.forward(x, null, new int[] {7, 3, 5});  // x [3, 7, 8]
 * r.output();                                         // [3, 7, 32], zero past each length
 * }</pre>
 */
public final class GRU extends RNNBase {
    public GRU(int inputSize, int hiddenSize) {
        this(inputSize, hiddenSize, 1);
    }

    /** {@code numLayers} layers with bias, time-major, no dropout, one direction. */
    public GRU(int inputSize, int hiddenSize, int numLayers) {
        this(inputSize, hiddenSize, numLayers, true, false, 0.0, false);
    }

    public GRU(int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, double dropout, boolean bidirectional) {
        super(Recurrent.Mode.GRU, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional);
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
        return run(x, h0, null, lengthsOf("GRU", lengths));
    }
}
