"""The promotion table in docs/dtypes.md is what gpuflow does."""

from __future__ import annotations

from pathlib import Path

import gpuflow as tf

DOC = Path(__file__).resolve().parents[2] / "docs" / "dtypes.md"


def test_promotion_table_matches_gpuflow():
    lines = [line for line in DOC.read_text().splitlines() if line.startswith("| ")]
    header = [c.strip() for c in lines[0].strip("|").split("|")][1:]
    checked = 0
    for line in lines[1:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        a, results = cells[0], cells[1:]
        for b, expected in zip(header, results):
            try:
                got = (tf.ones([1], dtype=a) + tf.ones([1], dtype=b)).dtype.name
            except TypeError:
                got = "error"
            assert got == expected, f"{a} + {b}: docs say {expected}, gpuflow gives {got}"
            checked += 1
    assert checked == 81
