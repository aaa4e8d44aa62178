package dev.ember.ops.catalog;

import dev.ember.tensor.Generator;
import dev.ember.tensor.Tensor;

import java.util.List;
import java.util.function.Function;

/**
 * One entry of the op catalogue (PyTorch's OpInfo): how to build sample inputs and how to call the
 * op, so that generic harnesses (gradient checks, {@code ember gradcheck}, later compiled == eager)
 * run over every op without per-op code.
 *
 * @param name        the op's name as users know it ({@code "add"}, {@code "conv2d"})
 * @param samples     builds float64 sample inputs from a seeded generator; differentiable inputs
 *                    have requiresGrad set
 * @param fn          applies the op to a sample's inputs (it may take views, e.g. a transpose, to
 *                    exercise non-contiguous paths)
 * @param secondOrder whether double backward is supported and should be checked
 */
public record OpSpec(String name, Function<Generator, List<Sample>> samples, Function<Tensor[], Tensor> fn,
                     boolean secondOrder) {

    /** One set of inputs, with a label saying what it exercises ("broadcast", "transposed"). */
    public record Sample(String label, Tensor... inputs) {
    }

    /** A spec whose double backward is also checked. */
    public static OpSpec of(String name, Function<Generator, List<Sample>> samples, Function<Tensor[], Tensor> fn) {
        return new OpSpec(name, samples, fn, true);
    }

    /** A spec checked to first order only. */
    public static OpSpec firstOrder(String name, Function<Generator, List<Sample>> samples, Function<Tensor[], Tensor> fn) {
        return new OpSpec(name, samples, fn, false);
    }
}
