"""Writes a small safetensors file with the REFERENCE implementation (Hugging Face's `safetensors`
package, Rust core) for Ember's interop test, plus a JSON fixture with the values it holds.

Outputs (both committed):
  ember-core/src/test/resources/golden/safetensors_reference.safetensors
  ember-core/src/test/resources/golden/safetensors_reference.json

Run with Debian's torch:
  /usr/bin/python3 tools/golden/gen_safetensors.py
The `safetensors` package is not a Debian package; install it into a scratch folder from the
machine's local wheel mirror (pip is configured for it) and put that folder on PYTHONPATH:
  python3 -m pip install --no-index --target /tmp/st-py --no-deps safetensors==0.8.0
  PYTHONPATH=/tmp/st-py /usr/bin/python3 tools/golden/gen_safetensors.py
Without it this script stops: a hand-written file would not test interoperability.
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(__file__))
import golden  # noqa: E402

try:
    import safetensors
    from safetensors.torch import save_file
except ImportError:
    sys.exit("gen_safetensors.py: the reference `safetensors` package is needed (see the docstring)")


def main():
    g = torch.Generator().manual_seed(7)
    tensors = {
        # Names chosen so that the reference writer's order (it sorts by dtype alignment, then
        # name) differs from insertion order: readers must not assume any order.
        "z.weight": torch.randn(3, 4, generator=g),
        "a.bias": torch.randn(4, generator=g, dtype=torch.float64),
        "scalar": torch.tensor(2.5),
        "empty": torch.zeros(0, 3),
        "steps": torch.tensor([0, -1, 2**40, -(2**62)], dtype=torch.int64),
        "labels": torch.arange(24, dtype=torch.int32).reshape(2, 3, 4) - 5,
        "mask": torch.tensor([[True, False, True], [False, False, True]]),
        "half": torch.tensor([1.0, -2.5, 65504.0, 6.1035e-05, 0.0, -0.0], dtype=torch.float16),
        "bhalf": torch.tensor([1.0, -3.140625, 1e30, -1e-30], dtype=torch.bfloat16),
        "pixels": torch.tensor([0, 1, 128, 255], dtype=torch.uint8),
        "small": torch.tensor([-128, -1, 0, 127], dtype=torch.int8),
        "shorts": torch.tensor([-32768, -1, 0, 32767], dtype=torch.int16),
    }
    metadata = {"format": "pt", "made_by": "gen_safetensors.py", "unicode": "größe ✓"}
    out_dir = golden.OUT_DIR
    os.makedirs(out_dir, exist_ok=True)
    st_path = os.path.join(out_dir, "safetensors_reference.safetensors")
    save_file(tensors, st_path, metadata=metadata)

    expected = {}
    for name, t in tensors.items():
        v = t.float() if t.dtype in (torch.float16, torch.bfloat16) else t
        v = v.int() if t.dtype in (torch.uint8, torch.int8, torch.int16) else v
        expected[name] = golden.tensor(v)
    doc = {"generator": "tools/golden/gen_safetensors.py", "torch": torch.__version__,
           "safetensors": safetensors.__version__, "metadata": metadata, "tensors": expected}
    with open(os.path.join(out_dir, "safetensors_reference.json"), "w") as f:
        json.dump(doc, f, allow_nan=False, separators=(",", ":"), ensure_ascii=False)
        f.write("\n")
    print(f"wrote {len(tensors)} tensors to {os.path.relpath(st_path, golden.ROOT)} "
          f"({os.path.getsize(st_path)} bytes, safetensors {safetensors.__version__})")


if __name__ == "__main__":
    main()
