package dev.ember.ops;

import dev.ember.autograd.Grad;
import dev.ember.tensor.DType;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LinAlg#linear}, the fused op behind nn.Linear: the same values and gradients as
 * {@code x.matmul(w.t()).add(b)} over ranks, strided views and edge sizes, and one clear error per
 * kind of bad argument.
 */
class LinearOpTest {
    @Test
    void matchesMatmulPlusBiasInValuesAndGradients() {
        Generator g = new Generator(77);
        for (int round = 0; round < 60; round++) {
            int in = 1 + g.nextInt(40), out = 1 + g.nextInt(40), rows = 1 + g.nextInt(30);
            int rank = 1 + round % 4; // input [in], [rows, in], [2, rows, in], [2, 1, rows, in]
            int[] dims = switch (rank) {
                case 1 -> new int[] {in};
                case 2 -> new int[] {rows, in};
                case 3 -> new int[] {2, rows, in};
                default -> new int[] {2, 1, rows, in};
            };
            boolean transposedWeight = round % 3 == 0, withBias = round % 5 != 0;
            Tensor x = Tensor.randn(g, Shape.of(dims), DType.FLOAT64);
            Tensor w = transposedWeight ? Tensor.randn(g, Shape.of(in, out), DType.FLOAT64).t() : Tensor.randn(g, Shape.of(out, in), DType.FLOAT64);
            Tensor b = withBias ? Tensor.randn(g, Shape.of(out), DType.FLOAT64) : null;
            Tensor up = null;
            for (int pass = 0; pass < 2; pass++) {
                Tensor xr = x.detach().requiresGrad(true), wr = w.detach().requiresGrad(true);
                Tensor br = b == null ? null : b.detach().requiresGrad(true);
                Tensor y = pass == 0 ? LinAlg.linear(xr, wr, br) : (br == null ? xr.matmul(wr.t()) : xr.matmul(wr.t()).add(br));
                if (up == null) up = Tensor.randn(g, y.shape(), DType.FLOAT64);
                y.mul(up).sum().backward();
                double[][] got = {y.detach().toDoubleArray(), xr.grad().toDoubleArray(), wr.grad().toDoubleArray(),
                        br == null ? new double[0] : br.grad().toDoubleArray()};
                if (pass == 0) {
                    expected = got;
                    shape = y.shape();
                } else {
                    assertEquals(y.shape(), shape, "round " + round);
                    for (int i = 0; i < got.length; i++) assertArrayEquals(got[i], expected[i], 1e-12, "round " + round + ", part " + i);
                }
            }
        }
    }

    private double[][] expected;
    private Shape shape;

    @Test
    void emptyBatchAndEmptyFeatures() {
        try (var off = Grad.off()) {
            Tensor y = LinAlg.linear(Tensor.zeros(0, 4), Tensor.ones(3, 4), Tensor.ones(3));
            assertEquals(Shape.of(0, 3), y.shape());
            // No input features: the output is the bias in every row (and zero without one).
            Tensor b = Tensor.of(new float[] {1f, -2f}, 2);
            assertArrayEquals(new float[] {1f, -2f, 1f, -2f, 1f, -2f},
                    LinAlg.linear(Tensor.zeros(3, 0), Tensor.zeros(2, 0), b).toFloatArray());
            assertArrayEquals(new float[6], LinAlg.linear(Tensor.zeros(3, 0), Tensor.zeros(2, 0), null).toFloatArray());
        }
    }

    @Test
    void badArgumentsAreNamed() {
        Tensor x = Tensor.zeros(5, 4);
        assertMessage("linear: weight must be [out, in], got [3, 4, 1]", () -> LinAlg.linear(x, Tensor.zeros(3, 4, 1), null));
        assertMessage("linear: input [5, 4] has 4 features but the weight [3, 2] expects 2", () -> LinAlg.linear(x, Tensor.zeros(3, 2), null));
        assertMessage("linear: input [] has no features", () -> LinAlg.linear(Tensor.zeros(), Tensor.zeros(3, 2), null));
        assertMessage("linear: bias must be [3] for the weight [3, 4], got [4]", () -> LinAlg.linear(x, Tensor.zeros(3, 4), Tensor.zeros(4)));
        assertMessage("linear: input, weight and bias must have the same dtype, got float64, float32",
                () -> LinAlg.linear(x.to(DType.FLOAT64), Tensor.zeros(3, 4), null));
        assertMessage("linear: needs floating-point tensors, got int64",
                () -> LinAlg.linear(x.to(DType.INT64), Tensor.zeros(3, 4).to(DType.INT64), null));
    }

    private static void assertMessage(String start, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }
}
