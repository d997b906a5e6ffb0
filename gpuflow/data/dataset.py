"""``Dataset``: the base of every dataset, its iteration and what it says about itself.

A dataset is a recipe: ``_elements(ctx)`` starts one pass over it and returns a Python
iterator of elements (nested structures of host NumPy arrays). Transformations are
subclasses in the sibling modules (sources, transformations, batching, ...); the package's
``__init__`` installs them as ``Dataset`` methods, as ``gpuflow/ops/operators.py`` installs
the Tensor operators, so that this module sits below them.
"""

from __future__ import annotations

import numpy as np

from .. import nest
from .._tracing import tracing
from ..backend import current_device
from ..errors import InvalidArgumentError
from ..tensor import Tensor
from . import structure
from .iterator_methods import NextMethods
from .tf_names import tf_class_name

#: ``cardinality()`` of a dataset that never ends (``tf.data.INFINITE_CARDINALITY``).
INFINITE = -1
#: ``cardinality()`` when the number of elements is only known by iterating.
UNKNOWN = -2


class IterContext:
    """What one pass over a pipeline shares: the device map functions see tensors on, and
    whether the pass only probes the first element for a spec (then it must not change what
    later passes see, e.g. which reshuffle a shuffle is at), and whether elements whose
    function raised an op error are dropped (under ``ignore_errors``; ``"log"``: with a
    warning).

    ``passes`` (``{id(dataset): (seed, [pass numbers])}``) notes what the random datasets
    of this pass seeded themselves with, and ``replay`` hands the noted values out again:
    an iterator restored from a checkpoint repeats its pass (``iterator_state.py``)."""

    __slots__ = ("device", "probe", "skip_errors", "passes", "replay")

    def __init__(
        self,
        device,
        probe: bool = False,
        skip_errors: bool | str = False,
        passes: dict | None = None,
        replay: dict | None = None,
    ) -> None:
        self.device = device
        self.probe = probe
        self.skip_errors = skip_errors
        self.passes = passes
        self.replay = replay

    def skipping_errors(self, skip_errors: bool | str) -> "IterContext":
        """This pass with ``skip_errors`` set (``ignore_errors`` over its input)."""
        return IterContext(self.device, self.probe, skip_errors, self.passes, self.replay)

    def pass_seed(self, dataset, draw) -> tuple[int, int]:
        """``(seed, pass number)`` a random dataset (shuffle, random, sampling) seeds this
        pass with: its ``_seed`` and ``draw()`` (its next pass, or 0); when the pass is
        replayed, the noted ones. A spec probe is pass 0 and is not noted."""
        if self.probe:
            return dataset._seed, 0
        replay = self.replay.get(id(dataset)) if self.replay else None
        if replay is None:
            seed, k = dataset._seed, draw()
        else:  # (seed, noted pass numbers, the number after them)
            seed, noted, after = replay
            k = noted.popleft() if noted else next(after)
        if self.passes is not None:
            self.passes.setdefault(id(dataset), (seed, []))[1].append(k)
        return seed, k


class IndexPlan:
    """A pass that only selects and orders the rows of stacked arrays.

    Datasets made of ``from_tensor_slices`` and shuffle / take / skip / shard / repeat
    (or a filled in-memory cache) give one, so that ``batch`` gathers whole batches with one
    indexing call per component instead of stacking elements one by one. The order is the
    same as the element-by-element pass would give.

    Attributes:
        arrays: the element structure with each component stacked along a leading axis.
        orders: ``orders(ctx)`` returns an iterator of 1-D int64 index arrays (one pass).
    """

    __slots__ = ("arrays", "orders")

    def __init__(self, arrays, orders) -> None:
        self.arrays = arrays
        self.orders = orders


class Dataset:
    """A sequence of elements, each a tensor or a nested tuple / dict of tensors.

    As ``tf.data.Dataset``: build one with ``Dataset.from_tensor_slices``, ``range``,
    ``from_generator``, ...; chain transformations (``map``, ``shuffle``, ``batch``,
    ``prefetch``, ...); iterate it with ``for``, which yields gpuflow Tensors.

    Example:
        >>> ds = gpuflow.data.Dataset.from_tensor_slices((x, y)).shuffle(1000).batch(32)
        >>> for xb, yb in ds:
        ...     ...
    """

    def __init__(self, inputs: tuple = ()) -> None:
        self._inputs = tuple(inputs)
        self._spec_cache = None

    # -- what subclasses implement -------------------------------------------------------
    def _elements(self, ctx: IterContext):
        """An iterator over one pass of host elements."""
        raise NotImplementedError

    def _compute_spec(self):
        """The element spec (a TensorSpec structure)."""
        raise NotImplementedError

    def _cardinality(self) -> int:
        raise NotImplementedError

    def _index_plan(self) -> IndexPlan | None:
        """An IndexPlan when this pass only reorders stacked arrays, else None."""
        return None

    def _works_ahead_without_thread(self) -> bool:
        """Whether ``prefetch`` gains nothing from a thread of its own over this dataset:
        its pass only copies rows of arrays in memory, or already works ahead on a pool."""
        return False

    # -- what the dataset says about itself ---------------------------------------------
    @property
    def element_spec(self):
        """The structure of ``gpuflow.TensorSpec`` that describes one element.

        Where TensorFlow learns it by tracing a ``map`` function on the input spec,
        gpuflow applies the function to the first element, the second, and the first
        grown along its unknown sizes: a size that differs between them is None.
        """
        if self._spec_cache is None:
            self._spec_cache = self._compute_spec()
        return self._spec_cache

    @property
    def _type_spec(self) -> structure.DatasetSpec:
        """The dataset's ``tf.data.DatasetSpec`` (what ``tf.type_spec_from_value`` gives)."""
        return structure.DatasetSpec(self.element_spec)

    def cardinality(self) -> Tensor:
        """The number of elements as a scalar int64 tensor; ``INFINITE_CARDINALITY`` (-1)
        or ``UNKNOWN_CARDINALITY`` (-2) when it is infinite or only known by iterating."""
        return Tensor(np.asarray(self._cardinality(), dtype=np.int64))

    def __len__(self) -> int:
        n = self._cardinality()
        if n == INFINITE:
            raise TypeError("The dataset is infinite.")
        if n == UNKNOWN:
            raise TypeError("The dataset length is unknown.")
        return n

    def __bool__(self) -> bool:
        return True  # not len(self): an empty or infinite dataset is still a dataset

    def __repr__(self) -> str:
        return f"<{tf_class_name(self)} element_spec={self.element_spec!r}>"

    # -- iteration -------------------------------------------------------------------------
    def __iter__(self) -> "DatasetIterator":
        _refuse_in_trace("iterating over")
        return DatasetIterator(self)

    def as_numpy_iterator(self):
        """Iterate the elements as NumPy arrays (structure kept), as in TensorFlow: a
        RaggedTensor as its ``numpy()`` (an object array of rows, or a dense array when the
        rows agree in length), a SparseTensor densified."""
        return NumpyIterator(self)

    def _host_iterator(self):
        """One pass of host elements (NumPy arrays): what fit's data adapters consume."""
        return self._elements(IterContext(current_device()))

    def get_single_element(self, name=None):
        """The only element (as Tensors); ``InvalidArgumentError`` when the dataset is empty
        or has more than one."""
        _refuse_in_trace("Dataset.get_single_element on")
        device = current_device()
        elements = self._elements(IterContext(device))
        first = next(elements, _NOTHING)
        if first is _NOTHING:
            raise InvalidArgumentError(
                None, None, "Dataset.get_single_element: the dataset was empty."
            )
        if next(elements, _NOTHING) is not _NOTHING:
            raise InvalidArgumentError(
                None, None, "Dataset.get_single_element: the dataset had more than one element."
            )
        return structure.to_tensors(first, device)

    def reduce(self, initial_state, reduce_func):
        """Fold the elements into one state: ``state = reduce_func(state, element)``.

        Args:
            initial_state: the starting state (tensors or a structure of them).
            reduce_func: ``(state, element) -> new state`` of the same structure.

        Returns:
            The final state, as Tensors.
        """
        _refuse_in_trace("Dataset.reduce on")
        device = current_device()
        state = structure.normalize_input(initial_state, "Dataset.reduce")
        state = structure.to_tensors(state, device)
        for element in self._elements(IterContext(device)):
            # As TensorFlow: (state, element), a tuple element is not unpacked further.
            new = reduce_func(state, structure.to_tensors(element, device))
            new = structure.normalize_output(new, "Dataset.reduce")
            if not structure.same_structure(new, state):
                raise TypeError(
                    f"Dataset.reduce: reduce_func must return a state of the "
                    f"initial state's structure {structure.spec_of(_host(state))}, "
                    f"received {structure.spec_of(new)}"
                )
            state = structure.to_tensors(new, device)
        return state

    def apply(self, transformation_func) -> "Dataset":
        """``transformation_func(self)``: chain a function of datasets fluently."""
        result = transformation_func(self)
        if not isinstance(result, Dataset):
            raise TypeError(
                f"Dataset.apply: transformation_func must return a Dataset, "
                f"received {type(result).__name__}"
            )
        return result


_NOTHING = object()


def _refuse_in_trace(what: str) -> None:
    """Elements are made on the host, outside the recorded operations: inside a
    ``gpuflow.function`` a trace would keep the elements of its first call. Raise the
    error that makes the function run eagerly for these arguments (with a warning)."""
    if tracing.trace is None:
        return
    from ..graph.trace import NotSupportedInGraphError

    raise NotSupportedInGraphError(
        f"gpuflow.function {tracing.trace.name!r}: {what} a tf.data.Dataset inside the "
        "function is not compiled yet; iterate outside it and pass the elements in "
        "(`for x in dataset: step(x)`), which compiles the step"
    )


def _host(element):
    return nest.map_structure(lambda t: t.numpy(), element)


class DatasetIterator(NextMethods):
    """What ``iter(dataset)`` returns: yields Tensors; ``get_next()`` as in TensorFlow.

    The pass stops (and any prefetch thread or map thread pool ends) when the iterator
    is exhausted or garbage collected.
    """

    def __init__(self, dataset: Dataset) -> None:
        self._dataset = dataset
        self._device = current_device()
        self._start()

    def _start(self, replay: dict | None = None) -> None:
        """Begin the pass (again): ``replay`` repeats the pass numbers of a saved one."""
        previous = self.__dict__.get("_elements")
        if previous is not None and hasattr(previous, "close"):
            previous.close()  # ends its prefetch thread or map pool
        self._passes: dict = {}
        self._produced = 0
        ctx = IterContext(self._device, passes=self._passes, replay=replay)
        self._elements = self._dataset._elements(ctx)

    def _checkpoint_children(self):
        """What ``tf.train.Checkpoint(iterator=it)`` saves: the position in the pass."""
        from .iterator_state import checkpoint_children

        return checkpoint_children(self)

    @property
    def element_spec(self):
        return self._dataset.element_spec

    def __iter__(self) -> "DatasetIterator":
        return self

    def __next__(self):
        _refuse_in_trace("taking the next element of")
        element = next(self._elements)
        self._produced += 1
        return structure.to_tensors(element, self._device)

    def next(self):
        """As ``__next__`` (TensorFlow keeps the Python 2 name; StopIteration at the end)."""
        return self.__next__()


class NumpyIterator:
    """What ``as_numpy_iterator()`` returns: the elements as NumPy arrays."""

    def __init__(self, dataset: Dataset) -> None:
        self._elements = dataset._host_iterator()

    def __iter__(self) -> "NumpyIterator":
        return self

    def __next__(self):
        return nest.map_structure(structure.numpy_value, next(self._elements))

    def next(self):
        """As ``__next__`` (``ds.as_numpy_iterator().next()``, used by TensorFlow's tutorials)."""
        return self.__next__()
