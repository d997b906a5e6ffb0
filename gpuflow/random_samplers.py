"""Candidate samplers of ``tf.random`` / ``tf.nn`` (for sampled losses):
``uniform_candidate_sampler``, ``log_uniform_candidate_sampler``,
``fixed_unigram_candidate_sampler``, ``learned_unigram_candidate_sampler``,
``all_candidate_sampler``, and ``compute_accidental_hits``.

Each returns ``(sampled_candidates int64 [num_sampled], true_expected_count float32
[batch, num_true], sampled_expected_count float32 [num_sampled])`` with TensorFlow's
expected-count rule: ``p * num_sampled``, or ``1 - (1 - p) ** num_tries`` when ``unique``
sampling needed more tries than ``num_sampled``. The draws follow gpuflow's seed rule (see
``gpuflow.random``): reproducible, but not TensorFlow's numbers.
"""

from __future__ import annotations

import threading

import numpy as np

from .ops._common import as_tensor, invalid_argument
from .random_extra import _stream
from .tensor import Tensor


def _true_classes(true_classes, num_true, op) -> np.ndarray:
    t = as_tensor(true_classes)
    data = np.asarray(t.numpy())
    if data.ndim != 2 or data.dtype.kind not in "iu" or data.shape[1] != int(num_true):
        raise invalid_argument(
            op,
            f"true_classes must be an integer [batch, num_true={num_true}] tensor, received "
            f"dtype {t.dtype.name} and shape {data.shape}",
        )
    return data.astype(np.int64)


def _draw(probs, num_sampled, unique, rng, op):
    """``(samples, num_tries)`` from the class distribution ``probs``."""
    num_sampled = int(num_sampled)
    if num_sampled < 1:
        raise invalid_argument(op, f"num_sampled must be >= 1, received {num_sampled}")
    if not unique:
        return rng.choice(probs.size, size=num_sampled, p=probs), num_sampled
    if num_sampled > np.count_nonzero(probs):
        raise invalid_argument(
            op,
            f"cannot draw {num_sampled} unique candidates from {np.count_nonzero(probs)} "
            "possible classes",
        )
    picked, seen, tries = [], set(), 0
    while len(picked) < num_sampled:
        block = rng.choice(probs.size, size=num_sampled, p=probs)
        for v in block.tolist():
            tries += 1
            if v not in seen:
                seen.add(v)
                picked.append(v)
                if len(picked) == num_sampled:
                    break
    return np.asarray(picked, dtype=np.int64), tries


def _expected(p, num_sampled, num_tries):
    p = np.asarray(p, dtype=np.float64)
    if num_tries == num_sampled:
        return (p * num_sampled).astype(np.float32)
    return (-np.expm1(num_tries * np.log1p(-p))).astype(np.float32)


def _sample(probs, true, num_sampled, unique, seed, op):
    samples, tries = _draw(probs, num_sampled, unique, _stream(seed), op)
    return (
        Tensor(samples.astype(np.int64)),
        Tensor(_expected(probs[true], num_sampled, tries)),
        Tensor(_expected(probs[samples], num_sampled, tries)),
    )


def _range_max(range_max, op) -> int:
    n = int(range_max)
    if n < 1:
        raise invalid_argument(op, f"range_max must be >= 1, received {range_max}")
    return n


def _check_true(true, n, op):
    if true.size and (true.min() < 0 or true.max() >= n):
        raise invalid_argument(op, f"true_classes must lie in [0, {n}), received {true.tolist()}")


def uniform_candidate_sampler(
    true_classes, num_true, num_sampled, unique, range_max, seed=None, name=None
):
    """Candidates drawn uniformly from ``[0, range_max)``."""
    op = "uniform_candidate_sampler"
    true = _true_classes(true_classes, num_true, op)
    n = _range_max(range_max, op)
    _check_true(true, n, op)
    return _sample(np.full(n, 1.0 / n), true, num_sampled, unique, seed, op)


def log_uniform_candidate_sampler(
    true_classes, num_true, num_sampled, unique, range_max, seed=None, name=None
):
    """Candidates from the Zipfian ``P(k) = log((k + 2) / (k + 1)) / log(range_max + 1)``."""
    op = "log_uniform_candidate_sampler"
    true = _true_classes(true_classes, num_true, op)
    n = _range_max(range_max, op)
    _check_true(true, n, op)
    k = np.arange(n, dtype=np.float64)
    probs = np.log((k + 2) / (k + 1)) / np.log(n + 1)
    return _sample(probs / probs.sum(), true, num_sampled, unique, seed, op)


def fixed_unigram_candidate_sampler(
    true_classes,
    num_true,
    num_sampled,
    unique,
    range_max,
    vocab_file="",
    distortion=1.0,
    num_reserved_ids=0,
    num_shards=1,
    shard=0,
    unigrams=(),
    seed=None,
    name=None,
):
    """Candidates from given unigram counts raised to ``distortion``; ids below
    ``num_reserved_ids`` have weight 0 (``vocab_file``: one count, last CSV field, a line)."""
    op = "fixed_unigram_candidate_sampler"
    true = _true_classes(true_classes, num_true, op)
    n = _range_max(range_max, op)
    if vocab_file:
        with open(vocab_file, encoding="utf-8") as fh:
            counts = [float(line.rsplit(",", 1)[-1]) for line in fh if line.strip()]
    else:
        counts = [float(u) for u in unigrams]
    if not counts:
        raise invalid_argument(op, "one of vocab_file and unigrams must be given")
    if int(num_shards) != 1 or int(shard) != 0:
        raise invalid_argument(
            op, f"only num_shards=1, shard=0 is supported, received {num_shards}, {shard}"
        )
    weights = np.zeros(int(num_reserved_ids) + len(counts))
    weights[int(num_reserved_ids) :] = np.asarray(counts) ** float(distortion)
    if weights.size != n:
        raise invalid_argument(
            op,
            f"range_max {n} must equal num_reserved_ids + the number of unigrams ({weights.size})",
        )
    _check_true(true, n, op)
    return _sample(weights / weights.sum(), true, num_sampled, unique, seed, op)


class _LearnedCounts:
    """Per sampler configuration, the counts a learned unigram sampler has seen (each
    class starts at 1), as TensorFlow keeps them in its op kernel."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict = {}

    def take(self, key, n, true) -> np.ndarray:
        with self._lock:
            counts = self._counts.setdefault(key, np.ones(n))
            probs = counts / counts.sum()
            np.add.at(counts, true.ravel(), 1.0)
        return probs


_learned = _LearnedCounts()


def learned_unigram_candidate_sampler(
    true_classes, num_true, num_sampled, unique, range_max, seed=None, name=None
):
    """Candidates from the unigram distribution of the true classes seen so far by a sampler
    of this configuration (uniform at first); each call then counts its ``true_classes``."""
    op = "learned_unigram_candidate_sampler"
    true = _true_classes(true_classes, num_true, op)
    n = _range_max(range_max, op)
    _check_true(true, n, op)
    key = (int(num_true), int(num_sampled), bool(unique), n, seed)
    return _sample(_learned.take(key, n, true), true, num_sampled, unique, seed, op)


def all_candidate_sampler(true_classes, num_true, num_sampled, unique, seed=None, name=None):
    """The candidates ``0 .. num_sampled - 1``, every expected count 1."""
    true = _true_classes(true_classes, num_true, "all_candidate_sampler")
    m = int(num_sampled)
    return (
        Tensor(np.arange(m, dtype=np.int64)),
        Tensor(np.ones(true.shape, dtype=np.float32)),
        Tensor(np.ones(m, dtype=np.float32)),
    )


def compute_accidental_hits(true_classes, sampled_candidates, num_true, seed=None, name=None):
    """``(indices int32, ids int64, weights float32)``: for each true class of row ``i``
    that was also sampled (at position ``j``, its last one), ``i``, ``j`` and ``-FLT_MAX``."""
    op = "compute_accidental_hits"
    true = _true_classes(true_classes, num_true, op)
    sampled = as_tensor(sampled_candidates).numpy().reshape(-1).tolist()
    where = {v: j for j, v in enumerate(sampled)}
    rows, ids = [], []
    for i, row in enumerate(true.tolist()):
        for v in row:
            if v in where:
                rows.append(i)
                ids.append(where[v])
    weights = np.full(len(rows), -np.finfo(np.float32).max, dtype=np.float32)
    return (
        Tensor(np.asarray(rows, dtype=np.int32)),
        Tensor(np.asarray(ids, dtype=np.int64)),
        Tensor(weights),
    )


__all__ = [
    "all_candidate_sampler",
    "compute_accidental_hits",
    "fixed_unigram_candidate_sampler",
    "learned_unigram_candidate_sampler",
    "log_uniform_candidate_sampler",
    "uniform_candidate_sampler",
]
