package dev.ember.ops;

import dev.ember.tensor.DType;
import dev.ember.tensor.Shape;
import dev.ember.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad shapes and arguments give messages naming the op, the shapes and the offending argument. */
class ConvErrorsTest {
    private static final int[] ONE = {1};

    private static String message(Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }

    private static void assertContains(String message, String... parts) {
        for (String p : parts) assertTrue(message.contains(p), "message \"" + message + "\" lacks \"" + p + "\"");
    }

    @Test
    void conv2dInputRank() {
        assertEquals("conv2d: expected input with 4 dimensions [N, C, H, W], got [3, 28, 28]",
                message(() -> Conv.conv2d(Tensor.zeros(3, 28, 28), Tensor.zeros(32, 3, 3, 3))));
    }

    @Test
    void conv2dWeightRank() {
        assertEquals("conv2d: expected weight with 4 dimensions [out_channels, in_channels/groups, kH, kW], got [32, 3, 3]",
                message(() -> Conv.conv2d(Tensor.zeros(1, 3, 8, 8), Tensor.zeros(32, 3, 3))));
    }

    @Test
    void conv2dChannelMismatch() {
        assertEquals("conv2d: input has 3 channels but weight expects 1 (weight [32, 1, 3, 3], groups 1)",
                message(() -> Conv.conv2d(Tensor.zeros(8, 3, 28, 28), Tensor.zeros(32, 1, 3, 3))));
        assertEquals("conv2d: input has 6 channels but weight expects 4 (weight [8, 2, 3, 3], groups 2)",
                message(() -> Conv.conv2d(Tensor.zeros(1, 6, 5, 5), Tensor.zeros(8, 2, 3, 3), null, null, null, null, 2)));
    }

    @Test
    void conv2dGroupsMustDivideOutputChannels() {
        assertEquals("conv2d: weight has 8 output channels, which is not divisible by groups 3 (weight [8, 1, 3, 3])",
                message(() -> Conv.conv2d(Tensor.zeros(1, 3, 5, 5), Tensor.zeros(8, 1, 3, 3), null, null, null, null, 3)));
        assertEquals("conv2d: groups must be positive, got 0",
                message(() -> Conv.conv2d(Tensor.zeros(1, 3, 5, 5), Tensor.zeros(8, 3, 3, 3), null, null, null, null, 0)));
    }

    @Test
    void conv2dArguments() {
        Tensor x = Tensor.zeros(1, 3, 8, 8), w = Tensor.zeros(4, 3, 3, 3);
        assertEquals("conv2d: stride must be positive, got [0, 1]",
                message(() -> Conv.conv2d(x, w, null, new int[] {0, 1}, null, null, 1)));
        assertEquals("conv2d: padding must be non-negative, got [-1]",
                message(() -> Conv.conv2d(x, w, null, null, new int[] {-1}, null, 1)));
        assertEquals("conv2d: dilation must be positive, got [0]",
                message(() -> Conv.conv2d(x, w, null, null, null, new int[] {0}, 1)));
        assertEquals("conv2d: stride needs 1 or 2 values, got [1, 2, 3]",
                message(() -> Conv.conv2d(x, w, null, new int[] {1, 2, 3}, null, null, 1)));
    }

    @Test
    void conv2dBias() {
        assertEquals("conv2d: bias must have shape [4] (one value per output channel), got [3]",
                message(() -> Conv.conv2d(Tensor.zeros(1, 3, 8, 8), Tensor.zeros(4, 3, 3, 3), Tensor.zeros(3), 1, 1)));
    }

    @Test
    void conv2dDTypes() {
        String m = message(() -> Conv.conv2d(Tensor.zeros(1, 3, 8, 8), Tensor.zeros(Shape.of(4, 3, 3, 3), DType.FLOAT64)));
        assertEquals("conv2d: weight has dtype float64 but input has float32. Hint: convert one with to(...)", m);
        assertContains(message(() -> Conv.conv2d(Tensor.zeros(Shape.of(1, 3, 8, 8), DType.INT64), Tensor.zeros(4, 3, 3, 3))),
                "conv2d: expected a floating-point input, got int64");
    }

    @Test
    void conv2dKernelLargerThanInput() {
        assertEquals("conv2d: input height 2 with padding 0 is smaller than the kernel height 3 (input [1, 1, 2, 8]): "
                        + "the output would be empty",
                message(() -> Conv.conv2d(Tensor.zeros(1, 1, 2, 8), Tensor.zeros(1, 1, 3, 3))));
        assertContains(message(() -> Conv.conv2d(Tensor.zeros(1, 1, 8, 4), Tensor.zeros(1, 1, 3, 3), null, null, null,
                new int[] {2}, 1)), "conv2d: input width 4", "kernel width 3 (dilated to 5)");
    }

    @Test
    void conv1dMessagesNameConv1d() {
        assertEquals("conv1d: expected input with 3 dimensions [N, C, L], got [1, 3, 8, 8]",
                message(() -> Conv.conv1d(Tensor.zeros(1, 3, 8, 8), Tensor.zeros(4, 3, 3), null, 1, 0, 1, 1)));
        assertEquals("conv1d: input has 3 channels but weight expects 2 (weight [4, 2, 3], groups 1)",
                message(() -> Conv.conv1d(Tensor.zeros(1, 3, 8), Tensor.zeros(4, 2, 3), null, 1, 0, 1, 1)));
        assertContains(message(() -> Conv.conv1d(Tensor.zeros(1, 3, 2), Tensor.zeros(4, 3, 3), null, 1, 0, 1, 1)),
                "conv1d: input length 2");
        assertEquals("conv1d: stride must be positive, got 0",
                message(() -> Conv.conv1d(Tensor.zeros(1, 3, 8), Tensor.zeros(4, 3, 3), null, 0, 0, 1, 1)));
    }

    @Test
    void convTranspose1dMessagesNameConvTranspose1d() {
        Tensor x = Tensor.zeros(1, 4, 5), w = Tensor.zeros(4, 2, 3);
        assertEquals("convTranspose1d: outputPadding must be smaller than either stride or dilation, got outputPadding 2, "
                + "stride 2, dilation 1", message(() -> Conv.convTranspose1d(x, w, null, 2, 0, 2, 1, 1)));
        assertEquals("convTranspose1d: padding must be non-negative, got -1",
                message(() -> Conv.convTranspose1d(x, w, null, 1, -1, 0, 1, 1)));
        assertEquals("convTranspose1d: input has 4 channels but weight expects 3 (weight [3, 2, 3] is "
                + "[in_channels, out_channels/groups, ...], groups 1)",
                message(() -> Conv.convTranspose1d(x, Tensor.zeros(3, 2, 3), null, 1, 0, 0, 1, 1)));
    }

    @Test
    void convTranspose2d() {
        Tensor x = Tensor.zeros(1, 4, 5, 5);
        assertEquals("convTranspose2d: input has 4 channels but weight expects 3 (weight [3, 2, 3, 3] is "
                        + "[in_channels, out_channels/groups, ...], groups 1)",
                message(() -> Conv.convTranspose2d(x, Tensor.zeros(3, 2, 3, 3), null, null, null, null, null, 1)));
        assertEquals("convTranspose2d: outputPadding must be smaller than either stride or dilation, got outputPadding [1, 1], "
                        + "stride [1, 1], dilation [1, 1]",
                message(() -> Conv.convTranspose2d(x, Tensor.zeros(4, 2, 3, 3), null, null, null, ONE, null, 1)));
        assertEquals("convTranspose2d: bias must have shape [4] (one value per output channel), got [2]",
                message(() -> Conv.convTranspose2d(x, Tensor.zeros(4, 2, 3, 3), Tensor.zeros(2), null, null, null, null, 2)));
        assertEquals("convTranspose2d: weight has 4 input channels, which is not divisible by groups 3 (weight [4, 2, 3, 3])",
                message(() -> Conv.convTranspose2d(x, Tensor.zeros(4, 2, 3, 3), null, null, null, null, null, 3)));
        assertContains(message(() -> Conv.convTranspose2d(Tensor.zeros(1, 4, 1, 1), Tensor.zeros(4, 2, 1, 1), null, null,
                new int[] {1}, null, null, 1)), "convTranspose2d:", "empty output -1x-1");
    }

    @Test
    void pooling() {
        assertEquals("maxPool2d: expected input with 3 or 4 dimensions ([C, H, W] or [N, C, H, W]), got [28, 28]",
                message(() -> Pooling.maxPool2d(Tensor.zeros(28, 28), 2)));
        assertEquals("maxPool2d: padding must be at most half the kernel size, got padding [2, 2] for kernel [3, 3]",
                message(() -> Pooling.maxPool2d(Tensor.zeros(1, 1, 8, 8), new int[] {3}, null, new int[] {2}, null, false)));
        assertEquals("maxPool2d: input [1, 1, 2, 2] is too small for kernel 3x3 (padding 0x0, dilation 1x1): the output would be 0x0",
                message(() -> Pooling.maxPool2d(Tensor.zeros(1, 1, 2, 2), 3)));
        assertEquals("maxPool2d: stride must be positive, got [0]",
                message(() -> Pooling.maxPool2d(Tensor.zeros(1, 1, 8, 8), new int[] {2}, new int[] {0}, null, null, false)));
        assertEquals("avgPool2d: kernel must be positive, got [0, 2]",
                message(() -> Pooling.avgPool2d(Tensor.zeros(1, 1, 8, 8), new int[] {0, 2}, null, null, false, true)));
        assertContains(message(() -> Pooling.avgPool2d(Tensor.zeros(Shape.of(1, 1, 4, 4), DType.INT64), 2)),
                "avgPool2d: expected a floating-point input, got int64");
        assertEquals("adaptiveAvgPool2d: output size must be positive, got 0x3",
                message(() -> Pooling.adaptiveAvgPool2d(Tensor.zeros(1, 1, 4, 4), 0, 3)));
        assertEquals("adaptiveAvgPool2d: input [1, 0, 4] has an empty spatial dimension",
                message(() -> Pooling.adaptiveAvgPool2d(Tensor.zeros(1, 0, 4), 2, 2)));
    }

    @Test
    void upsampling() {
        assertEquals("upsampleBilinear2d: expected input with 4 dimensions [N, C, H, W], got [3, 4, 4]",
                message(() -> Upsampling.upsampleBilinear2d(Tensor.zeros(3, 4, 4), 8, 8, false)));
        assertEquals("upsampleNearest2d: output size must be positive, got 8x0 for input [1, 3, 4, 4]",
                message(() -> Upsampling.upsampleNearest2d(Tensor.zeros(1, 3, 4, 4), 8, 0)));
    }
}
