package dev.ember.ops;

import dev.ember.autograd.Grad;
import dev.ember.tensor.Tensor;
import dev.ember.testing.Golden;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Outputs and gradients of the core ops match PyTorch 1.13 (fixture: tools/golden/gen_core.py). */
class CoreGoldenTest {
    private static final double RTOL = 1e-5, ATOL = 1e-5;

    private static Function<Tensor[], Tensor> fn(Golden.Case c) {
        return switch (c.op()) {
            case "add" -> in -> in[0].add(in[1]);
            case "sub" -> in -> in[0].sub(in[1]);
            case "mul" -> in -> in[0].mul(in[1]);
            case "div" -> in -> in[0].div(in[1]);
            case "pow" -> in -> in[0].pow(in[1]);
            case "maximum" -> in -> in[0].maximum(in[1]);
            case "minimum" -> in -> in[0].minimum(in[1]);
            case "atan2" -> in -> Elementwise.atan2(in[0], in[1]);
            case "neg" -> in -> in[0].neg();
            case "exp" -> in -> in[0].exp();
            case "log" -> in -> in[0].log();
            case "log1p" -> in -> in[0].log1p();
            case "expm1" -> in -> in[0].expm1();
            case "sqrt" -> in -> in[0].sqrt();
            case "rsqrt" -> in -> in[0].rsqrt();
            case "abs" -> in -> in[0].abs();
            case "sign" -> in -> in[0].sign();
            case "sin" -> in -> in[0].sin();
            case "cos" -> in -> in[0].cos();
            case "tanh" -> in -> in[0].tanh();
            case "sigmoid" -> in -> in[0].sigmoid();
            case "relu" -> in -> in[0].relu();
            case "gelu" -> in -> in[0].gelu();
            case "geluTanh" -> in -> Elementwise.geluTanh(in[0]);
            case "silu" -> in -> Elementwise.silu(in[0]);
            case "softplus" -> in -> Elementwise.softplus(in[0]);
            case "square" -> in -> in[0].square();
            case "reciprocal" -> in -> in[0].reciprocal();
            case "erf" -> in -> Elementwise.erf(in[0]);
            case "floor" -> in -> in[0].floor();
            case "ceil" -> in -> in[0].ceil();
            case "round" -> in -> in[0].round();
            case "elu" -> in -> Elementwise.elu(in[0], c.attr("alpha"));
            case "leakyRelu" -> in -> Elementwise.leakyRelu(in[0], c.attr("slope"));
            case "clamp" -> in -> in[0].clamp(c.attr("min"), c.attr("max"));
            case "powScalar" -> in -> in[0].pow(c.attr("p"));
            case "sum" -> in -> c.intsAttr("dims").length == 0 ? in[0].sum()
                    : in[0].sum(c.intsAttr("dims"), (Boolean) c.attrs().get("keepDim"));
            case "mean" -> in -> in[0].mean(c.intsAttr("dims"), (Boolean) c.attrs().get("keepDim"));
            case "max" -> in -> in[0].max(c.intsAttr("dims"), (Boolean) c.attrs().get("keepDim"));
            case "min" -> in -> in[0].min(c.intsAttr("dims"), (Boolean) c.attrs().get("keepDim"));
            case "prod" -> in -> in[0].prod(c.intsAttr("dims"), (Boolean) c.attrs().get("keepDim"));
            case "var" -> in -> in[0].var(c.intsAttr("dims"), (int) c.attr("correction"), false);
            case "std" -> in -> in[0].std();
            case "logSumExp" -> in -> in[0].logSumExp(c.intsAttr("dims"), false);
            case "softmax" -> in -> in[0].softmax((int) c.attr("dim"));
            case "logSoftmax" -> in -> in[0].logSoftmax((int) c.attr("dim"));
            case "argmax" -> in -> in[0].argmax((int) c.attr("dim"), false);
            case "argmin" -> in -> in[0].argmin((int) c.attr("dim"), false);
            case "matmul" -> in -> in[0].matmul(in[1]);
            case "composite_mlp" -> in -> in[0].matmul(in[1].t()).add(in[2]).tanh().sum(1);
            case "composite_attention" -> in -> in[0].matmul(in[1].transpose(-1, -2)).div(2.0).softmax(-1).matmul(in[2]);
            case "composite_layernorm" -> in -> {
                Tensor mu = in[0].mean(new int[] {-1}, true);
                return in[0].sub(mu).div(in[0].var(new int[] {-1}, 0, true).add(1e-5).sqrt());
            };
            case "composite_xent" -> in -> {
                Tensor lp = in[0].logSoftmax(1);
                long[] target = {1, 0, 3, 2};
                Tensor picked = null;
                for (int i = 0; i < target.length; i++) {
                    Tensor v = lp.select(0, i).select(0, (int) target[i]);
                    picked = picked == null ? v : picked.add(v);
                }
                return picked.div(target.length).neg();
            };
            case "composite_views" -> in -> in[0].permute(2, 0, 1).reshape(4, 6).slice(1, 1, 5, 2).exp().sum();
            default -> throw new IllegalArgumentException("no mapping for fixture op " + c.op());
        };
    }

    @TestFactory
    List<DynamicTest> matchesPyTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Golden.Case c : Golden.load("core.json")) {
            tests.add(DynamicTest.dynamicTest(c.name(), () -> {
                Tensor[] in = new Tensor[c.inputs().size()];
                for (int i = 0; i < in.length; i++) {
                    Tensor t = c.input(i);
                    in[i] = c.grads() != null && t.dtype().isFloating() ? t.requiresGrad(true) : t;
                }
                Tensor out = fn(c).apply(in);
                Golden.assertClose(c.output(), out, RTOL, ATOL, c.name() + " output");
                if (c.grads() == null) return;
                Tensor[] grads = Grad.of(new Tensor[] {out}, new Tensor[] {c.gradOutput()}, in, false, false, true);
                for (int i = 0; i < in.length; i++) {
                    if (c.grads().get(i) == null) continue;
                    assertNotNull(grads[i], c.name() + ": no gradient for input " + i);
                    Golden.assertClose(c.grads().get(i), grads[i], RTOL, ATOL, c.name() + " grad " + i);
                }
            }));
        }
        return tests;
    }
}
