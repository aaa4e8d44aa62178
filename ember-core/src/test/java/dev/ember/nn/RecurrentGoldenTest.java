package dev.ember.nn;

import dev.ember.autograd.Grad;
import dev.ember.io.Json;
import dev.ember.tensor.Tensor;
import dev.ember.testing.Golden;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * RNN, LSTM, GRU, their cells and Embedding match PyTorch 1.13 (fixture: tools/golden/gen_rnn.py):
 * outputs, final states, and the gradients of the input, the initial states and every parameter for
 * random output gradients. The variable-length cases are PyTorch's pack_padded_sequence
 * (enforce_sorted=False) + pad_packed_sequence(total_length=T). Loading each fixture's state dict
 * strictly also checks that parameter names and shapes are PyTorch's.
 */
class RecurrentGoldenTest {
    private static final double RTOL = 1e-5, ATOL = 1e-5;

    /** One fixture case; tensors by name. */
    record Case(String name, String kind, Map<String, Object> attrs, Map<String, Tensor> state, Map<String, Tensor> inputs,
                Map<String, Tensor> outputs, Map<String, Tensor> gradOutputs, Map<String, Tensor> inputGrads,
                Map<String, Tensor> paramGrads) {
        int intAttr(String k) {
            return ((Number) attrs.get(k)).intValue();
        }

        boolean boolAttr(String k) {
            return (Boolean) attrs.get(k);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    @SuppressWarnings("unchecked")
    static List<Case> load() {
        String text;
        try (InputStream in = RecurrentGoldenTest.class.getResourceAsStream("/golden/rnn.json")) {
            if (in == null) throw new IllegalStateException("missing fixture golden/rnn.json (run tools/golden/gen_rnn.py)");
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        List<Case> out = new ArrayList<>();
        for (Object o : (List<Object>) Json.parseObject(text).get("cases")) {
            Map<String, Object> c = (Map<String, Object>) o;
            out.add(new Case((String) c.get("name"), (String) c.get("kind"), (Map<String, Object>) c.get("attrs"), tensors(c.get("state")),
                    tensors(c.get("inputs")), tensors(c.get("outputs")), tensors(c.get("grad_outputs")), tensors(c.get("input_grads")),
                    tensors(c.get("param_grads"))));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Tensor> tensors(Object o) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (var e : ((Map<String, Object>) o).entrySet()) m.put(e.getKey(), Golden.tensor((Map<String, Object>) e.getValue()));
        return m;
    }

    static Module build(Case c) {
        return switch (c.kind()) {
            case "RNN" -> new RNN(c.intAttr("input"), c.intAttr("hidden"), c.intAttr("layers"),
                    "relu".equals(c.attrs().get("nonlinearity")) ? RNN.Nonlinearity.RELU : RNN.Nonlinearity.TANH, c.boolAttr("bias"),
                    c.boolAttr("batchFirst"), 0.0, c.boolAttr("bidirectional"));
            case "LSTM" -> new LSTM(c.intAttr("input"), c.intAttr("hidden"), c.intAttr("layers"), c.boolAttr("bias"),
                    c.boolAttr("batchFirst"), 0.0, c.boolAttr("bidirectional"));
            case "GRU" -> new GRU(c.intAttr("input"), c.intAttr("hidden"), c.intAttr("layers"), c.boolAttr("bias"),
                    c.boolAttr("batchFirst"), 0.0, c.boolAttr("bidirectional"));
            case "RNNCell" -> new RNNCell(c.intAttr("input"), c.intAttr("hidden"), c.boolAttr("bias"),
                    "relu".equals(c.attrs().get("nonlinearity")) ? RNN.Nonlinearity.RELU : RNN.Nonlinearity.TANH);
            case "LSTMCell" -> new LSTMCell(c.intAttr("input"), c.intAttr("hidden"), c.boolAttr("bias"));
            case "GRUCell" -> new GRUCell(c.intAttr("input"), c.intAttr("hidden"), c.boolAttr("bias"));
            case "Embedding" -> c.attrs().containsKey("paddingIdx")
                    ? new Embedding(c.intAttr("num"), c.intAttr("dim"), c.intAttr("paddingIdx"))
                    : new Embedding(c.intAttr("num"), c.intAttr("dim"));
            default -> throw new IllegalArgumentException("no mapping for fixture kind " + c.kind());
        };
    }

    /** Runs the module the way the fixture ran PyTorch's; outputs by the fixture's names. */
    static Map<String, Tensor> run(Module m, Map<String, Tensor> in) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Tensor x = in.get("x");
        switch (m) {
            case LSTM lstm -> {
                RNNBase.Output r = in.containsKey("lengths") ? lstm.forward(x, in.get("h0"), in.get("c0"), in.get("lengths"))
                        : lstm.forward(x, in.get("h0"), in.get("c0"));
                out.put("output", r.output());
                out.put("h_n", r.hN());
                out.put("c_n", r.cN());
            }
            case RNN rnn -> {
                RNNBase.Output r = in.containsKey("lengths") ? rnn.forward(x, in.get("h0"), in.get("lengths")) : rnn.forward(x, in.get("h0"));
                out.put("output", r.output());
                out.put("h_n", r.hN());
            }
            case GRU gru -> {
                RNNBase.Output r = in.containsKey("lengths") ? gru.forward(x, in.get("h0"), in.get("lengths")) : gru.forward(x, in.get("h0"));
                out.put("output", r.output());
                out.put("h_n", r.hN());
            }
            case RNNCell cell -> out.put("h", cell.forward(x, in.get("h")));
            case GRUCell cell -> out.put("h", cell.forward(x, in.get("h")));
            case LSTMCell cell -> {
                LSTMCell.State s = cell.forward(x, in.get("h"), in.get("c"));
                out.put("h", s.h());
                out.put("c", s.c());
            }
            case Embedding emb -> out.put("output", emb.forward(in.get("indices")));
            default -> throw new IllegalArgumentException("unexpected module " + m);
        }
        return out;
    }

    static void check(Case c) {
        Module m = build(c);
        m.loadStateDict(c.state(), true);
        m.eval();
        Map<String, Tensor> in = new LinkedHashMap<>();
        List<String> diffNames = new ArrayList<>();
        List<Tensor> targets = new ArrayList<>();
        for (var e : c.inputs().entrySet()) {
            Tensor t = e.getValue();
            if (t.dtype().isFloating()) {
                t = t.detach().requiresGrad(true);
                diffNames.add(e.getKey());
                targets.add(t);
            }
            in.put(e.getKey(), t);
        }
        Map<String, Tensor> out = run(m, in);
        assertEquals(c.outputs().keySet(), out.keySet(), c.name() + ": outputs");
        List<Tensor> outs = new ArrayList<>(), gos = new ArrayList<>();
        for (var e : c.outputs().entrySet()) {
            Golden.assertClose(e.getValue(), out.get(e.getKey()), RTOL, ATOL, c.name() + " " + e.getKey());
            outs.add(out.get(e.getKey()));
            gos.add(c.gradOutputs().get(e.getKey()));
        }
        Map<String, Tensor> named = m.namedParameters();
        assertEquals(c.paramGrads().keySet(), named.keySet(), c.name() + ": parameter names and order");
        targets.addAll(named.values());
        Tensor[] g = Grad.of(outs.toArray(Tensor[]::new), gos.toArray(Tensor[]::new), targets.toArray(Tensor[]::new), false, false, true);
        int k = 0;
        for (String name : diffNames) {
            Tensor gi = g[k++];
            assertNotNull(gi, c.name() + ": no gradient for input " + name);
            Golden.assertClose(c.inputGrads().get(name), gi, RTOL, ATOL, c.name() + " grad of input " + name);
        }
        for (String name : named.keySet()) {
            Tensor gp = g[k++];
            assertNotNull(gp, c.name() + ": no gradient for " + name);
            Golden.assertClose(c.paramGrads().get(name), gp, RTOL, ATOL, c.name() + " grad of " + name);
        }
    }

    @TestFactory
    List<DynamicTest> recurrentLayersMatchPyTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : load()) tests.add(DynamicTest.dynamicTest(c.name(), () -> check(c)));
        return tests;
    }
}
