"""Golden values for the convolution, pooling and resizing layers (forward output, input and
parameter gradients) from PyTorch 1.13. Run: /usr/bin/python3 tools/golden/gen_layers.py"""
import torch
import torch.nn as nn

import golden

torch.manual_seed(2024)
cases = []


def add(name, layer, attrs, module, inputs):
    cases.append(golden.layer_case(name, layer, attrs, module, inputs, True, seed=len(cases)))


class Conv2dNhwc(nn.Conv2d):
    """A Conv2d taking and giving channels-last tensors; weights keep PyTorch's layout and names."""
    def forward(self, x):
        return super().forward(x.permute(0, 3, 1, 2)).permute(0, 2, 3, 1)


add("conv2d_3x3_pad1", "Conv2d", {"in": 3, "out": 4, "k": 3, "stride": 1, "padding": 1}, nn.Conv2d(3, 4, 3, 1, 1),
    [torch.randn(2, 3, 6, 5)])
add("conv2d_stride2_nobias", "Conv2dFull", {}, nn.Conv2d(4, 6, (3, 2), stride=(2, 1), padding=(1, 0), dilation=(1, 2), bias=False),
    [torch.randn(2, 4, 7, 8)])
add("conv2d_groups", "Conv2dGroups", {}, nn.Conv2d(4, 8, 3, padding=1, groups=2), [torch.randn(1, 4, 5, 5)])
add("conv2d_depthwise", "Conv2dDepthwise", {}, nn.Conv2d(3, 6, 3, groups=3), [torch.randn(2, 3, 5, 6)])
add("conv2d_same_odd", "Conv2dSame3", {}, nn.Conv2d(2, 3, 3, padding="same", dilation=2), [torch.randn(2, 2, 7, 6)])
add("conv2d_same_even", "Conv2dSame4", {}, nn.Conv2d(2, 3, (4, 2), padding="same"), [torch.randn(1, 2, 6, 5)])
add("conv2d_reflect", "Conv2dReflect", {}, nn.Conv2d(2, 2, 3, padding=1, padding_mode="reflect"), [torch.randn(1, 2, 5, 5)])
add("conv2d_replicate_same", "Conv2dReplicateSame", {}, nn.Conv2d(2, 3, 3, padding="same", padding_mode="replicate"),
    [torch.randn(1, 2, 4, 5)])
add("conv2d_nhwc", "Conv2dNhwc", {}, Conv2dNhwc(3, 5, 3, stride=2, padding=1), [torch.randn(2, 7, 6, 3)])
add("conv1d", "Conv1d", {}, nn.Conv1d(3, 4, 3, stride=2, padding=1), [torch.randn(2, 3, 9)])
add("conv1d_groups_dilation", "Conv1dGroups", {}, nn.Conv1d(4, 4, 2, dilation=2, groups=4, bias=False), [torch.randn(1, 4, 7)])
add("conv_transpose2d", "ConvTranspose2d", {}, nn.ConvTranspose2d(4, 3, 4, 2, 1), [torch.randn(2, 4, 3, 3)])
add("conv_transpose2d_outpad_groups", "ConvTranspose2dFull", {},
    nn.ConvTranspose2d(4, 2, 3, stride=2, padding=1, output_padding=1, groups=2, bias=True, dilation=1), [torch.randn(1, 4, 3, 4)])
add("maxpool2d", "MaxPool2d", {}, nn.MaxPool2d(2), [torch.randn(2, 3, 6, 7)])
add("maxpool2d_pad_ceil", "MaxPool2dFull", {}, nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True), [torch.randn(1, 2, 6, 7)])
add("avgpool2d", "AvgPool2d", {}, nn.AvgPool2d(2), [torch.randn(2, 3, 6, 6)])
add("avgpool2d_pad_exclude", "AvgPool2dFull", {}, nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False),
    [torch.randn(1, 2, 7, 6)])
add("adaptive_avgpool_1", "AdaptiveAvgPool2d1", {}, nn.AdaptiveAvgPool2d(1), [torch.randn(2, 4, 5, 3)])
add("adaptive_avgpool_3x2", "AdaptiveAvgPool2d32", {}, nn.AdaptiveAvgPool2d((3, 2)), [torch.randn(1, 2, 7, 5)])
add("upsample_nearest2", "UpsampleNearest", {}, nn.Upsample(scale_factor=2, mode="nearest"), [torch.randn(1, 2, 3, 4)])
add("upsample_bilinear_size", "UpsampleBilinear", {}, nn.Upsample(size=(5, 7), mode="bilinear", align_corners=False),
    [torch.randn(2, 1, 3, 4)])
add("upsample_bilinear_corners", "UpsampleBilinearCorners", {}, nn.Upsample(scale_factor=2, mode="bilinear", align_corners=True),
    [torch.randn(1, 2, 3, 3)])
seq = nn.Sequential(nn.Conv2d(1, 4, 3, 1, 1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(4, 8, 3, 1, 1), nn.ReLU(),
                    nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 3))
add("small_cnn", "SmallCnn", {}, seq, [torch.randn(2, 1, 8, 8)])

golden.write("layers.json", cases, __file__)
