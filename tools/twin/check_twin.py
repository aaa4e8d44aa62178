"""PyTorch twin check: a model trained by Ember, saved as safetensors and loaded into its PyTorch
twin, gives the same predictions.

Reads what ember-core's TwinExportTest wrote into DIR:
  model.safetensors    the trained weights, PyTorch's state-dict names (Checkpoint.saveWeights)
  twin_io.safetensors  x (inputs), logits (Ember's eval-mode output), predicted (its argmax)
builds the same architecture with torch.nn, loads the weights with strict=True, runs the inputs in
eval mode and compares: max |logits difference| < 1e-5 and the same argmax for every row.

Usage (tools/twin/run.sh does both halves):
  /usr/bin/python3 tools/twin/check_twin.py DIR
Exit status 0 and a last line "PASS ..." when the twins agree, 1 and "FAIL ..." otherwise.

safetensors is read with the small reader below (8-byte little-endian header length, JSON header,
data buffer), so the check needs nothing beyond torch: the reference `safetensors` package is not
installed on these machines. Being independent of Ember's own reader is also the point of a check.
"""
import json
import struct
import sys

import torch
from torch import nn

IN, HIDDEN, CLASSES = 20, 32, 5
TOLERANCE = 1e-5

# safetensors dtype code -> (torch dtype, bytes per element)
DTYPES = {
    "F64": (torch.float64, 8), "F32": (torch.float32, 4), "F16": (torch.float16, 2), "BF16": (torch.bfloat16, 2),
    "I64": (torch.int64, 8), "I32": (torch.int32, 4), "I16": (torch.int16, 2), "I8": (torch.int8, 1),
    "U8": (torch.uint8, 1), "BOOL": (torch.bool, 1),
}


def read_safetensors(path):
    """Returns (tensors by name, metadata dict). Validates lengths and offsets as it goes."""
    if sys.byteorder != "little":
        raise SystemExit("check_twin.py: safetensors data is little-endian; big-endian hosts are not supported")
    with open(path, "rb") as f:
        blob = f.read()
    if len(blob) < 8:
        raise ValueError(f"{path}: {len(blob)} bytes, too short for a safetensors file")
    (n,) = struct.unpack("<Q", blob[:8])
    if n > len(blob) - 8:
        raise ValueError(f"{path}: header length {n} runs past the end of the file ({len(blob)} bytes)")
    header = json.loads(blob[8:8 + n].decode("utf-8"))
    data = blob[8 + n:]
    metadata = header.pop("__metadata__", {}) or {}
    tensors = {}
    covered = 0
    for name, info in header.items():
        dtype, size = DTYPES[info["dtype"]]
        shape = [int(d) for d in info["shape"]]
        begin, end = info["data_offsets"]
        numel = 1
        for d in shape:
            numel *= d
        if end - begin != numel * size or end > len(data):
            raise ValueError(f"{path}: tensor {name!r}: offsets {begin}..{end} do not fit shape {shape} {info['dtype']}")
        covered += end - begin
        raw = bytearray(data[begin:end])  # a copy: frombuffer wants a writable buffer
        t = torch.frombuffer(raw, dtype=dtype) if numel else torch.empty(0, dtype=dtype)
        tensors[name] = t.reshape(shape)
    if covered != len(data):
        raise ValueError(f"{path}: tensors cover {covered} of {len(data)} data bytes")
    return tensors, metadata


def twin():
    """The PyTorch twin of TwinExportTest.twin(): same layers, same order, so the same state-dict names."""
    return nn.Sequential(
        nn.Linear(IN, HIDDEN), nn.BatchNorm1d(HIDDEN), nn.ReLU(), nn.Dropout(0.2),
        nn.Linear(HIDDEN, HIDDEN), nn.LayerNorm(HIDDEN), nn.ReLU(),
        nn.Linear(HIDDEN, CLASSES))


def main(argv):
    if len(argv) != 2:
        print(__doc__)
        return 2
    folder = argv[1]
    weights, weights_meta = read_safetensors(f"{folder}/model.safetensors")
    io, io_meta = read_safetensors(f"{folder}/twin_io.safetensors")
    print(f"torch {torch.__version__}; model.safetensors: {len(weights)} tensors, metadata {weights_meta}")
    print(f"Ember training loss {float(io_meta['train_loss_first']):.4f} -> {float(io_meta['train_loss_last']):.4f}")

    model = twin()
    result = model.load_state_dict(weights, strict=True)  # raises on any missing/unexpected key or shape
    print(f"load_state_dict(strict=True): {result}")
    model.eval()
    x, ember_logits, ember_pred = io["x"], io["logits"], io["predicted"]
    with torch.no_grad():
        torch_logits = model(x)
    torch_pred = torch_logits.argmax(dim=1)

    diff = (torch_logits - ember_logits).abs().max().item()
    same_argmax = bool(torch.equal(torch_pred, ember_pred)) and bool(torch.equal(torch_pred, ember_logits.argmax(dim=1)))
    print(f"{x.shape[0]} inputs, {CLASSES} classes: max |logits(torch) - logits(ember)| = {diff:.3e} (tolerance {TOLERANCE:g}); "
          f"argmax equal for {int((torch_pred == ember_pred).sum())}/{x.shape[0]} rows")
    print(f"first row: torch {[round(v, 5) for v in torch_logits[0].tolist()]}")
    print(f"           ember {[round(v, 5) for v in ember_logits[0].tolist()]}")
    if diff < TOLERANCE and same_argmax:
        print(f"PASS: the PyTorch twin reproduces Ember's predictions (max abs diff {diff:.3e} < {TOLERANCE:g}, same argmax)")
        return 0
    print(f"FAIL: the PyTorch twin differs from Ember (max abs diff {diff:.3e}, same argmax: {same_argmax})")
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
