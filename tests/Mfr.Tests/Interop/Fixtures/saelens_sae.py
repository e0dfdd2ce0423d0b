"""An SAELens v6 TopK SAE folder, loaded and run as SAELens does, with numpy only.

Followed from decoderesearch/SAELens:
- sae_lens/saes/sae.py: SAE.load_from_disk (converter sae_lens_disk_loader, then
  SAEConfig.from_dict keeping only the config class's fields, then load_state_dict(strict=True,
  assign=True)); SAEConfig defaults (dtype float32, apply_b_dec_to_input True,
  normalize_activations "none"); process_sae_in (x - b_dec * apply_b_dec_to_input).
- sae_lens/loading/pretrained_sae_loaders.py: sae_lens_disk_loader reads PATH/cfg.json and every
  tensor of PATH/sae_weights.safetensors (read_sae_components_from_disk).
- sae_lens/saes/topk_sae.py: TopKSAEConfig (k default 100, rescale_acts_by_decoder_norm default
  False), TopKSAE.encode (hidden_pre = sae_in @ W_enc + b_enc, times ||W_dec_j|| when rescaling,
  then TopK: torch.topk then relu, scattered into zeros), TopKSAE.decode (_act_times_W_dec:
  acts / ||W_dec_j|| when rescaling, @ W_dec, + b_dec).
- sae_lens/training/sae_trainer.py: _log_feature_sparsity = log10(frequency + 1e-10), saved as
  tensor "sparsity" in sparsity.safetensors.

Usage:
  python3 saelens_sae.py reconstruct FOLDER INPUTS.npy OUTPUT.npy
  python3 saelens_sae.py write FOLDER SEED D_IN D_SAE K   (an untied SAE, rescaled decoder norms)
"""
import json
import os
import sys

import numpy as np

import safetensors_numpy

TOPK_FIELDS = {"d_in", "d_sae", "dtype", "device", "apply_b_dec_to_input", "normalize_activations",
               "reshape_activations", "metadata", "k", "rescale_acts_by_decoder_norm"}
STATE_KEYS = {"W_enc", "b_enc", "W_dec", "b_dec"}


def load(folder):
    with open(os.path.join(folder, "cfg.json")) as f:
        cfg = json.load(f)
    # handle_config_defaulting: without a 6.x sae_lens_version (top level or metadata) the dict is converted as pre-6.0.
    version = cfg.get("sae_lens_version") or cfg.get("metadata", {}).get("sae_lens_version")
    if not version or int(version.split(".")[0]) < 6:
        raise ValueError(f"sae_lens_version {version!r}: not a v6 config")
    if cfg["architecture"] != "topk":
        raise ValueError(f"architecture {cfg['architecture']} is not topk")
    cfg = {key: value for key, value in cfg.items() if key in TOPK_FIELDS}  # filter_valid_dataclass_fields
    cfg.setdefault("apply_b_dec_to_input", True)
    cfg.setdefault("normalize_activations", "none")
    cfg.setdefault("k", 100)
    cfg.setdefault("rescale_acts_by_decoder_norm", False)
    if cfg["normalize_activations"] != "none":
        raise ValueError("normalize_activations other than none is not reproduced here")
    state = safetensors_numpy.load(os.path.join(folder, "sae_weights.safetensors"))
    if set(state) != STATE_KEYS:  # load_state_dict(strict=True)
        raise ValueError(f"state dict keys {sorted(state)} != {sorted(STATE_KEYS)}")
    d_in, d_sae = cfg["d_in"], cfg["d_sae"]
    expected = {"W_enc": (d_in, d_sae), "b_enc": (d_sae,), "W_dec": (d_sae, d_in), "b_dec": (d_in,)}
    for name, shape in expected.items():
        if state[name].shape != shape:
            raise ValueError(f"{name} has shape {state[name].shape}, expected {shape}")
    sparsity_path = os.path.join(folder, "sparsity.safetensors")
    if os.path.exists(sparsity_path):
        sparsity = safetensors_numpy.load(sparsity_path)["sparsity"]
        if sparsity.shape != (d_sae,):
            raise ValueError(f"sparsity has shape {sparsity.shape}")
    return cfg, state


def reconstruct(cfg, state, x):
    x = x.astype(np.float32)
    sae_in = x - state["b_dec"] * float(cfg["apply_b_dec_to_input"])
    hidden_pre = sae_in @ state["W_enc"] + state["b_enc"]
    norms = np.linalg.norm(state["W_dec"], axis=-1)
    if cfg["rescale_acts_by_decoder_norm"]:
        hidden_pre = hidden_pre * norms
    indices = safetensors_numpy.topk_indices(hidden_pre, cfg["k"])
    acts = np.zeros_like(hidden_pre)
    rows = np.arange(x.shape[0])[:, None]
    acts[rows, indices] = np.maximum(hidden_pre[rows, indices], 0)  # TopK: topk_values.relu()
    if cfg["rescale_acts_by_decoder_norm"]:
        acts = acts * (1 / norms)
    return acts @ state["W_dec"] + state["b_dec"]


def write(folder, seed, d_in, d_sae, k):
    rng = np.random.default_rng(seed)
    state = {
        "W_enc": rng.normal(size=(d_in, d_sae)).astype(np.float32) / np.sqrt(d_in),
        "b_enc": rng.normal(scale=0.1, size=d_sae).astype(np.float32),
        # Untied and not unit-norm, so the rescaling and the b_dec subtraction both matter.
        "W_dec": (rng.normal(size=(d_sae, d_in)) * rng.uniform(0.5, 2.0, size=(d_sae, 1))).astype(np.float32) / np.sqrt(d_in),
        "b_dec": rng.normal(scale=0.3, size=d_in).astype(np.float32),
    }
    os.makedirs(folder, exist_ok=True)
    safetensors_numpy.save(os.path.join(folder, "sae_weights.safetensors"), state, {"format": "pt"})
    cfg = {"d_in": d_in, "d_sae": d_sae, "dtype": "float32", "device": "cpu", "apply_b_dec_to_input": True,
           "normalize_activations": "none", "reshape_activations": "none",
           "metadata": {"sae_lens_version": "6.0.0", "hook_name": "blocks.0.hook_mlp_out"},
           "k": k, "rescale_acts_by_decoder_norm": True, "architecture": "topk"}
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
