#!/usr/bin/python3
"""Golden values for the EEG filter tests, from Debian python3-scipy (scipy.signal).

Writes into tests/Mfr.Tests/TestData/Eeg/:
  eeg_butter_sos.json        scipy.signal.butter(order, [low, high], btype='bandpass', fs=fs, output='sos')
                             for the pipeline's order 5, 0.5-45 Hz at 250/256/500 Hz plus other orders/bands
  eeg_sosfiltfilt_<fs>.json  scipy.signal.sosfiltfilt(sos, x) (defaults: padtype='odd', scipy padlen)
                             and sosfilt_zi(sos), sosfilt(sos, x) on seeded random + sinusoid signals
  eeg_resample_poly.json     scipy.signal.resample_poly(x, up, down) (defaults: window ('kaiser', 5.0))

Run from the repository root: /usr/bin/python3 tools/golden/eeg_filter_golden.py
"""
import json
import os

import numpy as np
import scipy
from scipy import signal

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "Mfr.Tests", "TestData", "Eeg")


def write(name, payload):
    payload = {"generator": "tools/golden/eeg_filter_golden.py", "scipy": scipy.__version__, "numpy": np.__version__, **payload}
    path = os.path.join(OUT, name)
    with open(path, "w") as out:
        json.dump(payload, out, separators=(",", ":"))
    print("wrote", path, os.path.getsize(path), "bytes")


def eeg_like(rng, n, fs):
    """Random noise plus alpha-band and slow sinusoids and a DC offset (exercises the odd extension and zi)."""
    t = np.arange(n) / fs
    return (30.0 + 10.0 * rng.standard_normal(n) + 20.0 * np.sin(2 * np.pi * 10.0 * t + 0.3)
            + 5.0 * np.sin(2 * np.pi * 0.2 * t) + 3.0 * np.sin(2 * np.pi * 60.0 * t))


# Butterworth band-pass designs.
designs = [
    (5, 0.5, 45.0, 250.0), (5, 0.5, 45.0, 256.0), (5, 0.5, 45.0, 500.0),
    (4, 1.0, 40.0, 200.0), (3, 0.1, 100.0, 1000.0), (1, 8.0, 12.0, 128.0),
    (2, 8.0, 12.0, 128.0), (6, 0.5, 45.0, 250.0), (7, 20.0, 22.0, 100.0),
]
write("eeg_butter_sos.json", {"cases": [
    {"order": o, "lowHz": lo, "highHz": hi, "samplingRateHz": fs,
     "sos": signal.butter(o, [lo, hi], btype="bandpass", fs=fs, output="sos").ravel().tolist()}
    for (o, lo, hi, fs) in designs]})

# sosfiltfilt on the pipeline's filter at each rate.
rng = np.random.default_rng(20240501)
for fs, lengths in ((250, (34, 35, 200, 1200)), (256, (700,)), (500, (1500,))):
    sos = signal.butter(5, [0.5, 45.0], btype="bandpass", fs=fs, output="sos")
    padlen = 3 * (2 * len(sos) + 1 - min((sos[:, 2] == 0).sum(), (sos[:, 5] == 0).sum()))
    cases = []
    for n in lengths:
        x = eeg_like(rng, n, fs)
        cases.append({"input": x.tolist(), "zeroPhase": signal.sosfiltfilt(sos, x).tolist(),
                      "causal": signal.sosfilt(sos, x).tolist()})
    write(f"eeg_sosfiltfilt_{fs}.json", {"samplingRateHz": fs, "sos": sos.ravel().tolist(), "padLength": int(padlen),
                                         "initialConditions": signal.sosfilt_zi(sos).ravel().tolist(), "cases": cases})

# resample_poly.
cases = []
for up, down, n, fs in ((1, 2, 1001, 500), (250, 256, 512, 256), (2, 1, 300, 250), (3, 2, 7, 100), (125, 128, 40, 256)):
    x = eeg_like(rng, n, fs)
    y = signal.resample_poly(x, up, down)
    g = np.gcd(up, down)
    max_rate = max(up, down) // g
    taps = signal.firwin(2 * 10 * max_rate + 1, 1.0 / max_rate, window=("kaiser", 5.0)) * (up // g)
    cases.append({"up": up, "down": down, "input": x.tolist(), "output": y.tolist(),
                  "tapCount": len(taps), "tapsHead": taps[:25].tolist(),
                  "tapsCenter": taps[len(taps) // 2 - 12:len(taps) // 2 + 13].tolist()})
write("eeg_resample_poly.json", {"cases": cases})
