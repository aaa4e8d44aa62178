"""Runs `ember bench conv2d` and bench/torch_conv.py alternately and summarises the medians.

    /usr/bin/python3 bench/compare_conv.py --rounds 7 --threads 2

Each round runs Ember then PyTorch (each printing its own median over 20 timed iterations);
the summary gives, per measurement, the median over rounds of those medians, the spread
(min..max over rounds) and the speed ratio PyTorch time / Ember time (> 1: Ember is faster),
with the 1-minute load average before and after, since the machine is shared.
"""
import argparse
import os
import re
import statistics
import subprocess

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
LINE = re.compile(r"^(?:torch\.)?conv2d\.(\w+) .*median_ms=([0-9.]+)")


def run(cmd, env):
    out = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout
    return {m.group(1): float(m.group(2)) for m in map(LINE.match, out.splitlines()) if m}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rounds", type=int, default=7)
    p.add_argument("--threads", type=int, default=2)
    a = p.parse_args()
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    ember = ["./ember", "bench", "conv2d", "--threads", str(a.threads)]
    torch = ["/usr/bin/python3", "bench/torch_conv.py", "--threads", str(a.threads)]
    load0 = os.getloadavg()[0]
    rows = {"ember": [], "torch": []}
    for r in range(a.rounds):
        e, t = run(ember, env), run(torch, env)
        rows["ember"].append(e)
        rows["torch"].append(t)
        print(f"round {r + 1}: ember {e}  torch {t}  load {os.getloadavg()[0]:.2f}", flush=True)
    print(f"threads={a.threads} rounds={a.rounds} load {load0:.2f} -> {os.getloadavg()[0]:.2f}")
    for k in ("forward", "forward_backward"):
        e = [x[k] for x in rows["ember"]]
        t = [x[k] for x in rows["torch"]]
        ratios = [ti / ei for ei, ti in zip(e, t)]
        print(f"{k}: ember median {statistics.median(e):.2f} ms ({min(e):.2f}..{max(e):.2f}), "
              f"torch median {statistics.median(t):.2f} ms ({min(t):.2f}..{max(t):.2f}), "
              f"ratio torch/ember median {statistics.median(ratios):.2f} ({min(ratios):.2f}..{max(ratios):.2f})")


if __name__ == "__main__":
    main()
