"""``tf.compat.v1.data``: TF 2's ``tf.data`` plus TF 1's iterators,
``make_one_shot_iterator(dataset)`` and ``make_initializable_iterator(dataset)``; in graph
mode ``iterator.get_next()`` is a graph tensor whose every ``Session.run`` takes the next
element (``OutOfRangeError`` at the end), as TF 1's input pipelines read data."""

from __future__ import annotations

import sys
import types

from . import v1_record  # noqa: F401 - installs GraphTensor's operators
from .v1_graph import CallNode, GraphOperation, GraphTensor, computing, graph_mode


def _gpuflow():
    return sys.modules["gpuflow"]


class Iterator:
    """A TF 1 iterator over a dataset in graph mode."""

    def __init__(self, dataset, initializable: bool) -> None:
        self._dataset = dataset
        with computing():
            self._it = None if initializable else iter(dataset)
        self._initializable = initializable
        self.initializer = GraphOperation(CallNode(self._restart, "MakeIterator", "MakeIterator"))

    def _restart(self, run) -> None:
        self._it = iter(self._dataset)

    @property
    def element_spec(self):
        return self._dataset.element_spec

    def get_next(self, name=None):
        nest = _gpuflow().nest
        specs = nest.flatten(self._dataset.element_spec)
        with computing():
            first = nest.flatten(next(iter(self._dataset)))  # the probes: a real element

        def action(run):
            if self._it is None:
                from ..errors import FailedPreconditionError

                raise FailedPreconditionError(
                    None, None, "GetNext() failed because the iterator has not been initialized."
                )
            try:
                return tuple(nest.flatten(next(self._it)))
            except StopIteration:
                from ..errors import OutOfRangeError

                raise OutOfRangeError(None, None, "End of sequence") from None

        node = CallNode(action, "IteratorGetNext", name or "IteratorGetNext")
        flat = [
            GraphTensor(node, (i,), (value, value), shape=spec.shape, dtype=spec.dtype)
            for i, (value, spec) in enumerate(zip(first, specs))
        ]
        return nest.pack_sequence_as(self._dataset.element_spec, flat)


def make_one_shot_iterator(dataset):
    if not graph_mode():
        return iter(dataset)
    return Iterator(dataset, initializable=False)


def make_initializable_iterator(dataset, shared_name=None):
    if not graph_mode():
        raise RuntimeError(
            "dataset.make_initializable_iterator is not supported when eager execution is "
            "enabled. Use `for element in dataset` instead."
        )
    return Iterator(dataset, initializable=True)


def get_output_shapes(dataset):
    return _gpuflow().nest.map_structure(lambda s: s.shape, dataset.element_spec)


def get_output_types(dataset):
    return _gpuflow().nest.map_structure(lambda s: s.dtype, dataset.element_spec)


def namespace():
    data = _gpuflow().data
    names = {n: getattr(data, n) for n in dir(data) if not n.startswith("_")}
    names.update(
        make_one_shot_iterator=make_one_shot_iterator,
        make_initializable_iterator=make_initializable_iterator,
        get_output_shapes=get_output_shapes,
        get_output_types=get_output_types,
    )
    return types.SimpleNamespace(**names)
