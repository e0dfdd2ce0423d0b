#!/usr/bin/python3
"""Golden files for Mfr.Gpt2 model tests (tests/Mfr.Tests/TestData/Gpt2), computed by torch, not by Mfr.

Run with Debian's interpreter:  /usr/bin/python3 tools/golden/gpt2_make_golden.py

A tiny GPT-2 with random weights (vocab 96, context 160, width 32, 2 blocks, 4 heads of 8) is written
in the Hugging Face layout, and its forward pass is computed here in plain torch, written from
transformers' modeling_gpt2.py (GPT2Attention._attn, GPT2MLP, GPT2Block, GPT2LMHeadModel; Conv1D
is y = x W + b with W [in, out]); transformers itself is not installed. The forward runs in float64
so the expected values carry no float32 rounding of their own. Weights are rounded to float16 first,
so the F32 and F16 files hold exactly the same values.

Outputs:
  tiny_f32/model.safetensors           F32, Hugging Face names without prefix, plus the non-parameter
                                       scalar buffers h.{i}.attn.masked_bias (must be ignored)
  tiny_f32/config.json
  tiny_f16_prefixed/model.safetensors  F16, names prefixed 'transformer.', tensors in reverse order,
                                       plus BOOL causal-mask buffers h.{i}.attn.bias [1,1,160,160]
  tiny_f16_prefixed/config.json
  golden.json                          tokens, logits, hook activations and cross-entropies
"""
import json
import math
import os
import struct

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "Mfr.Tests", "TestData", "Gpt2")
CONFIG = dict(vocab_size=96, n_positions=160, n_embd=32, n_layer=2, n_head=4, layer_norm_epsilon=1e-5)
V, CTX, C, L, H = (CONFIG[k] for k in ("vocab_size", "n_positions", "n_embd", "n_layer", "n_head"))
D = C // H
EPS = CONFIG["layer_norm_epsilon"]

gen = torch.Generator().manual_seed(20241102)


def randn(*shape, std=1.0, mean=0.0):
    """Normal values rounded to float16 (so F16 and F32 files agree), kept as float64 for the math."""
    values = torch.randn(*shape, generator=gen, dtype=torch.float64) * std + mean
    return values.to(torch.float16).to(torch.float64)


# Larger than GPT-2's 0.02 init so that attention is far from uniform and every layer matters.
params = {"wte.weight": randn(V, C, std=0.5), "wpe.weight": randn(CTX, C, std=0.3)}
for i in range(L):
    p = f"h.{i}."
    params[p + "ln_1.weight"] = randn(C, std=0.1, mean=1.0)
    params[p + "ln_1.bias"] = randn(C, std=0.1)
    params[p + "attn.c_attn.weight"] = randn(C, 3 * C, std=0.35)
    params[p + "attn.c_attn.bias"] = randn(3 * C, std=0.1)
    params[p + "attn.c_proj.weight"] = randn(C, C, std=0.2)
    params[p + "attn.c_proj.bias"] = randn(C, std=0.1)
    params[p + "ln_2.weight"] = randn(C, std=0.1, mean=1.0)
    params[p + "ln_2.bias"] = randn(C, std=0.1)
    params[p + "mlp.c_fc.weight"] = randn(C, 4 * C, std=0.25)
    params[p + "mlp.c_fc.bias"] = randn(4 * C, std=0.1)
    params[p + "mlp.c_proj.weight"] = randn(4 * C, C, std=0.15)
    params[p + "mlp.c_proj.bias"] = randn(C, std=0.1)
params["ln_f.weight"] = randn(C, std=0.1, mean=1.0)
params["ln_f.bias"] = randn(C, std=0.1)


# ---- forward pass, transcribed from transformers/models/gpt2/modeling_gpt2.py ----------------------

def conv1d(x, name):
    # Conv1D.forward: size_out = x.size()[:-1] + (nf,); x = torch.addmm(bias, x.view(-1, x.size(-1)), weight)
    w, b = params[name + ".weight"], params[name + ".bias"]
    return torch.addmm(b, x.reshape(-1, x.size(-1)), w).reshape(*x.shape[:-1], w.shape[1])


def layer_norm(x, name):
    return torch.nn.functional.layer_norm(x, (C,), params[name + ".weight"], params[name + ".bias"], EPS)


def gelu_new(x):
    # transformers.activations.NewGELUActivation
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * torch.pow(x, 3.0))))


def split_heads(x):  # (B, T, C) -> (B, H, T, D)
    return x.view(*x.shape[:-1], H, D).permute(0, 2, 1, 3)


def attention(x, i):
    q, k, v = conv1d(x, f"h.{i}.attn.c_attn").split(C, dim=2)
    q, k, v = split_heads(q), split_heads(k), split_heads(v)
    w = torch.matmul(q, k.transpose(-1, -2))
    w = w / torch.full([], v.size(-1) ** 0.5, dtype=w.dtype)
    t = x.shape[1]
    causal = torch.tril(torch.ones(t, t, dtype=torch.bool)).view(1, 1, t, t)
    w = torch.where(causal, w, torch.tensor(torch.finfo(w.dtype).min, dtype=w.dtype))
    w = torch.softmax(w, dim=-1)
    out = torch.matmul(w, v).permute(0, 2, 1, 3).contiguous().view(x.shape)
    return conv1d(out, f"h.{i}.attn.c_proj")


def forward(tokens, edit=None):
    """Logits and the activations at every hook point; edit(point, layer, tensor) may replace one."""
    acts = {}

    def hook(point, layer, value):
        if edit is not None:
            value = edit(point, layer, value)
        acts[(point, layer)] = value
        return value

    t = tokens.shape[1]
    h = params["wte.weight"][tokens] + params["wpe.weight"][torch.arange(t)]
    for i in range(L):
        a = hook("attn", i, attention(layer_norm(h, f"h.{i}.ln_1"), i))
        h = a + h
        m = hook("mlp", i, conv1d(gelu_new(conv1d(layer_norm(h, f"h.{i}.ln_2"), f"h.{i}.mlp.c_fc")), f"h.{i}.mlp.c_proj"))
        h = h + m
        h = hook("resid", i, h)
    logits = torch.matmul(layer_norm(h, "ln_f"), params["wte.weight"].T)  # lm_head tied to wte
    return logits, acts


def cross_entropy(logits, tokens):
    # GPT2LMHeadModel: shift so that position t predicts token t + 1; CrossEntropyLoss mean
    shift_logits = logits[:, :-1, :].reshape(-1, V)
    shift_labels = tokens[:, 1:].reshape(-1)
    per_position = torch.nn.functional.cross_entropy(shift_logits, shift_labels, reduction="none")
    return per_position.mean().item(), per_position


def zero_block0_mlp(point, layer, value):
    return torch.zeros_like(value) if (point, layer) == ("mlp", 0) else value


def halve_block0_mlp_plus_tenth(point, layer, value):
    return value * 0.5 + 0.1 if (point, layer) == ("mlp", 0) else value


# ---- files ---------------------------------------------------------------------------------------

def write_safetensors(path, tensors):
    """tensors: list of (name, dtype string, shape, raw bytes), stored in that order."""
    header, offset, blobs = {"__metadata__": {"format": "pt"}}, 0, []
    for name, dtype, shape, raw in tensors:
        header[name] = {"dtype": dtype, "shape": list(shape), "data_offsets": [offset, offset + len(raw)]}
        offset += len(raw)
        blobs.append(raw)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for raw in blobs:
            f.write(raw)


def raw(tensor, np_dtype):
    return np.ascontiguousarray(tensor.numpy().astype(np_dtype)).astype(np_dtype.newbyteorder("<")).tobytes()


def write_model(folder, tensors):
    os.makedirs(os.path.join(OUT, folder), exist_ok=True)
    write_safetensors(os.path.join(OUT, folder, "model.safetensors"), tensors)
    with open(os.path.join(OUT, folder, "config.json"), "w") as f:
        json.dump(dict(model_type="gpt2", activation_function="gelu_new", **CONFIG), f, indent=2)


def floats(tensor):
    return [float("%.9g" % v) for v in tensor.reshape(-1).tolist()]


os.makedirs(OUT, exist_ok=True)

f32 = [(name, "F32", tuple(value.shape), raw(value, np.dtype(np.float32))) for name, value in params.items()]
for i in range(L):
    f32.insert(2 + 14 * i, (f"h.{i}.attn.masked_bias", "F32", (), raw(torch.tensor(-1e4), np.dtype(np.float32))))
write_model("tiny_f32", f32)

f16 = [("transformer." + name, "F16", tuple(value.shape), raw(value, np.dtype(np.float16))) for name, value in params.items()]
mask = np.tril(np.ones((CTX, CTX), dtype=np.uint8)).reshape(1, 1, CTX, CTX).tobytes()
for i in range(L):
    f16.append((f"transformer.h.{i}.attn.bias", "BOOL", (1, 1, CTX, CTX), mask))
write_model("tiny_f16_prefixed", list(reversed(f16)))

# Run A: two sequences of 24 tokens, everything recorded.
tokens_a = torch.randint(0, V, (2, 24), generator=gen)
logits_a, acts_a = forward(tokens_a)
ce_clean, _ = cross_entropy(logits_a, tokens_a)
ce_zero, _ = cross_entropy(forward(tokens_a, zero_block0_mlp)[0], tokens_a)
ce_edit, _ = cross_entropy(forward(tokens_a, halve_block0_mlp_plus_tenth)[0], tokens_a)
_, acts_zero = forward(tokens_a, zero_block0_mlp)

# Run B: one sequence of the full context (160 > Mfr's 128-row attention blocks).
tokens_b = torch.randint(0, V, (1, CTX), generator=gen)
logits_b, _ = forward(tokens_b)
ce_b, per_position_b = cross_entropy(logits_b, tokens_b)

golden = {
    "config": CONFIG,
    "a": {
        "batch_size": 2, "sequence_length": 24, "tokens": tokens_a.reshape(-1).tolist(),
        "logits": floats(logits_a),
        "block0_attention_output": floats(acts_a[("attn", 0)]),
        "block0_mlp_output": floats(acts_a[("mlp", 0)]),
        "block0_residual": floats(acts_a[("resid", 0)]),
        "block1_mlp_output": floats(acts_a[("mlp", 1)]),
        "block1_residual_with_block0_mlp_zeroed": floats(acts_zero[("resid", 1)]),
        "cross_entropy": ce_clean,
        "cross_entropy_block0_mlp_zeroed": ce_zero,
        "cross_entropy_block0_mlp_halved_plus_tenth": ce_edit,
    },
    "b": {
        "batch_size": 1, "sequence_length": CTX, "tokens": tokens_b.reshape(-1).tolist(),
        "last_position_logits": floats(logits_b[0, -1]),
        "position_losses": floats(per_position_b),
        "cross_entropy": ce_b,
    },
}
with open(os.path.join(OUT, "golden.json"), "w") as f:
    json.dump(golden, f)
print("clean CE %.6f, block-0 MLP zeroed %.6f, edited %.6f, long sequence %.6f" % (ce_clean, ce_zero, ce_edit, ce_b))
for root, _, files in os.walk(OUT):
    for name in sorted(files):
        print("%8d %s" % (os.path.getsize(os.path.join(root, name)), os.path.relpath(os.path.join(root, name), OUT)))
