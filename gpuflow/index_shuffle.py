"""``tf.random_index_shuffle``: a stateless pseudorandom permutation of ``[0, max_index]``,
the same as TensorFlow's: a cycle-walking Simon block cipher (Beaulieu et al. 2013) with a
block of ``max(16, even ceil(log2(max_index)))`` bits, keyed by the three seed words."""

from __future__ import annotations

import math

import numpy as np

from .errors import invalid_argument
from .ops._common import as_int, as_tensor
from .tensor import Tensor

_C = 0xFFFFFFFC
_Z = 0x7369F885192C0EF5


def _rotl(x: int, r: int, w: int, mask: int) -> int:
    return ((x << r) | (x >> (w - r))) & mask


def _rotr(x: int, r: int, w: int, mask: int) -> int:
    return ((x >> r) | (x << (w - r))) & mask


def _round_keys(key, rounds: int, w: int, mask: int) -> list:
    z = _Z & mask
    keys = [k & mask for k in key]
    for i in range(3, rounds):
        keys.append(
            (_C & mask)
            ^ (z & 1)
            ^ keys[i - 3]
            ^ _rotr(keys[i - 1], 3, w, mask)
            ^ _rotr(keys[i - 1], 4, w, mask)
        )
        z >>= 1
    return keys


def _simon_f(x: int, w: int, mask: int) -> int:
    return (_rotl(x, 1, w, mask) & _rotl(x, 8, w, mask)) ^ _rotl(x, 2, w, mask)


def index_shuffle(index: int, key, max_index: int, rounds: int = 4) -> int:
    """The position of ``index`` in the permutation of ``[0, max_index]`` keyed by ``key``."""
    if max_index == 0:
        return 0
    block = math.ceil(math.log2(max_index))
    block = max(block + block % 2, 16)
    w = min(block, 64) // 2
    mask = (1 << w) - 1
    keys = _round_keys(key, rounds, w, mask)
    value = index
    while True:
        left, right = value >> w, value & mask
        for i in range(0, len(keys), 2):
            left ^= _simon_f(right, w, mask)
            left ^= keys[i]
            right ^= _simon_f(left, w, mask)
            right ^= keys[i + 1]
        value = (left << w) | right
        if value <= max_index:
            return value


def random_index_shuffle(index, seed, max_index, rounds=4, name=None) -> Tensor:
    """Map each ``index`` to its position in a pseudorandom permutation of
    ``[0, max_index]`` fixed by ``seed`` (shape ``[3]``, or ``[n, 3]`` for n indices); the
    result has ``index``'s dtype and equals TensorFlow's."""
    op = "random_index_shuffle"
    idx = as_tensor(index)
    data = np.asarray(idx.numpy())
    if data.dtype.kind not in "iu":
        raise invalid_argument(op, f"index must be an integer tensor, received {idx.dtype.name}")
    seeds = np.asarray(seed.numpy() if isinstance(seed, Tensor) else seed)
    if seeds.dtype.kind not in "iu":
        raise invalid_argument(op, f"seed must be integers, shape [3] or [n, 3], received {seed!r}")
    seeds = seeds.astype(np.int64)
    if seeds.ndim == 1 and seeds.size == 3:
        seeds = np.broadcast_to(seeds, (max(data.size, 1), 3))
    elif not (seeds.ndim == 2 and seeds.shape[1] == 3 and seeds.shape[0] in (1, data.size)):
        raise invalid_argument(
            op,
            f"seed must have shape [3] or [n, 3], received {list(seeds.shape)}",
        )
    seeds = np.broadcast_to(seeds, (max(data.size, 1), 3))
    limit_values = max_index.numpy() if isinstance(max_index, Tensor) else max_index
    try:
        limits = np.broadcast_to(np.asarray(limit_values, dtype=data.dtype), data.shape)
    except (TypeError, ValueError):
        raise invalid_argument(
            op,
            f"max_index must be a scalar or of index's shape {list(data.shape)}, "
            f"received {limit_values!r}",
        ) from None
    limits = limits.reshape(-1)
    rounds = as_int(op, "rounds", rounds)
    if rounds < 4 or rounds % 2:
        raise invalid_argument(op, f"rounds must be an even number >= 4, received {rounds}")
    flat = data.reshape(-1)
    out = np.empty(flat.shape, dtype=data.dtype)
    for i, v in enumerate(flat.tolist()):
        key = [int(s) & 0xFFFFFFFF for s in seeds[i]]
        limit = int(limits[i])
        if not 0 <= v <= limit:
            raise invalid_argument(op, f"index {v} is outside [0, max_index={limit}]")
        out[i] = index_shuffle(int(v), key, limit, rounds)
    return Tensor(out.reshape(data.shape))


__all__ = ["random_index_shuffle"]
