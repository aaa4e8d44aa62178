"""Golden values for the loss functions (dev.ember.nn.Losses) from PyTorch 1.13: forward values and
the gradients of the input (and of floating targets where PyTorch defines one) for a seeded random
grad_output, over every loss and option combination. Run: /usr/bin/python3 tools/golden/gen_losses.py

Case layout: op names the loss; attrs hold its options ("reduction" is none/mean/sum, or batchmean
for kl_div); inputs are [input, target, optional extras] with attrs saying which extras are present
("has_weight", "has_pos_weight"). grads[i] is null for inputs that take no gradient. Targets marked
"target_int32" are stored as int64 (PyTorch's nll_loss only takes int64) and converted by the test.
"""
import torch
import torch.nn.functional as F

import golden

torch.manual_seed(2024)
cases = []


def add(name, op, fn, inputs, attrs, grad_inputs=(0,)):
    """fn(*inputs) with the inputs at grad_inputs requiring grad; grads for a seeded grad_output."""
    ins = [x.clone().requires_grad_(i in grad_inputs) for i, x in enumerate(inputs)]
    out = fn(*ins)
    g = torch.Generator().manual_seed(len(cases))
    go = torch.randn(out.shape, generator=g, dtype=out.dtype)
    req = [x for x in ins if x.requires_grad]
    got = torch.autograd.grad(out, req, go, allow_unused=True)
    it = iter(got)
    grads = []
    for x in ins:
        if x.requires_grad:
            gr = next(it)
            grads.append(torch.zeros_like(x) if gr is None else gr)
        else:
            grads.append(None)
    cases.append(golden.case(name, op, inputs, out, attrs, go, grads))


def targets(n_classes, *shape, ignore=None, ignore_every=0):
    t = torch.randint(0, n_classes, shape)
    if ignore is not None and ignore_every:
        flat = t.view(-1)
        flat[::ignore_every] = ignore
    return t


REDUCTIONS = ["mean", "sum", "none"]


# ------------------------------------------------------------------ cross-entropy, class indices

def ce(name, logits, target, weight=None, ignore_index=-100, smoothing=0.0, reduction="mean", int32=False):
    inputs = [logits, target] + ([weight] if weight is not None else [])
    attrs = {"ignore_index": ignore_index, "label_smoothing": smoothing, "reduction": reduction,
             "has_weight": weight is not None, "target_int32": int32}
    add(name, "cross_entropy",
        lambda x, t, *w: F.cross_entropy(x, t, weight=w[0] if w else None, ignore_index=ignore_index,
                                         reduction=reduction, label_smoothing=smoothing),
        inputs, attrs)


x = torch.randn(8, 5)
t = targets(5, 8)
for r in REDUCTIONS:
    ce(f"ce_{r}", x, t, reduction=r)
ce("ce_int32_target", x, t, int32=True)
ce("ce_float64", torch.randn(6, 4, dtype=torch.float64), targets(4, 6))
ce("ce_wide_rows_vector_tails", torch.randn(7, 37) * 3, targets(37, 7))
ce("ce_long_rows", torch.randn(3, 130), targets(130, 3), reduction="sum")
ce("ce_large_logits_stable", torch.randn(6, 5) * 200, targets(5, 6), reduction="none")
ce("ce_single_class", torch.randn(4, 1), torch.zeros(4, dtype=torch.long), reduction="none")

ti = targets(5, 8, ignore=-100, ignore_every=3)
for r in REDUCTIONS:
    ce(f"ce_ignore_{r}", x, ti, reduction=r)
t0 = targets(5, 8)
t0[1] = 0
t0[4] = 0
ce("ce_ignore_index_0", x, t0, ignore_index=0)
ce("ce_all_ignored_mean_nan", x, torch.full((8,), -100, dtype=torch.long))
ce("ce_all_ignored_sum", x, torch.full((8,), 7, dtype=torch.long), ignore_index=7, reduction="sum")

w = torch.rand(5) + 0.2
for r in REDUCTIONS:
    ce(f"ce_weight_{r}", x, t, weight=w, reduction=r)
    ce(f"ce_weight_ignore_{r}", x, ti, weight=w, reduction=r)
for r in REDUCTIONS:
    ce(f"ce_smoothing_{r}", x, t, smoothing=0.1, reduction=r)
    ce(f"ce_smoothing_weight_ignore_{r}", x, ti, weight=w, smoothing=0.25, reduction=r)
ce("ce_smoothing_ignore", x, ti, smoothing=0.3)
ce("ce_smoothing_one", x, t, smoothing=1.0)
ce("ce_smoothing_float64_sum", torch.randn(5, 6, dtype=torch.float64), targets(6, 5), smoothing=0.2, reduction="sum")

xk = torch.randn(2, 4, 3, 5)
tk = targets(4, 2, 3, 5)
tki = targets(4, 2, 3, 5, ignore=-100, ignore_every=4)
for r in REDUCTIONS:
    ce(f"ce_kdim_{r}", xk, tk, reduction=r)
ce("ce_kdim_ignore_none", xk, tki, reduction="none")
ce("ce_kdim_ignore_mean", xk, tki)
ce("ce_kdim_weight_ignore_mean", xk, tki, weight=torch.rand(4) + 0.5)
ce("ce_kdim_smoothing_sum", xk, tki, smoothing=0.15, reduction="sum")
ce("ce_1d_extra_dim", torch.randn(3, 4, 6), targets(4, 3, 6), reduction="mean")
for r in ["mean", "none"]:
    ce(f"ce_unbatched_{r}", torch.randn(6), torch.tensor(4), reduction=r)
ce("ce_unbatched_weight_smoothing", torch.randn(6), torch.tensor(2), weight=torch.rand(6) + 0.1, smoothing=0.2)


# ------------------------------------------------------------------ cross-entropy, probabilities

def ce_prob(name, logits, probs, weight=None, smoothing=0.0, reduction="mean", target_grad=True):
    inputs = [logits, probs] + ([weight] if weight is not None else [])
    attrs = {"ignore_index": -100, "label_smoothing": smoothing, "reduction": reduction,
             "has_weight": weight is not None, "target_int32": False}
    add(name, "cross_entropy",
        lambda x, p, *w: F.cross_entropy(x, p, weight=w[0] if w else None, reduction=reduction, label_smoothing=smoothing),
        inputs, attrs, grad_inputs=(0, 1) if target_grad else (0,))


xp = torch.randn(6, 4)
pp = torch.softmax(torch.randn(6, 4), 1)
for r in REDUCTIONS:
    ce_prob(f"ce_prob_{r}", xp, pp, reduction=r)
    ce_prob(f"ce_prob_weight_{r}", xp, pp, weight=torch.rand(4) + 0.3, reduction=r)
ce_prob("ce_prob_smoothing", xp, pp, smoothing=0.2)
ce_prob("ce_prob_smoothing_weight_none", xp, pp, weight=torch.rand(4) + 0.3, smoothing=0.1, reduction="none")
ce_prob("ce_prob_kdim_mean", torch.randn(2, 3, 4), torch.softmax(torch.randn(2, 3, 4), 1))
ce_prob("ce_prob_kdim_none", torch.randn(2, 3, 2, 2), torch.softmax(torch.randn(2, 3, 2, 2), 1), reduction="none")
ce_prob("ce_prob_unbatched", torch.randn(5), torch.softmax(torch.randn(5), 0))
ce_prob("ce_prob_float64_sum", torch.randn(3, 5, dtype=torch.float64), torch.softmax(torch.randn(3, 5, dtype=torch.float64), 1),
        reduction="sum")


# ------------------------------------------------------------------ nll

def nll(name, logp, target, weight=None, ignore_index=-100, reduction="mean"):
    inputs = [logp, target] + ([weight] if weight is not None else [])
    attrs = {"ignore_index": ignore_index, "reduction": reduction, "has_weight": weight is not None, "target_int32": False}
    add(name, "nll_loss",
        lambda x, t, *w: F.nll_loss(x, t, weight=w[0] if w else None, ignore_index=ignore_index, reduction=reduction),
        inputs, attrs)


lp = torch.log_softmax(torch.randn(7, 4), 1)
tn = targets(4, 7)
tni = targets(4, 7, ignore=-100, ignore_every=3)
wn = torch.rand(4) + 0.2
for r in REDUCTIONS:
    nll(f"nll_{r}", lp, tn, reduction=r)
    nll(f"nll_weight_ignore_{r}", lp, tni, weight=wn, reduction=r)
nll("nll_ignore_mean", lp, tni)
nll("nll_ignore_index_2", lp, tn, ignore_index=2)
nll("nll_kdim_weight_none", torch.log_softmax(torch.randn(2, 4, 3), 1), targets(4, 2, 3), weight=wn, reduction="none")
nll("nll_kdim_mean", torch.log_softmax(torch.randn(2, 4, 3, 2), 1), targets(4, 2, 3, 2, ignore=-100, ignore_every=5))
nll("nll_unbatched_none", torch.log_softmax(torch.randn(4), 0), torch.tensor(1), reduction="none")


# ------------------------------------------------------------------ regression

def pair(name, op, fn, a, b, attrs):
    add(name, op, fn, [a, b], attrs, grad_inputs=(0, 1))


xa = torch.randn(4, 5)
xb = torch.randn(4, 5)
xb[0, :2] = xa[0, :2]  # zero differences: L1's gradient there is 0
for r in REDUCTIONS:
    pair(f"mse_{r}", "mse_loss", lambda a, b, r=r: F.mse_loss(a, b, reduction=r), xa, xb, {"reduction": r})
    pair(f"l1_{r}", "l1_loss", lambda a, b, r=r: F.l1_loss(a, b, reduction=r), xa, xb, {"reduction": r})
pair("mse_float64_3d", "mse_loss", lambda a, b: F.mse_loss(a, b), torch.randn(2, 3, 4, dtype=torch.float64),
     torch.randn(2, 3, 4, dtype=torch.float64), {"reduction": "mean"})

sa = torch.randn(5, 6) * 2
sb = torch.randn(5, 6) * 2
for beta in [1.0, 0.5, 2.5, 0.0]:
    for r in REDUCTIONS:
        pair(f"smooth_l1_beta{beta}_{r}", "smooth_l1_loss", lambda a, b, r=r, beta=beta: F.smooth_l1_loss(a, b, reduction=r, beta=beta),
             sa, sb, {"reduction": r, "beta": beta})
for delta in [1.0, 0.3, 3.0]:
    for r in REDUCTIONS:
        pair(f"huber_delta{delta}_{r}", "huber_loss", lambda a, b, r=r, delta=delta: F.huber_loss(a, b, reduction=r, delta=delta),
             sa, sb, {"reduction": r, "delta": delta})


# ------------------------------------------------------------------ binary cross-entropy

def bce(name, p, t, weight=None, reduction="mean"):
    inputs = [p, t] + ([weight] if weight is not None else [])
    add(name, "binary_cross_entropy",
        lambda a, b, *w: F.binary_cross_entropy(a, b, weight=w[0] if w else None, reduction=reduction),
        inputs, {"reduction": reduction, "has_weight": weight is not None}, grad_inputs=(0, 1))


bp = torch.rand(4, 5) * 0.98 + 0.01
bt = torch.rand(4, 5)
bt[0] = torch.tensor([0.0, 1.0, 1.0, 0.0, 0.5])
for r in REDUCTIONS:
    bce(f"bce_{r}", bp, bt, reduction=r)
    bce(f"bce_weight_full_{r}", bp, bt, weight=torch.rand(4, 5) + 0.1, reduction=r)
bce("bce_weight_broadcast", bp, bt, weight=torch.rand(5) + 0.1)
edge = torch.tensor([[0.0, 1.0, 0.0, 1.0, 1e-30, 1.0 - 1e-7]])
edge_t = torch.tensor([[0.0, 1.0, 1.0, 0.0, 1.0, 0.0]])
bce("bce_clamped_log_none", edge, edge_t, reduction="none")
bce("bce_clamped_log_sum", edge, edge_t, reduction="sum")
bce("bce_float64", torch.rand(3, 4, dtype=torch.float64) * 0.9 + 0.05, torch.rand(3, 4, dtype=torch.float64))


def bce_logits(name, x, t, weight=None, pos_weight=None, reduction="mean"):
    inputs = [x, t] + ([weight] if weight is not None else []) + ([pos_weight] if pos_weight is not None else [])

    def fn(a, b, *extra):
        it = iter(extra)
        w = next(it) if weight is not None else None
        pw = next(it) if pos_weight is not None else None
        return F.binary_cross_entropy_with_logits(a, b, weight=w, pos_weight=pw, reduction=reduction)

    add(name, "bce_with_logits", fn, inputs,
        {"reduction": reduction, "has_weight": weight is not None, "has_pos_weight": pos_weight is not None}, grad_inputs=(0, 1))


lx = torch.randn(4, 3) * 3
lx[0] = torch.tensor([100.0, -100.0, 30.0])  # far tails: log(1 + e^-x) without overflow
lt = torch.rand(4, 3)
lt[1] = torch.tensor([0.0, 1.0, 1.0])
for r in REDUCTIONS:
    bce_logits(f"bce_logits_{r}", lx, lt, reduction=r)
    bce_logits(f"bce_logits_pos_weight_{r}", lx, lt, pos_weight=torch.rand(3) * 3 + 0.1, reduction=r)
bce_logits("bce_logits_weight_pos_weight", lx, lt, weight=torch.rand(4, 3) + 0.5, pos_weight=torch.tensor([0.5, 2.0, 4.0]))
bce_logits("bce_logits_weight_broadcast_sum", lx, lt, weight=torch.rand(3) + 0.5, reduction="sum")
bce_logits("bce_logits_float64_3d", torch.randn(2, 3, 4, dtype=torch.float64) * 4, torch.rand(2, 3, 4, dtype=torch.float64))


# ------------------------------------------------------------------ KL divergence

def kl(name, inp, tgt, reduction, log_target=False, target_grad=True):
    add(name, "kl_div", lambda a, b: F.kl_div(a, b, reduction=reduction, log_target=log_target), [inp, tgt],
        {"reduction": reduction, "log_target": log_target}, grad_inputs=(0, 1) if target_grad else (0,))


ki = torch.log_softmax(torch.randn(4, 5), 1)
kt = torch.softmax(torch.randn(4, 5), 1)
kt_zero = kt.clone()
kt_zero[0, 1] = 0.0  # 0 * log 0 = 0 (PyTorch's target gradient there is NaN, so only the input's is compared)
kt_zero[2, 3] = 0.0
for r in ["none", "sum", "mean", "batchmean"]:
    kl(f"kl_{r}", ki, kt, r)
    kl(f"kl_log_target_{r}", ki, torch.log_softmax(torch.randn(4, 5), 1), r, log_target=True)
    kl(f"kl_zero_targets_{r}", ki, kt_zero, r, target_grad=False)
kl("kl_batchmean_3d_float64", torch.log_softmax(torch.randn(3, 2, 4, dtype=torch.float64), 2),
   torch.softmax(torch.randn(3, 2, 4, dtype=torch.float64), 2), "batchmean")



def compact(t):
    """float32 values with 9 significant digits (still exact: 9 digits round-trip any float32)."""
    if t is not None and t["dtype"] == "float32":
        t["data"] = [float(f"{v:.9g}") if isinstance(v, float) else v for v in t["data"]]


for c in cases:
    for t in c["inputs"] + c.get("grads", []) + [c["output"], c.get("grad_output")]:
        compact(t)
golden.write("losses.json", cases, __file__)
