"""Golden values for the core ops (elementwise, reductions, views, matmul, softmax) and a few
composite expressions, from PyTorch. Run: /usr/bin/python3 tools/golden/gen_core.py"""
import torch
import torch.nn.functional as F

import golden

torch.manual_seed(1234)
cases = []


def rn(*shape):
    return torch.randn(*shape, dtype=torch.float32)


def pos(*shape):
    return torch.rand(*shape, dtype=torch.float32) * 2 + 0.3


def add(name, op, fn, inputs, attrs=None, grad=True):
    cases.append(golden.run_case(name, op, fn, inputs, attrs, grad, seed=len(cases)))


# Binary ops with broadcasting.
for op, fn, dom in [("add", torch.add, rn), ("sub", torch.sub, rn), ("mul", torch.mul, rn), ("div", torch.div, pos),
                    ("pow", torch.pow, pos), ("maximum", torch.maximum, rn), ("minimum", torch.minimum, rn),
                    ("atan2", torch.atan2, rn)]:
    add(op + "_same", op, fn, [dom(3, 4), dom(3, 4)])
    add(op + "_broadcast", op, fn, [dom(2, 3, 4), dom(3, 1)])

# Unary ops.
unary = [("neg", torch.neg, rn), ("exp", torch.exp, rn), ("log", torch.log, pos), ("log1p", torch.log1p, pos),
         ("expm1", torch.expm1, rn), ("sqrt", torch.sqrt, pos), ("rsqrt", torch.rsqrt, pos), ("abs", torch.abs, rn),
         ("sign", torch.sign, rn), ("sin", torch.sin, rn), ("cos", torch.cos, rn), ("tanh", torch.tanh, rn),
         ("sigmoid", torch.sigmoid, rn), ("relu", torch.relu, rn), ("gelu", F.gelu, rn),
         ("geluTanh", lambda x: F.gelu(x, approximate="tanh"), rn), ("silu", F.silu, rn), ("softplus", F.softplus, rn),
         ("square", torch.square, rn), ("reciprocal", torch.reciprocal, pos), ("erf", torch.erf, rn),
         ("floor", torch.floor, rn), ("ceil", torch.ceil, rn), ("round", torch.round, rn)]
for op, fn, dom in unary:
    add(op, op, fn, [dom(4, 5) * 3 if dom is rn else dom(4, 5)])
add("elu", "elu", lambda x: F.elu(x, alpha=0.7), [rn(4, 5)], {"alpha": 0.7})
add("leakyRelu", "leakyRelu", lambda x: F.leaky_relu(x, 0.1), [rn(4, 5)], {"slope": 0.1})
add("clamp", "clamp", lambda x: torch.clamp(x, -0.5, 0.8), [rn(4, 5)], {"min": -0.5, "max": 0.8})
add("powScalar", "powScalar", lambda x: x ** 2.5, [pos(4, 5)], {"p": 2.5})
add("sigmoid_saturated", "sigmoid", torch.sigmoid, [torch.tensor([-100.0, -20.0, 0.0, 20.0, 100.0])])
add("exp_extremes", "exp", torch.exp, [torch.tensor([-100.0, -1e-8, 0.0, 80.0, 100.0])], grad=False)

# Reductions.
x = rn(2, 3, 4)
add("sum_all", "sum", lambda t: t.sum(), [x], {"dims": []})
add("sum_dims", "sum", lambda t: t.sum(dim=(0, 2)), [x], {"dims": [0, 2], "keepDim": False})
add("sum_keep", "sum", lambda t: t.sum(dim=1, keepdim=True), [x], {"dims": [1], "keepDim": True})
add("mean_dims", "mean", lambda t: t.mean(dim=(1,)), [x], {"dims": [1], "keepDim": False})
add("amax_dim", "max", lambda t: t.amax(dim=2), [x], {"dims": [2], "keepDim": False})
add("amin_dim", "min", lambda t: t.amin(dim=0, keepdim=True), [x], {"dims": [0], "keepDim": True})
add("prod_dim", "prod", lambda t: t.prod(dim=1), [rn(3, 4)], {"dims": [1], "keepDim": False})
add("var_dim", "var", lambda t: t.var(dim=1), [rn(3, 5)], {"dims": [1], "correction": 1, "keepDim": False})
add("std_all", "std", lambda t: t.std(), [rn(3, 5)], {"dims": [], "correction": 1, "keepDim": False})
add("logsumexp", "logSumExp", lambda t: torch.logsumexp(t, dim=1), [rn(3, 5) * 10], {"dims": [1], "keepDim": False})
add("softmax", "softmax", lambda t: torch.softmax(t, dim=1), [x * 3], {"dim": 1})
add("logSoftmax", "logSoftmax", lambda t: torch.log_softmax(t, dim=-1), [x * 3], {"dim": -1})
add("argmax", "argmax", lambda t: t.argmax(dim=1), [rn(3, 5)], {"dim": 1}, grad=False)
add("argmin", "argmin", lambda t: t.argmin(dim=0), [rn(3, 5)], {"dim": 0}, grad=False)

# Matmul.
add("matmul_2d", "matmul", torch.matmul, [rn(3, 4), rn(4, 5)])
add("matmul_batched_broadcast", "matmul", torch.matmul, [rn(2, 1, 3, 4), rn(3, 4, 2)])
add("matmul_vec_mat", "matmul", torch.matmul, [rn(4), rn(4, 3)])
add("matmul_mat_vec", "matmul", torch.matmul, [rn(3, 4), rn(4)])
add("matmul_dot", "matmul", torch.matmul, [rn(4), rn(4)])

# Composite expressions (gradients through several ops, views and broadcasting).
add("mlp_layer", "composite_mlp", lambda a, w, b: torch.tanh(a @ w.t() + b).sum(dim=1),
    [rn(5, 4), rn(3, 4), rn(3)])
add("attention_like", "composite_attention",
    lambda q, k, v: torch.softmax(q @ k.transpose(-1, -2) / 2.0, dim=-1) @ v, [rn(2, 3, 4), rn(2, 5, 4), rn(2, 5, 4)])
add("layernorm_like", "composite_layernorm",
    lambda t: (t - t.mean(dim=-1, keepdim=True)) / torch.sqrt(t.var(dim=-1, unbiased=False, keepdim=True) + 1e-5),
    [rn(3, 6)])
add("cross_entropy_like", "composite_xent",
    lambda logits: -torch.log_softmax(logits, dim=1)[torch.arange(4), torch.tensor([1, 0, 3, 2])].mean(), [rn(4, 5)])
add("views_chain", "composite_views",
    lambda t: t.permute(2, 0, 1).reshape(4, 6)[:, 1:5:2].exp().sum(), [rn(2, 3, 4)])

golden.write("core.json", cases, __file__)
