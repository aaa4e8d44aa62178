"""Golden values for nn layers (forward output, input and parameter gradients, running-state
updates) from PyTorch 1.13. Run: /usr/bin/python3 tools/golden/gen_nn.py"""
import torch
import torch.nn as nn

import golden

torch.manual_seed(4321)
cases = []


def add(name, layer, attrs, module, inputs, train=True):
    cases.append(golden.layer_case(name, layer, attrs, module, inputs, train, seed=len(cases)))


add("linear", "Linear", {"in": 5, "out": 3, "bias": True}, nn.Linear(5, 3), [torch.randn(4, 5)])
add("linear_nobias_3d", "Linear", {"in": 5, "out": 2, "bias": False}, nn.Linear(5, 2, bias=False), [torch.randn(2, 3, 5)])

bn = nn.BatchNorm2d(3)
with torch.no_grad():
    bn.weight.uniform_(0.5, 1.5)
    bn.bias.uniform_(-0.5, 0.5)
add("batchnorm2d_train", "BatchNorm2d", {"features": 3}, bn, [torch.randn(4, 3, 5, 5) * 2 + 1])
bn_eval = nn.BatchNorm2d(3)
with torch.no_grad():
    bn_eval.running_mean.uniform_(-1, 1)
    bn_eval.running_var.uniform_(0.5, 2)
    bn_eval.weight.uniform_(0.5, 1.5)
add("batchnorm2d_eval", "BatchNorm2d", {"features": 3}, bn_eval, [torch.randn(2, 3, 4, 4)], train=False)
add("batchnorm1d_train", "BatchNorm1d", {"features": 6}, nn.BatchNorm1d(6), [torch.randn(8, 6)])
add("batchnorm1d_3d_train", "BatchNorm1d", {"features": 4}, nn.BatchNorm1d(4, momentum=None), [torch.randn(3, 4, 7)])

ln = nn.LayerNorm([4, 5])
with torch.no_grad():
    ln.weight.uniform_(0.5, 1.5)
    ln.bias.uniform_(-0.5, 0.5)
add("layernorm", "LayerNorm", {"shape": [4, 5]}, ln, [torch.randn(3, 4, 5)])
gn = nn.GroupNorm(2, 6)
with torch.no_grad():
    gn.weight.uniform_(0.5, 1.5)
add("groupnorm", "GroupNorm", {"groups": 2, "channels": 6}, gn, [torch.randn(2, 6, 3, 3)])

for name, mod in [("relu", nn.ReLU()), ("gelu", nn.GELU()), ("gelu_tanh", nn.GELU(approximate="tanh")),
                  ("silu", nn.SiLU()), ("sigmoid", nn.Sigmoid()), ("tanh", nn.Tanh()), ("elu", nn.ELU(0.5)),
                  ("leakyrelu", nn.LeakyReLU(0.2)), ("softmax", nn.Softmax(dim=1)), ("logsoftmax", nn.LogSoftmax(dim=1))]:
    add(name, type(mod).__name__, {}, mod, [torch.randn(3, 4)])

seq = nn.Sequential(nn.Flatten(), nn.Linear(12, 6), nn.ReLU(), nn.Linear(6, 2))
add("sequential_mlp", "SequentialMlp", {}, seq, [torch.randn(5, 3, 4)])

golden.write("nn.json", cases, __file__)
