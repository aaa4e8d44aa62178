#!/usr/bin/env bash
# Trains the default CNN for one epoch with ./ember train (or uses RUN_DIR when it already holds a run),
# evaluates it with ./ember evaluate, and checks that PyTorch reproduces the figures (check_run.py).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
RUN="${1:-$(mktemp -d)/run}"
cd "$ROOT"
[ -f "$RUN/model.safetensors" ] || ./ember train --epochs 1 --run-dir "$RUN" ${MODEL:+--model "$MODEL"}
line=$(./ember evaluate --checkpoint "$RUN/model.safetensors" --json | tail -n 1)
exec "${PYTHON:-/usr/bin/python3}" "$ROOT/tools/twin/check_run.py" "$RUN" "$line"
