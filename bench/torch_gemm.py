#!/usr/bin/python3
"""PyTorch's FLOAT32 matmul measured the way `ember bench gemm` measures Ember's.

C[m x n] = A[m x k] @ B[k x n], contiguous row-major float32. Warm-up for 1.5 s, then --repeat
timed runs, each repeating the product until it has lasted at least 50 ms; prints the median
GFLOP/s in the same line format as Ember:

    /usr/bin/python3 bench/torch_gemm.py --size 1024 --threads 2     -> torch gemm n=1024 threads=2 gflops=...
    /usr/bin/python3 bench/torch_gemm.py --shape 25088,288,64        -> torch gemm m=25088 k=288 n=64 threads=2 gflops=...

The thread count is set both with torch.set_num_threads and OPENBLAS_NUM_THREADS (which must be
in the environment before torch loads OpenBLAS, so the script re-executes itself when needed).
"""
import argparse
import os
import statistics
import sys
import time


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=1024, help="square size n (m = k = n)")
    ap.add_argument("--shape", type=str, default=None, help="M,K,N for a non-square product")
    ap.add_argument("--threads", type=int, default=os.cpu_count(), help="threads (default: all cores)")
    ap.add_argument("--repeat", type=int, default=7, help="timed runs; the median is printed")
    args = ap.parse_args()

    want = str(args.threads)
    if os.environ.get("OPENBLAS_NUM_THREADS") != want or os.environ.get("OMP_NUM_THREADS") != want:
        env = dict(os.environ, OPENBLAS_NUM_THREADS=want, OMP_NUM_THREADS=want)
        os.execve(sys.executable, [sys.executable] + sys.argv, env)

    import torch

    torch.set_num_threads(args.threads)
    if args.shape:
        m, k, n = (int(x) for x in args.shape.split(","))
        dims = f"m={m} k={k} n={n}"
    else:
        m = k = n = args.size
        dims = f"n={n}"
    gen = torch.Generator().manual_seed(0)
    a = torch.rand(m, k, generator=gen) * 2 - 1
    b = torch.rand(k, n, generator=gen) * 2 - 1
    c = torch.empty(m, n)

    def product():
        torch.matmul(a, b, out=c)

    end = time.perf_counter() + 1.5
    while time.perf_counter() < end:
        product()
    flops = 2.0 * m * n * k
    rates = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        calls = 0
        while True:
            product()
            calls += 1
            elapsed = time.perf_counter() - start
            if elapsed >= 0.05:
                break
        rates.append(flops * calls / elapsed / 1e9)
    print(f"torch gemm {dims} threads={args.threads} gflops={statistics.median(rates):.1f}")


if __name__ == "__main__":
    main()
