package dev.ember.ops.catalog;

import dev.ember.ops.Conv;
import dev.ember.ops.Pooling;
import dev.ember.ops.Upsampling;
import dev.ember.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

import static dev.ember.ops.catalog.Samples.randn;

/**
 * Catalogue entries for convolutions, pooling and upsampling (small float64 NCHW samples). The
 * pooling and upsampling ops are linear, so their outputs are squared: the first-order gradient then
 * depends on the input, and the second-order check runs through the backward ops' own backward rules.
 */
final class ConvSpecs {
    private ConvSpecs() {
    }

    private static final int[] ONE = {1}, TWO = {2};

    private static int[] ints(int... v) {
        return v;
    }

    static List<OpSpec> all() {
        List<OpSpec> l = new ArrayList<>();
        l.add(OpSpec.of("conv2d", g -> List.of(
                        new OpSpec.Sample("3x3 padding 1 with bias", randn(g, 2, 3, 5, 5), randn(g, 4, 3, 3, 3), randn(g, 4)),
                        new OpSpec.Sample("stride 2 dilation 2 rectangular", randn(g, 1, 2, 8, 7), randn(g, 3, 2, 2, 3), randn(g, 3)),
                        new OpSpec.Sample("groups 2 stride (2, 1) padding (0, 1)", randn(g, 2, 4, 5, 6), randn(g, 6, 2, 3, 2), randn(g, 6))),
                in -> {
                    int[] dims = in[1].shape().toArray();
                    if (dims[0] == 4) return Conv.conv2d(in[0], in[1], in[2], ONE, ONE, null, 1);
                    if (dims[0] == 3) return Conv.conv2d(in[0], in[1], in[2], TWO, ints(1, 0), TWO, 1);
                    return Conv.conv2d(in[0], in[1], in[2], ints(2, 1), ints(0, 1), null, 2);
                }));
        l.add(OpSpec.of("conv2dDepthwise", g -> List.of(
                        new OpSpec.Sample("depthwise multiplier 2, no bias", randn(g, 2, 3, 5, 4), randn(g, 6, 1, 3, 3))),
                in -> Conv.conv2d(in[0], in[1], null, ONE, ONE, null, 3)));
        l.add(OpSpec.of("conv2d1x1", g -> List.of(
                        new OpSpec.Sample("pointwise, transposed input view", randn(g, 2, 3, 4, 5), randn(g, 4, 5, 1, 1), randn(g, 4))),
                in -> Conv.conv2d(in[0].transpose(1, 3), in[1], in[2], null, null, null, 1)));
        l.add(OpSpec.of("conv1d", g -> List.of(
                        new OpSpec.Sample("stride 2 padding 1", randn(g, 2, 3, 9), randn(g, 4, 3, 3), randn(g, 4))),
                in -> Conv.conv1d(in[0], in[1], in[2], 2, 1, 1, 1)));
        l.add(OpSpec.of("convTranspose2d", g -> List.of(
                        new OpSpec.Sample("stride 2 padding 1 outputPadding 1", randn(g, 2, 4, 3, 3), randn(g, 4, 3, 3, 3), randn(g, 3)),
                        new OpSpec.Sample("groups 2 dilation 2", randn(g, 1, 4, 3, 4), randn(g, 4, 1, 2, 2), randn(g, 2)),
                        new OpSpec.Sample("outputPadding below dilation", randn(g, 1, 2, 3, 3), randn(g, 2, 2, 2, 2), randn(g, 2))),
                in -> {
                    int[] dims = in[1].shape().toArray();
                    if (dims[1] == 3) return Conv.convTranspose2d(in[0], in[1], in[2], TWO, ONE, ONE, null, 1);
                    if (dims[1] == 1) return Conv.convTranspose2d(in[0], in[1], in[2], ints(1, 2), null, null, TWO, 2);
                    return Conv.convTranspose2d(in[0], in[1], in[2], ONE, null, ints(1, 0), ints(2, 1), 1);
                }));
        l.add(OpSpec.of("convTranspose1d", g -> List.of(
                        new OpSpec.Sample("stride 3 outputPadding 2", randn(g, 2, 3, 4), randn(g, 3, 2, 2), randn(g, 2))),
                in -> Conv.convTranspose1d(in[0], in[1], in[2], 3, 0, 2, 1, 1)));
        l.add(OpSpec.of("maxPool2d", g -> List.of(
                        new OpSpec.Sample("2x2", randn(g, 2, 2, 4, 6)),
                        new OpSpec.Sample("3x3 stride 2 padding 1 ceil", randn(g, 1, 2, 6, 7)),
                        new OpSpec.Sample("dilation 2, unbatched", randn(g, 2, 7, 7))),
                in -> {
                    Tensor x = in[0];
                    if (x.rank() == 3) return Pooling.maxPool2d(x, ints(2, 3), ONE, ONE, TWO, false).square();
                    if (x.size(3) == 7) return Pooling.maxPool2d(x, ints(3), TWO, ONE, null, true).square();
                    return Pooling.maxPool2d(x, 2).square();
                }));
        l.add(OpSpec.of("avgPool2d", g -> List.of(
                        new OpSpec.Sample("2x2", randn(g, 2, 2, 4, 6)),
                        new OpSpec.Sample("3x3 stride 2 padding 1 ceil, padding excluded", randn(g, 1, 2, 6, 7)),
                        new OpSpec.Sample("3x2 stride (1, 2) padding (1, 0), padding counted", randn(g, 1, 2, 5, 6))),
                in -> {
                    Tensor x = in[0];
                    if (x.size(3) == 7) return Pooling.avgPool2d(x, ints(3), TWO, ONE, true, false).square();
                    if (x.size(2) == 5) return Pooling.avgPool2d(x, ints(3, 2), ints(1, 2), ints(1, 0), false, true).square();
                    return Pooling.avgPool2d(x, 2).square();
                }));
        l.add(OpSpec.of("adaptiveAvgPool2d", g -> List.of(
                        new OpSpec.Sample("5x7 to 3x4 (overlapping windows)", randn(g, 2, 2, 5, 7))),
                in -> Pooling.adaptiveAvgPool2d(in[0], 3, 4).square()));
        l.add(OpSpec.of("upsampleNearest2d", g -> List.of(
                        new OpSpec.Sample("3x4 to 5x8", randn(g, 1, 2, 3, 4))),
                in -> Upsampling.upsampleNearest2d(in[0], 5, 8).square()));
        l.add(OpSpec.of("upsampleBilinear2d", g -> List.of(
                        new OpSpec.Sample("3x4 to 5x7, alignCorners", randn(g, 1, 2, 3, 4)),
                        new OpSpec.Sample("3x4 to 6x3, half-pixel", randn(g, 2, 1, 3, 4))),
                in -> in[0].size(0) == 1 ? Upsampling.upsampleBilinear2d(in[0], 5, 7, true).square()
                        : Upsampling.upsampleBilinear2d(in[0], 6, 3, false).square()));
        return l;
    }
}
