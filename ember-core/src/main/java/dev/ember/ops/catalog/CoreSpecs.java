package dev.ember.ops.catalog;

import dev.ember.ops.Elementwise;
import dev.ember.ops.LinAlg;
import dev.ember.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

import static dev.ember.ops.catalog.Samples.awayFrom;
import static dev.ember.ops.catalog.Samples.randn;
import static dev.ember.ops.catalog.Samples.uniform;

/** Catalogue entries for elementwise ops, reductions, views and matmul. */
final class CoreSpecs {
    private CoreSpecs() {
    }

    private static final double[] ZERO = {0};

    private static OpSpec unary(String name, Function<dev.ember.tensor.Generator, Tensor> input, UnaryOperator<Tensor> f) {
        return OpSpec.of(name, g -> List.of(new OpSpec.Sample("matrix", input.apply(g))), in -> f.apply(in[0]));
    }

    private static OpSpec binary(String name, UnaryOperator<Tensor> domain, java.util.function.BinaryOperator<Tensor> f) {
        return OpSpec.of(name, g -> List.of(
                new OpSpec.Sample("same shape", domain.apply(randn(g, 3, 4)), domain.apply(randn(g, 3, 4))),
                new OpSpec.Sample("broadcast", domain.apply(randn(g, 2, 3, 4)), domain.apply(randn(g, 3, 1))),
                new OpSpec.Sample("transposed", domain.apply(randn(g, 4, 3)), domain.apply(randn(g, 3, 4)))),
                in -> in[0].shape().equals(dev.ember.tensor.Shape.of(4, 3)) ? f.apply(in[0].t(), in[1]) : f.apply(in[0], in[1]));
    }

    /** Moves values away from zero by re-creating the leaf (domain restriction for div, log...). */
    private static Tensor positive(Tensor t) {
        return t.detach().abs().add(0.5).detach().requiresGrad(true);
    }

    static List<OpSpec> elementwise() {
        List<OpSpec> l = new ArrayList<>();
        l.add(binary("add", t -> t, Tensor::add));
        l.add(binary("sub", t -> t, Tensor::sub));
        l.add(binary("mul", t -> t, Tensor::mul));
        l.add(binary("div", CoreSpecs::positive, Tensor::div));
        l.add(binary("pow", CoreSpecs::positive, Tensor::pow));
        l.add(binary("atan2", t -> t, Elementwise::atan2));
        l.add(OpSpec.of("maximum", g -> List.of(new OpSpec.Sample("distinct", randn(g, 3, 4), randn(g, 3, 4))),
                in -> in[0].maximum(in[1])));
        l.add(OpSpec.of("minimum", g -> List.of(new OpSpec.Sample("distinct", randn(g, 3, 4), randn(g, 3, 4))),
                in -> in[0].minimum(in[1])));
        l.add(unary("neg", g -> randn(g, 3, 4), Tensor::neg));
        l.add(unary("exp", g -> randn(g, 3, 4), Tensor::exp));
        l.add(unary("log", g -> uniform(g, 0.2, 3, 3, 4), Tensor::log));
        l.add(unary("log1p", g -> uniform(g, -0.5, 3, 3, 4), Tensor::log1p));
        l.add(unary("expm1", g -> randn(g, 3, 4), Tensor::expm1));
        l.add(unary("sqrt", g -> uniform(g, 0.2, 3, 3, 4), Tensor::sqrt));
        l.add(unary("rsqrt", g -> uniform(g, 0.2, 3, 3, 4), Tensor::rsqrt));
        l.add(unary("square", g -> randn(g, 3, 4), Tensor::square));
        l.add(unary("reciprocal", g -> uniform(g, 0.3, 3, 3, 4), Tensor::reciprocal));
        l.add(unary("abs", g -> awayFrom(g, 1e-3, ZERO, 3, 4), Tensor::abs));
        l.add(unary("sin", g -> randn(g, 3, 4), Tensor::sin));
        l.add(unary("cos", g -> randn(g, 3, 4), Tensor::cos));
        l.add(unary("tanh", g -> randn(g, 3, 4), Tensor::tanh));
        l.add(unary("sigmoid", g -> randn(g, 3, 4), Tensor::sigmoid));
        l.add(unary("relu", g -> awayFrom(g, 1e-3, ZERO, 3, 4), Tensor::relu));
        l.add(unary("gelu", g -> randn(g, 3, 4), Tensor::gelu));
        l.add(OpSpec.firstOrder("geluTanh", g -> List.of(new OpSpec.Sample("matrix", randn(g, 3, 4))),
                in -> Elementwise.geluTanh(in[0])));
        l.add(unary("silu", g -> randn(g, 3, 4), Elementwise::silu));
        l.add(unary("softplus", g -> randn(g, 3, 4), Elementwise::softplus));
        l.add(unary("elu", g -> awayFrom(g, 1e-3, ZERO, 3, 4), x -> Elementwise.elu(x, 0.7)));
        l.add(unary("leakyRelu", g -> awayFrom(g, 1e-3, ZERO, 3, 4), x -> Elementwise.leakyRelu(x, 0.1)));
        l.add(unary("erf", g -> randn(g, 3, 4), Elementwise::erf));
        l.add(unary("clamp", g -> awayFrom(g, 1e-3, new double[] {-0.5, 0.5}, 3, 4), x -> x.clamp(-0.5, 0.5)));
        l.add(unary("powScalar", g -> uniform(g, 0.2, 2, 3, 4), x -> x.pow(2.5)));
        l.add(unary("rpow", g -> randn(g, 3, 4), x -> Elementwise.rpow(1.7, x)));
        l.add(OpSpec.of("where", g -> List.of(new OpSpec.Sample("broadcast", Samples.constant(g, 3, 4), randn(g, 3, 4), randn(g, 4))),
                in -> Elementwise.where(in[0].gt(0.0), in[1], in[2])));
        l.add(OpSpec.of("copy", g -> List.of(new OpSpec.Sample("transposed", randn(g, 3, 4))), in -> in[0].t().copy().square()));
        return l;
    }

    static List<OpSpec> reductions() {
        List<OpSpec> l = new ArrayList<>();
        l.add(OpSpec.of("sum", g -> List.of(new OpSpec.Sample("3d", randn(g, 2, 3, 4))),
                in -> in[0].sum(new int[] {0, 2}, false)));
        l.add(OpSpec.of("sumKeepDim", g -> List.of(new OpSpec.Sample("transposed", randn(g, 4, 3))),
                in -> in[0].t().sum(new int[] {1}, true)));
        l.add(OpSpec.of("mean", g -> List.of(new OpSpec.Sample("3d", randn(g, 2, 3, 4))), in -> in[0].mean(1)));
        l.add(OpSpec.of("max", g -> List.of(new OpSpec.Sample("3d", randn(g, 2, 3, 4))), in -> in[0].max(new int[] {1}, false)));
        l.add(OpSpec.of("min", g -> List.of(new OpSpec.Sample("3d", randn(g, 2, 3, 4))), in -> in[0].min(new int[] {2}, true)));
        l.add(OpSpec.of("prod", g -> List.of(new OpSpec.Sample("matrix", randn(g, 3, 4))), in -> in[0].prod(new int[] {1}, false)));
        l.add(OpSpec.of("var", g -> List.of(new OpSpec.Sample("matrix", randn(g, 3, 5))), in -> in[0].var(new int[] {1}, 1, false)));
        l.add(OpSpec.of("std", g -> List.of(new OpSpec.Sample("matrix", randn(g, 3, 5))), in -> in[0].std(new int[] {0}, 0, true)));
        l.add(OpSpec.of("logSumExp", g -> List.of(new OpSpec.Sample("matrix", randn(g, 3, 5))), in -> in[0].logSumExp(new int[] {1}, false)));
        l.add(OpSpec.of("softmax", g -> List.of(new OpSpec.Sample("3d", randn(g, 2, 3, 4))), in -> in[0].softmax(1)));
        l.add(OpSpec.of("logSoftmax", g -> List.of(new OpSpec.Sample("3d", randn(g, 2, 3, 4))), in -> in[0].logSoftmax(-1)));
        return l;
    }

    static List<OpSpec> views() {
        List<OpSpec> l = new ArrayList<>();
        l.add(OpSpec.of("reshape", g -> List.of(new OpSpec.Sample("3d", randn(g, 2, 3, 4))), in -> in[0].reshape(4, -1).mul(in[0].reshape(4, 6))));
        l.add(OpSpec.of("reshapeCopy", g -> List.of(new OpSpec.Sample("transposed", randn(g, 3, 4))), in -> in[0].t().reshape(12)));
        l.add(OpSpec.of("permute", g -> List.of(new OpSpec.Sample("3d", randn(g, 2, 3, 4))), in -> in[0].permute(2, 0, 1).square()));
        l.add(OpSpec.of("expand", g -> List.of(new OpSpec.Sample("column", randn(g, 3, 1))), in -> in[0].expand(2, 3, 4).square()));
        l.add(OpSpec.of("slice", g -> List.of(new OpSpec.Sample("strided", randn(g, 5, 6))), in -> in[0].slice(1, 1, 6, 2).square()));
        l.add(OpSpec.of("select", g -> List.of(new OpSpec.Sample("3d", randn(g, 2, 3, 4))), in -> in[0].select(1, -1).square()));
        l.add(OpSpec.of("narrow", g -> List.of(new OpSpec.Sample("matrix", randn(g, 5, 3))), in -> in[0].narrow(0, 1, 3).exp()));
        l.add(OpSpec.of("unsqueezeSqueeze", g -> List.of(new OpSpec.Sample("matrix", randn(g, 3, 4))),
                in -> in[0].unsqueeze(1).square().squeeze(1)));
        l.add(OpSpec.of("flatten", g -> List.of(new OpSpec.Sample("3d", randn(g, 2, 3, 4))), in -> in[0].flatten(1, 2).square()));
        return l;
    }

    static List<OpSpec> linalg() {
        List<OpSpec> l = new ArrayList<>();
        l.add(OpSpec.of("matmul", g -> List.of(
                new OpSpec.Sample("2d", randn(g, 3, 4), randn(g, 4, 5)),
                new OpSpec.Sample("batched broadcast", randn(g, 2, 3, 4), randn(g, 4, 2)),
                new OpSpec.Sample("vector", randn(g, 4), randn(g, 4, 3))),
                in -> in[0].matmul(in[1])));
        l.add(OpSpec.of("matmulTransposed", g -> List.of(new OpSpec.Sample("both transposed", randn(g, 4, 3), randn(g, 5, 4))),
                in -> in[0].t().matmul(in[1].t())));
        l.add(OpSpec.of("bmm", g -> List.of(new OpSpec.Sample("batched", randn(g, 2, 3, 4), randn(g, 2, 4, 2))),
                in -> in[0].matmul(in[1])));
        l.add(OpSpec.of("linear", g -> List.of(
                new OpSpec.Sample("2d with bias", randn(g, 3, 4), randn(g, 5, 4), randn(g, 5)),
                new OpSpec.Sample("3d input", randn(g, 2, 3, 4), randn(g, 2, 4), randn(g, 2)),
                new OpSpec.Sample("no bias", randn(g, 3, 4), randn(g, 5, 4))),
                in -> LinAlg.linear(in[0], in[1], in.length > 2 ? in[2] : null)));
        l.add(OpSpec.of("linearStrided", g -> List.of(new OpSpec.Sample("transposed input and weight", randn(g, 4, 3), randn(g, 4, 5))),
                in -> LinAlg.linear(in[0].t(), in[1].t(), null)));
        return l;
    }
}
