#!/usr/bin/env python3
"""Hot methods of a JFR recording: self (top frame) and inclusive sample counts of jdk.ExecutionSample.

    EMBER_JAVA_OPTS="-XX:StartFlightRecording=filename=/tmp/cnn.jfr,settings=profile" \
        ./ember bench model --model cnn --threads 2 --min-time 20
    bench/jfr_top.py /tmp/cnn.jfr --top 25 [--after-seconds 10] [--thread NAME]

--after-seconds drops samples from the first seconds of the recording (JIT warm-up). Needs `jfr` from
the JDK (JAVA_HOME/bin or PATH). Frames are 'Class.method' (line numbers dropped).
"""
import argparse
import collections
import datetime
import json
import os
import shutil
import subprocess
import sys


def jfr_binary():
    home = os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64")
    cand = os.path.join(home, "bin", "jfr")
    return cand if os.path.exists(cand) else shutil.which("jfr")


def when(s):
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("recording")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--after-seconds", type=float, default=0.0)
    ap.add_argument("--thread", default=None, help="only threads whose name contains this")
    ap.add_argument("--depth", type=int, default=64, help="stack depth to print per event (jfr print --stack-depth)")
    ap.add_argument("--callers", default=None, help="also list the most common call chains above this method")
    ap.add_argument("--chain", type=int, default=8, help="frames per call chain (default 8)")
    a = ap.parse_args()
    jfr = jfr_binary()
    if not jfr:
        sys.exit("jfr_top: no `jfr` tool found (set JAVA_HOME to a JDK)")
    out = subprocess.run([jfr, "print", "--json", "--stack-depth", str(a.depth), "--events", "jdk.ExecutionSample",
                          a.recording], capture_output=True, text=True, check=True).stdout
    events = json.loads(out)["recording"]["events"]
    if not events:
        sys.exit("jfr_top: no execution samples in " + a.recording)
    t0 = min(when(e["values"]["startTime"]) for e in events)
    self_c, incl_c, threads = collections.Counter(), collections.Counter(), collections.Counter()
    chains = collections.Counter()
    n = 0
    for e in events:
        v = e["values"]
        if (when(v["startTime"]) - t0).total_seconds() < a.after_seconds:
            continue
        tname = (v.get("sampledThread") or {}).get("javaName") or "?"
        if a.thread and a.thread not in tname:
            continue
        frames = (v.get("stackTrace") or {}).get("frames") or []
        names = []
        for f in frames:
            m = f["method"]
            cls = m["type"]["name"].replace("/", ".").rsplit(".", 1)[-1]
            names.append(f"{cls}.{m['name']}")
        if not names:
            continue
        n += 1
        threads[tname] += 1
        self_c[names[0]] += 1
        for name in set(names):
            incl_c[name] += 1
        if a.callers and a.callers in names:
            i = names.index(a.callers)
            chains[" <- ".join(names[i:i + a.chain])] += 1
    print(f"{n} samples; threads: " + ", ".join(f"{t} {c}" for t, c in threads.most_common(6)))
    print(f"\nself (top frame), top {a.top}:")
    for name, c in self_c.most_common(a.top):
        print(f"  {100.0 * c / n:5.1f}%  {name}")
    print(f"\ninclusive (anywhere on the stack, depth <= {a.depth}), top {a.top}:")
    everywhere = {name for name, c in incl_c.items() if c >= 0.95 * n}  # main(), the benchmark loop, ...
    for name, c in [(k, c) for k, c in incl_c.most_common() if k not in everywhere][:a.top]:
        print(f"  {100.0 * c / n:5.1f}%  {name}")
    if a.callers:
        print(f"\ncall chains through {a.callers}:")
        for chain, c in chains.most_common(12):
            print(f"  {100.0 * c / n:5.1f}%  {chain}")


if __name__ == "__main__":
    main()
