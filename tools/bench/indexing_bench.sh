#!/usr/bin/env bash
# Side-by-side timings of indexing/shape ops: Ember (IndexingBench.java) and PyTorch (indexing_bench.py),
# alternating ROUNDS times, then the per-workload median over rounds and the ratio torch_ms / ember_ms
# (> 1: Ember faster). Usage: [THREADS=n] tools/bench/indexing_bench.sh [rounds] [workload regex]
# THREADS (default: all cores) sets both Ember's and PyTorch's thread count.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
ROUNDS="${1:-3}"; ONLY="${2:-.*}"; THREADS="${THREADS:-$(nproc)}"
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
"$ROOT/mvnw" -q -o -f "$ROOT/pom.xml" -pl ember-core compile
OUT="$(mktemp -d)"
for r in $(seq "$ROUNDS"); do
  "$JAVA" --add-modules jdk.incubator.vector -Dember.threads="$THREADS" -XX:+UseParallelGC -Xmx6g -cp "$ROOT/ember-core/target/classes" \
    "$ROOT/tools/bench/IndexingBench.java" "$ONLY" 2>/dev/null >> "$OUT/ember"
  /usr/bin/python3 "$ROOT/tools/bench/indexing_bench.py" "$ONLY" "$THREADS" >> "$OUT/torch"
done
/usr/bin/python3 - "$OUT/ember" "$OUT/torch" <<'PY'
import sys, statistics, collections
def load(p):
    d = collections.OrderedDict()
    for line in open(p):
        k, v = line.split(); d.setdefault(k, []).append(float(v))
    return d
e, t = load(sys.argv[1]), load(sys.argv[2])
print(f"{'workload':24s} {'ember ms':>9s} {'torch ms':>9s} {'torch/ember':>11s}")
for k in e:
    em, tm = statistics.median(e[k]), statistics.median(t[k])
    print(f"{k:24s} {em:9.2f} {tm:9.2f} {tm / em:11.2f}")
PY
