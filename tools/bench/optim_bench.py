"""PyTorch side of `ember bench optim`: optimizer step time next to the MLP 784-256-128-10 training
step (forward, cross-entropy, backward), float32, same batch and options.

Run: /usr/bin/python3 tools/bench/optim_bench.py [--batch 64] [--threads 2]
"""
import argparse
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

ap = argparse.ArgumentParser()
ap.add_argument("--batch", type=int, default=64)
ap.add_argument("--iters", type=int, default=200)
ap.add_argument("--rounds", type=int, default=5)
ap.add_argument("--threads", type=int, default=2)
ap.add_argument("--foreach", action="store_true", help="use the multi-tensor (foreach) implementations")
args = ap.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(0)

model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
x = torch.randn(args.batch, 784)
y = torch.arange(args.batch) % 10
fe = True if args.foreach else None
optimizers = {
    "sgd": lambda p: torch.optim.SGD(p, 0.01, foreach=fe),
    "sgd_momentum": lambda p: torch.optim.SGD(p, 0.01, momentum=0.9, nesterov=True, foreach=fe),
    "adam": lambda p: torch.optim.Adam(p, 1e-3, foreach=fe),
    "adamw": lambda p: torch.optim.AdamW(p, 1e-3, amsgrad=True, foreach=fe),
    "rmsprop": lambda p: torch.optim.RMSprop(p, 1e-3, momentum=0.9, centered=True, foreach=fe),
    "adagrad": lambda p: torch.optim.Adagrad(p, 1e-2, foreach=fe),
}


def forward_backward():
    for p in model.parameters():
        p.grad = None
    F.cross_entropy(model(x), y).backward()


def median(body):
    for _ in range(max(20, args.iters // 4)):
        body()
    ms = []
    for _ in range(args.rounds):
        t0 = time.perf_counter()
        for _ in range(args.iters):
            body()
        ms.append((time.perf_counter() - t0) * 1e3 / args.iters)
    return sorted(ms)[len(ms) // 2]


fb = median(forward_backward)
n = sum(p.numel() for p in model.parameters())
print(f"torch-optim model=mlp-784-256-128-10 params={n} batch={args.batch} fwd_bwd_ms={fb:.4f}")
for name, make in optimizers.items():
    opt = make(model.parameters())
    forward_backward()
    step = median(opt.step)
    print(f"torch-optim name={name} step_ms={step:.4f} fwd_bwd_ms={fb:.4f} share={step / (step + fb):.3f}")
