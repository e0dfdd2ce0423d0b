#!/usr/bin/python3
"""Golden values for EdfFileTests: an independent numpy decode of eegmat/Subject00_1.edf.

Parses the EDF header from the raw bytes (EDF spec field widths), decodes the 16-bit samples of a
few signals with numpy and applies phys = (dig - dig_min) * (phys_max - phys_min) / (dig_max - dig_min)
+ phys_min. Writes tests/Mfr.Tests/TestData/Eeg/edf_subject00_1.json.

Run from the repository root: /usr/bin/python3 tools/golden/eeg_edf_golden.py
"""
import json
import os

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def find_shared_data(start):
    """The repo's data lives in ../shared/data of the main checkout; worktrees sit one level deeper."""
    folder = start
    while True:
        candidate = os.path.join(os.path.dirname(folder), "shared", "data")
        if os.path.isdir(candidate):
            return candidate
        if os.path.dirname(folder) == folder:
            raise SystemExit("shared/data not found above " + start)
        folder = os.path.dirname(folder)


SOURCE = os.path.join(find_shared_data(ROOT), "eeg", "eegmat", "Subject00_1.edf")
OUTPUT = os.path.join(ROOT, "tests", "Mfr.Tests", "TestData", "Eeg", "edf_subject00_1.json")

raw = np.fromfile(SOURCE, dtype=np.uint8).tobytes()
header_bytes = int(raw[184:192].decode("ascii"))
records = int(raw[236:244].decode("ascii"))
ns = int(raw[252:256].decode("ascii"))


def field(offset, width):
    start = 256 + offset * ns
    return [raw[start + i * width:start + (i + 1) * width].decode("latin-1").strip() for i in range(ns)]


labels = field(0, 16)
pmin = np.array(field(16 + 80 + 8, 8), dtype=float)
pmax = np.array(field(16 + 80 + 16, 8), dtype=float)
dmin = np.array(field(16 + 80 + 24, 8), dtype=float)
dmax = np.array(field(16 + 80 + 32, 8), dtype=float)
spr = np.array(field(16 + 80 + 40 + 80, 8), dtype=int)
record_samples = int(spr.sum())

data = np.frombuffer(raw[header_bytes:], dtype="<i2").reshape(records, record_samples)
starts = np.concatenate(([0], np.cumsum(spr)[:-1]))

signals = []
for index in (0, 19, 20):
    digital = data[:, starts[index]:starts[index] + spr[index]].reshape(-1).astype(np.float64)
    physical = (digital - dmin[index]) * (pmax[index] - pmin[index]) / (dmax[index] - dmin[index]) + pmin[index]
    signals.append({
        "index": index,
        "label": labels[index],
        "first": physical[:10].tolist(),
        "fromSample1000": physical[1000:1010].tolist(),
        "last": physical[-5:].tolist(),
        "mean": float(physical.mean()),
        "std": float(physical.std()),
    })

golden = {
    "file": "Subject00_1.edf",
    "headerBytes": header_bytes,
    "recordCount": records,
    "signalCount": ns,
    "labels": labels,
    "samplesPerRecord": spr.tolist(),
    "signals": signals,
}
with open(OUTPUT, "w") as out:
    json.dump(golden, out, indent=1)
print("wrote", OUTPUT)
