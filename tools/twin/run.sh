#!/usr/bin/env bash
# The PyTorch twin check: Ember trains a small model and saves it as safetensors (TwinExportTest),
# then PyTorch loads it into the same architecture and compares predictions (check_twin.py).
# Usage: tools/twin/run.sh [OUT_DIR]   (default: a fresh temporary folder)
# Needs: JDK 25 (JAVA_HOME), the Maven repository cache (the build runs offline), and
# /usr/bin/python3 with PyTorch (Debian: apt-get install python3-torch).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
OUT="${1:-$(mktemp -d -t ember-twin.XXXXXX)}"
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
PYTHON="${PYTHON:-/usr/bin/python3}"

echo "== Ember: train, save model.safetensors and predictions to $OUT"
cd "$ROOT"
./mvnw -q -o -pl ember-core -am test -Dtest=TwinExportTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dember.twin.out="$OUT" -Dsurefire.printSummary=false
for f in model.safetensors twin_io.safetensors; do
  [ -s "$OUT/$f" ] || { echo "FAIL: Ember did not write $OUT/$f" >&2; exit 1; }
done
grep -h "^twin:" "$ROOT"/ember-core/target/surefire-reports/dev.ember.io.TwinExportTest-output.txt 2>/dev/null || true

echo "== PyTorch: load into the twin and compare"
exec "$PYTHON" "$ROOT/tools/twin/check_twin.py" "$OUT"
