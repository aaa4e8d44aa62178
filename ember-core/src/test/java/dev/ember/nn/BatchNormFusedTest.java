package dev.ember.nn;

import dev.ember.autograd.Grad;
import dev.ember.tensor.DType;
import dev.ember.tensor.Generator;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;
import dev.ember.testing.Golden;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The fused FLOAT32 training-mode batch norm ({@link BatchNormOp}) against the composite definition
 * evaluated in FLOAT64 (the path the float64 gradient checks cover): outputs, input/weight/bias
 * gradients and running statistics, over seeded random shapes of rank 2 to 4, non-contiguous inputs,
 * with and without affine parameters; and second-order gradients through the fused op's composite
 * backward against the composite's own.
 */
class BatchNormFusedTest {
    private static final double RTOL = 2e-4, ATOL = 2e-5;

    /** The composite path: a FLOAT64 input skips the fused op. */
    private static Tensor composite(Tensor x, Tensor rm, Tensor rv, Tensor w, Tensor b) {
        return F.batchNorm(x, rm, rv, w, b, true, 0.1, 1e-5);
    }

    @Test
    void matchesTheCompositeDefinition() {
        Generator g = new Generator(77);
        for (int round = 0; round < 40; round++) {
            int rank = 2 + round % 3, n = 2 + g.nextInt(5), c = 1 + g.nextInt(6);
            int[] dims = rank == 2 ? new int[] {n, c} : rank == 3 ? new int[] {n, c, 1 + g.nextInt(9)}
                    : new int[] {n, c, 1 + g.nextInt(7), 1 + g.nextInt(7)};
            boolean affine = round % 4 != 3, transposed = rank == 4 && round % 2 == 0;
            Tensor x32 = Tensor.randn(g, Shape.of(dims), DType.FLOAT32).mul(3).add(1.5);
            if (transposed) x32 = x32.transpose(2, 3).contiguous().transpose(2, 3); // same values, a strided view
            Tensor x64 = x32.to(DType.FLOAT64);
            x32 = x32.detach().requiresGrad(true);
            x64 = x64.detach().requiresGrad(true);
            Tensor w32 = affine ? Tensor.randn(g, Shape.of(c), DType.FLOAT32).requiresGrad(true) : null;
            Tensor b32 = affine ? Tensor.randn(g, Shape.of(c), DType.FLOAT32).requiresGrad(true) : null;
            Tensor w64 = affine ? w32.detach().to(DType.FLOAT64).requiresGrad(true) : null;
            Tensor b64 = affine ? b32.detach().to(DType.FLOAT64).requiresGrad(true) : null;
            Tensor rm32 = Tensor.zeros(c), rv32 = Tensor.ones(c);
            Tensor rm64 = Tensor.zeros(Shape.of(c), DType.FLOAT64), rv64 = Tensor.ones(Shape.of(c), DType.FLOAT64);

            Tensor y32 = F.batchNorm(x32, rm32, rv32, w32, b32, true, 0.1, 1e-5);
            Tensor y64 = composite(x64, rm64, rv64, w64, b64);
            String at = "round " + round + " " + x32.shape() + (affine ? "" : " no affine") + (transposed ? " strided" : "");
            Golden.assertClose(y64, y32, RTOL, ATOL, at + " output");
            Golden.assertClose(rm64, rm32, RTOL, ATOL, at + " running mean");
            Golden.assertClose(rv64, rv32, RTOL, ATOL, at + " running var");

            Tensor go32 = Tensor.randn(g, Shape.of(dims), DType.FLOAT32), go64 = go32.to(DType.FLOAT64);
            Tensor[] in32 = affine ? new Tensor[] {x32, w32, b32} : new Tensor[] {x32};
            Tensor[] in64 = affine ? new Tensor[] {x64, w64, b64} : new Tensor[] {x64};
            Tensor[] g32 = Grad.of(new Tensor[] {y32}, new Tensor[] {go32}, in32, false, false, false);
            Tensor[] g64 = Grad.of(new Tensor[] {y64}, new Tensor[] {go64}, in64, false, false, false);
            for (int i = 0; i < in32.length; i++) Golden.assertClose(g64[i], g32[i], 5e-4, 1e-4, at + " gradient " + i);
        }
    }

    @Test
    void secondOrderGradientsMatchTheComposite() {
        Generator g = new Generator(5);
        Tensor x = Tensor.randn(g, Shape.of(4, 3, 5), DType.FLOAT32).requiresGrad(true);
        Tensor w = Tensor.randn(g, Shape.of(3), DType.FLOAT32).requiresGrad(true);
        Tensor x64 = x.detach().to(DType.FLOAT64).requiresGrad(true), w64 = w.detach().to(DType.FLOAT64).requiresGrad(true);
        Tensor y = F.batchNorm(x, null, null, w, null, true, 0.1, 1e-5).pow(2).sum();
        Tensor y64 = F.batchNorm(x64, null, null, w64, null, true, 0.1, 1e-5).pow(2).sum();
        // A gradient-penalty shape: d/dw of |dy/dx|^2.
        Tensor gx = Grad.of(new Tensor[] {y}, null, new Tensor[] {x}, true, true, false)[0];
        Tensor gx64 = Grad.of(new Tensor[] {y64}, null, new Tensor[] {x64}, true, true, false)[0];
        Golden.assertClose(gx64, gx, 5e-4, 1e-4, "first order");
        Tensor gw = Grad.of(new Tensor[] {gx.pow(2).sum()}, null, new Tensor[] {w}, false, false, false)[0];
        Tensor gw64 = Grad.of(new Tensor[] {gx64.pow(2).sum()}, null, new Tensor[] {w64}, false, false, false)[0];
        Golden.assertClose(gw64, gw, 1e-3, 1e-3, "second order");
        assertEquals(DType.FLOAT32, gw.dtype());
    }
}
