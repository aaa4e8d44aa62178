"""PyTorch side of `ember bench conv2d`: the same conv2d workload (N=128, C=32, 14x14, K=64, 3x3,
stride 1, padding 1, float32) timed forward and forward+backward (input and weight gradients).

Run with Debian's PyTorch 1.13 on two threads, as the Ember numbers are taken:
    OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/torch_conv.py --threads 2
Prints one line per measurement in the same `name key=value` form as `ember bench conv2d`.
"""
import argparse
import os
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def median_ms(fn, iters):
    times = []
    for _ in range(iters):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    times.sort()
    return times[len(times) // 2], times[0]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--warmup", type=float, default=3.0, help="seconds of untimed runs of both workloads first")
    p.add_argument("--iters", type=int, default=20)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    n, c, h, w, k, r = a.batch, 32, 14, 14, 64, 3
    x = torch.randn(n, c, h, w)
    wt = (torch.randn(k, c, r, r) * 0.1)
    b = torch.randn(k)
    flops = 2.0 * n * k * h * w * c * r * r  # one forward pass (stride 1, padding 1: output 14x14)

    def fwd():
        with torch.no_grad():
            F.conv2d(x, wt, b, 1, 1)

    xg = x.clone().requires_grad_(True)
    wg = wt.clone().requires_grad_(True)
    bg = b.clone().requires_grad_(True)
    go = torch.randn(n, k, h, w)

    def fwd_bwd():
        xg.grad = wg.grad = bg.grad = None
        y = F.conv2d(xg, wg, bg, 1, 1)
        y.backward(go)

    end = time.perf_counter() + a.warmup  # both workloads before timing either, as ember bench conv2d does
    while time.perf_counter() < end:
        fwd()
        fwd_bwd()
    med, best = median_ms(fwd, a.iters)
    print(f"torch.conv2d.forward threads={a.threads} n={n} median_ms={med:.3f} best_ms={best:.3f} "
          f"gflops={flops / med / 1e6:.1f}")
    med, best = median_ms(fwd_bwd, a.iters)
    print(f"torch.conv2d.forward_backward threads={a.threads} n={n} median_ms={med:.3f} best_ms={best:.3f} "
          f"gflops={3 * flops / med / 1e6:.1f}")


if __name__ == "__main__":
    main()
