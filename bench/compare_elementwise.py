#!/usr/bin/python3
"""Runs `ember bench elementwise` and bench/torch_elementwise.py alternately and tabulates GB/s.

    /usr/bin/python3 bench/compare_elementwise.py --rounds 5 --threads 2 --size 16777216

Each round runs Ember then PyTorch (or the reverse on odd rounds, so neither always goes first on a
machine that others share). Prints, per workload, the median GB/s of each side over the rounds, the
spread (min-max) and the ratio of medians Ember / PyTorch, as a Markdown table.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LINE = re.compile(r"^(\w+) n=(\d+) threads=(\d+) gbps=([\d.]+) ms=([\d.]+)$")


def run(cmd):
    out = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    rows = {}
    for line in out.splitlines():
        m = LINE.match(line.strip())
        if m:
            rows[m.group(1)] = float(m.group(4))
    return rows


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--size", type=int, default=16777216)
    p.add_argument("--reps", type=int, default=20)
    p.add_argument("--only", default=None)
    args = p.parse_args()
    common = ["--size", str(args.size), "--threads", str(args.threads), "--reps", str(args.reps)]
    if args.only:
        common += ["--only", args.only]
    ember = [os.path.join(ROOT, "ember"), "bench", "elementwise"] + common
    torch = ["/usr/bin/python3", os.path.join(ROOT, "bench", "torch_elementwise.py")] + common
    results = {"ember": [], "torch": []}
    for r in range(args.rounds):
        order = [("ember", ember), ("torch", torch)]
        if r % 2 == 1:
            order.reverse()
        for name, cmd in order:
            results[name].append(run(cmd))
            print(f"round {r + 1}/{args.rounds} {name}: " + " ".join(f"{k}={v}" for k, v in results[name][-1].items()),
                  file=sys.stderr, flush=True)
    names = list(results["ember"][0].keys())
    print(f"| workload | Ember GB/s (median, min-max) | PyTorch GB/s (median, min-max) | Ember / PyTorch |")
    print(f"|---|---|---|---|")
    for n in names:
        e = [r[n] for r in results["ember"] if n in r]
        t = [r[n] for r in results["torch"] if n in r]
        if not e or not t:
            continue
        me, mt = statistics.median(e), statistics.median(t)
        print(f"| {n} | {me:.1f} ({min(e):.1f}-{max(e):.1f}) | {mt:.1f} ({min(t):.1f}-{max(t):.1f}) | {me / mt:.2f}x |")


if __name__ == "__main__":
    main()
