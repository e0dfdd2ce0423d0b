#!/usr/bin/python3
"""Golden files for Mfr.IO tests (tests/Mfr.Tests/TestData/IO), written by numpy and torch, not by Mfr.

Run with Debian's interpreter:  /usr/bin/python3 tools/golden/io_make_golden.py
Outputs (all small):
  *.npy                 arrays saved by numpy (np.save / np.lib.format.write_array)
  golden.safetensors    F32, F16 and BF16 tensors, written with struct + json exactly per the
                        safetensors format (8-byte LE header length, JSON header padded with spaces
                        to a multiple of 8, data section), header keys NOT in offset order
  expected.json         for every readable array: shape and the float32 bit patterns (uint32) that
                        numpy / torch give when converting the stored values to float32
"""
import json
import os
import struct

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "Mfr.Tests", "TestData", "IO")
rng = np.random.default_rng(20240611)
expected = {}


def record(name, array):
    """Remember what a reader must return: numpy's own conversion to float32, as exact bit patterns."""
    as_f32 = np.ascontiguousarray(array, dtype=np.float32)
    expected[name] = {"shape": list(array.shape), "bits": as_f32.view(np.uint32).ravel().tolist()}


def save(name, array, version=None):
    path = os.path.join(OUT, name)
    if version is None:
        np.save(path, array)
    else:
        with open(path, "wb") as f:
            np.lib.format.write_array(f, array, version=version)


def half_specials():
    """Every 257th binary16 bit pattern (all exponents, varied mantissas) plus edge values; no NaN."""
    bits = list(range(0, 65536, 257)) + [0x0000, 0x8000, 0x0001, 0x8001, 0x03FF, 0x0400, 0x7BFF, 0xFBFF, 0x7C00, 0xFC00, 0x3C00, 0x3555]
    bits = [b for b in bits if not ((b & 0x7C00) == 0x7C00 and (b & 0x03FF) != 0)]  # drop NaNs
    return np.array(bits, dtype=np.uint16).view(np.float16)


os.makedirs(OUT, exist_ok=True)

# Readable .npy files.
f32_2d = rng.standard_normal((5, 3)).astype(np.float32)
save("f32_2d.npy", f32_2d); record("f32_2d.npy", f32_2d)
f32_1d = rng.standard_normal(7).astype(np.float32)
save("f32_1d.npy", f32_1d); record("f32_1d.npy", f32_1d)
f32_3d = rng.standard_normal((2, 3, 4)).astype(np.float32)
save("f32_3d.npy", f32_3d); record("f32_3d.npy", f32_3d)
halves = half_specials()
f16_2d = halves[: (len(halves) // 4) * 4].reshape(-1, 4)
save("f16_2d.npy", f16_2d); record("f16_2d.npy", f16_2d)
f64_2d = rng.standard_normal((3, 4)) * 1e3
save("f64_2d.npy", f64_2d); record("f64_2d.npy", f64_2d)
v2 = rng.standard_normal((4, 2)).astype(np.float32)
save("f32_v2.npy", v2, version=(2, 0)); record("f32_v2.npy", v2)
v3 = rng.standard_normal((3, 2)).astype(np.float16)
save("f16_v3.npy", v3, version=(3, 0)); record("f16_v3.npy", v3)

# .npy files that must be refused.
save("f32_fortran.npy", np.asfortranarray(rng.standard_normal((3, 4)).astype(np.float32)))
save("f32_bigendian.npy", rng.standard_normal((2, 2)).astype(">f4"))
save("structured.npy", np.zeros(3, dtype=[("a", "<f4"), ("b", "<i4")]))

# safetensors with F32, F16 and BF16 tensors. BF16 values come from torch's float32 -> bfloat16 rounding.
weight = rng.standard_normal((2, 3)).astype(np.float32)
half = rng.standard_normal(5).astype(np.float16)
brain = torch.from_numpy(rng.standard_normal((3, 2)).astype(np.float32)).to(torch.bfloat16)
brain_bits = brain.view(torch.int16).numpy().view(np.uint16)
tensors = [  # (name, dtype, shape, raw bytes, float32 values) in data order
    ("layer.weight", "F32", [2, 3], weight.tobytes(), weight),
    ("half_vector", "F16", [5], half.tobytes(), half),
    ("brain", "BF16", [3, 2], brain_bits.tobytes(), brain.to(torch.float32).numpy()),
]
header = {}
offset = 0
for name, dtype, shape, raw, values in tensors:
    header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [offset, offset + len(raw)]}
    offset += len(raw)
    record("golden.safetensors:" + name, values)
# Keys in an order different from the offsets, and metadata in the middle, as other writers may do.
ordered = {"brain": header["brain"], "__metadata__": {"format": "pt", "source": "io_make_golden.py"},
           "layer.weight": header["layer.weight"], "half_vector": header["half_vector"]}
text = json.dumps(ordered).encode("utf-8")
text += b" " * ((8 - len(text) % 8) % 8)
with open(os.path.join(OUT, "golden.safetensors"), "wb") as f:
    f.write(struct.pack("<Q", len(text)))
    f.write(text)
    for _, _, _, raw, _ in tensors:
        f.write(raw)

with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1)
print("wrote", sorted(os.listdir(OUT)))
