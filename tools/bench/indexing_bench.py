"""PyTorch side of IndexingBench.java: the same workloads, one line per workload: name min_ms median_ms."""
import re
import sys
import time

import torch
import torch.nn.functional as F

torch.manual_seed(0)


def rand(*shape):
    return torch.rand(*shape)


def index(bound, *shape):
    return torch.randint(0, bound, shape)


w = {}
x = rand(4096, 1024)
idx1, idx0 = index(1024, 4096, 256), index(4096, 4096, 1024)
w["gather_dim1"] = lambda: x.gather(1, idx1)
w["gather_dim0"] = lambda: x.gather(0, idx0)
self0, src0, sidx0 = torch.zeros(4096, 512), rand(16384, 512), index(4096, 16384, 512)
w["scatter_add_dim0"] = lambda: self0.scatter_add(0, sidx0, src0)
src1, sidx1 = rand(4096, 1024), index(1024, 4096, 1024)
w["scatter_add_dim1"] = lambda: x.scatter_add(1, sidx1, src1)
weight, tokens = rand(50000, 256), index(50000, 32768)
w["index_select_rows"] = lambda: weight.index_select(0, tokens)
zeros_w, rows = torch.zeros(50000, 256), rand(32768, 256)
w["index_add_rows"] = lambda: zeros_w.index_add(0, tokens, rows)
parts = [rand(2048, 512) for _ in range(4)]
w["cat_dim0"] = lambda: torch.cat(parts, 0)
w["cat_dim1"] = lambda: torch.cat(parts, 1)
img = rand(32, 64, 56, 56)
w["pad_constant"] = lambda: F.pad(img, (1, 1, 1, 1))
w["pad_reflect"] = lambda: F.pad(img, (1, 1, 1, 1), mode="reflect")
w["pad_replicate"] = lambda: F.pad(img, (1, 1, 1, 1), mode="replicate")
g_pad = rand(32, 64, 58, 58)
w["pad_reflect_backward"] = lambda: torch.ops.aten.reflection_pad2d_backward(g_pad, img, [1, 1, 1, 1])
w["flip_last"] = lambda: x.flip(1)
w["flip_first"] = lambda: x.flip(0)
mats = rand(64, 512, 512)
w["tril"] = lambda: mats.tril()
sq = rand(1024, 1024)
w["repeat_2x2"] = lambda: sq.repeat(2, 2)
mask = rand(1024) > 0.5
w["masked_fill"] = lambda: x.masked_fill(mask, -1)

only = sys.argv[1] if len(sys.argv) > 1 else None
if len(sys.argv) > 2:
    torch.set_num_threads(int(sys.argv[2]))
# One thread: the calling thread's CPU time (robust to other load); otherwise wall time.
clock = time.thread_time if torch.get_num_threads() == 1 else time.perf_counter
for name, f in w.items():
    if only and not re.fullmatch(only, name):
        continue
    for _ in range(5):
        f()
    t = []
    for _ in range(15):
        s = clock()
        f()
        t.append((clock() - s) * 1e3)
    t.sort()
    print(f"{name} {t[0]:.3f} {t[len(t) // 2]:.3f}")
