"""Golden trajectories for the optimizers and learning-rate schedulers, from PyTorch.

Each case trains the same tiny problem for a fixed number of steps and records, after every step,
the parameters (flattened w, b, u) and each group's learning rate. The problem:

    loss = mean((x @ w + b - y)^2) + decay * sum(w^4)      (sign = -1 cases maximize -loss)

with w [2, 2], b [2] and u [1]; u never receives a gradient, so every optimizer must skip it.
Parameters are split into two groups, [w] and [b, u], often with different options.

Run: /usr/bin/python3 tools/golden/gen_optim.py
"""
import json
import os

import numpy
import torch
from torch.optim import SGD, Adam, AdamW, RMSprop, Adagrad
from torch.optim import lr_scheduler as S

import golden

torch.manual_seed(4321)
X = torch.randn(5, 2, dtype=torch.float64)
Y = torch.randn(5, 2, dtype=torch.float64)
W0 = torch.randn(2, 2, dtype=torch.float64) * 0.5
B0 = torch.randn(2, dtype=torch.float64)
U0 = torch.randn(1, dtype=torch.float64)
DECAY = 0.05
OPTIMIZERS = {"SGD": SGD, "Adam": Adam, "AdamW": AdamW, "RMSprop": RMSprop, "Adagrad": Adagrad}

cases = []


def num(v, dtype=torch.float64):
    """A value printed with as few digits as identify it: 13 significant digits for float64 (the
    tests compare to 1e-10), the shortest round-trip form for float32."""
    if dtype == torch.float32:
        return float(repr(numpy.float32(v)))
    return float("%.13g" % v)


def make(dtype, defaults, groups, optimizer):
    w = W0.to(dtype).clone().requires_grad_(True)
    b = B0.to(dtype).clone().requires_grad_(True)
    u = U0.to(dtype).clone().requires_grad_(True)
    named = {"w": w, "b": b, "u": u}
    torch_groups = []
    for g in groups:
        tg = {k: v for k, v in g.items() if k != "params"}
        tg["params"] = [named[n] for n in g["params"]]
        torch_groups.append(tg)
    opt = OPTIMIZERS[optimizer](torch_groups, **defaults)
    return opt, (w, b, u)


def loss_of(params, dtype, sign):
    w, b, _ = params
    x, y = X.to(dtype), Y.to(dtype)
    loss = ((x @ w + b - y) ** 2).mean() + DECAY * (w ** 4).sum()
    return sign * loss


def snapshot(params):
    return [num(v, p.dtype) for p in params for v in p.detach().reshape(-1).tolist()]


def run(name, optimizer, defaults, groups, dtype=torch.float64, steps=20, sign=1, scheduler=None, metrics=None,
        momentum_key=None, record_params=True, epochs=None):
    opt, params = make(dtype, defaults, groups, optimizer)
    sched = scheduler(opt) if scheduler is not None else None
    traj, lrs, moms = [], [], []
    for i in range(steps):
        opt.zero_grad(set_to_none=True)
        loss_of(params, dtype, sign).backward()
        opt.step()
        if sched is not None:
            if metrics is not None:
                sched.step(metrics[i])
            elif epochs is not None:
                sched.step(epochs[i])
            else:
                sched.step()
        if record_params:
            traj.append(snapshot(params))
        lrs.append([num(g["lr"]) for g in opt.param_groups])
        if momentum_key == "betas":
            moms.append([num(g["betas"][0]) for g in opt.param_groups])
        elif momentum_key is not None:
            moms.append([num(g[momentum_key]) for g in opt.param_groups])
    case = {"name": name, "optimizer": optimizer, "dtype": str(dtype).replace("torch.", ""), "sign": sign,
            "defaults": defaults, "groups": groups, "steps": steps}
    if scheduler is not None:
        case["lrs"] = lrs
    if record_params:
        case["params"] = traj
    if momentum_key is not None:
        case["momenta"] = moms
    if scheduler is not None:
        case["scheduler"] = scheduler.spec
    if metrics is not None:
        case["metrics"] = metrics
    if epochs is not None:
        case["epochs"] = epochs
    cases.append(case)


def sched(spec, fn):
    fn.spec = spec
    return fn


TWO = [{"params": ["w"]}, {"params": ["b", "u"], "lr": 0.02}]

# ---------------------------------------------------------------- optimizers
for dtype in (torch.float64, torch.float32):
    sfx = "_f64" if dtype == torch.float64 else "_f32"
    full = dtype == torch.float64  # every option set in float64, the main ones in float32
    run("sgd_plain" + sfx, "SGD", {"lr": 0.05}, TWO, dtype)
    run("sgd_momentum_wd" + sfx, "SGD", {"lr": 0.05, "momentum": 0.9, "weight_decay": 0.01}, TWO, dtype)
    run("sgd_nesterov" + sfx, "SGD", {"lr": 0.05, "momentum": 0.8, "nesterov": True}, TWO, dtype)
    run("adam" + sfx, "Adam", {"lr": 0.05}, TWO, dtype)
    run("adam_amsgrad_wd" + sfx, "Adam", {"lr": 0.05, "betas": (0.8, 0.99), "weight_decay": 0.1, "amsgrad": True}, TWO, dtype)
    run("adamw" + sfx, "AdamW", {"lr": 0.05}, TWO, dtype)
    run("rmsprop" + sfx, "RMSprop", {"lr": 0.01}, TWO, dtype)
    run("rmsprop_centered_momentum" + sfx, "RMSprop", {"lr": 0.01, "momentum": 0.5, "centered": True, "weight_decay": 0.05},
        TWO, dtype)
    run("adagrad" + sfx, "Adagrad", {"lr": 0.1}, TWO, dtype)
    if full:
        run("sgd_dampening_maximize" + sfx, "SGD", {"lr": 0.05, "momentum": 0.9, "dampening": 0.3, "maximize": True}, TWO,
            dtype, sign=-1)
        run("sgd_groups_options" + sfx, "SGD", {"lr": 0.05, "momentum": 0.9},
            [{"params": ["w"], "weight_decay": 0.1, "nesterov": True}, {"params": ["b", "u"], "lr": 0.1, "momentum": 0.0}], dtype)
        run("adam_maximize" + sfx, "Adam", {"lr": 0.05, "maximize": True, "weight_decay": 0.01}, TWO, dtype, sign=-1)
        run("adam_groups" + sfx, "Adam", {"lr": 0.05, "eps": 1e-3},
            [{"params": ["w"], "amsgrad": True, "betas": (0.5, 0.9)}, {"params": ["b", "u"], "lr": 0.2}], dtype)
        run("adamw_amsgrad" + sfx, "AdamW", {"lr": 0.05, "weight_decay": 0.3, "amsgrad": True}, TWO, dtype)
        run("adamw_maximize" + sfx, "AdamW", {"lr": 0.02, "maximize": True, "betas": (0.7, 0.95)}, TWO, dtype, sign=-1)
        run("rmsprop_alpha_eps" + sfx, "RMSprop", {"lr": 0.02, "alpha": 0.9, "eps": 1e-4, "maximize": True}, TWO, dtype, sign=-1)
        run("rmsprop_momentum" + sfx, "RMSprop", {"lr": 0.01, "momentum": 0.9}, TWO, dtype)
        run("rmsprop_centered" + sfx, "RMSprop", {"lr": 0.01, "centered": True}, TWO, dtype)
        run("adagrad_decay_init" + sfx, "Adagrad",
            {"lr": 0.1, "lr_decay": 0.05, "weight_decay": 0.02, "initial_accumulator_value": 0.3, "eps": 1e-6}, TWO, dtype)
        run("adagrad_maximize" + sfx, "Adagrad", {"lr": 0.1, "maximize": True}, TWO, dtype, sign=-1)

# ---------------------------------------------------------------- schedulers (float64, SGD with momentum or Adam)
# The learning rates are recorded for every case; the parameters only where the schedule also
# drives momentum/betas or composes schedulers (to keep the fixture small).
SGDM = {"lr": 0.1, "momentum": 0.9}
TWO_S = [{"params": ["w"]}, {"params": ["b", "u"], "lr": 0.05}]
N = 25
run("step_lr", "SGD", SGDM, TWO_S, steps=N, record_params=False,
    scheduler=sched({"type": "StepLR", "step_size": 3, "gamma": 0.5}, lambda o: S.StepLR(o, 3, gamma=0.5)))
run("multistep_lr", "SGD", SGDM, TWO_S, steps=N, record_params=False,
    scheduler=sched({"type": "MultiStepLR", "milestones": [2, 5, 5, 9], "gamma": 0.3},
                    lambda o: S.MultiStepLR(o, [2, 5, 5, 9], gamma=0.3)))
run("exponential_lr", "SGD", SGDM, TWO_S, steps=N, record_params=False,
    scheduler=sched({"type": "ExponentialLR", "gamma": 0.9}, lambda o: S.ExponentialLR(o, 0.9)))
run("cosine_lr", "SGD", SGDM, TWO_S, steps=N, record_params=False,
    scheduler=sched({"type": "CosineAnnealingLR", "T_max": 7, "eta_min": 0.001},
                    lambda o: S.CosineAnnealingLR(o, 7, eta_min=0.001)))
run("warm_restarts_mult2", "SGD", SGDM, TWO_S, steps=N, record_params=False,
    scheduler=sched({"type": "CosineAnnealingWarmRestarts", "T_0": 4, "T_mult": 2, "eta_min": 0.005},
                    lambda o: S.CosineAnnealingWarmRestarts(o, 4, T_mult=2, eta_min=0.005)))
run("warm_restarts", "SGD", SGDM, TWO_S, steps=N, record_params=False,
    scheduler=sched({"type": "CosineAnnealingWarmRestarts", "T_0": 5, "T_mult": 1, "eta_min": 0.0},
                    lambda o: S.CosineAnnealingWarmRestarts(o, 5)))
run("linear_lr", "SGD", SGDM, TWO_S, steps=N, record_params=False,
    scheduler=sched({"type": "LinearLR", "start_factor": 0.25, "end_factor": 1.0, "total_iters": 6},
                    lambda o: S.LinearLR(o, start_factor=0.25, end_factor=1.0, total_iters=6)))
run("linear_lr_decay", "SGD", SGDM, TWO_S, steps=N, record_params=False,
    scheduler=sched({"type": "LinearLR", "start_factor": 1.0, "end_factor": 0.1, "total_iters": 10},
                    lambda o: S.LinearLR(o, start_factor=1.0, end_factor=0.1, total_iters=10)))
run("one_cycle_cos", "SGD", SGDM, TWO_S, steps=N, momentum_key="momentum",
    scheduler=sched({"type": "OneCycleLR", "max_lr": [0.5, 0.2], "total_steps": N, "pct_start": 0.3,
                     "anneal_strategy": "cos", "three_phase": False},
                    lambda o: S.OneCycleLR(o, [0.5, 0.2], total_steps=N, pct_start=0.3)))
run("one_cycle_linear_adam", "Adam", {"lr": 0.01}, TWO_S, steps=N, momentum_key="betas",
    scheduler=sched({"type": "OneCycleLR", "max_lr": [0.1, 0.05], "total_steps": N, "pct_start": 0.4,
                     "anneal_strategy": "linear", "three_phase": False, "div_factor": 10.0, "final_div_factor": 100.0},
                    lambda o: S.OneCycleLR(o, [0.1, 0.05], total_steps=N, pct_start=0.4, anneal_strategy="linear",
                                           div_factor=10.0, final_div_factor=100.0)))
run("one_cycle_three_phase", "SGD", SGDM, TWO_S, steps=N, record_params=False, momentum_key="momentum",
    scheduler=sched({"type": "OneCycleLR", "max_lr": [0.3, 0.3], "total_steps": N, "pct_start": 0.25,
                     "anneal_strategy": "cos", "three_phase": True},
                    lambda o: S.OneCycleLR(o, 0.3, total_steps=N, pct_start=0.25, three_phase=True)))
run("sequential_warmup_cosine", "SGD", SGDM, TWO_S, steps=N,
    scheduler=sched({"type": "SequentialLR", "milestones": [4],
                     "schedulers": [{"type": "LinearLR", "start_factor": 0.1, "end_factor": 1.0, "total_iters": 4},
                                    {"type": "CosineAnnealingLR", "T_max": 12, "eta_min": 0.0}]},
                    lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.1, total_iters=4),
                                                 S.CosineAnnealingLR(o, 12)], milestones=[4])))
run("sequential_three", "SGD", SGDM, TWO_S, steps=N, record_params=False,
    scheduler=sched({"type": "SequentialLR", "milestones": [3, 10],
                     "schedulers": [{"type": "ExponentialLR", "gamma": 1.5},
                                    {"type": "StepLR", "step_size": 2, "gamma": 0.7},
                                    {"type": "ExponentialLR", "gamma": 0.9}]},
                    lambda o: S.SequentialLR(o, [S.ExponentialLR(o, 1.5), S.StepLR(o, 2, gamma=0.7),
                                                 S.ExponentialLR(o, 0.9)], milestones=[3, 10])))

# per-batch stepping with fractional epochs (4 batches per epoch)
run("warm_restarts_fractional", "SGD", SGDM, TWO_S, steps=N, record_params=False, epochs=[i / 4 for i in range(1, N + 1)],
    scheduler=sched({"type": "CosineAnnealingWarmRestarts", "T_0": 2, "T_mult": 2, "eta_min": 0.001},
                    lambda o: S.CosineAnnealingWarmRestarts(o, 2, T_mult=2, eta_min=0.001)))


def resumed_cosine(o):
    for g in o.param_groups:
        g["initial_lr"] = g["lr"] * 2
    return S.CosineAnnealingLR(o, 10, eta_min=0.01, last_epoch=3)


run("cosine_resumed_last_epoch", "SGD", SGDM, TWO_S, steps=N, record_params=False,
    scheduler=sched({"type": "CosineAnnealingLR", "T_max": 10, "eta_min": 0.01, "last_epoch": 3, "initial_lr_factor": 2.0},
                    resumed_cosine))

PLATEAU_METRICS = [1.0, 0.9, 0.95, 0.91, 0.92, 0.899, 0.8, 0.85, 0.86, 0.87, 0.88, 0.79, 0.795, 0.8, 0.81, 0.82, 0.83, 0.7,
                   0.75, 0.76, 0.77, 0.78, 0.79, 0.8, 0.81]
run("plateau_min_rel", "SGD", SGDM, TWO_S, steps=N, record_params=False, metrics=PLATEAU_METRICS,
    scheduler=sched({"type": "ReduceLROnPlateau", "mode": "min", "factor": 0.5, "patience": 2, "threshold": 0.01,
                     "threshold_mode": "rel", "cooldown": 1, "min_lr": [0.02, 0.001]},
                    lambda o: S.ReduceLROnPlateau(o, mode="min", factor=0.5, patience=2, threshold=0.01, cooldown=1,
                                                  min_lr=[0.02, 0.001])))
run("plateau_max_abs", "SGD", SGDM, TWO_S, steps=N, record_params=False, metrics=[-m for m in PLATEAU_METRICS],
    scheduler=sched({"type": "ReduceLROnPlateau", "mode": "max", "factor": 0.3, "patience": 1, "threshold": 0.02,
                     "threshold_mode": "abs", "cooldown": 0, "min_lr": [0.0, 0.0]},
                    lambda o: S.ReduceLROnPlateau(o, mode="max", factor=0.3, patience=1, threshold=0.02,
                                                  threshold_mode="abs")))


# ---------------------------------------------------------------- gradient clipping
clip_cases = []
gen = torch.Generator().manual_seed(99)
for norm_type in (2.0, 1.0, 3.0, 0.5, float("inf")):
    for max_norm in (0.5, 100.0):
        for dtype in (torch.float64, torch.float32) if norm_type == 2.0 else (torch.float64,):
            grads = [torch.randn(3, 2, generator=gen, dtype=torch.float64).to(dtype),
                     torch.randn(4, generator=gen, dtype=torch.float64).to(dtype)]
            ps = [torch.zeros_like(g, requires_grad=True) for g in grads] + [torch.zeros(2, dtype=dtype, requires_grad=True)]
            for p_, g in zip(ps, grads):
                p_.grad = g.clone()
            total = torch.nn.utils.clip_grad_norm_(ps, max_norm, norm_type)
            clip_cases.append({"norm_type": "inf" if norm_type == float("inf") else norm_type, "max_norm": max_norm,
                               "dtype": str(dtype).replace("torch.", ""), "grads": [golden.tensor(g) for g in grads],
                               "total": float(total), "clipped": [golden.tensor(p_.grad) for p_ in ps[:2]]})


def to_jsonable(v):
    if isinstance(v, tuple):
        return [to_jsonable(x) for x in v]
    if isinstance(v, list):
        return [to_jsonable(x) for x in v]
    if isinstance(v, dict):
        return {k: to_jsonable(x) for k, x in v.items()}
    return v


doc = {"generator": "tools/golden/gen_optim.py", "torch": torch.__version__,
       "problem": {"x": golden.tensor(X), "y": golden.tensor(Y), "w": golden.tensor(W0), "b": golden.tensor(B0),
                   "u": golden.tensor(U0), "decay": DECAY},
       "cases": to_jsonable(cases), "clip": clip_cases}
path = os.path.join(golden.OUT_DIR, "optim.json")
with open(path, "w") as f:
    json.dump(doc, f, allow_nan=False, separators=(",", ":"))
    f.write("\n")
print(f"wrote {len(cases)} cases to {os.path.relpath(path, golden.ROOT)} ({os.path.getsize(path)} bytes)")
