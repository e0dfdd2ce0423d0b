"""A sparsify SAE folder, loaded and run as EleutherAI sparsify does, with numpy only.

Followed from EleutherAI/sparsify:
- sparsify/sparse_coder.py: SparseCoder.load_from_disk (cfg.json: pop d_in, then
  SparseCoderConfig.from_dict(drop_extra_fields=True); sae.safetensors loaded with
  safetensors.torch.load_model(strict=True), dtype of the first tensor); SparseCoder.__init__
  (num_latents = cfg.num_latents or d_in * expansion_factor; encoder = nn.Linear(d_in, num_latents):
  weight [num_latents, d_in]; W_dec [num_latents, d_in]; b_dec [d_in]; W_skip [d_in, d_in] with
  skip_connection); encode (x - b_dec unless transcode); decode (decoder_impl(top_indices, top_acts,
  W_dec.mT) + b_dec, i.e. sum_j acts_j W_dec[j]); forward (+ x @ W_skip.mT with skip_connection).
- sparsify/fused_encoder.py: FusedEncoder.forward: preacts = relu(linear(x, weight, bias)), then
  torch.topk(preacts, k) for activation "topk".
- sparsify/config.py: SparseCoderConfig defaults (activation topk, expansion_factor 32,
  num_latents 0, k 32, skip_connection False, transcode False).

Usage:
  python3 sparsify_sae.py reconstruct FOLDER INPUTS.npy OUTPUT.npy
  python3 sparsify_sae.py write FOLDER SEED D_IN NUM_LATENTS K   (an untied SAE)
"""
import json
import os
import sys

import numpy as np

import safetensors_numpy

CONFIG_FIELDS = {"activation", "expansion_factor", "normalize_decoder", "num_latents", "k", "multi_topk",
                 "skip_connection", "embed_skip", "gram_lookup", "lookup_max_order", "gram_table_hash", "transcode"}


def load(folder):
    with open(os.path.join(folder, "cfg.json")) as f:
        cfg = json.load(f)
    d_in = cfg.pop("d_in")
    cfg = {key: value for key, value in cfg.items() if key in CONFIG_FIELDS}  # drop_extra_fields=True
    cfg = {"activation": "topk", "expansion_factor": 32, "num_latents": 0, "k": 32, "skip_connection": False,
           "transcode": False, **cfg}
    if cfg["activation"] != "topk":
        raise ValueError("only the topk activation is reproduced here")
    num_latents = cfg["num_latents"] or d_in * cfg["expansion_factor"]
    state = safetensors_numpy.load(os.path.join(folder, "sae.safetensors"))
    expected = {"encoder.weight": (num_latents, d_in), "encoder.bias": (num_latents,),
                "W_dec": (num_latents, d_in), "b_dec": (d_in,)}
    if cfg["skip_connection"]:
        expected["W_skip"] = (d_in, d_in)
    if set(state) != set(expected):  # load_model(strict=True)
        raise ValueError(f"state dict keys {sorted(state)} != {sorted(expected)}")
    for name, shape in expected.items():
        if state[name].shape != shape:
            raise ValueError(f"{name} has shape {state[name].shape}, expected {shape}")
    return cfg, state


def reconstruct(cfg, state, x):
    x = x.astype(np.float32)
    sae_in = x if cfg["transcode"] else x - state["b_dec"]
    preacts = np.maximum(sae_in @ state["encoder.weight"].T + state["encoder.bias"], 0)
    indices = safetensors_numpy.topk_indices(preacts, cfg["k"])
    rows = np.arange(x.shape[0])[:, None]
    top_acts = preacts[rows, indices]
    out = np.einsum("bk,bkd->bd", top_acts, state["W_dec"][indices]) + state["b_dec"]
    if cfg["skip_connection"]:
        out = out + x @ state["W_skip"].T
    return out


def write(folder, seed, d_in, num_latents, k):
    rng = np.random.default_rng(seed)
    state = {
        "encoder.weight": rng.normal(size=(num_latents, d_in)).astype(np.float32) / np.sqrt(d_in),
        "encoder.bias": rng.normal(scale=0.1, size=num_latents).astype(np.float32),
        "W_dec": rng.normal(size=(num_latents, d_in)).astype(np.float32) / np.sqrt(d_in),
        "b_dec": rng.normal(scale=0.3, size=d_in).astype(np.float32),
    }
    os.makedirs(folder, exist_ok=True)
    safetensors_numpy.save(os.path.join(folder, "sae.safetensors"), state, {"format": "pt"})
    cfg = {"activation": "topk", "expansion_factor": max(1, num_latents // d_in), "normalize_decoder": True,
           "num_latents": num_latents, "k": k, "multi_topk": False, "skip_connection": False, "transcode": False,
           "d_in": d_in}
    with open(os.path.join(folder, "cfg.json"), "w") as f:
        json.dump(cfg, f)


if __name__ == "__main__":
    if sys.argv[1] == "reconstruct":
        cfg, state = load(sys.argv[2])
        np.save(sys.argv[4], reconstruct(cfg, state, np.load(sys.argv[3])).astype(np.float32))
    elif sys.argv[1] == "write":
        write(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]))
    else:
        raise SystemExit(__doc__)
