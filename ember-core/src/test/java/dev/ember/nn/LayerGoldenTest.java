package dev.ember.nn;

import dev.ember.autograd.Grad;
import dev.ember.tensor.Tensor;
import dev.ember.testing.Golden;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Every layer's forward output, input and parameter gradients, and running-state updates match
 * PyTorch 1.13 with the same weights (fixture: tools/golden/gen_nn.py). Loading the fixture's state
 * dict also checks that parameter and buffer names and layouts are PyTorch's.
 */
class LayerGoldenTest {
    private static final double RTOL = 1e-5, ATOL = 1e-5;

    static Module build(Golden.LayerCase c) {
        return switch (c.layer()) {
            case "Linear" -> new Linear(c.intAttr("in"), c.intAttr("out"), (Boolean) c.attrs().get("bias"));
            case "BatchNorm2d" -> new BatchNorm2d(c.intAttr("features"));
            case "BatchNorm1d" -> c.name().contains("3d") ? new BatchNorm1d(c.intAttr("features"), 1e-5, Double.NaN, true, true)
                    : new BatchNorm1d(c.intAttr("features"));
            case "LayerNorm" -> new LayerNorm(c.intsAttr("shape"));
            case "GroupNorm" -> new GroupNorm(c.intAttr("groups"), c.intAttr("channels"));
            case "ReLU" -> new ReLU();
            case "GELU" -> new GELU(c.name().contains("tanh"));
            case "SiLU" -> new SiLU();
            case "Sigmoid" -> new Sigmoid();
            case "Tanh" -> new Tanh();
            case "ELU" -> new ELU(0.5);
            case "LeakyReLU" -> new LeakyReLU(0.2);
            case "Softmax" -> new Softmax(1);
            case "LogSoftmax" -> new LogSoftmax(1);
            case "SequentialMlp" -> new Sequential(new Flatten(), new Linear(12, 6), new ReLU(), new Linear(6, 2));
            case "MhaSelf" -> new MhaSelf(new MultiheadAttention(8, 2), null, null);
            case "MhaCausal" -> {
                boolean[] m = new boolean[16];
                for (int i = 0; i < 4; i++) for (int j = i + 1; j < 4; j++) m[i * 4 + j] = true;
                yield new MhaSelf(new MultiheadAttention(6, 3, 0.0, true, true), Tensor.of(m, 4, 4), null);
            }
            case "MhaPadding" -> new MhaSelf(new MultiheadAttention(4, 1), null,
                    Tensor.of(new boolean[] {false, false, true, false, false, false}, 2, 3));
            case "TransformerEncoderLayer" -> {
                boolean pre = (Boolean) c.attrs().get("normFirst");
                yield new TransformerEncoderLayer(c.intAttr("d"), c.intAttr("heads"), c.intAttr("ff"), 0.0, pre, 1e-5, pre, pre);
            }
            default -> throw new IllegalArgumentException("no mapping for fixture layer " + c.layer());
        };
    }

    /** Self-attention with fixed masks, mirroring the fixture's wrapper module (child named "mha"). */
    static final class MhaSelf extends Module {
        final MultiheadAttention mha;
        final Tensor mask, kpm;

        MhaSelf(MultiheadAttention mha, Tensor mask, Tensor kpm) {
            this.mha = register("mha", mha);
            this.mask = mask;
            this.kpm = kpm;
        }

        @Override
        public Tensor forward(Tensor x) {
            return mha.forward(x, x, x, kpm, mask, false).output();
        }
    }

    /** Runs one fixture case against {@code m} (also used by other layer test classes). */
    static void check(Golden.LayerCase c, Module m) {
        m.loadStateDict(c.state(), true);
        m.train(c.train());
        Tensor x = c.inputs().get(0);
        Tensor xin = x.dtype().isFloating() ? x.requiresGrad(true) : x;
        Tensor out = m.forward(xin);
        Golden.assertClose(c.output(), out, RTOL, ATOL, c.name() + " output");
        Map<String, Tensor> named = m.namedParameters();
        assertEquals(c.paramGrads().keySet(), named.keySet(), c.name() + ": parameter names");
        List<Tensor> targets = new ArrayList<>();
        if (xin.requiresGrad()) targets.add(xin);
        targets.addAll(named.values());
        Tensor[] g = Grad.of(new Tensor[] {out}, new Tensor[] {c.gradOutput()}, targets.toArray(Tensor[]::new), false, false, true);
        int k = 0;
        if (xin.requiresGrad()) {
            assertNotNull(g[0], c.name() + ": input gradient");
            Golden.assertClose(c.inputGrads().get(0), g[k++], RTOL, ATOL, c.name() + " input grad");
        }
        for (String name : named.keySet()) {
            Tensor gp = g[k++];
            assertNotNull(gp, c.name() + ": no gradient for " + name);
            Golden.assertClose(c.paramGrads().get(name), gp, RTOL, ATOL, c.name() + " grad of " + name);
        }
        Map<String, Tensor> after = m.stateDict();
        for (var e : c.stateAfter().entrySet()) {
            Golden.assertClose(e.getValue(), after.get(e.getKey()), RTOL, ATOL, c.name() + " state " + e.getKey() + " after forward");
        }
    }

    @TestFactory
    List<DynamicTest> layersMatchPyTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Golden.LayerCase c : Golden.loadLayers("nn.json")) {
            tests.add(DynamicTest.dynamicTest(c.name(), () -> check(c, build(c))));
        }
        return tests;
    }
}
