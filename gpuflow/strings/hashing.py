"""Strings to hash buckets: ``to_hash_bucket_fast`` (FarmHash64, TensorFlow's
Fingerprint64) and ``to_hash_bucket_strong`` (SipHash-2-4 with a key), giving the same
bucket numbers as TensorFlow."""

from __future__ import annotations

import numpy as np

from ._common import invalid, map_elements
from ._farmhash import fingerprint64, siphash24


def _buckets(op: str, num_buckets) -> int:
    n = int(num_buckets.numpy() if hasattr(num_buckets, "numpy") else num_buckets)
    if n < 1:
        raise invalid(op, f"num_buckets must be >= 1, received {num_buckets}")
    return n


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
