"""Saving a dataset iterator's position: ``tf.train.Checkpoint(iterator=iter(ds))``.

TensorFlow saves an iterator's internal buffers. gpuflow saves what makes the pass
repeatable instead: how many elements the iterator has produced, and the seed and pass
numbers each random dataset of the pipeline (shuffle, ``Dataset.random``, sampling,
rejection resampling) drew. Restoring starts the pass again with those seeds and numbers
and runs it up to the saved position, so the next element is the one the saved iterator
would have produced next, in a new process too, even where the shuffle had no seed.
Restoring costs a pass over the elements produced before the save.

A pipeline whose source cannot be repeated (``Dataset.from_generator``: a Python
generator) is refused when saving, as TensorFlow refuses to save the state of a Python
function. Random ops inside ``map`` functions draw new values on the repeated pass
(TensorFlow does not save such external state either, by default).

The saved value is one int64 vector:
``[version, produced, n, (dataset index, seed, count, pass numbers ...) * n]``,
datasets numbered in depth-first order of the pipeline from the iterated dataset.
"""

from __future__ import annotations

import collections
import itertools

import numpy as np

from ..errors import FailedPreconditionError, InvalidArgumentError
from ..train.graph import Value

_VERSION = 1


def checkpoint_children(iterator) -> list:
    """``[("state", Value)]``: the checkpointed value of a ``DatasetIterator``."""
    return [
        (
            "state",
            Value(lambda: encode(iterator), lambda v: restore(iterator, v), np.int64, None),
        )
    ]


def pipeline(dataset) -> list:
    """The datasets of a pipeline, depth first from ``dataset`` (each once)."""
    seen, order, stack = set(), [], [dataset]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        order.append(node)
        stack.extend(reversed(getattr(node, "_inputs", ())))
    return order


def encode(iterator) -> np.ndarray:
    nodes = pipeline(iterator._dataset)
    for node in nodes:
        if not getattr(node, "_repeatable", True):
            raise FailedPreconditionError(
                None,
                None,
                f"Checkpoint: cannot save the state of an iterator over a pipeline with "
                f"{type(node).__name__} (Dataset.from_generator): a Python generator "
                "cannot be repeated to the saved position. Save the model and optimizer "
                "only, or build the pipeline from tensors or files.",
            )
    index = {id(node): i for i, node in enumerate(nodes)}
    parts = []
    for key, (seed, passes) in iterator._passes.items():
        if key in index:  # datasets a map function builds per element are new each time
            parts.append([index[key], seed, len(passes), *passes])
    flat = [_VERSION, iterator._produced, len(parts)] + [v for p in parts for v in p]
    return np.asarray(flat, dtype=np.int64)


def restore(iterator, state: np.ndarray) -> None:
    """Start ``iterator``'s pass again as ``state`` saved it and run it to the position."""
    nodes = pipeline(iterator._dataset)
    produced, replay = _decode(np.asarray(state).reshape(-1).tolist(), nodes)
    iterator._start(replay)
    for n in range(produced):
        try:
            next(iterator._elements)
        except StopIteration:
            raise InvalidArgumentError(
                None,
                None,
                f"Checkpoint.restore: the saved iterator had produced {produced} elements, "
                f"but this dataset ends after {n}; it is not the pipeline that was saved.",
            ) from None
    iterator._produced = produced


def _decode(values: list, nodes: list):
    def bad(why: str):
        return InvalidArgumentError(
            None, None, f"Checkpoint.restore: the saved iterator state is not valid ({why})."
        )

    if len(values) < 3 or values[0] != _VERSION:
        raise bad(f"version {values[0] if values else None}, expected {_VERSION}")
    produced, count, position = values[1], values[2], 3
    replay = {}
    for _ in range(count):
        if position + 3 > len(values):
            raise bad("it ends early")
        node, seed, n = values[position : position + 3]
        passes = values[position + 3 : position + 3 + n]
        position += 3 + n
        if not 0 <= node < len(nodes) or len(passes) != n:
            raise bad(f"dataset {node} of a pipeline of {len(nodes)}")
        if not hasattr(nodes[node], "_seed"):
            raise bad(f"dataset {node} is a {type(nodes[node]).__name__}, not a random one")
        after = itertools.count(max(passes, default=-1) + 1)
        replay[id(nodes[node])] = (seed, collections.deque(passes), after)
    return produced, replay
