package dev.ember.nn;

import dev.ember.ops.Recurrent;
import dev.ember.tensor.DType;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What {@link RNN}, {@link LSTM} and {@link GRU} share (PyTorch's {@code nn.RNNBase}): a stack of
 * {@code numLayers} recurrent layers, optionally bidirectional, with dropout between layers.
 *
 * <p>Parameters, named and laid out as PyTorch's so state dicts move unchanged: for each layer k and
 * direction (suffix {@code _reverse} for the backward one) {@code weight_ih_l{k}} [G*H, in_k],
 * {@code weight_hh_l{k}} [G*H, H], {@code bias_ih_l{k}} and {@code bias_hh_l{k}} [G*H] (absent
 * without bias), where G is 1 (RNN), 4 (LSTM, gates i, f, g, o) or 3 (GRU, gates r, z, n) and in_k is
 * {@code inputSize} for the first layer and {@code D * hiddenSize} after it (D = 2 when
 * bidirectional). All are initialised from U(-1/sqrt(H), 1/sqrt(H)).
 *
 * <p>Shapes: input [T, N, inputSize] ({@code batchFirst}: [N, T, inputSize]) or unbatched [T,
 * inputSize]; output [T, N, D*H] (batch-first likewise; the backward direction's half comes second);
 * final states h_n (and c_n) [D*numLayers, N, H], ordered layer by layer, forward direction first.
 *
 * <p>Variable-length batches: pass {@code lengths} (one per sequence, each in [1, T]). The result is
 * PyTorch's {@code pack_padded_sequence(x, lengths, enforce_sorted=False)} through the layer, then
 * {@code pad_packed_sequence(total_length=T)}: outputs past a sequence's end are zero, its h_n and c_n
 * are the states after its last element, and the backward direction starts at its last element.
 *
 * <p>Speed: each layer and direction computes its input projection for all steps as one matmul; the
 * time loop ({@link Recurrent#scan}) then does one hidden matmul and the gate kernels per step, and
 * backpropagates through time without per-step graph nodes.
 */
public abstract class RNNBase extends Module {
    /**
     * A recurrent layer's results: the output sequence, the final hidden state and, for LSTM, the final
     * cell state (null otherwise).
     */
    public record Output(Tensor output, Tensor hN, Tensor cN) {
    }

    public final int inputSize;
    public final int hiddenSize;
    public final int numLayers;
    public final boolean bias;
    public final boolean batchFirst;
    /** Dropout probability applied to each layer's output except the last's, in training mode. */
    public final double dropout;
    public final boolean bidirectional;
    final Recurrent.Mode mode;
    /** Per layer and direction (index layer * D + direction): weight_ih, weight_hh, bias_ih, bias_hh. */
    private final Tensor[][] weights;

    RNNBase(Recurrent.Mode mode, int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst, double dropout,
            boolean bidirectional) {
        String name = getClass().getSimpleName();
        if (inputSize <= 0 || hiddenSize <= 0 || numLayers <= 0) {
            throw new IllegalArgumentException(name + ": inputSize, hiddenSize and numLayers must be positive, got inputSize="
                    + inputSize + ", hiddenSize=" + hiddenSize + ", numLayers=" + numLayers);
        }
        if (!(dropout >= 0 && dropout <= 1)) {
            throw new IllegalArgumentException(name + ": dropout should be a number in range [0, 1] representing the probability "
                    + "of an element being zeroed, got " + dropout);
        }
        this.mode = mode;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.numLayers = numLayers;
        this.bias = bias;
        this.batchFirst = batchFirst;
        this.dropout = dropout;
        this.bidirectional = bidirectional;
        int dirs = bidirectional ? 2 : 1, gh = mode.gates() * hiddenSize;
        this.weights = new Tensor[numLayers * dirs][];
        for (int layer = 0; layer < numLayers; layer++) {
            int in = layer == 0 ? inputSize : hiddenSize * dirs;
            for (int d = 0; d < dirs; d++) {
                String suffix = "_l" + layer + (d == 1 ? "_reverse" : "");
                weights[layer * dirs + d] = new Tensor[] {
                        param("weight_ih" + suffix, Tensor.zeros(gh, in)),
                        param("weight_hh" + suffix, Tensor.zeros(gh, hiddenSize)),
                        bias ? param("bias_ih" + suffix, Tensor.zeros(gh)) : null,
                        bias ? param("bias_hh" + suffix, Tensor.zeros(gh)) : null};
            }
        }
        resetParameters();
    }

    /** Re-draws every parameter from U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)), as PyTorch. */
    public void resetParameters() {
        double k = 1 / Math.sqrt(hiddenSize);
        for (Tensor p : parameters()) Init.uniform(p, -k, k);
    }

    /** {@code weight_ih_l{layer}} (or {@code _reverse}). */
    public Tensor weightIh(int layer, boolean reverse) {
        return weights(layer, reverse)[0];
    }

    /** {@code weight_hh_l{layer}} (or {@code _reverse}). */
    public Tensor weightHh(int layer, boolean reverse) {
        return weights(layer, reverse)[1];
    }

    /** {@code bias_ih_l{layer}} (or {@code _reverse}); null without bias. */
    public Tensor biasIh(int layer, boolean reverse) {
        return weights(layer, reverse)[2];
    }

    /** {@code bias_hh_l{layer}} (or {@code _reverse}); null without bias. */
    public Tensor biasHh(int layer, boolean reverse) {
        return weights(layer, reverse)[3];
    }

    private Tensor[] weights(int layer, boolean reverse) {
        if (layer < 0 || layer >= numLayers || (reverse && !bidirectional)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": no " + (reverse ? "reverse " : "") + "layer " + layer
                    + " (numLayers=" + numLayers + ", bidirectional=" + bidirectional + ")");
        }
        return weights[layer * (bidirectional ? 2 : 1) + (reverse ? 1 : 0)];
    }

    /** The output sequence for zero initial states (what {@link Sequential} passes on). */
    @Override
    public Tensor forward(Tensor input) {
        return run(input, null, null, null).output();
    }

    /** Lengths given as an int64 or int32 tensor [N], as an int array. */
    static int[] lengthsOf(String name, Tensor lengths) {
        if (lengths == null) return null;
        if (lengths.dtype() != DType.INT64 && lengths.dtype() != DType.INT32) {
            throw new IllegalArgumentException(name + ": lengths must be an int64 or int32 tensor, got " + lengths.dtype().pyName());
        }
        if (lengths.rank() != 1) throw new IllegalArgumentException(name + ": lengths must be 1-D [N], got shape " + lengths.shape());
        long[] l = lengths.toLongArray();
        int[] r = new int[l.length];
        for (int i = 0; i < l.length; i++) r[i] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, l[i]));
        return r;
    }

    /**
     * Runs the stack. {@code h0}/{@code c0} may be null (zeros); {@code c0} is given only for LSTM;
     * {@code lengths} may be null (every sequence has T steps).
     */
    final Output run(Tensor x, Tensor h0, Tensor c0, int[] lengths) {
        return run(weights, x, h0, c0, lengths);
    }

    /**
     * {@link #run(Tensor, Tensor, Tensor, int[])} with other weights of the same layout (indexed
     * [layer * D + direction][weight_ih, weight_hh, bias_ih, bias_hh]); tests use it to check float64
     * gradients.
     */
    final Output run(Tensor[][] weights, Tensor x, Tensor h0, Tensor c0, int[] lengths) {
        String name = getClass().getSimpleName();
        boolean lstm = mode == Recurrent.Mode.LSTM;
        if (x.rank() != 2 && x.rank() != 3) {
            throw new IllegalArgumentException(name + ": expected a 3-D input " + (batchFirst ? "[N, T, inputSize]" : "[T, N, inputSize]")
                    + " or an unbatched 2-D input [T, inputSize], got shape " + x.shape());
        }
        if (!x.dtype().isFloating()) {
            throw new IllegalArgumentException(name + ": the input must be floating point, got " + x.dtype().pyName());
        }
        if (x.size(-1) != inputSize) {
            throw new IllegalArgumentException(name + ": input " + x.shape() + " has " + x.size(-1) + " features but inputSize is "
                    + inputSize);
        }
        boolean unbatched = x.rank() == 2;
        if (unbatched) {
            if (lengths != null) {
                throw new IllegalArgumentException(name + ": lengths need a batched 3-D input, got the unbatched shape " + x.shape());
            }
            x = x.unsqueeze(1);
        } else if (batchFirst) {
            x = x.transpose(0, 1);
        }
        int steps = x.size(0), n = x.size(1), dirs = bidirectional ? 2 : 1;
        if (steps == 0) throw new IllegalArgumentException(name + ": the input has no time steps (shape " + x.shape() + ")");
        h0 = initialState(name, "h0", h0, x, unbatched);
        c0 = lstm ? initialState(name, "c0", c0, x, unbatched) : null;

        // Variable lengths: sort the batch by decreasing length (stable), as pack_padded_sequence does, so
        // that the sequences still running at any step are the leading rows.
        int[] batchSizes = null;
        Tensor unsort = null;
        int run = steps;
        if (lengths != null) {
            if (lengths.length != n) {
                throw new IllegalArgumentException(name + ": expected " + n + " lengths (one per sequence of the batch " + x.shape()
                        + (batchFirst ? ", batch first" : "") + "), got " + lengths.length);
            }
            int min = Integer.MAX_VALUE, max = 0;
            for (int i = 0; i < n; i++) {
                if (lengths[i] < 1 || lengths[i] > steps) {
                    throw new IllegalArgumentException(name + ": lengths must be in [1, " + steps + "] (the sequence length), got "
                            + lengths[i] + " at index " + i + " of " + Arrays.toString(lengths));
                }
                min = Math.min(min, lengths[i]);
                max = Math.max(max, lengths[i]);
            }
            if (min < steps) {
                Integer[] order = new Integer[n];
                for (int i = 0; i < n; i++) order[i] = i;
                int[] len = lengths;
                Arrays.sort(order, (a, b) -> Integer.compare(len[b], len[a]));
                long[] perm = new long[n], inv = new long[n];
                boolean identity = true;
                for (int i = 0; i < n; i++) {
                    perm[i] = order[i];
                    inv[order[i]] = i;
                    identity &= order[i] == i;
                }
                run = max;
                batchSizes = new int[run];
                for (int t = 0; t < run; t++) {
                    int c = 0;
                    while (c < n && len[order[c]] > t) c++;
                    batchSizes[t] = c;
                }
                if (!identity) {
                    Tensor p = Tensor.of(perm, n);
                    x = x.indexSelect(1, p);
                    h0 = h0.indexSelect(1, p);
                    if (lstm) c0 = c0.indexSelect(1, p);
                    unsort = Tensor.of(inv, n);
                }
                if (run < steps) x = x.narrow(0, 0, run);
            }
        }

        Tensor layerIn = x;
        List<Tensor> hn = new ArrayList<>(numLayers * dirs), cn = new ArrayList<>(numLayers * dirs);
        for (int layer = 0; layer < numLayers; layer++) {
            if (layer > 0 && dropout > 0 && isTraining()) layerIn = F.dropout(layerIn, dropout, true);
            List<Tensor> outs = new ArrayList<>(dirs);
            for (int d = 0; d < dirs; d++) {
                int k = layer * dirs + d;
                Tensor[] w = weights[k];
                Tensor gi = layerIn.matmul(w[0].t()); // every step's input projection: one [T*N, in] x [in, G*H] GEMM
                Tensor bhh = null;
                if (bias) {
                    if (mode == Recurrent.Mode.GRU) {
                        gi = gi.add(w[2]);
                        bhh = w[3]; // GRU's b_hn sits inside r * (W_hn h + b_hn)
                    } else {
                        gi = gi.add(w[2].add(w[3]));
                    }
                }
                Tensor y = Recurrent.scan(mode, gi, h0.select(0, k), lstm ? c0.select(0, k) : null, w[1], bhh, d == 1, batchSizes);
                outs.add(y.narrow(0, 0, run));
                hn.add(y.select(0, run));
                if (lstm) cn.add(y.select(0, run + 1));
            }
            layerIn = dirs == 1 ? outs.get(0) : Tensor.cat(outs, 2);
        }
        Tensor out = layerIn, hN = Tensor.stack(hn, 0), cN = lstm ? Tensor.stack(cn, 0) : null;
        if (run < steps) out = out.pad(0, 0, 0, 0, 0, steps - run);
        if (unsort != null) {
            out = out.indexSelect(1, unsort);
            hN = hN.indexSelect(1, unsort);
            if (lstm) cN = cN.indexSelect(1, unsort);
        }
        if (unbatched) {
            out = out.squeeze(1);
            hN = hN.squeeze(1);
            if (lstm) cN = cN.squeeze(1);
        } else if (batchFirst) {
            out = out.transpose(0, 1);
        }
        return new Output(out, hN, cN);
    }

    /** The given initial state checked against [D*numLayers, N, H] (unbatched: [D*numLayers, H]), or zeros. */
    private Tensor initialState(String name, String what, Tensor s, Tensor x3, boolean unbatched) {
        int layers = numLayers * (bidirectional ? 2 : 1), n = x3.size(1);
        if (s == null) return Tensor.zeros(Shape.of(layers, n, hiddenSize), x3.dtype());
        boolean ok = unbatched
                ? s.rank() == 2 && s.size(0) == layers && s.size(1) == hiddenSize
                : s.rank() == 3 && s.size(0) == layers && s.size(1) == n && s.size(2) == hiddenSize;
        if (!ok) {
            String expected = unbatched ? "[" + layers + ", " + hiddenSize + "]" : "[" + layers + ", " + n + ", " + hiddenSize + "]";
            throw new IllegalArgumentException(name + ": expected " + what + " of shape " + expected
                    + " (numLayers * numDirections, " + (unbatched ? "" : "batch, ") + "hiddenSize), got " + s.shape());
        }
        if (s.dtype() != x3.dtype()) {
            throw new IllegalArgumentException(name + ": " + what + " has dtype " + s.dtype().pyName() + " but the input has "
                    + x3.dtype().pyName());
        }
        return unbatched ? s.unsqueeze(1) : s;
    }

    @Override
    protected String extraRepr() {
        StringBuilder sb = new StringBuilder().append(inputSize).append(", ").append(hiddenSize);
        if (numLayers != 1) sb.append(", num_layers=").append(numLayers);
        if (mode == Recurrent.Mode.RNN_RELU) sb.append(", nonlinearity='relu'");
        if (!bias) sb.append(", bias=False");
        if (batchFirst) sb.append(", batch_first=True");
        if (dropout != 0) sb.append(", dropout=").append(dropout);
        if (bidirectional) sb.append(", bidirectional=True");
        return sb.toString();
    }
}
