"""Golden values for the recurrent layers (RNN, LSTM, GRU, their cells) and Embedding from PyTorch 1.13:
outputs, final states, and the gradients of the input, the initial states and every parameter for seeded
random output gradients. Variable-length cases run PyTorch's pack_padded_sequence(enforce_sorted=False)
+ pad_packed_sequence(total_length=T), which is what Ember's `lengths` argument reproduces.
Run: /usr/bin/python3 tools/golden/gen_rnn.py"""
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

import golden

torch.manual_seed(2024)
cases = []


def grads_for(named_outputs, inputs, module, seed):
    """Seeded random gradients for every output; returns (grad_outputs, input_grads, param_grads)."""
    g = torch.Generator().manual_seed(seed)
    gos = {k: torch.randn(v.shape, generator=g, dtype=v.dtype) for k, v in named_outputs.items()}
    diff_inputs = [(k, v) for k, v in inputs.items() if v.requires_grad]
    params = list(module.named_parameters())
    targets = [v for _, v in diff_inputs] + [p for _, p in params]
    outs = list(named_outputs.values())
    grads = torch.autograd.grad(outs, targets, [gos[k] for k in named_outputs], allow_unused=True)
    it = iter(grads)

    def value(t, gr):
        return golden.tensor(gr if gr is not None else torch.zeros_like(t))

    input_grads = {k: value(v, next(it)) for k, v in diff_inputs}
    param_grads = {k: value(p, next(it)) for k, p in params}
    return {k: golden.tensor(v) for k, v in gos.items()}, input_grads, param_grads


def add(name, kind, attrs, module, inputs, run):
    """inputs: name -> tensor (floating ones get requires_grad); run(module, inputs) -> name -> output tensor."""
    module.eval()
    state = {k: golden.tensor(v) for k, v in module.state_dict().items()}
    ins = {k: (v.clone().requires_grad_(True) if v.is_floating_point() else v) for k, v in inputs.items()}
    outs = run(module, ins)
    gos, input_grads, param_grads = grads_for(outs, ins, module, seed=len(cases))
    cases.append({"name": name, "kind": kind, "attrs": attrs, "state": state,
                  "inputs": {k: golden.tensor(v) for k, v in inputs.items()},
                  "outputs": {k: golden.tensor(v) for k, v in outs.items()},
                  "grad_outputs": gos, "input_grads": input_grads, "param_grads": param_grads})


def rnn_attrs(mod, kind):
    a = {"input": mod.input_size, "hidden": mod.hidden_size, "layers": mod.num_layers, "bias": mod.bias,
         "batchFirst": mod.batch_first, "bidirectional": mod.bidirectional}
    if kind == "RNN":
        a["nonlinearity"] = mod.nonlinearity
    return a


def run_seq(lstm):
    def run(mod, ins):
        x = ins["x"]
        hx = None
        if "h0" in ins:
            hx = (ins["h0"], ins["c0"]) if lstm else ins["h0"]
        if "lengths" in ins:
            t = x.shape[1] if mod.batch_first else x.shape[0]
            packed = pack_padded_sequence(x, ins["lengths"], batch_first=mod.batch_first, enforce_sorted=False)
            out_p, h = mod(packed, hx)
            out, _ = pad_packed_sequence(out_p, batch_first=mod.batch_first, total_length=t)
        else:
            out, h = mod(x, hx)
        if lstm:
            return {"output": out, "h_n": h[0], "c_n": h[1]}
        return {"output": out, "h_n": h}
    return run


def seq_case(name, kind, mod, x, h0=None, c0=None, lengths=None):
    inputs = {"x": x}
    if h0 is not None:
        inputs["h0"] = h0
    if c0 is not None:
        inputs["c0"] = c0
    if lengths is not None:
        inputs["lengths"] = torch.tensor(lengths, dtype=torch.int64)
    add(name, kind, rnn_attrs(mod, kind), mod, inputs, run_seq(kind == "LSTM"))


T, N, I, H = 5, 3, 4, 3

seq_case("rnn_tanh_2layer", "RNN", nn.RNN(I, H, num_layers=2), torch.randn(T, N, I), h0=torch.randn(2, N, H))
seq_case("rnn_relu_nobias", "RNN", nn.RNN(I, H, nonlinearity="relu", bias=False), torch.randn(T, N, I))
seq_case("rnn_relu_bidir_batch_first", "RNN", nn.RNN(I, H, nonlinearity="relu", batch_first=True, bidirectional=True),
         torch.randn(N, T, I), h0=torch.randn(2, N, H))
seq_case("lstm_2layer_bidir_batch_first", "LSTM", nn.LSTM(I, H, num_layers=2, batch_first=True, bidirectional=True),
         torch.randn(N, T, I), h0=torch.randn(4, N, H), c0=torch.randn(4, N, H))
seq_case("lstm_unbatched", "LSTM", nn.LSTM(I, H), torch.randn(T, I), h0=torch.randn(1, H), c0=torch.randn(1, H))
seq_case("gru_bidir", "GRU", nn.GRU(I, H, bidirectional=True), torch.randn(T, N, I))
seq_case("gru_2layer_nobias", "GRU", nn.GRU(I, H, num_layers=2, bias=False), torch.randn(T, N, I), h0=torch.randn(2, N, H))
seq_case("lstm_lengths_2layer_bidir", "LSTM", nn.LSTM(I, H, num_layers=2, bidirectional=True), torch.randn(T, 4, I),
         h0=torch.randn(4, 4, H), c0=torch.randn(4, 4, H), lengths=[5, 2, 4, 1])
seq_case("gru_lengths_bidir_batch_first", "GRU", nn.GRU(I, H, batch_first=True, bidirectional=True), torch.randn(N, T, I),
         h0=torch.randn(2, N, H), lengths=[3, 1, 2])
seq_case("rnn_lengths", "RNN", nn.RNN(I, H, num_layers=2), torch.randn(T, N, I), lengths=[2, 5, 3])


def cell_case(name, kind, cell, x, h=None, c=None):
    inputs = {"x": x}
    if h is not None:
        inputs["h"] = h
    if c is not None:
        inputs["c"] = c

    def run(mod, ins):
        hx = None
        if "h" in ins:
            hx = (ins["h"], ins["c"]) if kind == "LSTMCell" else ins["h"]
        out = mod(ins["x"], hx)
        return {"h": out[0], "c": out[1]} if kind == "LSTMCell" else {"h": out}

    attrs = {"input": cell.input_size, "hidden": cell.hidden_size, "bias": cell.bias}
    if kind == "RNNCell":
        attrs["nonlinearity"] = cell.nonlinearity
    add(name, kind, attrs, cell, inputs, run)


cell_case("rnncell_tanh", "RNNCell", nn.RNNCell(I, H), torch.randn(N, I), torch.randn(N, H))
cell_case("rnncell_relu_nobias", "RNNCell", nn.RNNCell(I, H, bias=False, nonlinearity="relu"), torch.randn(N, I), torch.randn(N, H))
cell_case("lstmcell", "LSTMCell", nn.LSTMCell(I, H), torch.randn(N, I), torch.randn(N, H), torch.randn(N, H))
cell_case("lstmcell_zero_state", "LSTMCell", nn.LSTMCell(I, H), torch.randn(N, I))
cell_case("grucell", "GRUCell", nn.GRUCell(I, H), torch.randn(N, I), torch.randn(N, H))
cell_case("grucell_unbatched", "GRUCell", nn.GRUCell(I, H), torch.randn(I), torch.randn(H))


def emb_case(name, emb, indices):
    attrs = {"num": emb.num_embeddings, "dim": emb.embedding_dim}
    if emb.padding_idx is not None:
        attrs["paddingIdx"] = emb.padding_idx
    add(name, "Embedding", attrs, emb, {"indices": indices}, lambda mod, ins: {"output": mod(ins["indices"])})


emb_case("embedding", nn.Embedding(7, 4), torch.tensor([[0, 3, 6], [3, 3, 1]]))
emb_pad = nn.Embedding(6, 3, padding_idx=2)
with torch.no_grad():
    emb_pad.weight[2] = torch.randn(3)  # a non-zero padding row is read as it is but gets no gradient
emb_case("embedding_padding", emb_pad, torch.tensor([[2, 0, 5, 2], [1, 2, 1, 4]]))
emb_case("embedding_padding_negative_int32", nn.Embedding(5, 2, padding_idx=-1), torch.tensor([4, 0, 4, 3], dtype=torch.int32))

golden.write("rnn.json", cases, __file__)
