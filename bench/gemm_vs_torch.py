#!/usr/bin/python3
"""Ember's sgemm and PyTorch's side by side, alternating, several rounds; prints a markdown table.

Each round runs `./ember bench gemm` and `bench/torch_gemm.py` for every case, back to back, the
order swapped on odd rounds, so both see the same machine noise. The table gives the median
GFLOP/s of each over the rounds, the median of the per-round ratios, and their range.

    /usr/bin/python3 bench/gemm_vs_torch.py --rounds 5 --threads 2
"""
import argparse
import os
import re
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CASES = ["256", "512", "1024", "2048", "25088,288,64", "128,784,256"]


def run(cmd):
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    m = re.search(r"gflops=([\d.]+)", out)
    if not m:
        sys.exit("no gflops= in the output of " + " ".join(cmd) + ":\n" + out)
    print("  " + out.strip().splitlines()[-1], flush=True)
    return float(m.group(1))


def args_for(case):
    return ["--shape", case] if "," in case else ["--size", case]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=7, help="timed runs inside each measurement")
    ap.add_argument("cases", nargs="*", default=CASES, help="sizes N or shapes M,K,N")
    a = ap.parse_args()
    common = ["--threads", str(a.threads), "--repeat", str(a.repeat)]
    ember = {c: [] for c in a.cases}
    torch = {c: [] for c in a.cases}
    for r in range(a.rounds):
        print(f"round {r + 1}/{a.rounds}", flush=True)
        for c in a.cases:
            e_cmd = ["./ember", "bench", "gemm"] + args_for(c) + common
            t_cmd = ["/usr/bin/python3", "bench/torch_gemm.py"] + args_for(c) + common
            if r % 2 == 0:
                ember[c].append(run(e_cmd))
                torch[c].append(run(t_cmd))
            else:
                torch[c].append(run(t_cmd))
                ember[c].append(run(e_cmd))
    print()
    print(f"| shape (M,K,N) | threads | Ember GFLOP/s | PyTorch GFLOP/s | ratio (median) | ratio range |")
    print("|---|---|---|---|---|---|")
    for c in a.cases:
        ratios = [e / t for e, t in zip(ember[c], torch[c])]
        shape = f"{c},{c},{c}" if "," not in c else c
        print(f"| {shape} | {a.threads} | {statistics.median(ember[c]):.1f} | {statistics.median(torch[c]):.1f} | "
              f"{statistics.median(ratios):.2f}x | {min(ratios):.2f}-{max(ratios):.2f} |")


if __name__ == "__main__":
    main()
