#!/usr/bin/python3
"""PyTorch side of `ember bench elementwise`: the same workloads, printed in the same line format.

    /usr/bin/python3 bench/torch_elementwise.py --size 16777216 --threads 2

GB/s counts bytes read plus bytes written over the median of --reps timed calls, which start once
every selected workload has been warmed up (at least 10 calls and a third of a second each). Workloads that
allocate (add, relu, exp, tanh, gelu, sum_dim0, softmax) allocate a fresh output per call, as the
Ember ones do; add_out / relu_out write into a preallocated tensor (out=, or relu's in-place form on
a copy: torch.relu has no out= in 1.13, so relu_out uses torch.clamp_min(a, 0, out=o)).
"""
import argparse
import time

import torch


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--size", type=int, default=16777216)
    p.add_argument("--threads", type=int, default=None)
    p.add_argument("--reps", type=int, default=20)
    p.add_argument("--only", default=None, help="comma-separated workloads")
    args = p.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    n = args.size
    g = torch.Generator().manual_seed(42)
    a = torch.rand(n, generator=g) - 0.5
    b = torch.rand(n, generator=g)
    out = torch.empty(n)
    rows = a.reshape(n // 1024, 1024)
    cols = a.reshape(n // 256, 256)
    only = None if args.only is None else {s.strip() for s in args.only.split(",")}
    sink = []

    def timed(name, nbytes, fn):
        for _ in range(3):
            fn()
        ms = []
        for _ in range(args.reps):
            t0 = time.perf_counter()
            r = fn()
            ms.append((time.perf_counter() - t0) * 1e3)
            sink.append(r)
            sink.clear()
        ms.sort()
        med = ms[len(ms) // 2]
        print(f"{name} n={n} threads={torch.get_num_threads()} gbps={nbytes / med / 1e6:.1f} ms={med:.3f}", flush=True)

    workloads = [
        ("add", 12 * n, lambda: torch.add(a, b)),
        ("add_out", 12 * n, lambda: torch.add(a, b, out=out)),
        ("relu", 8 * n, lambda: torch.relu(a)),
        ("relu_out", 8 * n, lambda: torch.clamp_min(a, 0, out=out)),
        ("alloc", 4 * n, lambda: torch.zeros(n)),
        ("exp", 8 * n, lambda: torch.exp(a)),
        ("tanh", 8 * n, lambda: torch.tanh(a)),
        ("gelu", 8 * n, lambda: torch.nn.functional.gelu(a)),
        ("sum", 4 * n, lambda: a.sum()),
        ("sum_dim0", 4 * n, lambda: cols.sum(0)),
        ("softmax", 8 * n, lambda: torch.softmax(rows, -1)),
    ]
    selected = [w for w in workloads if only is None or w[0] in only]
    with torch.no_grad():
        for _, _, fn in selected:  # warm-up pass over everything first, as the Ember side
            warm_end = time.perf_counter() + 0.333
            i = 0
            while i < 10 or time.perf_counter() < warm_end:
                fn()
                i += 1
        for name, nbytes, fn in selected:
            timed(name, nbytes, fn)


if __name__ == "__main__":
    main()
