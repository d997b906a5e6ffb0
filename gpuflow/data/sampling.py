"""Mixing datasets: ``sample_from_datasets`` (at random, by weight) and
``choose_from_datasets`` (by an index dataset)."""

from __future__ import annotations

import itertools
import threading

import numpy as np

from .. import errors
from ..random import host_rng
from . import structure
from .arguments import as_int
from .dataset import INFINITE, UNKNOWN, Dataset


def _check_datasets(datasets, op: str):
    """The datasets as a list, and the spec that fits all their elements."""
    datasets = list(datasets)
    if not datasets:
        raise ValueError(f"{op}: `datasets` must be a non-empty list of datasets")
    for i, d in enumerate(datasets):
        if not isinstance(d, Dataset):
            raise TypeError(
                f"{op}: `datasets` must be a list of datasets, item {i} is a {type(d).__name__}"
            )
    spec = datasets[0].element_spec
    for i, d in enumerate(datasets[1:], 1):
        try:
            spec = structure.compatible_spec(spec, d.element_spec, op)
        except TypeError:
            raise TypeError(
                f"{op}: `datasets` must have compatible element specs: dataset 0 "
                f"element_spec={datasets[0].element_spec!r}, dataset {i} "
                f"element_spec={d.element_spec!r}"
            ) from None
    return datasets, spec


class _MixDataset(Dataset):
    def __init__(self, datasets, spec, extra=()) -> None:
        super().__init__(tuple(datasets) + tuple(extra))
        self._datasets = list(datasets)
        self._spec = spec

    def _compute_spec(self):
        return self._spec


class SampleDataset(_MixDataset):
    """Each element from a dataset drawn at random with the given weights."""

    def __init__(self, datasets, weights, seed, stop_on_empty, rerandomize) -> None:
        op = "Dataset.sample_from_datasets"
        datasets, spec = _check_datasets(datasets, op)
        super().__init__(datasets, spec)
        if weights is None:
            weights = np.full(len(datasets), 1.0 / len(datasets))
        elif isinstance(weights, Dataset):
            raise TypeError(
                f"{op}: weights given as a Dataset are not supported by gpuflow; "
                f"pass a list of floats"
            )
        weights = np.asarray(
            weights.numpy() if hasattr(weights, "numpy") else weights, dtype=np.float64
        )
        if weights.shape != (len(datasets),) or (weights < 0).any() or weights.sum() <= 0:
            raise ValueError(
                f"{op}: weights must be {len(datasets)} non-negative numbers, not "
                f"all zero; received {weights.tolist()}"
            )
        self._weights = weights
        self._stop = bool(stop_on_empty)
        self._seed = (
            as_int(seed, op, "seed") if seed is not None else int(host_rng().integers(2**62))
        )
        self._rerandomize = bool(rerandomize)
        self._passes = itertools.count()
        self._lock = threading.Lock()

    def _cardinality(self) -> int:
        sizes = [d._cardinality() for d in self._datasets]
        return INFINITE if all(n == INFINITE for n in sizes) else UNKNOWN

    def _next_pass(self) -> int:
        with self._lock:
            return next(self._passes) if self._rerandomize else 0

    def _elements(self, ctx):
        rng = np.random.default_rng(list(ctx.pass_seed(self, self._next_pass)))
        iterators = [iter(d._elements(ctx)) for d in self._datasets]
        weights = self._weights.copy()
        while weights.sum() > 0:
            i = int(rng.choice(len(iterators), p=weights / weights.sum()))
            try:
                yield next(iterators[i])
            except StopIteration:
                if self._stop:
                    return
                weights[i] = 0.0  # that dataset ended: draw among the others


class ChooseDataset(_MixDataset):
    """Each element from the dataset that the next value of ``choice_dataset`` names."""

    def __init__(self, datasets, choice_dataset, stop_on_empty) -> None:
        op = "Dataset.choose_from_datasets"
        datasets, merged = _check_datasets(datasets, op)
        if not isinstance(choice_dataset, Dataset):
            raise TypeError(
                f"{op}: choice_dataset must be a Dataset, received {type(choice_dataset).__name__}"
            )
        spec = choice_dataset.element_spec
        if not hasattr(spec, "dtype") or spec.dtype != np.int64 or tuple(spec.shape or ()) != ():
            raise TypeError(
                f"{op}: choice_dataset must yield scalar int64 values, its element_spec is {spec!r}"
            )
        super().__init__(datasets, merged, (choice_dataset,))
        self._choices = choice_dataset
        self._stop = bool(stop_on_empty)

    def _cardinality(self) -> int:
        inputs = [d._cardinality() for d in self._datasets + [self._choices]]
        return INFINITE if all(n == INFINITE for n in inputs) else UNKNOWN

    def _elements(self, ctx):
        iterators = [iter(d._elements(ctx)) for d in self._datasets]
        ended = set()
        for choice in self._choices._elements(ctx):
            i = int(choice)
            if not 0 <= i < len(iterators):
                raise errors.InvalidArgumentError(
                    None,
                    "choose_from_datasets",
                    f"Dataset.choose_from_datasets: choice_dataset yielded {i}, "
                    f"outside [0, {len(iterators)})",
                )
            if i in ended:
                continue
            try:
                yield next(iterators[i])
            except StopIteration:
                if self._stop:
                    return
                ended.add(i)


def sample_from_datasets(
    datasets, weights=None, seed=None, stop_on_empty_dataset=False, rerandomize_each_iteration=None
) -> Dataset:
    """Interleave ``datasets`` at random: each element comes from dataset i with probability
    ``weights[i]`` (uniform by default).

    Args:
        datasets: datasets with compatible element specs.
        weights: one non-negative weight per dataset (normalized here).
        seed: an int for the same sequence on every run.
        stop_on_empty_dataset: stop when a drawn dataset has ended (default: keep drawing
            among the others).
        rerandomize_each_iteration: a new sequence on each pass (default: the same one).
    """
    return SampleDataset(datasets, weights, seed, stop_on_empty_dataset, rerandomize_each_iteration)


def choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset=True) -> Dataset:
    """Take each element from ``datasets[i]`` for the next ``i`` of ``choice_dataset``.

    Args:
        datasets: datasets with compatible element specs.
        choice_dataset: a dataset of scalar int64 indices into ``datasets``.
        stop_on_empty_dataset: stop when a chosen dataset has ended (default); False skips
            choices of ended datasets.
    """
    return ChooseDataset(datasets, choice_dataset, stop_on_empty_dataset)
