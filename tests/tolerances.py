"""Tolerances and the NumPy comparison every test uses.

A plain module (not conftest.py) so tests can import it by a name no other folder's
conftest shadows: ``from tolerances import assert_close``.
"""

from __future__ import annotations

import numpy as np

FLOAT_DTYPES = ["float16", "float32", "float64"]
# Looser tolerances for float16, as Chainer's testing does.
TOLERANCES = {
    "float16": dict(rtol=1e-2, atol=1e-2),
    "float32": dict(rtol=1e-5, atol=1e-5),
    "float64": dict(rtol=1e-10, atol=1e-10),
}


def assert_close(actual, expected, dtype="float32", **overrides):
    tol = dict(
        TOLERANCES[str(np.dtype(dtype))] if np.dtype(dtype).kind == "f" else dict(rtol=0, atol=0)
    )
    tol.update(overrides)
    np.testing.assert_allclose(
        np.asarray(actual, dtype=np.float64), np.asarray(expected, dtype=np.float64), **tol
    )
