package dev.ember.ops;

import dev.ember.tensor.DType;
import dev.ember.tensor.Tensor;
import dev.ember.testing.Golden;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Convolution, pooling and upsampling against PyTorch 1.13 (fixture golden/conv.json, written by
 * tools/golden/gen_conv.py): forward values and the gradients of every input for a random output
 * gradient, in float32 (the fast kernels, 1e-5 tolerance) and float64 (the reference kernels).
 */
class ConvGoldenTest {
    private static final double F32_TOL = 1e-5, F64_RTOL = 1e-7, F64_ATOL = 1e-9;

    @TestFactory
    List<DynamicTest> matchesPyTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Golden.Case c : Golden.load("conv.json")) {
            for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                tests.add(DynamicTest.dynamicTest(c.name() + " " + dt.pyName(), () -> check(c, dt)));
            }
        }
        return tests;
    }

    private static void check(Golden.Case c, DType dt) {
        double rtol = dt == DType.FLOAT32 ? F32_TOL : F64_RTOL, atol = dt == DType.FLOAT32 ? F32_TOL : F64_ATOL;
        List<Tensor> in = new ArrayList<>();
        for (Tensor t : c.inputs()) in.add(t.to(dt).requiresGrad(c.gradOutput() != null));
        Tensor y = run(c, in);
        if (c.op().equals("max_pool2d_indices")) {
            assertArrayEquals(c.output().toLongArray(), y.toLongArray(), c.name() + ": indices");
            return;
        }
        assertEquals(dt, y.dtype());
        Golden.assertClose(c.output(), y, rtol, atol, c.name() + " output");
        if (c.gradOutput() == null) return;
        y.backward(c.gradOutput().to(dt));
        for (int i = 0; i < in.size(); i++) {
            assertNotNull(in.get(i).grad(), c.name() + ": input " + i + " got no gradient");
            Golden.assertClose(c.grads().get(i), in.get(i).grad(), rtol, atol, c.name() + " grad of input " + i);
        }
    }

    private static Tensor run(Golden.Case c, List<Tensor> in) {
        Tensor x = in.get(0);
        return switch (c.op()) {
            case "conv2d" -> Conv.conv2d(x, in.get(1), bias(c, in), c.intsAttr("stride"), c.intsAttr("padding"),
                    c.intsAttr("dilation"), (int) c.attr("groups"));
            case "conv1d" -> Conv.conv1d(x, in.get(1), in.get(2), (int) c.attr("stride"), (int) c.attr("padding"),
                    (int) c.attr("dilation"), (int) c.attr("groups"));
            case "conv_transpose2d" -> Conv.convTranspose2d(x, in.get(1), bias(c, in), c.intsAttr("stride"), c.intsAttr("padding"),
                    c.intsAttr("output_padding"), c.intsAttr("dilation"), (int) c.attr("groups"));
            case "conv_transpose1d" -> Conv.convTranspose1d(x, in.get(1), in.get(2), (int) c.attr("stride"),
                    (int) c.attr("padding"), (int) c.attr("output_padding"), (int) c.attr("dilation"), (int) c.attr("groups"));
            case "max_pool2d" -> Pooling.maxPool2d(x, c.intsAttr("kernel"), c.intsAttr("stride"), c.intsAttr("padding"),
                    c.intsAttr("dilation"), flag(c, "ceil_mode"));
            case "max_pool2d_indices" -> Pooling.maxPool2dWithIndices(x, c.intsAttr("kernel"), c.intsAttr("stride"),
                    c.intsAttr("padding"), c.intsAttr("dilation"), flag(c, "ceil_mode")).indices();
            case "avg_pool2d" -> Pooling.avgPool2d(x, c.intsAttr("kernel"), c.intsAttr("stride"), c.intsAttr("padding"),
                    flag(c, "ceil_mode"), flag(c, "count_include_pad"));
            case "adaptive_avg_pool2d" -> Pooling.adaptiveAvgPool2d(x, c.intsAttr("output_size")[0], c.intsAttr("output_size")[1]);
            case "upsample_nearest2d" -> Upsampling.upsampleNearest2d(x, c.intsAttr("size")[0], c.intsAttr("size")[1]);
            case "upsample_bilinear2d" -> Upsampling.upsampleBilinear2d(x, c.intsAttr("size")[0], c.intsAttr("size")[1],
                    flag(c, "align_corners"));
            default -> throw new IllegalArgumentException("unknown op in fixture: " + c.op());
        };
    }

    private static Tensor bias(Golden.Case c, List<Tensor> in) {
        return flag(c, "bias") ? in.get(2) : null;
    }

    private static boolean flag(Golden.Case c, String key) {
        return (Boolean) c.attrs().get(key);
    }
}
