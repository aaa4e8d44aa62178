"""Golden values for convolution, pooling and upsampling (dev.ember.ops.Conv, Pooling, Upsampling).

Run from the repository root with Debian's PyTorch:  /usr/bin/python3 tools/golden/gen_conv.py
Writes ember-core/src/test/resources/golden/conv.json, read by ConvGoldenTest.

Inputs and output gradients are float64 values with 3 decimals (so the JSON stays small and float32
copies are close); outputs and gradients are computed in float64 and rounded to 8 significant
digits, far below the 1e-5 tolerance of the float32 test.
"""
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(__file__))
import golden  # noqa: E402

gen = torch.Generator().manual_seed(1234)


def rnd(*shape):
    return torch.round(torch.randn(*shape, generator=gen, dtype=torch.float64) * 1000) / 1000


def rounded(t):
    """A float tensor's values rounded to 8 significant digits (as a fixture dict)."""
    d = golden.tensor(t)
    d["data"] = [float(f"{v:.8g}") if isinstance(v, float) else v for v in d["data"]]
    return d


cases = []


def add(name, op, fn, inputs, attrs, grad=True):
    """One case: the output for `inputs` and, when grad is set, every input's gradient for a random
    3-decimal output gradient (exact in the fixture, so Java sees the same one PyTorch used)."""
    ins = [x.clone().requires_grad_(grad) for x in inputs]
    out = fn(*ins)
    c = golden.case(name, op, inputs, out, attrs)
    c["output"] = rounded(out) if out.is_floating_point() else golden.tensor(out)
    if grad:
        go = rnd(*out.shape)
        grads = torch.autograd.grad(out, ins, go)
        c["grad_output"] = golden.tensor(go)
        c["grads"] = [rounded(g) for g in grads]
    cases.append(c)


def conv2d(name, x, w, b, stride=1, padding=0, dilation=1, groups=1):
    attrs = dict(stride=list(_pair(stride)), padding=list(_pair(padding)), dilation=list(_pair(dilation)), groups=groups,
                 bias=b is not None)
    ins = [x, w] + ([b] if b is not None else [])
    add(name, "conv2d", lambda *t: F.conv2d(t[0], t[1], t[2] if len(t) > 2 else None, stride, padding, dilation, groups),
        ins, attrs)


def conv_transpose2d(name, x, w, b, stride=1, padding=0, output_padding=0, dilation=1, groups=1):
    attrs = dict(stride=list(_pair(stride)), padding=list(_pair(padding)), output_padding=list(_pair(output_padding)),
                 dilation=list(_pair(dilation)), groups=groups, bias=b is not None)
    ins = [x, w] + ([b] if b is not None else [])
    add(name, "conv_transpose2d",
        lambda *t: F.conv_transpose2d(t[0], t[1], t[2] if len(t) > 2 else None, stride, padding, output_padding, groups,
                                      dilation), ins, attrs)


def _pair(v):
    return v if isinstance(v, tuple) else (v, v)


# ---------------------------------------------------------------- conv2d
conv2d("conv2d 3x3 padding 1 bias", rnd(2, 3, 6, 6), rnd(4, 3, 3, 3), rnd(4), padding=1)
conv2d("conv2d stride 2 no bias", rnd(2, 3, 7, 7), rnd(4, 3, 3, 3), None, stride=2)
conv2d("conv2d dilation 2 padding 2 rectangular kernel", rnd(1, 2, 8, 9), rnd(3, 2, 3, 2), rnd(3), padding=2, dilation=2)
conv2d("conv2d groups 2", rnd(2, 4, 5, 5), rnd(6, 2, 3, 3), rnd(6), padding=1, groups=2)
conv2d("conv2d depthwise stride 2", rnd(2, 3, 6, 6), rnd(3, 1, 3, 3), rnd(3), stride=2, padding=1, groups=3)
conv2d("conv2d 1x1", rnd(2, 5, 4, 4), rnd(3, 5, 1, 1), rnd(3))
conv2d("conv2d stride (2, 1) padding (1, 0)", rnd(2, 3, 7, 6), rnd(4, 3, 3, 3), rnd(4), stride=(2, 1), padding=(1, 0))
conv2d("conv2d 16 channels", rnd(2, 16, 8, 8), rnd(8, 16, 3, 3), rnd(8), padding=1)
conv2d("conv2d 5x5 stride 3 input not covered", rnd(1, 2, 10, 11), rnd(2, 2, 5, 5), None, stride=3)

# ---------------------------------------------------------------- conv1d
add("conv1d stride 2 padding 1", "conv1d", lambda x, w, b: F.conv1d(x, w, b, 2, 1), [rnd(2, 3, 10), rnd(4, 3, 3), rnd(4)],
    dict(stride=2, padding=1, dilation=1, groups=1))
add("conv1d groups 3 dilation 2", "conv1d", lambda x, w, b: F.conv1d(x, w, b, 1, 2, 2, 3), [rnd(2, 3, 10), rnd(6, 1, 3), rnd(6)],
    dict(stride=1, padding=2, dilation=2, groups=3))

# ---------------------------------------------------------------- conv_transpose
conv_transpose2d("convT stride 2 padding 1 output_padding 1", rnd(2, 4, 3, 3), rnd(4, 3, 3, 3), rnd(3), stride=2, padding=1,
                 output_padding=1)
conv_transpose2d("convT groups 2 dilation 2 stride (1, 2)", rnd(1, 4, 3, 4), rnd(4, 2, 2, 2), None, stride=(1, 2), dilation=2,
                 groups=2)
conv_transpose2d("convT stride 1", rnd(1, 3, 4, 4), rnd(3, 2, 3, 3), rnd(2))
conv_transpose2d("convT output_padding below dilation", rnd(1, 2, 3, 3), rnd(2, 2, 2, 2), rnd(2), output_padding=(1, 0),
                 dilation=(2, 1))
add("conv_transpose1d stride 2 padding 1 output_padding 1", "conv_transpose1d",
    lambda x, w, b: F.conv_transpose1d(x, w, b, 2, 1, 1), [rnd(2, 3, 5), rnd(3, 2, 3), rnd(2)],
    dict(stride=2, padding=1, output_padding=1, dilation=1, groups=1))


# ---------------------------------------------------------------- pooling
def max_pool(name, x, k, s=None, p=0, d=1, ceil=False):
    attrs = dict(kernel=list(_pair(k)), stride=list(_pair(s if s is not None else k)), padding=list(_pair(p)),
                 dilation=list(_pair(d)), ceil_mode=ceil)
    add(name, "max_pool2d", lambda t: F.max_pool2d(t, k, s, p, d, ceil), [x], attrs)
    add(name + " indices", "max_pool2d_indices", lambda t: F.max_pool2d(t, k, s, p, d, ceil, return_indices=True)[1], [x], attrs,
        grad=False)


def avg_pool(name, x, k, s=None, p=0, ceil=False, include_pad=True):
    attrs = dict(kernel=list(_pair(k)), stride=list(_pair(s if s is not None else k)), padding=list(_pair(p)), ceil_mode=ceil,
                 count_include_pad=include_pad)
    add(name, "avg_pool2d", lambda t: F.avg_pool2d(t, k, s, p, ceil, include_pad), [x], attrs)


max_pool("max_pool 2x2", rnd(2, 3, 6, 6), 2)
max_pool("max_pool 3x3 stride 2 padding 1", rnd(1, 2, 7, 7), 3, 2, 1)
max_pool("max_pool 3x3 stride 2 ceil", rnd(1, 2, 8, 8), 3, 2, 0, 1, True)
max_pool("max_pool 2x2 dilation 2 stride 1", rnd(1, 2, 6, 7), 2, 1, 0, 2)
max_pool("max_pool (3, 2) stride (2, 1) padding (1, 0) ceil", rnd(1, 2, 6, 5), (3, 2), (2, 1), (1, 0), 1, True)

avg_pool("avg_pool 2x2", rnd(2, 3, 6, 6), 2)
avg_pool("avg_pool 3x3 stride 2 padding 1 include pad", rnd(1, 2, 7, 7), 3, 2, 1)
avg_pool("avg_pool 3x3 stride 2 padding 1 exclude pad", rnd(1, 2, 7, 7), 3, 2, 1, include_pad=False)
avg_pool("avg_pool 3x3 stride 2 padding 1 ceil exclude pad", rnd(1, 2, 8, 8), 3, 2, 1, True, False)
avg_pool("avg_pool 2x2 stride 2 ceil include pad", rnd(1, 1, 5, 5), 2, 2, 0, True, True)
avg_pool("avg_pool (3, 2) stride (1, 2) padding (1, 1) ceil include pad", rnd(1, 2, 5, 7), (3, 2), (1, 2), (1, 1), True, True)

for shape, out in [((2, 3, 7, 5), (3, 2)), ((1, 2, 4, 4), (4, 4)), ((1, 2, 3, 4), (5, 7))]:
    add(f"adaptive_avg_pool {shape[2]}x{shape[3]} to {out[0]}x{out[1]}", "adaptive_avg_pool2d",
        lambda t, o=out: F.adaptive_avg_pool2d(t, o), [rnd(*shape)], dict(output_size=list(out)))

# ---------------------------------------------------------------- upsampling
for shape, out in [((1, 2, 3, 4), (5, 7)), ((1, 2, 3, 4), (6, 8)), ((2, 1, 6, 7), (4, 3)), ((1, 1, 3, 3), (7, 7))]:
    add(f"nearest {shape[2]}x{shape[3]} to {out[0]}x{out[1]}", "upsample_nearest2d",
        lambda t, o=out: F.interpolate(t, size=o, mode="nearest"), [rnd(*shape)], dict(size=list(out)))
for shape, out in [((1, 2, 3, 4), (5, 7)), ((2, 1, 6, 7), (4, 3)), ((1, 1, 3, 3), (1, 1)), ((1, 2, 4, 5), (8, 10))]:
    for ac in (True, False):
        add(f"bilinear {shape[2]}x{shape[3]} to {out[0]}x{out[1]} align_corners={ac}", "upsample_bilinear2d",
            lambda t, o=out, a=ac: F.interpolate(t, size=o, mode="bilinear", align_corners=a), [rnd(*shape)],
            dict(size=list(out), align_corners=ac))

golden.write("conv.json", cases, __file__)
