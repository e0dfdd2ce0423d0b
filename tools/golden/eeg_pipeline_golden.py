#!/usr/bin/python3
"""Golden values for EegPreprocessorTests: the SPEC section 5 pipeline in numpy/scipy on eegmat/Subject00_2.edf.

Independent of the C# code: the EDF is decoded with numpy from the raw bytes; then, per EEG channel
(the 19 10-20 channels, file order), optionally scipy.signal.resample_poly(x, 1, 2) (500 -> 250 Hz),
scipy.signal.sosfiltfilt(butter(5, [0.5, 45], 'bandpass', fs, output='sos'), x), 1-s segments (last one
zero-padded), per-segment per-channel z-score (population std floored at 1e-8), channel-major flattening.
Writes tests/Mfr.Tests/TestData/Eeg/eeg_pipeline_subject00_2.json with a few segment excerpts and the
sum of |value| of every segment.

Run from the repository root: /usr/bin/python3 tools/golden/eeg_pipeline_golden.py
"""
import json
import os

import numpy as np
import scipy
from scipy import signal

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUTPUT = os.path.join(ROOT, "tests", "Mfr.Tests", "TestData", "Eeg", "eeg_pipeline_subject00_2.json")
STANDARD_1020 = ["FP1", "FP2", "F3", "F4", "F7", "F8", "T3", "T4", "C3", "C4", "T5", "T6", "P3", "P4", "O1", "O2", "FZ", "CZ", "PZ"]


def find_shared_data(start):
    folder = start
    while True:
        candidate = os.path.join(os.path.dirname(folder), "shared", "data")
        if os.path.isdir(candidate):
            return candidate
        if os.path.dirname(folder) == folder:
            raise SystemExit("shared/data not found above " + start)
        folder = os.path.dirname(folder)


def read_edf(path):
    raw = open(path, "rb").read()
    header_bytes = int(raw[184:192].decode("ascii"))
    records = int(raw[236:244].decode("ascii"))
    ns = int(raw[252:256].decode("ascii"))

    def field(offset, width):
        start = 256 + offset * ns
        return [raw[start + i * width:start + (i + 1) * width].decode("latin-1").strip() for i in range(ns)]

    labels = field(0, 16)
    pmin = np.array(field(104, 8), dtype=float)
    pmax = np.array(field(112, 8), dtype=float)
    dmin = np.array(field(120, 8), dtype=float)
    dmax = np.array(field(128, 8), dtype=float)
    spr = np.array(field(216, 8), dtype=int)
    data = np.frombuffer(raw[header_bytes:], dtype="<i2").reshape(records, int(spr.sum()))
    starts = np.concatenate(([0], np.cumsum(spr)[:-1]))
    signals = {}
    for i, label in enumerate(labels):
        name = label[4:] if label.upper().startswith("EEG ") else label
        name = name.upper()
        if name in STANDARD_1020:
            digital = data[:, starts[i]:starts[i] + spr[i]].reshape(-1).astype(np.float64)
            signals[name] = (digital - dmin[i]) * (pmax[i] - pmin[i]) / (dmax[i] - dmin[i]) + pmin[i]
    return [name for name in (l[4:].upper() if l.upper().startswith("EEG ") else l.upper() for l in labels) if name in STANDARD_1020], signals


def pipeline(order, signals, fs_in, fs_out):
    sos = signal.butter(5, [0.5, 45.0], btype="bandpass", fs=fs_out, output="sos")
    channels = []
    for name in order:
        x = signals[name]
        if fs_out != fs_in:
            x = signal.resample_poly(x, fs_out, fs_in)
        channels.append(signal.sosfiltfilt(sos, x))
    n = len(channels[0])
    count = -(-n // fs_out)
    segments = np.zeros((count, len(order) * fs_out))
    for s in range(count):
        for c, x in enumerate(channels):
            piece = np.zeros(fs_out)
            chunk = x[s * fs_out:(s + 1) * fs_out]
            piece[:len(chunk)] = chunk
            std = max(piece.std(), 1e-8)
            segments[s, c * fs_out:(c + 1) * fs_out] = (piece - piece.mean()) / std
    return segments


order, signals = read_edf(os.path.join(find_shared_data(ROOT), "eeg", "eegmat", "Subject00_2.edf"))
result = {"generator": "tools/golden/eeg_pipeline_golden.py", "scipy": scipy.__version__, "file": "Subject00_2.edf",
          "channelLabels": order, "rates": []}
for fs_out in (250, 500):
    segments = pipeline(order, signals, 500, fs_out)
    excerpts = []
    for s in (0, len(segments) // 2, len(segments) - 1):
        for c in (0, 18):
            excerpts.append({"segment": s, "channel": c, "offset": c * fs_out,
                             "values": segments[s, c * fs_out:c * fs_out + 40].tolist()})
    result["rates"].append({"samplingRateHz": fs_out, "segmentCount": len(segments), "vectorLength": segments.shape[1],
                            "segmentAbsSums": np.abs(segments).sum(axis=1).tolist(), "excerpts": excerpts})
with open(OUTPUT, "w") as out:
    json.dump(result, out, separators=(",", ":"))
print("wrote", OUTPUT, os.path.getsize(OUTPUT), "bytes")
