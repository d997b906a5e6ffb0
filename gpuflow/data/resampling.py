"""``Dataset.rejection_resample``: resample a labelled dataset to a target class
distribution, as TensorFlow does it: with probability ``m`` an element of the original
stream, else one of a second stream that keeps class ``i`` with probability ``a_i``, where
``m = min_i t_i / p_i`` and ``a_i = (t_i / p_i - m) / (max_j t_j / p_j - m)`` for target
``t`` and initial distribution ``p`` (given, or estimated from the class counts seen so
far, in batches of 32 with 10 pseudo-counts per class). The draws are gpuflow's own: the
same seed repeats the same elements, not TensorFlow's.
"""

from __future__ import annotations

import itertools
import threading

import numpy as np

from ..backend import current_device
from ..random import host_rng
from . import functions, structure
from .arguments import as_int
from .dataset import UNKNOWN, Dataset, IterContext

_ESTIMATION_BATCH = 32
_SMOOTHING = 10


def _probabilities(value, op: str, name: str) -> np.ndarray:
    array = np.asarray(value.numpy() if hasattr(value, "numpy") else value, dtype=np.float64)
    if array.ndim != 1 or array.size == 0 or (array < 0).any() or array.sum() <= 0:
        raise ValueError(
            f"{op}: {name} must be a non-empty 1-D list of non-negative numbers, "
            f"received {array.tolist()}"
        )
    return array / array.sum()


def _mixing(initial: np.ndarray, target: np.ndarray):
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(initial > 0, target / initial, np.where(target > 0, np.inf, 0.0))
    low, high = ratio.min(), ratio.max()
    accept = np.ones_like(ratio) if high == low else (ratio - low) / (high - low)
    return accept, float(low)


class RejectionResampleDataset(Dataset):
    """``(class, element)`` pairs whose classes follow ``target_dist``."""

    def __init__(self, dataset, class_func, target_dist, initial_dist, seed) -> None:
        op = "Dataset.rejection_resample"
        if not callable(class_func):
            raise TypeError(f"{op}: class_func must be callable, received {type(class_func)}")
        super().__init__((dataset,))
        self._class_func = class_func
        self._target = _probabilities(target_dist, op, "target_dist")
        self._initial = (
            None if initial_dist is None else _probabilities(initial_dist, op, "initial_dist")
        )
        if self._initial is not None and self._initial.shape != self._target.shape:
            raise ValueError(
                f"{op}: initial_dist and target_dist need one length, received "
                f"{self._initial.size} and {self._target.size}"
            )
        self._seed = (
            as_int(seed, op, "seed") if seed is not None else int(host_rng().integers(2**62))
        )
        self._passes = itertools.count()
        self._lock = threading.Lock()

    def _class_array(self, element, ctx, index: int):
        value = functions.call(self._class_func, element, ctx, "Dataset.rejection_resample", index)
        array = np.asarray(value.numpy() if hasattr(value, "numpy") else value)
        if array.shape != () or array.dtype.kind not in "iu":
            raise ValueError(
                "Dataset.rejection_resample: class_func must return a scalar integer class, "
                f"received shape {array.shape} and dtype {array.dtype.name}"
            )
        if not 0 <= int(array) < self._target.size:
            raise ValueError(
                f"Dataset.rejection_resample: class {int(array)} is outside "
                f"[0, {self._target.size})"
            )
        return array

    def _compute_spec(self):
        ctx = IterContext(current_device(), probe=True)
        element = functions.first_element(self._inputs[0], ctx)
        return structure.spec_of((self._class_array(element, ctx, 0), element))

    def _cardinality(self) -> int:
        return UNKNOWN

    def _estimates(self, ctx):
        """The initial distribution in force at each element: the given one, or the class
        frequencies seen so far (updated per batch of 32, with pseudo-counts)."""
        if self._initial is not None:
            while True:
                yield self._initial
        counts = np.full(self._target.size, float(_SMOOTHING))
        source = self._inputs[0]._elements(ctx)
        index = 0
        while True:
            chunk = list(itertools.islice(source, _ESTIMATION_BATCH))
            if not chunk:
                return
            for element in chunk:
                counts[int(self._class_array(element, ctx, index))] += 1
                index += 1
            estimate = counts / counts.sum()
            for _ in chunk:
                yield estimate

    def _filtered(self, ctx, rng):
        """The accepted ``(class, element)`` pairs of a pass of their own."""
        estimates = self._estimates(ctx)
        for index, element in enumerate(self._inputs[0]._elements(ctx)):
            c = self._class_array(element, ctx, index)
            accept, _ = _mixing(next(estimates), self._target)
            if rng.random() < accept[int(c)]:
                yield (c, element)

    def _next_pass(self) -> int:
        with self._lock:
            return next(self._passes)

    def _elements(self, ctx):
        seed, k = ctx.pass_seed(self, self._next_pass)
        rng = np.random.default_rng([seed, k])
        original = enumerate(self._inputs[0]._elements(ctx))
        filtered = self._filtered(ctx, np.random.default_rng([seed, k, 1]))
        for initial in self._estimates(ctx):
            _, m = _mixing(initial, self._target)
            try:
                if rng.random() < m:
                    index, element = next(original)
                    yield (self._class_array(element, ctx, index), element)
                else:
                    yield next(filtered)
            except StopIteration:  # stop_on_empty_dataset=True, as TensorFlow
                return


def rejection_resample(
    self, class_func, target_dist, initial_dist=None, seed=None, name=None
) -> Dataset:
    """Resample to the class distribution ``target_dist``; elements become
    ``(class, element)`` pairs (see the module docstring)."""
    return RejectionResampleDataset(self, class_func, target_dist, initial_dist, seed)
