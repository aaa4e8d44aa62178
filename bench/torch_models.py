#!/usr/bin/python3
"""PyTorch side of `ember bench model`: the same three models, shapes, steps and output line.

    /usr/bin/python3 bench/torch_models.py --model cnn --mode train
      -> torch.model.cnn.train batch=128 threads=2 blas_threads=1 format=contiguous median_ms=... images_per_second=... peak_rss_mb=...
    /usr/bin/python3 bench/torch_models.py --model resnet --mode train --channels-last
    /usr/bin/python3 bench/torch_models.py --model mlp --mode infer --batch 1

Models (ember-train's dev.ember.train.models.Models, built the same way, 10 classes):
  mlp     Flatten, Linear(784, 256), ReLU, Linear(256, 128), ReLU, Linear(128, 10)        on 1x28x28
  cnn     conv3x3 32 (pad 1), ReLU, maxpool 2, conv3x3 64 (pad 1), ReLU, maxpool 2,
          Linear(64*7*7, 128), ReLU, Linear(128, 10)                                      on 1x28x28
  resnet  conv3x3 32 (no bias) + BN + ReLU, BasicBlocks 32, 64 (stride 2), 128 (stride 2),
          global average pool, Linear(128, 10)                                            on 3x32x32

--mode train times full steps: opt.zero_grad(set_to_none=True), forward, F.cross_entropy, backward,
SGD(lr 0.05, momentum 0.9).step(); --mode infer times forward passes under torch.inference_mode() in
eval mode. Warm-up --warmup seconds (and 3 steps), then every step is timed on its own, for at least
--iters steps and --min-time seconds; median and best are printed. peak_rss_mb is ru_maxrss of this
process at the end.

Thread set-up (the strongest we found for PyTorch 1.13 on this 2-core machine; both overridable):
cnn and resnet torch.set_num_threads(2) with OPENBLAS_NUM_THREADS=1 (convolutions run in oneDNN/ATen
and want the intra-op threads; a threaded BLAS underneath only oversubscribes), mlp torch.set_num_threads(1)
with OPENBLAS_NUM_THREADS=2 (the MLP is all GEMMs, which OpenBLAS threads better than ATen splits them).
OPENBLAS_NUM_THREADS must be in the environment before torch loads OpenBLAS, so the script re-executes
itself when it is not already set as wanted.
"""
import argparse
import os
import resource
import sys
import time

DEFAULT_THREADS = {"mlp": (1, 2), "cnn": (2, 1), "resnet": (2, 1)}  # (torch threads, OpenBLAS threads)


def twin(torch, model, c, h, w, classes):
    """The PyTorch twin of dev.ember.train.models.Models.create(model, c, h, w, classes): the same layers
    in the same order, so the same state-dict names (tools/twin/check_run.py loads Ember's weights into it)."""
    nn = torch.nn

    class BasicBlock(nn.Module):
        def __init__(self, cin, cout, stride):
            super().__init__()
            self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
            self.bn1 = nn.BatchNorm2d(cout)
            self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
            self.bn2 = nn.BatchNorm2d(cout)
            self.downsample = (nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))
                               if stride != 1 or cin != cout else None)

        def forward(self, x):
            y = torch.relu(self.bn1(self.conv1(x)))
            y = self.bn2(self.conv2(y))
            return torch.relu(y + (x if self.downsample is None else self.downsample(x)))

    if model == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(c * h * w, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(),
                             nn.Linear(128, classes))
    if model == "cnn":
        return nn.Sequential(nn.Conv2d(c, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                             nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                             nn.Flatten(), nn.Linear(64 * (h // 4) * (w // 4), 128), nn.ReLU(), nn.Linear(128, classes))
    if model == "resnet":
        return nn.Sequential(nn.Conv2d(c, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(),
                             BasicBlock(32, 32, 1), BasicBlock(32, 64, 2), BasicBlock(64, 128, 2),
                             nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(128, classes))
    raise ValueError(f"unknown model {model!r} (mlp, cnn or resnet)")


def build(torch, model):
    """The benchmark's model and its input shape: mlp and cnn on 1x28x28, resnet on 3x32x32, 10 classes."""
    shape = (3, 32, 32) if model == "resnet" else (1, 28, 28)
    return twin(torch, model, *shape, 10), shape


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--model", choices=["mlp", "cnn", "resnet"], default="cnn")
    p.add_argument("--mode", choices=["train", "infer"], default="train")
    p.add_argument("--batch", type=int, default=None, help="default: 128 for train, 1000 for infer")
    p.add_argument("--threads", type=int, default=None, help="torch.set_num_threads (default: per model, see above)")
    p.add_argument("--blas-threads", type=int, default=None, help="OPENBLAS_NUM_THREADS (default: per model, see above)")
    p.add_argument("--channels-last", action="store_true", help="model and input in torch.channels_last memory format")
    p.add_argument("--iters", type=int, default=20)
    p.add_argument("--min-time", type=float, default=1.0)
    p.add_argument("--warmup", type=float, default=3.0)
    p.add_argument("--seed", type=int, default=0)
    a = p.parse_args()
    threads = a.threads if a.threads is not None else DEFAULT_THREADS[a.model][0]
    blas = a.blas_threads if a.blas_threads is not None else DEFAULT_THREADS[a.model][1]
    if os.environ.get("OPENBLAS_NUM_THREADS") != str(blas):
        os.execve(sys.executable, [sys.executable] + sys.argv, dict(os.environ, OPENBLAS_NUM_THREADS=str(blas)))

    import torch
    import torch.nn.functional as F

    torch.set_num_threads(threads)
    torch.manual_seed(a.seed)
    train = a.mode == "train"
    n = a.batch if a.batch is not None else (128 if train else 1000)
    net, (c, h, w) = build(torch, a.model)
    g = torch.Generator().manual_seed(a.seed + 1)
    x = torch.randn(n, c, h, w, generator=g)
    y = torch.randint(0, 10, (n,), generator=g)
    fmt = "contiguous"
    if a.channels_last:
        net = net.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
        fmt = "channels_last"

    if train:
        net.train()
        opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)

        def step():
            opt.zero_grad(set_to_none=True)
            F.cross_entropy(net(x), y).backward()
            opt.step()
    else:
        net.eval()

        def step():
            with torch.inference_mode():
                net(x)

    t_start = time.perf_counter()
    end = t_start + a.warmup
    i = 0
    while i < 3 or time.perf_counter() < end:
        step()
        i += 1
    warm = time.perf_counter() - t_start

    ms = []
    start = time.perf_counter()
    while len(ms) < a.iters or (time.perf_counter() - start < a.min_time and len(ms) < 100000):
        t0 = time.perf_counter()
        step()
        ms.append((time.perf_counter() - t0) * 1e3)
    ms.sort()
    med = ms[len(ms) // 2]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # kB on Linux
    print(f"torch.model.{a.model}.{a.mode} batch={n} threads={threads} blas_threads={blas} format={fmt} "
          f"median_ms={med:.3f} best_ms={ms[0]:.3f} images_per_second={n * 1000.0 / med:.1f} peak_rss_mb={rss:.1f} "
          f"steps={len(ms)} warmup_s={warm:.1f}", flush=True)


if __name__ == "__main__":
    main()
