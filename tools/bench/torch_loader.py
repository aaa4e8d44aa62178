"""PyTorch DataLoader throughput on the same workloads as dev.ember.data.bench.LoaderBenchmark.

torchvision is not installed here, so the transforms are written with torch ops, per sample, as a
torchvision pipeline would run them (ToTensor + Normalize; pad 4 + random 32x32 crop + random flip +
ToTensor + Normalize). Run with Debian's python3-torch: /usr/bin/python3 tools/bench/torch_loader.py
"""
import gzip
import os
import sys
import time

import torch
from torch.utils.data import DataLoader, Dataset

torch.set_num_threads(1)
EPOCHS = int(sys.argv[1]) if len(sys.argv) > 1 else 3


class Images(Dataset):
    def __init__(self, pixels, labels, transform):
        self.pixels, self.labels, self.transform = pixels, labels, transform

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        g = torch.Generator().manual_seed(i)
        return self.transform(self.pixels[i], g), int(self.labels[i])


def to_tensor_normalize(mean, std):
    m = torch.tensor(mean).view(-1, 1, 1)
    s = torch.tensor(std).view(-1, 1, 1)
    return lambda img, g: (img.float().div(255) - m) / s      # img is CHW uint8


def crop_flip(mean, std):
    norm = to_tensor_normalize(mean, std)

    def t(img, g):
        padded = torch.nn.functional.pad(img, (4, 4, 4, 4))
        top, left = torch.randint(0, 9, (2,), generator=g).tolist()
        out = padded[:, top:top + 32, left:left + 32]
        if torch.rand(1, generator=g).item() < 0.5:
            out = out.flip(-1)
        return norm(out, g)
    return t


def rate(ds, batch, workers):
    loader = DataLoader(ds, batch_size=batch, shuffle=True, num_workers=workers, persistent_workers=workers > 0)
    rates = []
    for e in range(EPOCHS + 1):
        start, n = time.perf_counter(), 0
        for x, y in loader:
            n += x.shape[0]
        if e > 0:
            rates.append(n / (time.perf_counter() - start))
    rates.sort()
    return rates[len(rates) // 2], rates[0], rates[-1]


def main():
    path = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"
    if os.path.exists(path):
        raw = gzip.open(path).read()
        fm = torch.frombuffer(bytearray(raw[16:]), dtype=torch.uint8).view(-1, 1, 28, 28)
    else:
        fm = torch.randint(0, 256, (60000, 1, 28, 28), dtype=torch.uint8)
    labels = torch.arange(len(fm)) % 10
    fmds = Images(fm, labels, to_tensor_normalize([0.2860], [0.3530]))
    print("Fashion-MNIST, batch 256, per-sample ToTensor + Normalize:")
    for w in (0, 2):
        print("  torch workers %d: median %9.0f img/s (min %9.0f, max %9.0f)" % ((w,) + rate(fmds, 256, w)))
    cifar = torch.randint(0, 256, (50000, 3, 32, 32), dtype=torch.uint8)
    cds = Images(cifar, torch.arange(50000) % 10, crop_flip([0.4914, 0.4822, 0.4465], [0.2470, 0.2435, 0.2616]))
    print("CIFAR-shaped, batch 128, RandomCrop(32, 4) + flip + ToTensor + Normalize:")
    for w in (0, 2):
        print("  torch workers %d: median %9.0f img/s (min %9.0f, max %9.0f)" % ((w,) + rate(cds, 128, w)))


if __name__ == "__main__":
    main()
