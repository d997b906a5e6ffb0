"""Strings to hash buckets: ``to_hash_bucket`` (TensorFlow's legacy Hash64, a
MurmurHash64A), ``to_hash_bucket_fast`` (FarmHash64, TensorFlow's Fingerprint64) and
``to_hash_bucket_strong`` (SipHash-2-4 with a key), giving the same bucket numbers as
TensorFlow."""

from __future__ import annotations

import numpy as np

from ._common import invalid, map_elements
from ._farmhash import fingerprint64, siphash24


def _buckets(op: str, num_buckets) -> int:
    n = int(num_buckets.numpy() if hasattr(num_buckets, "numpy") else num_buckets)
    if n < 1:
        raise invalid(op, f"num_buckets must be >= 1, received {num_buckets}")
    return n


_M = 0xC6A4A7935BD1E995
_MASK = (1 << 64) - 1


def hash64(data: bytes, seed: int = 0xDECAFCAFFE) -> int:
    """TensorFlow's ``Hash64`` (tensorflow/core/lib/hash/hash.cc): MurmurHash64A of
    ``data`` with TensorFlow's default seed."""
    n = len(data)
    h = (seed ^ (n * _M)) & _MASK
    whole = n - n % 8
    for i in range(0, whole, 8):
        k = int.from_bytes(data[i : i + 8], "little")
        k = (k * _M) & _MASK
        k ^= k >> 47
        k = (k * _M) & _MASK
        h ^= k
        h = (h * _M) & _MASK
    tail = data[whole:]
    if tail:
        for j in range(len(tail) - 1, -1, -1):
            h ^= tail[j] << (8 * j)
        h = (h * _M) & _MASK
    h ^= h >> 47
    h = (h * _M) & _MASK
    h ^= h >> 47
    return h


def to_hash_bucket(string_tensor, num_buckets, name=None):
    """``Hash64(s) % num_buckets`` for each string (int64): TensorFlow's legacy hash, kept
    for models trained with it (``to_hash_bucket_fast`` is the faster one)."""
    n = _buckets("strings.to_hash_bucket", num_buckets)
    return map_elements("strings.to_hash_bucket", string_tensor, lambda b: hash64(b) % n, np.int64)


def to_hash_bucket_fast(input, num_buckets, name=None):  # noqa: A002 - TensorFlow's name
    """``Fingerprint64(s) % num_buckets`` for each string (int64)."""
    n = _buckets("strings.to_hash_bucket_fast", num_buckets)
    return map_elements(
        "strings.to_hash_bucket_fast", input, lambda b: fingerprint64(b) % n, np.int64
    )


def to_hash_bucket_strong(input, num_buckets, key, name=None):  # noqa: A002
    """``SipHash-2-4(key, s) % num_buckets`` for each string (int64); ``key`` is a list of
    two non-negative integers."""
    op = "strings.to_hash_bucket_strong"
    n = _buckets(op, num_buckets)
    key = list(key)
    if len(key) != 2 or any(int(k) < 0 for k in key):
        raise invalid(op, f"key must be a list of two non-negative integers, received {key!r}")
    pair = (int(key[0]), int(key[1]))
    return map_elements(op, input, lambda b: siphash24(pair, b) % n, np.int64)
