package dev.ember.nn;

import dev.ember.autograd.GradCheck;
import dev.ember.tensor.DType;
import dev.ember.tensor.Generator;
import dev.ember.tensor.PadMode;
import dev.ember.tensor.Tensor;
import dev.ember.testing.Golden;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Convolution, pooling and resizing layers: outputs, input and parameter gradients and state-dict
 * names match PyTorch 1.13 (fixture: tools/golden/gen_layers.py); float64 gradient checks through the
 * layers' own paths (same padding, reflection, NHWC); construction and input errors name the problem.
 */
class ConvLayerTest {

    static Module build(Golden.LayerCase c) {
        return switch (c.layer()) {
            case "Conv2d" -> new Conv2d(c.intAttr("in"), c.intAttr("out"), c.intAttr("k"), c.intAttr("stride"), c.intAttr("padding"));
            case "Conv2dFull" -> Conv2d.builder(4, 6, 3, 2).stride(2, 1).padding(1, 0).dilation(1, 2).bias(false).build();
            case "Conv2dGroups" -> Conv2d.builder(4, 8, 3).padding(1).groups(2).build();
            case "Conv2dDepthwise" -> Conv2d.builder(3, 6, 3).groups(3).build();
            case "Conv2dSame3" -> Conv2d.builder(2, 3, 3).padding("same").dilation(2).build();
            case "Conv2dSame4" -> Conv2d.builder(2, 3, 4, 2).padding("same").build();
            case "Conv2dReflect" -> Conv2d.builder(2, 2, 3).padding(1).paddingMode(PadMode.REFLECT).build();
            case "Conv2dReplicateSame" -> Conv2d.builder(2, 3, 3).padding("same").paddingMode(PadMode.REPLICATE).build();
            case "Conv2dNhwc" -> Conv2d.builder(3, 5, 3).stride(2).padding(1).dataFormat(DataFormat.NHWC).build();
            case "Conv1d" -> new Conv1d(3, 4, 3, 2, 1);
            case "Conv1dGroups" -> new Conv1d(4, 4, 2, 1, 0, 2, 4, false);
            case "ConvTranspose2d" -> new ConvTranspose2d(4, 3, 4, 2, 1);
            case "ConvTranspose2dFull" -> new ConvTranspose2d(4, 2, 3, 2, 1, 1, 2, true, 1);
            case "MaxPool2d" -> new MaxPool2d(2);
            case "MaxPool2dFull" -> new MaxPool2d(new int[] {3}, new int[] {2}, new int[] {1}, new int[] {1}, true);
            case "AvgPool2d" -> new AvgPool2d(2);
            case "AvgPool2dFull" -> new AvgPool2d(new int[] {3}, new int[] {2}, new int[] {1}, false, false);
            case "AdaptiveAvgPool2d1" -> new AdaptiveAvgPool2d(1);
            case "AdaptiveAvgPool2d32" -> new AdaptiveAvgPool2d(3, 2);
            case "UpsampleNearest" -> Upsample.scale(2, Upsample.Mode.NEAREST);
            case "UpsampleBilinear" -> Upsample.size(5, 7, Upsample.Mode.BILINEAR, false);
            case "UpsampleBilinearCorners" -> Upsample.scale(2, Upsample.Mode.BILINEAR, true);
            case "SmallCnn" -> new Sequential(new Conv2d(1, 4, 3, 1, 1), new ReLU(), new MaxPool2d(2), new Conv2d(4, 8, 3, 1, 1),
                    new ReLU(), new AdaptiveAvgPool2d(1), new Flatten(), new Linear(8, 3));
            default -> throw new IllegalArgumentException("no mapping for fixture layer " + c.layer());
        };
    }

    @TestFactory
    List<DynamicTest> layersMatchPyTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Golden.LayerCase c : Golden.loadLayers("layers.json")) {
            tests.add(DynamicTest.dynamicTest(c.name(), () -> LayerGoldenTest.check(c, build(c))));
        }
        assertEquals(23, tests.size(), "fixture case count");
        return tests;
    }

    /** Float64 finite-difference checks through the paths the layers add around the conv op (explicit pads, permutes). */
    @Test
    void gradientsThroughLayerPathsInDoublePrecision() {
        Generator g = new Generator(7);
        List<Conv2d> layers = List.of(
                Conv2d.builder(2, 3, 4, 2).padding("same").build(),
                Conv2d.builder(2, 2, 3).padding(1).paddingMode(PadMode.REFLECT).build(),
                Conv2d.builder(2, 3, 3).stride(2).padding(1).dataFormat(DataFormat.NHWC).build());
        for (Conv2d conv : layers) {
            Tensor w = Tensor.randn(g, conv.weight.shape(), DType.FLOAT64).requiresGrad(true);
            Tensor b = Tensor.randn(g, conv.bias.shape(), DType.FLOAT64).requiresGrad(true);
            boolean nhwc = conv.dataFormat == DataFormat.NHWC;
            Tensor x = (nhwc ? Tensor.randn(g, dev.ember.tensor.Shape.of(1, 5, 4, 2), DType.FLOAT64)
                    : Tensor.randn(g, dev.ember.tensor.Shape.of(1, 2, 5, 4), DType.FLOAT64)).requiresGrad(true);
            GradCheck.Result r = GradCheck.check(in -> conv.forward(in[0], in[1], in[2]), x, w, b);
            assertTrue(r.passed(), conv + ": " + r);
        }
    }

    @Test
    void padSameKeepsSizeAndNhwcGivesChannelsLast() {
        Conv2d same = Conv2d.builder(3, 8, 4).padding("same").build();
        assertArrayEquals(new int[] {2, 8, 9, 10}, same.forward(Tensor.randn(2, 3, 9, 10)).shape().toArray());
        Conv2d nhwc = Conv2d.builder(3, 8, 3).padding(1).dataFormat(DataFormat.NHWC).build();
        assertArrayEquals(new int[] {2, 9, 10, 8}, nhwc.forward(Tensor.randn(2, 9, 10, 3)).shape().toArray());
        assertEquals("Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), data_format=NHWC)", nhwc.toString());
        assertEquals("MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)", new MaxPool2d(2).toString());
    }

    @Test
    void badConfigurationsAndInputsNameTheProblem() {
        assertMessage(() -> Conv2d.builder(3, 8, 3).groups(2).build(), "groups must be positive and divide both in_channels and out_channels");
        assertMessage(() -> Conv2d.builder(3, 8, 3).padding("same").stride(2).build(), "padding \"same\" needs stride 1");
        assertMessage(() -> Conv2d.builder(3, 8, 3).padding("full").build(), "\"full\"");
        assertMessage(() -> new Conv2d(3, 8, 0), "kernel size must be at least 1");
        assertMessage(() -> new Conv2d(3, 8, 3).forward(Tensor.randn(2, 4, 9, 9)), "expected 3 input channels");
        assertMessage(() -> new Conv2d(3, 8, 3).forward(Tensor.randn(3, 9, 9)), "expected a 4-D input [N, C, H, W]");
        assertMessage(() -> new MaxPool2d(2, 2, 2), "padding must be at most half the kernel size");
        assertMessage(() -> new ConvTranspose2d(4, 2, 3, 1, 0, 1, 1, true, 1), "output padding must be smaller than either stride or dilation");
        assertMessage(() -> new AdaptiveAvgPool2d(0), "output size must be positive");
        assertMessage(() -> Upsample.scale(-1, Upsample.Mode.NEAREST), "scale factor must be positive");
        assertMessage(() -> new Conv1d(4, 6, 3, 1, 0, 1, 4, true), "groups must be positive and divide");
        assertMessage(() -> Upsample.size(4, 4, Upsample.Mode.NEAREST, true), "alignCorners only applies to bilinear");
        assertMessage(() -> F.interpolate(Tensor.randn(1, 1, 2, 2), 4, 4, Upsample.Mode.NEAREST, true), "alignCorners only applies to bilinear");
        assertMessage(() -> Upsample.scale(2, Upsample.Mode.NEAREST).forward(Tensor.randn(1, 2, 3)), "expected a 4-D input [N, C, H, W]");
        assertMessage(() -> new AvgPool2d(new int[] {2, 2, 2}, null, new int[] {0}, false, true), "kernel size takes 1 value");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable e, String part) {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, e);
        assertTrue(ex.getMessage().contains(part), "message '" + ex.getMessage() + "' should contain '" + part + "'");
    }
}
