"""Writes a small TensorBoard event file with PyTorch's own SummaryWriter, the reference Ember's
dev.ember.train.tensorboard.SummaryWriter is tested against (TensorBoardReferenceTest).

Output (committed): ember-train/src/test/resources/golden/tensorboard_torch.tfevents

torch.utils.tensorboard needs the `tensorboard` package (and protobuf, absl-py, six, packaging),
which Debian does not ship; install them into a scratch folder from the machine's local wheel mirror:
  python3 -m pip install --no-index --find-links <wheel folder> --target /tmp/tb-py --no-deps \
      tensorboard==2.21.0 protobuf==6.33.6 absl-py six packaging
  PYTHONPATH=/tmp/tb-py /usr/bin/python3 tools/golden/gen_tensorboard.py
The Java test repeats the values below; change both together.
"""
import glob
import os
import shutil
import tempfile

import torch
from torch.utils.tensorboard import SummaryWriter

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "ember-train", "src", "test", "resources", "golden", "tensorboard_torch.tfevents")


def pixels(c, h, w):
    """uint8 test image: value (37*c + 16*y + 3*x) % 256 at [c, y, x]."""
    cc = torch.arange(c).view(c, 1, 1)
    yy = torch.arange(h).view(1, h, 1)
    xx = torch.arange(w).view(1, 1, w)
    return ((37 * cc + 16 * yy + 3 * xx) % 256).to(torch.uint8)


class Tiny(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(4, 3)

    def forward(self, x):
        return torch.relu(self.fc(x))


def main():
    tmp = tempfile.mkdtemp()
    try:
        w = SummaryWriter(tmp)
        w.add_scalar("loss", 0.5, 3)
        w.add_scalar("zero", 0.0, 0)
        w.add_scalar("neg/big", -1234.5678, 2**40)
        w.add_text("note", "héllo **world**", 7)
        w.add_image("rgb", pixels(3, 5, 7), 2)
        w.add_image("gray", pixels(1, 4, 6), 5)
        torch.manual_seed(0)
        w.add_graph(Tiny(), torch.zeros(2, 4))
        w.close()
        files = glob.glob(os.path.join(tmp, "events.out.tfevents.*"))
        assert len(files) == 1, files
        os.makedirs(os.path.dirname(OUT), exist_ok=True)
        shutil.copyfile(files[0], OUT)
    finally:
        shutil.rmtree(tmp)
    print(f"wrote {os.path.relpath(OUT, ROOT)} ({os.path.getsize(OUT)} bytes, torch {torch.__version__})")


if __name__ == "__main__":
    main()
