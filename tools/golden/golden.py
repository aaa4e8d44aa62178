"""Shared helpers for the PyTorch golden-value generators in this folder.

Each gen_*.py script builds cases with PyTorch (Debian's python3-torch, run with /usr/bin/python3)
and writes one JSON fixture under ember-core/src/test/resources/golden/. The Java side reads them
with dev.ember.testing.Golden. Non-finite values are written as the strings "nan", "inf", "-inf".
"""
import json
import math
import os

import torch

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT_DIR = os.path.join(ROOT, "ember-core", "src", "test", "resources", "golden")


def _num(v):
    if isinstance(v, bool):
        return v
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return v
    return v


def tensor(t):
    """A tensor as {"shape", "dtype", "data"} (row-major values)."""
    t = t.detach().contiguous()
    return {
        "shape": list(t.shape),
        "dtype": str(t.dtype).replace("torch.", ""),
        "data": [_num(v) for v in t.reshape(-1).tolist()],
    }


def case(name, op, inputs, output, attrs=None, grad_output=None, grads=None):
    """One case: inputs (tensors), the op's attributes, its output, and optionally the gradient of
    each input given grad_output (None where an input takes no gradient)."""
    c = {"name": name, "op": op, "attrs": attrs or {}, "inputs": [tensor(t) for t in inputs],
         "output": tensor(output)}
    if grad_output is not None:
        c["grad_output"] = tensor(grad_output)
        c["grads"] = [None if g is None else tensor(g) for g in grads]
    return c


def run_case(name, op, fn, inputs, attrs=None, grad=True, seed=0):
    """Evaluates fn(*inputs) and, when grad is set, the input gradients for a seeded random
    grad_output. Floating inputs get requires_grad."""
    ins = [x.clone().requires_grad_(grad and x.is_floating_point()) for x in inputs]
    out = fn(*ins)
    if not grad or not out.requires_grad:
        return case(name, op, inputs, out, attrs)
    g = torch.Generator().manual_seed(seed)
    go = torch.randn(out.shape, generator=g, dtype=out.dtype)
    grads = torch.autograd.grad(out, [x for x in ins if x.requires_grad], go, allow_unused=True)
    it = iter(grads)
    all_grads = [next(it) if x.requires_grad else None for x in ins]
    all_grads = [None if (x is not None and gr is None) else gr for x, gr in zip(ins, all_grads)]
    all_grads = [torch.zeros_like(x) if (x.requires_grad and gr is None) else gr for x, gr in zip(ins, all_grads)]
    return case(name, op, inputs, out, attrs, go, all_grads)


def write(filename, cases, generator):
    os.makedirs(OUT_DIR, exist_ok=True)
    path = os.path.join(OUT_DIR, filename)
    doc = {"generator": "tools/golden/" + os.path.basename(generator), "torch": torch.__version__, "cases": cases}
    with open(path, "w") as f:
        json.dump(doc, f, allow_nan=False, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {len(cases)} cases to {os.path.relpath(path, ROOT)}")


def layer_case(name, layer, attrs, module, inputs, train=True, seed=0, output_index=None):
    """A layer checked end to end: its state dict (PyTorch names), inputs, output, the gradients of
    the inputs and of every named parameter for a seeded random grad_output, and the state dict after
    the forward pass (running statistics). `output_index` picks one tensor from tuple outputs."""
    module.train(train)
    state = {k: tensor(v) for k, v in module.state_dict().items()}
    ins = [x.clone().requires_grad_(x.is_floating_point()) for x in inputs]
    out = module(*ins)
    if output_index is not None:
        out = out[output_index]
    g = torch.Generator().manual_seed(seed)
    go = torch.randn(out.shape, generator=g, dtype=out.dtype)
    params = [(k, p) for k, p in module.named_parameters() if p.requires_grad]
    targets = [x for x in ins if x.requires_grad] + [p for _, p in params]
    grads = torch.autograd.grad(out, targets, go, allow_unused=True)
    gi = iter(grads)
    input_grads = []
    for x in ins:
        if x.requires_grad:
            gr = next(gi)
            input_grads.append(tensor(gr if gr is not None else torch.zeros_like(x)))
        else:
            input_grads.append(None)
    param_grads = {}
    for k, p in params:
        gr = next(gi)
        param_grads[k] = tensor(gr if gr is not None else torch.zeros_like(p))
    after = {k: tensor(v) for k, v in module.state_dict().items()}
    return {"name": name, "layer": layer, "attrs": attrs, "train": train, "state": state,
            "inputs": [tensor(x) for x in inputs], "output": tensor(out), "grad_output": tensor(go),
            "input_grads": input_grads, "param_grads": param_grads, "state_after": after}
