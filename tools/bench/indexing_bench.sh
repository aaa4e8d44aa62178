#!/usr/bin/env bash
# Side-by-side timings of indexing/shape ops: Ember (IndexingBench.java) and PyTorch (indexing_bench.py),
# alternating ROUNDS times. Reports, per workload, the best time over all rounds (the least disturbed by
# other load on a shared machine), the median of the per-round medians, and the ratio torch / ember of
# the best times (> 1: Ember faster). Usage: [THREADS=n] tools/bench/indexing_bench.sh [rounds] [workload regex]
# THREADS (default: all cores) sets both Ember's and PyTorch's thread count; with THREADS=1 both sides
# time the calling thread's CPU time, which other load on a shared machine barely disturbs.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ROUNDS="${1:-3}"; ONLY="${2:-.*}"; THREADS="${THREADS:-$(nproc)}"
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
"$ROOT/mvnw" -q -o -f "$ROOT/pom.xml" -pl ember-core compile
OUT="$(mktemp -d)"
for r in $(seq "$ROUNDS"); do
  "$JAVA" --add-modules jdk.incubator.vector -Dember.threads="$THREADS" -XX:+UseParallelGC -Xms3g -Xmx3g -XX:+AlwaysPreTouch -cp "$ROOT/ember-core/target/classes" \
    "$ROOT/tools/bench/IndexingBench.java" "$ONLY" 2>/dev/null >> "$OUT/ember"
  /usr/bin/python3 "$ROOT/tools/bench/indexing_bench.py" "$ONLY" "$THREADS" >> "$OUT/torch"
done
/usr/bin/python3 - "$OUT/ember" "$OUT/torch" <<'PY'
import sys, statistics, collections
def load(p):
    d = collections.OrderedDict()
    for line in open(p):
        k, best, med = line.split()
        d.setdefault(k, []).append((float(best), float(med)))
    return d
e, t = load(sys.argv[1]), load(sys.argv[2])
print(f"{'workload':22s} {'ember best':>10s} {'torch best':>10s} {'torch/ember':>11s}   {'ember med':>9s} {'torch med':>9s}")
for k in e:
    eb, tb = min(b for b, _ in e[k]), min(b for b, _ in t[k])
    em, tm = statistics.median(m for _, m in e[k]), statistics.median(m for _, m in t[k])
    print(f"{k:22s} {eb:10.2f} {tb:10.2f} {tb / eb:11.2f}   {em:9.2f} {tm:9.2f}")
PY
