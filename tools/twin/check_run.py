"""PyTorch twin check of a real `ember train` run: the model.safetensors it wrote, loaded into the same
architecture built with torch.nn, gives the same test loss and accuracy as `ember evaluate` reports.

  /usr/bin/python3 tools/twin/check_run.py RUN_DIR EMBER_EVALUATE_JSON_LINE
  tools/twin/run_cli.sh [RUN_DIR]         # trains one epoch with ./ember train, then runs this check

Reads the weights and the `ember.*` metadata (model name, input shape, classes, normalisation) from
RUN_DIR/model.safetensors with check_twin.py's independent safetensors reader, builds the mlp, cnn or
resnet twin (the layer names of dev.ember.train.models.Models, so load_state_dict(strict=True) checks
names and shapes), evaluates the Fashion-MNIST or MNIST test split from Debian's IDX files in eval mode
and compares with Ember's figures: loss within 1e-4 relative, accuracy equal within 2 images out of
10,000 (float32 summation order may flip a near-tie). Exit status 0 and "PASS" when they agree.
"""
import gzip
import json
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "bench"))
from check_twin import read_safetensors  # noqa: E402
from torch_models import twin  # noqa: E402  (the models' PyTorch twins, shared with the benchmarks)

IDX_DIRS = {"fashion-mnist": ["/usr/share/datasets/fashion-mnist"], "mnist": ["/usr/share/datasets/mnist"]}


def idx(path, offset):
    with gzip.open(path) as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset)


def test_split(dataset):
    for d in IDX_DIRS.get(dataset, []):
        images, labels = os.path.join(d, "t10k-images-idx3-ubyte.gz"), os.path.join(d, "t10k-labels-idx1-ubyte.gz")
        if os.path.exists(images) and os.path.exists(labels):
            x = idx(images, 16).reshape(-1, 1, 28, 28).astype(np.float32) / 255
            return torch.from_numpy(x), torch.from_numpy(idx(labels, 8).astype(np.int64))
    raise SystemExit(f"check_run.py: no IDX test files for dataset {dataset!r} (looked in {IDX_DIRS.get(dataset)})")


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    run, ember = sys.argv[1], json.loads(sys.argv[2])["test"]
    state, meta = read_safetensors(os.path.join(run, "model.safetensors"))
    c, h, w = (int(v) for v in meta["ember.input_shape"].split(","))
    classes = json.loads(meta["ember.classes"])
    mean, std = json.loads(meta["ember.mean"]), json.loads(meta["ember.std"])
    model = twin(torch, meta["ember.model"], c, h, w, len(classes))
    print("load_state_dict(strict=True):", model.load_state_dict(state, strict=True))
    x, y = test_split(meta["ember.dataset"])
    x = (x - torch.tensor(mean).view(1, -1, 1, 1)) / torch.tensor(std).view(1, -1, 1, 1)
    model.eval()
    with torch.no_grad():
        logits = torch.cat([model(x[i:i + 1000]) for i in range(0, len(x), 1000)])
        loss = F.cross_entropy(logits, y).item()
        correct = (logits.argmax(1) == y).sum().item()
    acc = correct / len(y)
    print(f"torch {torch.__version__}: test loss {loss:.6f}, accuracy {acc:.4f}  |  ember: loss {ember['loss']:.6f}, "
          f"accuracy {ember['accuracy']:.4f}")
    ok = abs(loss - ember["loss"]) <= 1e-4 * abs(loss) and abs(correct - round(ember["accuracy"] * len(y))) <= 2
    print(("PASS" if ok else "FAIL") + f": the PyTorch twin of {meta['ember.model']} reproduces Ember's test figures")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
