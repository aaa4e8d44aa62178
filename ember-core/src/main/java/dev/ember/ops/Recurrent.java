package dev.ember.ops;

import dev.ember.autograd.Context;
import dev.ember.autograd.Dispatch;
import dev.ember.autograd.GradMode;
import dev.ember.autograd.Op;
import dev.ember.kernels.Backend;
import dev.ember.kernels.BinaryOp;
import dev.ember.kernels.UnaryOp;
import dev.ember.tensor.DType;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;
import dev.ember.tensor.TensorAccess;

import java.util.Arrays;

/**
 * The time loop of a recurrent layer (one layer, one direction) as one fused op: the hidden-to-hidden
 * matmul, the gates and the state update for every step, and the hand-written backpropagation through
 * time. The input-to-hidden projection of all steps is computed beforehand as one large matmul by the
 * caller ({@code gi = x W_ih^T + b}), so per step only {@code h W_hh^T} and the gate arithmetic remain.
 *
 * <p>Why fused rather than composed from per-step ops: each step would read its slice of {@code gi}
 * through a view whose backward materialises a gradient the size of the whole sequence, making the
 * backward pass quadratic in the sequence length. Here the per-step gradients are written straight
 * into one {@code [T, N, G*H]} buffer, and the gradient of {@code W_hh} is a single matmul over all
 * steps. Every kernel call is a vectorised backend kernel writing into preallocated buffers; the only
 * per-step Java work is building views. The backward is checked against finite differences (op
 * catalogue) and against a composite of the single-step cells (tests).
 *
 * <p>Gate formulas (PyTorch's, gate order as PyTorch's weight layout):
 * <ul>
 *   <li>RNN: {@code h' = act(gi + h W_hh^T)}, act tanh or relu (G = 1)
 *   <li>LSTM: {@code [i, f, g, o] = gi + h W_hh^T}; {@code c' = σ(f) c + σ(i) tanh(g)};
 *       {@code h' = σ(o) tanh(c')} (G = 4)
 *   <li>GRU: {@code gh = h W_hh^T + b_hh}; {@code r = σ(gi_r + gh_r)}, {@code z = σ(gi_z + gh_z)},
 *       {@code n = tanh(gi_n + r * gh_n)}, {@code h' = (1 - z) n + z h} (G = 3)
 * </ul>
 *
 * <p>Variable lengths follow PyTorch's packed sequences: {@code batchSizes[t]} is the number of
 * sequences still running at time t, which must be the first ones (sort the batch by decreasing
 * length). Rows past their sequence's end keep their state and output zeros.
 */
public final class Recurrent {
    private Recurrent() {
    }

    /** The cell type: how many gates (G) and their formula. */
    public enum Mode {
        RNN_TANH(1, "rnnTanh"), RNN_RELU(1, "rnnRelu"), LSTM(4, "lstm"), GRU(3, "gru");

        private final int gates;
        private final String opName;

        Mode(int gates, String opName) {
            this.gates = gates;
            this.opName = opName;
        }

        /** Gates per hidden unit: the weights have {@code gates() * hiddenSize} rows. */
        public int gates() {
            return gates;
        }

        /** The name used in error messages ({@code "lstm"}). */
        public String opName() {
            return opName;
        }
    }

    /**
     * Runs the recurrence over a whole sequence.
     *
     * @param gi         the input projection of every step {@code x W_ih^T + b}, [T, N, G*H] (for RNN and
     *                   LSTM it should include both biases; for GRU only {@code b_ih})
     * @param h0         initial hidden state [N, H]
     * @param c0         initial cell state [N, H] (LSTM only, else null)
     * @param wHh        hidden-to-hidden weight [G*H, H]
     * @param bHh        GRU only: the hidden bias [G*H] (it sits inside {@code r * (...)}); else null
     * @param reverse    run from the last step to the first
     * @param batchSizes null (every sequence runs all T steps) or, per time step, how many of the
     *                   leading sequences are still running (non-increasing, as a packed sequence's)
     * @return [T + 1, N, H] (RNN, GRU) or [T + 2, N, H] (LSTM): the T outputs (zero where a sequence
     *         has ended), then the final hidden state, then (LSTM) the final cell state
     */
    public static Tensor scan(Mode mode, Tensor gi, Tensor h0, Tensor c0, Tensor wHh, Tensor bHh, boolean reverse,
                              int[] batchSizes) {
        String op = mode.opName() + "Scan";
        if (wHh == null || wHh.rank() != 2 || wHh.size(0) != mode.gates() * wHh.size(1)) {
            throw new IllegalArgumentException(op + ": the hidden weight must be [" + mode.gates() + "*H, H], got "
                    + (wHh == null ? "null" : wHh.shape()));
        }
        int h = wHh.size(1), gh = mode.gates() * h;
        if (gi.rank() != 3 || gi.size(2) != gh) {
            throw new IllegalArgumentException(op + ": the input projection must be [T, N, " + gh + "] for hidden size " + h
                    + ", got " + gi.shape());
        }
        int t = gi.size(0), n = gi.size(1);
        checkState(op, "h0", h0, n, h);
        if (mode == Mode.LSTM) {
            checkState(op, "c0", c0, n, h);
        } else if (c0 != null) {
            throw new IllegalArgumentException(op + ": a cell state is only used by lstm, got one of shape " + c0.shape());
        }
        if (bHh != null && (mode != Mode.GRU || bHh.rank() != 1 || bHh.size(0) != gh)) {
            throw new IllegalArgumentException(op + ": a separate hidden bias is only taken by gru, with shape [" + gh + "], got "
                    + bHh.shape() + (mode != Mode.GRU ? " (for " + mode.opName() + ", add it into gi)" : ""));
        }
        for (Tensor x : new Tensor[] {gi, h0, c0, wHh, bHh}) {
            if (x != null && (x.dtype() != gi.dtype() || !x.dtype().isFloating())) {
                throw new IllegalArgumentException(op + ": all tensors must have the same floating dtype, got " + gi.dtype().pyName()
                        + " and " + x.dtype().pyName());
            }
        }
        if (batchSizes != null) {
            if (batchSizes.length != t) {
                throw new IllegalArgumentException(op + ": batchSizes needs one entry per time step (" + t + "), got "
                        + batchSizes.length);
            }
            for (int i = 0; i < t; i++) {
                if (batchSizes[i] < 0 || batchSizes[i] > n || (i > 0 && batchSizes[i] > batchSizes[i - 1])) {
                    throw new IllegalArgumentException(op + ": batchSizes must be non-increasing and within [0, " + n + "], got "
                            + Arrays.toString(batchSizes));
                }
            }
            batchSizes = batchSizes.clone();
        }
        return Dispatch.apply(new Scan(mode, reverse, batchSizes), gi, h0, c0, wHh, bHh);
    }

    private static void checkState(String op, String what, Tensor s, int n, int h) {
        if (s == null || s.rank() != 2 || s.size(0) != n || s.size(1) != h) {
            throw new IllegalArgumentException(op + ": " + what + " must be [N, H] = [" + n + ", " + h + "], got "
                    + (s == null ? "null" : s.shape()));
        }
    }

    /**
     * The op: inputs {@code (gi, h0, c0, wHh, bHh)} (c0 and bHh may be null), output as {@link #scan}.
     * Use {@link #scan}, which validates the arguments.
     */
    public record Scan(Mode mode, boolean reverse, int[] batchSizes) implements Op {
        @Override
        public String name() {
            return mode.opName() + "Scan";
        }

        @Override
        public Tensor forward(Context ctx, Tensor... in) {
            Tensor gi = in[0], h0 = in[1], c0 = in[2], whh = in[3], bhh = in[4];
            int steps = gi.size(0), n = gi.size(1), h = whh.size(1), gh = mode.gates() * h;
            DType dt = gi.dtype();
            Backend be = Elementwise.backend(gi);
            boolean lstm = mode == Mode.LSTM, gru = mode == Mode.GRU;
            Tensor y = empty(dt, steps + (lstm ? 2 : 1), n, h);
            boolean keep = ctx.isRecording(); // the per-step states are only kept for backward
            Tensor hPrev = keep ? empty(dt, steps, n, h) : null; // the state each step starts from, by time
            Tensor acts = lstm || gru ? empty(dt, steps, n, gh) : null; // activated gates; RNN's are its outputs
            Tensor cPrev = lstm && keep ? empty(dt, steps, n, h) : null;
            Tensor tanhC = lstm ? empty(dt, steps, n, h) : null;
            Tensor ghn = gru ? empty(dt, steps, n, h) : null; // W_hn h + b_hn, which r multiplies
            Tensor scratchG = gru ? empty(dt, n, gh) : null, scratch = empty(dt, n, h);
            // The running state lives in the output rows that finally hold h_n and c_n.
            Tensor hCur = row(y, steps, n), cCur = lstm ? row(y, steps + 1, n) : null;
            be.copy(h0, hCur);
            if (lstm) be.copy(c0, cCur);
            // W_hh^T copied once into row-major [H, G*H]: the per-step GEMM then packs a plain B, much
            // faster than gathering a transposed one every step.
            Tensor whhT = empty(dt, 1, h, gh);
            be.copy(TensorAccess.view(whh, Shape.of(1, h, gh), new int[] {0, whh.stride(1), whh.stride(0)}, whh.offset()), whhT);
            for (int s = 0; s < steps; s++) {
                int t = reverse ? steps - 1 - s : s;
                int bs = batchSizes == null ? n : batchSizes[t];
                if (bs == 0) continue;
                Tensor hs = row(hCur, bs), x = row(gi, t, bs), out = row(y, t, bs);
                if (keep) be.copy(hs, row(hPrev, t, bs));
                switch (mode) {
                    case RNN_TANH, RNN_RELU -> {
                        be.matmul(as3(hs), whhT, as3(out));
                        be.binary(BinaryOp.ADD, out, x, out, 0);
                        be.unary(mode == Mode.RNN_TANH ? UnaryOp.TANH : UnaryOp.RELU, out, out, 0, 0);
                    }
                    case LSTM -> {
                        Tensor a = row(acts, t, bs);
                        be.matmul(as3(hs), whhT, as3(a));
                        be.binary(BinaryOp.ADD, a, x, a, 0);
                        Tensor ifGates = cols(a, 0, 2 * h), i = cols(a, 0, h), f = cols(a, h, h), g = cols(a, 2 * h, h),
                                o = cols(a, 3 * h, h);
                        be.unary(UnaryOp.SIGMOID, ifGates, ifGates, 0, 0);
                        be.unary(UnaryOp.TANH, g, g, 0, 0);
                        be.unary(UnaryOp.SIGMOID, o, o, 0, 0);
                        Tensor c = row(cCur, bs), ig = row(scratch, bs), tc = row(tanhC, t, bs);
                        if (keep) be.copy(c, row(cPrev, t, bs));
                        be.binary(BinaryOp.MUL, f, c, c, 0);
                        be.binary(BinaryOp.MUL, i, g, ig, 0);
                        be.binary(BinaryOp.ADD, c, ig, c, 0);
                        be.unary(UnaryOp.TANH, c, tc, 0, 0);
                        be.binary(BinaryOp.MUL, o, tc, out, 0);
                    }
                    case GRU -> {
                        Tensor a = row(acts, t, bs), hg = row(scratchG, bs);
                        be.matmul(as3(hs), whhT, as3(hg));
                        if (bhh != null) be.binary(BinaryOp.ADD, hg, rowsOf(bhh, bs), hg, 0);
                        Tensor rz = cols(a, 0, 2 * h), r = cols(a, 0, h), z = cols(a, h, h), nn = cols(a, 2 * h, h);
                        be.binary(BinaryOp.ADD, cols(x, 0, 2 * h), cols(hg, 0, 2 * h), rz, 0);
                        be.unary(UnaryOp.SIGMOID, rz, rz, 0, 0);
                        Tensor hn = row(ghn, t, bs);
                        be.copy(cols(hg, 2 * h, h), hn);
                        be.binary(BinaryOp.MUL, r, hn, nn, 0);
                        be.binary(BinaryOp.ADD, nn, cols(x, 2 * h, h), nn, 0);
                        be.unary(UnaryOp.TANH, nn, nn, 0, 0);
                        Tensor d = row(scratch, bs); // h' = n + z (h - n)
                        be.binary(BinaryOp.SUB, hs, nn, d, 0);
                        be.binary(BinaryOp.MUL, z, d, d, 0);
                        be.binary(BinaryOp.ADD, nn, d, out, 0);
                    }
                }
                be.copy(out, hs);
            }
            ctx.save(whh, hPrev, acts, cPrev, tanhC, ghn);
            if (!lstm && !gru) ctx.saveOutput();
            return y;
        }

        @Override
        public Tensor[] backward(Context ctx, Tensor gy) {
            if (GradMode.isEnabled()) {
                throw new UnsupportedOperationException(name() + ": double backward (createGraph) through a fused recurrent layer "
                        + "is not supported. Hint: step the layer's cell (RNNCell, LSTMCell, GRUCell) in a loop instead");
            }
            Tensor whh = ctx.saved(0), hPrev = ctx.saved(1), acts = ctx.saved(2), cPrev = ctx.saved(3), tanhC = ctx.saved(4),
                    ghn = ctx.saved(5);
            boolean lstm = mode == Mode.LSTM, gru = mode == Mode.GRU;
            Tensor y = lstm || gru ? null : ctx.output();
            int steps = hPrev.size(0), n = hPrev.size(1), h = hPrev.size(2), gh = mode.gates() * h;
            DType dt = hPrev.dtype();
            Backend be = Elementwise.backend(hPrev);
            Tensor dGi = empty(dt, steps, n, gh);
            Tensor dGh = gru ? empty(dt, steps, n, gh) : dGi; // the pre-activations on the hidden side (GRU's n differs)
            Tensor dH = empty(dt, n, h), dC = lstm ? empty(dt, n, h) : null; // gradients of the running state
            be.copy(row(gy, steps, n), dH);
            if (lstm) be.copy(row(gy, steps + 1, n), dC);
            Tensor scratchA = empty(dt, n, h), scratchB = empty(dt, n, h);
            Tensor whh3 = TensorAccess.view(whh, Shape.of(1, gh, h), new int[] {0, whh.stride(0), whh.stride(1)}, whh.offset());
            for (int s = steps - 1; s >= 0; s--) {
                int t = reverse ? steps - 1 - s : s;
                int bs = batchSizes == null ? n : batchSizes[t];
                if (bs == 0) continue;
                Tensor dh = row(dH, bs), dOut = row(scratchA, bs); // dOut: total gradient of this step's new h
                be.binary(BinaryOp.ADD, dh, row(gy, t, bs), dOut, 0);
                switch (mode) {
                    case RNN_TANH, RNN_RELU -> {
                        Tensor d = row(dGi, t, bs);
                        be.binary(mode == Mode.RNN_TANH ? BinaryOp.TANH_BACKWARD : BinaryOp.RELU_BACKWARD, dOut, row(y, t, bs), d, 0);
                    }
                    case LSTM -> {
                        Tensor a = row(acts, t, bs), i = cols(a, 0, h), f = cols(a, h, h), g = cols(a, 2 * h, h), o = cols(a, 3 * h, h);
                        Tensor d = row(dGi, t, bs), tc = row(tanhC, t, bs), dc = row(dC, bs), dcTot = row(scratchB, bs);
                        Tensor dO = cols(d, 3 * h, h), dI = cols(d, 0, h), dF = cols(d, h, h), dG = cols(d, 2 * h, h);
                        be.binary(BinaryOp.MUL, dOut, tc, dO, 0);
                        be.binary(BinaryOp.SIGMOID_BACKWARD, dO, o, dO, 0);
                        be.binary(BinaryOp.MUL, dOut, o, dcTot, 0);
                        be.binary(BinaryOp.TANH_BACKWARD, dcTot, tc, dcTot, 0);
                        be.binary(BinaryOp.ADD, dcTot, dc, dcTot, 0);
                        be.binary(BinaryOp.MUL, dcTot, g, dI, 0);
                        be.binary(BinaryOp.SIGMOID_BACKWARD, dI, i, dI, 0);
                        be.binary(BinaryOp.MUL, dcTot, row(cPrev, t, bs), dF, 0);
                        be.binary(BinaryOp.SIGMOID_BACKWARD, dF, f, dF, 0);
                        be.binary(BinaryOp.MUL, dcTot, i, dG, 0);
                        be.binary(BinaryOp.TANH_BACKWARD, dG, g, dG, 0);
                        be.binary(BinaryOp.MUL, dcTot, f, dc, 0);
                    }
                    case GRU -> {
                        Tensor a = row(acts, t, bs), r = cols(a, 0, h), z = cols(a, h, h), nn = cols(a, 2 * h, h);
                        Tensor di = row(dGi, t, bs), dg = row(dGh, t, bs), dhz = row(scratchB, bs);
                        Tensor dz = cols(dg, h, h), dn = cols(di, 2 * h, h), dr = cols(dg, 0, h);
                        be.binary(BinaryOp.SUB, row(hPrev, t, bs), nn, dz, 0);
                        be.binary(BinaryOp.MUL, dz, dOut, dz, 0);
                        be.binary(BinaryOp.SIGMOID_BACKWARD, dz, z, dz, 0);
                        be.binary(BinaryOp.MUL, dOut, z, dhz, 0);
                        be.binary(BinaryOp.SUB, dOut, dhz, dn, 0);
                        be.binary(BinaryOp.TANH_BACKWARD, dn, nn, dn, 0);
                        be.binary(BinaryOp.MUL, dn, row(ghn, t, bs), dr, 0);
                        be.binary(BinaryOp.SIGMOID_BACKWARD, dr, r, dr, 0);
                        be.binary(BinaryOp.MUL, dn, r, cols(dg, 2 * h, h), 0);
                        be.copy(cols(dg, 0, 2 * h), cols(di, 0, 2 * h));
                    }
                }
                be.matmul(as3(row(dGh, t, bs)), whh3, as3(dh)); // dh <- gradient of the state this step started from
                if (gru) be.binary(BinaryOp.ADD, dh, row(scratchB, bs), dh, 0);
            }
            Tensor dWhh = null, dbhh = null;
            if (ctx.needsInputGrad(3)) { // sum over steps and batch of dGh^T h_prev: one matmul
                dWhh = LinAlg.matmul(dGh.reshape(steps * n, gh).t(), hPrev.reshape(steps * n, h));
            }
            if (ctx.needsInputGrad(4)) dbhh = dGh.sum(0, 1);
            return new Tensor[] {ctx.needsInputGrad(0) ? dGi : null, ctx.needsInputGrad(1) ? dH : null,
                    ctx.needsInputGrad(2) ? dC : null, dWhh, dbhh};
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Scan s && s.mode == mode && s.reverse == reverse && Arrays.equals(s.batchSizes, batchSizes);
        }

        @Override
        public int hashCode() {
            return (mode.hashCode() * 31 + Boolean.hashCode(reverse)) * 31 + Arrays.hashCode(batchSizes);
        }

        @Override
        public String toString() {
            return "Scan[mode=" + mode + ", reverse=" + reverse + ", batchSizes=" + Arrays.toString(batchSizes) + "]";
        }
    }

    // =================================================================== views (no dispatch: the loop builds many)

    private static Tensor empty(DType dt, int... dims) {
        return Creation.empty(Shape.of(dims), dt);
    }

    /** Rows [0, bs) of time step t of a [T, N, C] tensor, as [bs, C]. */
    private static Tensor row(Tensor x3, int t, int bs) {
        return TensorAccess.view(x3, Shape.of(bs, x3.size(2)), new int[] {x3.stride(1), x3.stride(2)}, x3.offset() + t * x3.stride(0));
    }

    /** Rows [0, bs) of an [N, C] tensor. */
    private static Tensor row(Tensor x2, int bs) {
        return TensorAccess.view(x2, Shape.of(bs, x2.size(1)), new int[] {x2.stride(0), x2.stride(1)}, x2.offset());
    }

    /** Columns [start, start + len) of an [R, C] tensor. */
    private static Tensor cols(Tensor x2, int start, int len) {
        return TensorAccess.view(x2, Shape.of(x2.size(0), len), new int[] {x2.stride(0), x2.stride(1)},
                x2.offset() + start * x2.stride(1));
    }

    /** A [C] vector repeated over bs rows (stride 0). */
    private static Tensor rowsOf(Tensor v, int bs) {
        return TensorAccess.view(v, Shape.of(bs, v.size(0)), new int[] {0, v.stride(0)}, v.offset());
    }

    /** An [R, C] tensor as the [1, R, C] batch the matmul kernel takes. */
    private static Tensor as3(Tensor x2) {
        return TensorAccess.view(x2, Shape.of(1, x2.size(0), x2.size(1)), new int[] {0, x2.stride(0), x2.stride(1)}, x2.offset());
    }
}
