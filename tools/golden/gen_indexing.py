"""Golden values for indexing, joining and shape ops (gather/scatter, index select/add, masked fill,
one-hot, cat/stack/split/chunk, pad, repeat, flip, tril/triu, x[idx]).

Run with Debian's PyTorch:  /usr/bin/python3 tools/golden/gen_indexing.py
Writes ember-core/src/test/resources/golden/indexing.json, read by GoldenIndexingTest. Inputs are
float64 (gradients compared at 1e-6) unless a case says otherwise; each case's attrs name the
arguments the Java side passes.
"""
import torch
import torch.nn.functional as F

from golden import run_case, write

torch.manual_seed(1234)
f64 = torch.float64


def randn(*shape, dtype=f64):
    return torch.randn(shape, dtype=dtype)


def distinct(bound, rows, cols, dim):
    """int64 indices, distinct within every line along dim (so scatter has no colliding writes)."""
    out = torch.empty(rows, cols, dtype=torch.int64)
    lines, length = (cols, rows) if dim == 0 else (rows, cols)
    for l in range(lines):
        p = torch.randperm(bound)[:length]
        if dim == 0:
            out[:, l] = p
        else:
            out[l, :] = p
    return out


cases = []


def add(name, op, fn, inputs, attrs=None, grad=True):
    cases.append(run_case(name, op, fn, inputs, attrs, grad=grad, seed=len(cases)))


# gather
add("gather_dim1", "gather", lambda x, i: x.gather(1, i), [randn(3, 4, 5), torch.randint(0, 4, (3, 2, 5))], {"dim": 1})
add("gather_neg_dim", "gather", lambda x, i: x.gather(-1, i), [randn(4, 5), torch.randint(0, 5, (4, 7))], {"dim": -1})
add("gather_dim0_smaller_index", "gather", lambda x, i: x.gather(0, i), [randn(3, 4), torch.randint(0, 3, (5, 2))], {"dim": 0})
add("gather_0d", "gather", lambda x, i: x.gather(0, i), [randn(), torch.tensor(0)], {"dim": 0})
add("gather_empty_index", "gather", lambda x, i: x.gather(1, i), [randn(3, 4), torch.zeros(3, 0, dtype=torch.int64)], {"dim": 1})
add("gather_float32", "gather", lambda x, i: x.gather(1, i), [randn(6, 9, dtype=torch.float32), torch.randint(0, 9, (6, 4))],
    {"dim": 1})

# scatter (distinct indices: PyTorch leaves the winner of colliding writes unspecified)
add("scatter_dim1", "scatter", lambda s, i, src: s.scatter(1, i, src), [randn(3, 5), distinct(5, 3, 4, 1), randn(3, 4)], {"dim": 1})
add("scatter_dim0", "scatter", lambda s, i, src: s.scatter(0, i, src), [randn(4, 3), distinct(4, 2, 3, 0), randn(2, 3)], {"dim": 0})
add("scatter_src_larger", "scatter", lambda s, i, src: s.scatter(1, i, src),
    [randn(3, 5), distinct(5, 2, 3, 1), randn(3, 4)], {"dim": 1}, grad=False)
add("scatter_value", "scatterValue", lambda s, i: s.scatter(-1, i, 2.5), [randn(3, 5), distinct(5, 3, 2, 1)],
    {"dim": -1, "value": 2.5})

# scatter_add (repeated indices accumulate)
add("scatter_add_dim1", "scatterAdd", lambda s, i, src: s.scatter_add(1, i, src),
    [randn(3, 4), torch.randint(0, 4, (3, 6)), randn(3, 6)], {"dim": 1})
add("scatter_add_dim0", "scatterAdd", lambda s, i, src: s.scatter_add(0, i, src),
    [randn(3, 4), torch.randint(0, 3, (8, 4)), randn(8, 4)], {"dim": 0})
add("scatter_add_3d_neg_dim", "scatterAdd", lambda s, i, src: s.scatter_add(-2, i, src),
    [randn(2, 3, 4), torch.randint(0, 3, (2, 5, 4)), randn(2, 5, 4)], {"dim": -2})
add("scatter_add_src_larger", "scatterAdd", lambda s, i, src: s.scatter_add(0, i, src),
    [randn(3, 4), torch.randint(0, 3, (5, 2)), randn(6, 4)], {"dim": 0}, grad=False)
add("scatter_add_float32", "scatterAdd", lambda s, i, src: s.scatter_add(1, i, src),
    [randn(4, 5, dtype=torch.float32), torch.randint(0, 5, (4, 9)), randn(4, 9, dtype=torch.float32)], {"dim": 1})

# index_select / index_add
add("index_select_dim0", "indexSelect", lambda x, i: x.index_select(0, i), [randn(5, 3), torch.tensor([4, 0, 4, 2])], {"dim": 0})
add("index_select_neg_dim", "indexSelect", lambda x, i: x.index_select(-1, i), [randn(2, 3, 5), torch.tensor([1, 1, 3])],
    {"dim": -1})
add("index_select_0d_index", "indexSelect", lambda x, i: x.index_select(1, i), [randn(2, 3), torch.tensor(2)], {"dim": 1})
add("index_select_empty", "indexSelect", lambda x, i: x.index_select(0, i), [randn(4, 3), torch.zeros(0, dtype=torch.int64)],
    {"dim": 0})
add("index_add_dim0", "indexAdd", lambda s, i, src: s.index_add(0, i, src), [randn(4, 3), torch.tensor([0, 2, 0, 3, 0]), randn(5, 3)],
    {"dim": 0})
add("index_add_dim1", "indexAdd", lambda s, i, src: s.index_add(1, i, src), [randn(2, 5), torch.tensor([4, 4, 1]), randn(2, 3)],
    {"dim": 1})

# masked_fill
mask = torch.tensor([True, False, False, True])
add("masked_fill_broadcast", "maskedFill", lambda x, m: x.masked_fill(m, -1.5), [randn(3, 4), mask], {"value": -1.5})
add("masked_fill_tensor_value", "maskedFillTensor", lambda x, m, v: x.masked_fill(m, v),
    [randn(3, 4), torch.rand(3, 4) > 0.5, randn()])

# one_hot (int64 in, int64 out)
add("one_hot", "oneHot", lambda t: F.one_hot(t, 5), [torch.tensor([[0, 4], [2, 2]])], {"num_classes": 5})
add("one_hot_infer", "oneHot", lambda t: F.one_hot(t), [torch.tensor([3, 0, 1])], {"num_classes": -1})

# x[idx]
add("index_rows", "index", lambda x, i: x[i], [randn(5, 3), torch.tensor([[0, -1], [3, 3]])])

# cat / stack / split / chunk
add("cat_dim_neg1", "cat", lambda a, b, c: torch.cat([a, b, c], -1), [randn(2, 3), randn(2, 1), randn(2, 4)], {"dim": -1})
add("cat_dim0_3d", "cat", lambda a, b: torch.cat([a, b], 0), [randn(1, 2, 3), randn(2, 2, 3)], {"dim": 0})
add("cat_promote", "cat", lambda a, b: torch.cat([a, b], 0), [torch.tensor([[1, 2]]), randn(1, 2)], {"dim": 0})
add("cat_with_empty", "cat", lambda a, b, c: torch.cat([a, b, c], 1), [randn(2, 3), randn(2, 0), torch.zeros(0, dtype=f64)],
    {"dim": 1})
add("stack_dim1", "stack", lambda a, b, c: torch.stack([a, b, c], 1), [randn(2, 3), randn(2, 3), randn(2, 3)], {"dim": 1})
add("split_size", "split", lambda x: torch.cat([p * (k + 1) for k, p in enumerate(x.split(3, 0))], 0), [randn(7, 2)],
    {"split_size": 3, "dim": 0})
add("split_sizes", "splitSizes", lambda x: torch.cat([p * (k + 1) for k, p in enumerate(x.split([1, 3, 2], -1))], -1),
    [randn(2, 6)], {"sizes": [1, 3, 2], "dim": -1})
add("chunk", "chunk", lambda x: torch.cat([p * (k + 1) for k, p in enumerate(x.chunk(3, 1))], 1), [randn(2, 7)],
    {"chunks": 3, "dim": 1})

# pad (F.pad order: last dimension first)
add("pad_constant", "pad", lambda x: F.pad(x, (1, 2, 0, 1), value=0.5), [randn(2, 3, 4)],
    {"pads": [1, 2, 0, 1], "mode": "constant", "value": 0.5})
add("pad_crop", "pad", lambda x: F.pad(x, (-1, 2, 1, -1)), [randn(3, 5)], {"pads": [-1, 2, 1, -1], "mode": "constant", "value": 0})
add("pad_reflect_1d", "pad", lambda x: F.pad(x, (2, 3), mode="reflect"), [randn(2, 3, 5)], {"pads": [2, 3], "mode": "reflect"})
add("pad_reflect_2d", "pad", lambda x: F.pad(x, (2, 3, 1, 2), mode="reflect"), [randn(1, 2, 3, 5)],
    {"pads": [2, 3, 1, 2], "mode": "reflect"})
add("pad_replicate_1d", "pad", lambda x: F.pad(x, (2, 1), mode="replicate"), [randn(2, 4, 3)], {"pads": [2, 1], "mode": "replicate"})
add("pad_replicate_2d", "pad", lambda x: F.pad(x, (3, 1, 2, 2), mode="replicate"), [randn(1, 2, 3, 2)],
    {"pads": [3, 1, 2, 2], "mode": "replicate"})
add("pad_replicate_3d", "pad", lambda x: F.pad(x, (1, 1, 2, 0, 0, 1), mode="replicate"), [randn(1, 1, 2, 3, 2)],
    {"pads": [1, 1, 2, 0, 0, 1], "mode": "replicate"})
add("pad_empty", "pad", lambda x: F.pad(x, (1, 1)), [randn(0, 3)], {"pads": [1, 1], "mode": "constant", "value": 0})

# repeat / flip / tril / triu
add("repeat", "repeat", lambda x: x.repeat(2, 1, 3), [randn(2, 3)], {"repeats": [2, 1, 3]})
add("repeat_zero", "repeat", lambda x: x.repeat(0, 2), [randn(2, 3)], {"repeats": [0, 2]})
add("flip", "flip", lambda x: x.flip(0, -1), [randn(2, 3, 4)], {"dims": [0, -1]})
add("flip_middle", "flip", lambda x: x.flip(1), [randn(2, 3, 4)], {"dims": [1]})
add("tril", "tril", lambda x: x.tril(1), [randn(2, 4, 4)], {"k": 1})
add("tril_neg", "tril", lambda x: x.tril(-2), [randn(5, 3)], {"k": -2})
add("triu", "triu", lambda x: x.triu(-1), [randn(3, 5)], {"k": -1})
add("triu_big_k", "triu", lambda x: x.triu(4), [randn(3, 5)], {"k": 4})

write("indexing.json", cases, __file__)
