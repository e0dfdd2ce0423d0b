"""Golden optima for Mfr.Matching.LinearAssignment from scipy.optimize.linear_sum_assignment.

Writes tests/Mfr.Tests/TestData/Matching/linear_assignment_scipy.json: a few seeded float32
matrices (uniform, a cosine matrix between random unit vectors, rectangular both ways), each with
scipy's maximising assignment and its total computed in float64 from the float32 values.

Run from the repository root: /usr/bin/python3 tools/golden/linear_assignment_golden.py
"""
import json
import os

import numpy as np
import scipy
from scipy.optimize import linear_sum_assignment


def case(name, matrix):
    matrix = matrix.astype(np.float32)
    rows, cols = linear_sum_assignment(matrix.astype(np.float64), maximize=True)
    column_for_row = [-1] * matrix.shape[0]
    for r, c in zip(rows, cols):
        column_for_row[int(r)] = int(c)
    total = float(matrix.astype(np.float64)[rows, cols].sum())
    return {
        "name": name,
        "rows": int(matrix.shape[0]),
        "columns": int(matrix.shape[1]),
        # repr of a float32 widened to float64 is exact and parses back to the same float32
        "values": [float(v) for v in matrix.ravel()],
        "columnForRow": column_for_row,
        "total": total,
    }


def unit_rows(rng, count, dimension):
    x = rng.standard_normal((count, dimension))
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def main():
    rng = np.random.default_rng(20240611)
    a, b = unit_rows(rng, 48, 16), unit_rows(rng, 48, 16)
    cases = [
        case("uniform 40x40", rng.uniform(-1, 1, (40, 40))),
        case("cosines 48x48 d=16", a @ b.T),
        case("uniform 25x60", rng.uniform(-1, 1, (25, 60))),
        case("uniform 60x25", rng.uniform(-1, 1, (60, 25))),
    ]
    out = os.path.join("tests", "Mfr.Tests", "TestData", "Matching", "linear_assignment_scipy.json")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        json.dump({"generator": f"scipy {scipy.__version__} linear_sum_assignment(maximize=True)", "cases": cases}, f)
    print(out, os.path.getsize(out), "bytes")


if __name__ == "__main__":
    main()
