"""``tf.math.sobol_sample``: points of the Sobol low-discrepancy sequence, with the
direction numbers TensorFlow uses (Joe and Kuo; see :mod:`._sobol_joe_kuo`), in 32-bit
integer arithmetic and Gray-code order. Like TensorFlow, the first point returned is the
sequence's point 1 (point 0, all zeros, is skipped), then ``skip`` more are skipped.
gpuflow carries the table's first 1111 dimensions; TensorFlow has 21200."""

from __future__ import annotations

import functools

import numpy as np

from .. import dtypes
from ..errors import InvalidArgumentError
from ..tensor import Tensor

_BITS = 32


@functools.lru_cache(maxsize=1)
def _table():
    from ._sobol_joe_kuo import TABLE

    rows = []
    for line in TABLE.split("\n"):
        if line.strip():
            s, a, *m = (int(v) for v in line.split())
            rows.append((s, a, m))
    return rows


MAX_DIM = 1 + len(_table.__wrapped__())


@functools.lru_cache(maxsize=8)
def direction_numbers(dim: int) -> np.ndarray:
    """``[dim, 32]`` direction integers ``V[d, k] = m_k << (31 - k)``."""
    v = np.zeros((dim, _BITS), np.uint64)
    shifts = np.arange(_BITS - 1, -1, -1, dtype=np.uint64)
    v[0] = np.uint64(1) << shifts  # the first dimension: van der Corput, all m_k = 1
    for d, (s, a, initial) in enumerate(_table()[: dim - 1], start=1):
        m = list(initial)
        for k in range(s, _BITS):
            new = m[k - s] ^ (m[k - s] << s)
            for j in range(1, s):
                if (a >> (s - 1 - j)) & 1:
                    new ^= m[k - j] << j
            m.append(new)
        v[d] = np.asarray(m[:_BITS], np.uint64) << shifts
    return v


def _scalar_int(value, what):
    v = value.numpy() if isinstance(value, Tensor) else value
    if (
        np.ndim(v) != 0
        or not isinstance(v, (int, float, np.integer, np.floating))
        or not float(v).is_integer()
    ):
        raise InvalidArgumentError(
            None,
            "SobolSample",
            f"SobolSample: {what} must be an integer scalar, received {value!r}",
        )
    return int(v)


def sobol_sample(dim, num_results, skip=0, dtype=dtypes.float32, name=None) -> Tensor:
    """``[num_results, dim]`` points of the Sobol sequence in [0, 1), from point
    ``skip + 1`` on."""
    from .creation import constant

    dim = _scalar_int(dim, "dim")
    num_results = _scalar_int(num_results, "num_results")
    skip = _scalar_int(skip, "skip")
    dt = dtypes.as_dtype(dtype)

    def fail(message):
        raise InvalidArgumentError(None, "SobolSample", f"SobolSample: {message}")

    if dt.name not in ("float32", "float64"):
        fail(f"dtype must be float32 or float64, received {dt.name}")
    if dim < 1:
        fail("dim must be at least one")
    if dim > MAX_DIM:
        fail(
            f"dim must be at most {MAX_DIM} in gpuflow (its table of direction numbers "
            f"holds {MAX_DIM} dimensions; TensorFlow's holds 21200), received {dim}"
        )
    if num_results < 1:
        fail("num_results must be at least one")
    if skip < 0:
        fail("skip must be non-negative")
    if num_results + skip >= 2**31 - 1:
        fail("num_results+skip must be less than 2147483647")
    v = direction_numbers(dim)
    n = np.arange(skip + 1, skip + num_results + 1, dtype=np.uint64)
    gray = n ^ (n >> np.uint64(1))
    points = np.zeros((num_results, dim), np.uint64)
    for k in range(_BITS):
        bit = (gray >> np.uint64(k)) & np.uint64(1)
        if bit.any():
            points ^= bit[:, None] * v[None, :, k]
    values = points.astype(np.float64) / 2.0**_BITS
    return constant(values.astype(dt.name))
