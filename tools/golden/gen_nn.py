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


class MhaSelf(nn.Module):
    """Wraps nn.MultiheadAttention so the case has one input and one output."""
    def __init__(self, mha, mask=None, kpm=None):
        super().__init__()
        self.mha = mha
        self.mask = mask
        self.kpm = kpm

    def forward(self, x):
        return self.mha(x, x, x, key_padding_mask=self.kpm, attn_mask=self.mask, need_weights=False)[0]


mha = nn.MultiheadAttention(8, 2)
with torch.no_grad():
    mha.in_proj_bias.uniform_(-0.2, 0.2)
    mha.out_proj.bias.uniform_(-0.2, 0.2)
add("mha_self", "MhaSelf", {"embed": 8, "heads": 2}, MhaSelf(mha), [torch.randn(5, 3, 8)])
causal = torch.triu(torch.ones(4, 4, dtype=torch.bool), diagonal=1)
add("mha_causal_batch_first", "MhaCausal", {"embed": 6, "heads": 3}, MhaSelf(nn.MultiheadAttention(6, 3, batch_first=True), causal),
    [torch.randn(2, 4, 6)])
kpm = torch.tensor([[False, False, True], [False, False, False]])
add("mha_key_padding", "MhaPadding", {"embed": 4, "heads": 1}, MhaSelf(nn.MultiheadAttention(4, 1), None, kpm), [torch.randn(3, 2, 4)])
enc = nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0)
add("transformer_encoder_post", "TransformerEncoderLayer", {"d": 8, "heads": 2, "ff": 16, "normFirst": False}, enc,
    [torch.randn(5, 2, 8)])
enc2 = nn.TransformerEncoderLayer(8, 4, dim_feedforward=12, dropout=0.0, activation="gelu", batch_first=True, norm_first=True)
add("transformer_encoder_pre_gelu", "TransformerEncoderLayer", {"d": 8, "heads": 4, "ff": 12, "normFirst": True}, enc2,
    [torch.randn(2, 5, 8)])

golden.write("nn.json", cases, __file__)
