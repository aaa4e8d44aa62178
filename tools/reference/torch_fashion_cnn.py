"""Reference run: the default CNN on Fashion-MNIST in PyTorch 1.13, the same recipe as `./ember train`
(conv32-pool-conv64-pool-fc128-fc10, SGD lr 0.05 with Nesterov momentum 0.9, batch 128, normalised with mean 0.2860 /
std 0.3530, shuffled). Prints test accuracy after each epoch, to compare with Ember's.
Run: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tools/reference/torch_fashion_cnn.py [epochs] [seed] [constant|cosine] [nesterov|classical]"""
import gzip
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

D = "/usr/share/datasets/fashion-mnist/"


def idx(name, offset):
    with gzip.open(D + name) as f:
        return np.frombuffer(f.read(), np.uint8, offset=offset)


def load(prefix):
    x = idx(prefix + "-images-idx3-ubyte.gz", 16).reshape(-1, 1, 28, 28).astype(np.float32) / 255
    y = idx(prefix + "-labels-idx1-ubyte.gz", 8).astype(np.int64)
    return torch.from_numpy((x - 0.2860) / 0.3530), torch.from_numpy(y)


epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 1
seed = int(sys.argv[2]) if len(sys.argv) > 2 else 42
schedule = sys.argv[3] if len(sys.argv) > 3 else "constant"   # or "cosine": per-step cosine decay to 0 over the run
nesterov = (sys.argv[4] if len(sys.argv) > 4 else "nesterov") == "nesterov"
torch.manual_seed(seed)
torch.set_num_threads(2)
xtr, ytr = load("train")
xte, yte = load("t10k")
model = nn.Sequential(nn.Conv2d(1, 32, 3, 1, 1), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3, 1, 1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Flatten(), nn.Linear(64 * 7 * 7, 128), nn.ReLU(), nn.Linear(128, 10))
opt = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=nesterov)
steps = epochs * ((len(xtr) + 127) // 128)
sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, steps) if schedule == "cosine" else None
for e in range(epochs):
    model.train()
    perm = torch.randperm(len(xtr))
    t0 = time.time()
    for i in range(0, len(xtr), 128):
        b = perm[i:i + 128]
        opt.zero_grad()
        loss = F.cross_entropy(model(xtr[b]), ytr[b])
        loss.backward()
        opt.step()
        if sched:
            sched.step()
    dt = time.time() - t0
    model.eval()
    with torch.no_grad():
        acc = (model(xte).argmax(1) == yte).float().mean().item()
    print(f"epoch {e + 1}: test accuracy {acc:.4f}, {len(xtr) / dt:.0f} images/s")
