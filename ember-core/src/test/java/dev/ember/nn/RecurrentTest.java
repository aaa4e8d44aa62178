package dev.ember.nn;

import dev.ember.Ember;
import dev.ember.autograd.Grad;
import dev.ember.autograd.GradCheck;
import dev.ember.tensor.DType;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;
import dev.ember.testing.Golden;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Recurrent layers beyond the PyTorch fixtures: float64 gradient checks, variable-length properties, dropout, errors. */
class RecurrentTest {

    // ------------------------------------------------------------------ float64 gradient checks of whole stacks

    /** Float64 leaves shaped like {@code m}'s weights, scaled so the gates stay away from saturation. */
    private static Tensor[][] weights64(RNNBase m, Generator g) {
        int dirs = m.bidirectional ? 2 : 1;
        Tensor[][] w = new Tensor[m.numLayers * dirs][4];
        for (int layer = 0; layer < m.numLayers; layer++) {
            for (int d = 0; d < dirs; d++) {
                boolean rev = d == 1;
                Tensor[] src = {m.weightIh(layer, rev), m.weightHh(layer, rev), m.biasIh(layer, rev), m.biasHh(layer, rev)};
                for (int i = 0; i < 4; i++) {
                    if (src[i] != null) w[layer * dirs + d][i] = Tensor.randn(g, src[i].shape(), DType.FLOAT64).mul(0.6).requiresGrad(true);
                }
            }
        }
        return w;
    }

    private static List<Tensor> flat(Tensor[][] w) {
        List<Tensor> l = new ArrayList<>();
        for (Tensor[] ws : w) for (Tensor t : ws) if (t != null) l.add(t);
        return l;
    }

    /** Gradient-checks output, h_n (and c_n) of {@code m} with respect to x, the initial states and every weight. */
    private static void gradCheckStack(RNNBase m, int steps, int n, int[] lengths, long seed) {
        Generator g = new Generator(seed);
        boolean lstm = m instanceof LSTM;
        int states = m.numLayers * (m.bidirectional ? 2 : 1);
        Tensor x = Tensor.randn(g, m.batchFirst ? Shape.of(n, steps, m.inputSize) : Shape.of(steps, n, m.inputSize), DType.FLOAT64)
                .requiresGrad(true);
        Tensor h0 = Tensor.randn(g, Shape.of(states, n, m.hiddenSize), DType.FLOAT64).requiresGrad(true);
        Tensor c0 = lstm ? Tensor.randn(g, Shape.of(states, n, m.hiddenSize), DType.FLOAT64).requiresGrad(true) : null;
        Tensor[][] w = weights64(m, g);
        List<Tensor> inputs = new ArrayList<>(List.of(x, h0));
        if (lstm) inputs.add(c0);
        int fixed = inputs.size();
        inputs.addAll(flat(w));
        Function<Tensor[], Tensor> f = in -> {
            Tensor[][] ws = new Tensor[w.length][4];
            int k = fixed;
            for (int i = 0; i < w.length; i++) for (int j = 0; j < 4; j++) if (w[i][j] != null) ws[i][j] = in[k++];
            RNNBase.Output r = m.run(ws, in[0], in[1], lstm ? in[2] : null, lengths);
            List<Tensor> parts = new ArrayList<>(List.of(r.output().reshape(-1), r.hN().reshape(-1)));
            if (lstm) parts.add(r.cN().reshape(-1));
            return Tensor.cat(parts, 0);
        };
        GradCheck.Result res = GradCheck.check(f, inputs.toArray(Tensor[]::new));
        assertTrue(res.passed(), m + " lengths " + Arrays.toString(lengths) + ": " + res.message());
    }

    @Test
    void lstmGradCheckFloat64() {
        gradCheckStack(new LSTM(3, 2, 2, true, false, 0.0, true), 4, 3, null, 1);
        gradCheckStack(new LSTM(3, 2, 2, true, true, 0.0, true), 4, 3, new int[] {2, 4, 1}, 2);
    }

    @Test
    void gruGradCheckFloat64() {
        gradCheckStack(new GRU(3, 2, 2, true, false, 0.0, true), 4, 3, null, 3);
        gradCheckStack(new GRU(3, 2, 1, false, true, 0.0, true), 5, 3, new int[] {3, 5, 3}, 4);
    }

    @Test
    void rnnGradCheckFloat64() {
        gradCheckStack(new RNN(3, 2, 2, RNN.Nonlinearity.TANH, true, false, 0.0, false), 4, 2, new int[] {1, 4}, 5);
    }

    @Test
    void cellsAreDifferentiableTwice() {
        // The cells are composites, so second-order gradients work (the fused sequence op refuses them).
        Generator g = new Generator(6);
        Tensor x = Tensor.randn(g, Shape.of(2, 3), DType.FLOAT64).requiresGrad(true);
        Tensor h = Tensor.randn(g, Shape.of(2, 2), DType.FLOAT64).requiresGrad(true);
        Tensor c = Tensor.randn(g, Shape.of(2, 2), DType.FLOAT64).requiresGrad(true);
        Tensor wi = Tensor.randn(g, Shape.of(8, 3), DType.FLOAT64).requiresGrad(true);
        Tensor wh = Tensor.randn(g, Shape.of(8, 2), DType.FLOAT64).requiresGrad(true);
        Function<Tensor[], Tensor> lstmStep = in -> {
            Tensor gates = F.linear(in[0], in[3], null).add(F.linear(in[1], in[4], null));
            Tensor i = gates.narrow(1, 0, 2).sigmoid(), f = gates.narrow(1, 2, 2).sigmoid();
            Tensor gg = gates.narrow(1, 4, 2).tanh(), o = gates.narrow(1, 6, 2).sigmoid();
            return o.mul(f.mul(in[2]).add(i.mul(gg)).tanh());
        };
        LSTMCell cell = new LSTMCell(3, 2, false);
        try (var off = Grad.off()) {
            cell.weightIh.copyFrom(wi);
            cell.weightHh.copyFrom(wh);
        }
        Golden.assertClose(lstmStep.apply(new Tensor[] {x, h, c, wi, wh}), cell.forward(x.to(DType.FLOAT32), h.to(DType.FLOAT32),
                c.to(DType.FLOAT32)).h().to(DType.FLOAT64), 1e-5, 1e-6, "LSTMCell formula");
        GradCheck.Result r = GradCheck.checkSecondOrder(lstmStep, GradCheck.Options.DEFAULT, x, h, c, wi, wh);
        assertTrue(r.passed(), r.message());
    }

    @Test
    void fusedLayerRefusesDoubleBackward() {
        LSTM lstm = new LSTM(3, 2);
        Tensor x = Tensor.randn(4, 2, 3).requiresGrad(true);
        Tensor y = lstm.forward(x).sum();
        var e = assertThrows(UnsupportedOperationException.class,
                () -> Grad.of(new Tensor[] {y}, null, new Tensor[] {x}, false, true, false));
        assertTrue(e.getMessage().contains("lstmScan") && e.getMessage().contains("LSTMCell"), e.getMessage());
    }

    // ------------------------------------------------------------------ variable lengths

    /**
     * Property: a padded batch with lengths gives, for every sequence, exactly what the layer gives on
     * that sequence alone (its own length, batch of one): output rows, zeros past the end, final
     * states, and the gradients of the parameters summed over the sequences.
     */
    @Test
    void lengthsMatchRunningEachSequenceAlone() {
        Generator g = new Generator(7);
        for (int trial = 0; trial < 12; trial++) {
            Ember.manualSeed(100 + trial);
            int kind = trial % 3, layers = 1 + trial % 2, n = 1 + (trial * 7) % 4, steps = 2 + trial % 4;
            boolean bidir = trial % 4 < 2, batchFirst = trial % 5 == 0;
            RNNBase m = switch (kind) {
                case 0 -> new LSTM(3, 4, layers, true, batchFirst, 0.0, bidir);
                case 1 -> new GRU(3, 4, layers, trial % 2 == 0, batchFirst, 0.0, bidir);
                default -> new RNN(3, 4, layers, trial % 2 == 0 ? RNN.Nonlinearity.RELU : RNN.Nonlinearity.TANH, true, batchFirst, 0.0, bidir);
            };
            boolean lstm = m instanceof LSTM;
            int[] lengths = new int[n];
            for (int b = 0; b < n; b++) lengths[b] = 1 + (int) (Tensor.rand(g, Shape.of(1), DType.FLOAT64).item() * steps);
            int states = layers * (bidir ? 2 : 1);
            Tensor x = Tensor.randn(g, batchFirst ? Shape.of(n, steps, 3) : Shape.of(steps, n, 3), DType.FLOAT32);
            Tensor h0 = Tensor.randn(g, Shape.of(states, n, 4), DType.FLOAT32);
            Tensor c0 = Tensor.randn(g, Shape.of(states, n, 4), DType.FLOAT32);
            String what = m + " lengths " + Arrays.toString(lengths);

            RNNBase.Output all = m.run(x, h0, lstm ? c0 : null, lengths);
            Tensor loss = all.output().square().sum().add(all.hN().sum());
            if (lstm) loss = loss.add(all.cN().mul(0.5).sum());
            Tensor[] gAll = Grad.of(new Tensor[] {loss}, null, m.parameters().toArray(Tensor[]::new), false, false, true);

            Tensor lossAlone = null;
            int timeDim = batchFirst ? 1 : 0, batchDim = batchFirst ? 0 : 1;
            for (int b = 0; b < n; b++) {
                Tensor xb = x.narrow(batchDim, b, 1).narrow(timeDim, 0, lengths[b]);
                RNNBase.Output one = m.run(xb, h0.narrow(1, b, 1), lstm ? c0.narrow(1, b, 1) : null, null);
                Tensor outB = all.output().narrow(batchDim, b, 1);
                Golden.assertClose(one.output(), outB.narrow(timeDim, 0, lengths[b]), 1e-5, 1e-6, what + " output of sequence " + b);
                if (lengths[b] < steps) {
                    Tensor rest = outB.narrow(timeDim, lengths[b], steps - lengths[b]);
                    assertEquals(0.0, rest.abs().sum().item(), what + ": output past the end of sequence " + b);
                }
                Golden.assertClose(one.hN(), all.hN().narrow(1, b, 1), 1e-5, 1e-6, what + " h_n of sequence " + b);
                if (lstm) Golden.assertClose(one.cN(), all.cN().narrow(1, b, 1), 1e-5, 1e-6, what + " c_n of sequence " + b);
                Tensor lb = one.output().square().sum().add(one.hN().sum());
                if (lstm) lb = lb.add(one.cN().mul(0.5).sum());
                lossAlone = lossAlone == null ? lb : lossAlone.add(lb);
            }
            Tensor[] gAlone = Grad.of(new Tensor[] {lossAlone}, null, m.parameters().toArray(Tensor[]::new), false, false, true);
            List<String> names = new ArrayList<>(m.namedParameters().keySet());
            for (int i = 0; i < gAll.length; i++) {
                Golden.assertClose(gAlone[i], gAll[i], 1e-4, 1e-5, what + " gradient of " + names.get(i));
            }
        }
    }

    @Test
    void lengthsAsTensorOrArrayAgree() {
        GRU gru = new GRU(2, 3, 1, true, true, 0.0, false);
        Tensor x = Tensor.randn(3, 4, 2);
        RNNBase.Output a = gru.forward(x, null, new int[] {4, 1, 2});
        RNNBase.Output b = gru.forward(x, null, Tensor.of(new long[] {4, 1, 2}, 3));
        RNNBase.Output c = gru.forward(x, null, Tensor.of(new int[] {4, 1, 2}, 3));
        assertArrayEquals(a.output().toFloatArray(), b.output().toFloatArray());
        assertArrayEquals(a.hN().toFloatArray(), c.hN().toFloatArray());
        // Full lengths are the same as no lengths.
        RNNBase.Output full = gru.forward(x, null, new int[] {4, 4, 4});
        assertArrayEquals(gru.forward(x, null).output().toFloatArray(), full.output().toFloatArray());
    }

    // ------------------------------------------------------------------ shapes, names, modes

    @Test
    void stateDictNamesAndShapesArePyTorchs() {
        LSTM lstm = new LSTM(5, 7, 2, true, false, 0.0, true);
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
                "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
                "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse"),
                List.copyOf(lstm.stateDict().keySet()));
        assertEquals(Shape.of(28, 5), lstm.stateDict().get("weight_ih_l0").shape());
        assertEquals(Shape.of(28, 14), lstm.stateDict().get("weight_ih_l1_reverse").shape());
        assertEquals(Shape.of(28, 7), lstm.stateDict().get("weight_hh_l1").shape());
        GRU gru = new GRU(3, 4, 1, false, false, 0.0, false);
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0"), List.copyOf(gru.stateDict().keySet()));
        assertEquals(Shape.of(12, 3), gru.weightIh(0, false).shape());
        assertNull(gru.biasIh(0, false));
        assertEquals(List.of("weight_ih", "weight_hh", "bias_ih", "bias_hh"), List.copyOf(new GRUCell(3, 4).stateDict().keySet()));
        assertEquals("LSTM(5, 7, num_layers=2, bidirectional=True)", lstm.toString());
        assertEquals("RNN(3, 4, nonlinearity='relu', bias=False, batch_first=True)",
                new RNN(3, 4, 1, RNN.Nonlinearity.RELU, false, true, 0.0, false).toString());
    }

    @Test
    void initialisationIsUniformWithinOneOverSqrtHidden() {
        Ember.manualSeed(11);
        LSTM lstm = new LSTM(6, 16);
        double bound = 1 / Math.sqrt(16);
        for (Tensor p : lstm.parameters()) {
            assertTrue(p.abs().max().item() <= bound, "parameter within the bound");
            assertTrue(p.abs().max().item() > 0.8 * bound, "parameter spread over the range");
        }
    }

    @Test
    void shapesForEveryLayout() {
        LSTM lstm = new LSTM(4, 3, 2, true, true, 0.0, true);
        RNNBase.Output r = lstm.forward(Tensor.randn(2, 5, 4), null, null);
        assertEquals(Shape.of(2, 5, 6), r.output().shape());
        assertEquals(Shape.of(4, 2, 3), r.hN().shape());
        assertEquals(Shape.of(4, 2, 3), r.cN().shape());
        assertNull(new GRU(4, 3).forward(Tensor.randn(5, 2, 4), null).cN());
        // Unbatched input [T, in] with states [D*layers, H].
        RNNBase.Output u = new GRU(4, 3, 2).forward(Tensor.randn(5, 4), Tensor.randn(2, 3));
        assertEquals(Shape.of(5, 3), u.output().shape());
        assertEquals(Shape.of(2, 3), u.hN().shape());
        // In a Sequential, forward(x) passes the output sequence on.
        Tensor y = new Sequential(new RNN(4, 3), new Linear(3, 2)).forward(Tensor.randn(5, 2, 4));
        assertEquals(Shape.of(5, 2, 2), y.shape());
        // The unbatched result equals the batched one for a batch of one.
        GRU gru = new GRU(4, 3);
        Tensor x = Tensor.randn(6, 4);
        assertArrayEquals(gru.forward(x.unsqueeze(1), null).output().toFloatArray(), gru.forward(x, null).output().toFloatArray());
    }

    @Test
    void inferenceWithoutGradientsGivesTheSameResults() {
        // Without recording, the fused loop skips keeping the per-step states; the values must not change.
        LSTM lstm = new LSTM(3, 4, 2, true, false, 0.0, true);
        Tensor x = Tensor.randn(5, 3, 3).requiresGrad(true);
        int[] lengths = {5, 2, 3};
        RNNBase.Output rec = lstm.forward(x, null, null, lengths);
        try (var off = Grad.off()) {
            RNNBase.Output inf = lstm.forward(x, null, null, lengths);
            assertFalse(inf.output().requiresGrad());
            assertArrayEquals(rec.output().toFloatArray(), inf.output().toFloatArray());
            assertArrayEquals(rec.hN().toFloatArray(), inf.hN().toFloatArray());
            assertArrayEquals(rec.cN().toFloatArray(), inf.cN().toFloatArray());
        }
    }

    @Test
    void dropoutBetweenLayersOnlyInTraining() {
        Ember.manualSeed(3);
        LSTM withDropout = new LSTM(4, 8, 3, true, false, 0.5, false);
        LSTM plain = new LSTM(4, 8, 3);
        plain.loadStateDict(withDropout.stateDict(), true);
        Tensor x = Tensor.randn(6, 2, 4);
        withDropout.eval();
        assertArrayEquals(plain.forward(x).toFloatArray(), withDropout.forward(x).toFloatArray(), "eval: no dropout");
        withDropout.train();
        Ember.manualSeed(42);
        float[] a = withDropout.forward(x).toFloatArray();
        Ember.manualSeed(42);
        float[] b = withDropout.forward(x).toFloatArray();
        assertArrayEquals(a, b, "dropout is reproducible from the seed");
        assertFalse(Arrays.equals(plain.forward(x).toFloatArray(), a), "training: dropout changes the output");
        // A single layer has nothing between layers to drop.
        LSTM one = new LSTM(4, 8, 1, true, false, 0.9, false);
        LSTM onePlain = new LSTM(4, 8);
        onePlain.loadStateDict(one.stateDict(), true);
        assertArrayEquals(onePlain.forward(x).toFloatArray(), one.forward(x).toFloatArray());
    }

    @Test
    void trainsOnATinySequenceTask() {
        // Predict the running sum's sign: a sanity check that gradients drive learning end to end.
        Ember.manualSeed(5);
        LSTM lstm = new LSTM(1, 8);
        Linear head = new Linear(8, 1);
        List<Tensor> params = new ArrayList<>(lstm.parameters());
        params.addAll(head.parameters());
        var opt = new dev.ember.optim.Adam(params, 0.05);
        Generator g = new Generator(9);
        double first = 0, last = 0;
        for (int it = 0; it < 60; it++) {
            Tensor x = Tensor.randn(g, Shape.of(6, 16, 1), DType.FLOAT32);
            Tensor target = x.sum(0).gt(0.0).to(DType.FLOAT32); // [16, 1]
            Tensor logits = head.forward(lstm.forward(x, null, null).hN().select(0, 0));
            Tensor p = logits.sigmoid();
            Tensor loss = target.mul(p.add(1e-6).log()).add(target.neg().add(1.0).mul(p.neg().add(1.0 + 1e-6).log())).mean().neg();
            opt.zeroGrad();
            loss.backward();
            opt.step();
            if (it == 0) first = loss.item();
            last = loss.item();
        }
        assertTrue(last < 0.5 * first, "loss fell from " + first + " to " + last);
    }

    // ------------------------------------------------------------------ errors

    private static String message(Class<? extends Throwable> type, org.junit.jupiter.api.function.Executable e) {
        return assertThrows(type, e).getMessage();
    }

    @Test
    void errorsNameTheLayerAndTheShapes() {
        LSTM lstm = new LSTM(4, 3, 2);
        String m = message(IllegalArgumentException.class, () -> lstm.forward(Tensor.randn(5, 2, 6)));
        assertTrue(m.contains("LSTM") && m.contains("[5, 2, 6]") && m.contains("inputSize is 4"), m);
        m = message(IllegalArgumentException.class, () -> lstm.forward(Tensor.randn(4)));
        assertTrue(m.contains("LSTM") && m.contains("3-D") && m.contains("[4]"), m);
        m = message(IllegalArgumentException.class, () -> lstm.forward(Tensor.randn(2, 5, 2, 4)));
        assertTrue(m.contains("[2, 5, 2, 4]"), m);
        m = message(IllegalArgumentException.class, () -> lstm.forward(Tensor.randn(5, 2, 4), Tensor.randn(2, 3, 3), Tensor.randn(2, 2, 3)));
        assertTrue(m.contains("h0") && m.contains("[2, 2, 3]") && m.contains("[2, 3, 3]"), m);
        m = message(IllegalArgumentException.class, () -> lstm.forward(Tensor.randn(5, 2, 4), Tensor.randn(2, 2, 3), Tensor.randn(1, 2, 3)));
        assertTrue(m.contains("c0") && m.contains("[1, 2, 3]"), m);
        m = message(IllegalArgumentException.class, () -> lstm.forward(Tensor.randn(5, 2, 4), Tensor.randn(2, 2, 3), null));
        assertTrue(m.contains("h0 and c0"), m);
        m = message(IllegalArgumentException.class, () -> new GRU(4, 3).forward(Tensor.randn(5, 4), Tensor.randn(1, 2, 3)));
        assertTrue(m.contains("GRU") && m.contains("[1, 3]") && m.contains("[1, 2, 3]"), m);
        m = message(IllegalArgumentException.class, () -> lstm.forward(Tensor.zeros(Shape.of(5, 2, 4), DType.INT64)));
        assertTrue(m.contains("floating"), m);
        m = message(IllegalArgumentException.class, () -> new RNN(4, 3).forward(Tensor.randn(5, 2, 4), Tensor.randn(1, 2, 3).to(DType.FLOAT64)));
        assertTrue(m.contains("h0") && m.contains("float64"), m);
        m = message(IllegalArgumentException.class, () -> new RNN(0, 3));
        assertTrue(m.contains("RNN") && m.contains("inputSize=0"), m);
        m = message(IllegalArgumentException.class, () -> new GRU(2, 3, 2, true, false, 1.5, false));
        assertTrue(m.contains("dropout") && m.contains("1.5"), m);
    }

    @Test
    void badLengthsAreRejected() {
        GRU gru = new GRU(2, 3);
        Tensor x = Tensor.randn(4, 3, 2);
        String m = message(IllegalArgumentException.class, () -> gru.forward(x, null, new int[] {4, 0, 2}));
        assertTrue(m.contains("GRU") && m.contains("[1, 4]") && m.contains("got 0 at index 1"), m);
        m = message(IllegalArgumentException.class, () -> gru.forward(x, null, new int[] {4, 5, 2}));
        assertTrue(m.contains("got 5 at index 1"), m);
        m = message(IllegalArgumentException.class, () -> gru.forward(x, null, new int[] {4, 2}));
        assertTrue(m.contains("expected 3 lengths") && m.contains("got 2"), m);
        m = message(IllegalArgumentException.class, () -> gru.forward(x, null, Tensor.of(new float[] {4, 2, 1}, 3)));
        assertTrue(m.contains("lengths") && m.contains("int64"), m);
        m = message(IllegalArgumentException.class, () -> gru.forward(x, null, Tensor.of(new long[] {4, 2, 1, 1}, 2, 2)));
        assertTrue(m.contains("1-D") && m.contains("[2, 2]"), m);
        m = message(IllegalArgumentException.class, () -> gru.forward(Tensor.randn(4, 2), null, new int[] {2}));
        assertTrue(m.contains("batched"), m);
    }

    @Test
    void cellErrorsAndShapes() {
        LSTMCell cell = new LSTMCell(4, 3);
        LSTMCell.State s = cell.forward(Tensor.randn(2, 4), null);
        assertEquals(Shape.of(2, 3), s.h().shape());
        assertEquals(Shape.of(3), cell.forward(Tensor.randn(4), Tensor.zeros(3), Tensor.zeros(3)).c().shape());
        s = cell.forward(Tensor.randn(2, 4), s); // carries on from a state
        assertEquals(Shape.of(2, 3), s.c().shape());
        String m = message(IllegalArgumentException.class, () -> cell.forward(Tensor.randn(2, 5)));
        assertTrue(m.contains("LSTMCell") && m.contains("inputSize is 4"), m);
        m = message(IllegalArgumentException.class, () -> cell.forward(Tensor.randn(1, 2, 4)));
        assertTrue(m.contains("1-D") && m.contains("[1, 2, 4]"), m);
        m = message(IllegalArgumentException.class, () -> cell.forward(Tensor.randn(2, 4), Tensor.randn(3, 3), Tensor.randn(3, 3)));
        assertTrue(m.contains("h") && m.contains("[2, 3]") && m.contains("[3, 3]"), m);
        m = message(IllegalArgumentException.class, () -> new GRUCell(4, 3).forward(Tensor.randn(4), Tensor.randn(1, 3)));
        assertTrue(m.contains("GRUCell") && m.contains("[3]"), m);
        m = message(IllegalArgumentException.class, () -> new RNNCell(4, 3).forward(Tensor.randn(2, 4), Tensor.randn(2, 4)));
        assertTrue(m.contains("RNNCell") && m.contains("[2, 4]"), m);
    }

    // ------------------------------------------------------------------ embedding

    @Test
    void embeddingLooksUpRowsOfAnyIndexShape() {
        Embedding emb = new Embedding(10, 4);
        Tensor idx = Tensor.of(new long[] {1, 9, 1, 0, 3, 3}, 2, 1, 3);
        Tensor out = emb.forward(idx);
        assertEquals(Shape.of(2, 1, 3, 4), out.shape());
        float[] w = emb.weight.toFloatArray(), o = out.toFloatArray();
        long[] ix = idx.toLongArray();
        for (int i = 0; i < ix.length; i++) {
            for (int d = 0; d < 4; d++) assertEquals(w[(int) ix[i] * 4 + d], o[i * 4 + d]);
        }
        assertEquals(Shape.of(4), emb.forward(Tensor.scalar(7, DType.INT64)).shape(), "a 0-d index gives one vector");
        assertEquals(Shape.of(0, 4), emb.forward(Tensor.of(new long[0], 0)).shape());
        // Repeated indices accumulate their gradients.
        out.sum().backward();
        float[] g = emb.weight.grad().toFloatArray();
        assertEquals(2f, g[1 * 4]);
        assertEquals(1f, g[9 * 4]);
        assertEquals(0f, g[5 * 4]);
    }

    @Test
    void embeddingPaddingRowStartsAtZeroAndGetsNoGradient() {
        Embedding emb = new Embedding(6, 3, -1); // the last row
        assertEquals(5, emb.paddingIdx);
        assertEquals(0.0, emb.weight.select(0, 5).abs().sum().item());
        assertTrue(emb.weight.select(0, 4).abs().sum().item() > 0);
        Tensor out = emb.forward(Tensor.of(new int[] {5, 2, 5, 2}, 4));
        out.mul(Tensor.randn(4, 3)).sum().backward();
        assertEquals(0.0, emb.weight.grad().select(0, 5).abs().sum().item(), "padding row gradient");
        assertTrue(emb.weight.grad().select(0, 2).abs().sum().item() > 0);
        assertEquals("Embedding(6, 3, padding_idx=5)", emb.toString());
    }

    @Test
    void embeddingFromPretrained() {
        Tensor table = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 3, 2);
        Embedding frozen = Embedding.fromPretrained(table, true);
        assertFalse(frozen.weight.requiresGrad());
        assertArrayEquals(new float[] {5, 6, 1, 2}, frozen.forward(Tensor.of(new long[] {2, 0}, 2)).toFloatArray());
        Embedding trainable = Embedding.fromPretrained(table, false);
        assertTrue(trainable.weight.requiresGrad());
        try (var off = Grad.off()) {
            trainable.weight.mulInPlace(2.0);
        }
        assertEquals(1.0, table.get(0, 0), "the table is copied");
    }

    @Test
    void embeddingErrors() {
        Embedding emb = new Embedding(10, 4);
        String m = message(IndexOutOfBoundsException.class, () -> emb.forward(Tensor.of(new long[] {3, 12, 1}, 3)));
        assertTrue(m.contains("embedding") && m.contains("index 12") && m.contains("10 embeddings"), m);
        m = message(IndexOutOfBoundsException.class, () -> emb.forward(Tensor.of(new long[] {-1}, 1)));
        assertTrue(m.contains("index -1"), m);
        m = message(IllegalArgumentException.class, () -> emb.forward(Tensor.of(new float[] {1, 2}, 2)));
        assertTrue(m.contains("int64") && m.contains("float32"), m);
        m = message(IllegalArgumentException.class, () -> new Embedding(5, 2, 5));
        assertTrue(m.contains("paddingIdx 5") && m.contains("5 embeddings"), m);
        m = message(IllegalArgumentException.class, () -> F.embedding(Tensor.of(new long[] {0}, 1), Tensor.randn(3)));
        assertTrue(m.contains("2-D") && m.contains("[3]"), m);
    }
}
