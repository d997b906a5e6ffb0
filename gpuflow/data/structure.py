"""Elements of a dataset: nested structures (tuples, dicts, namedtuples) of host leaves.

The pipeline keeps elements on the host, as tf.data keeps them on the CPU: a leaf is a NumPy
array (a dense tensor), or a ``composite.RaggedValue`` / ``composite.SparseValue`` (a
RaggedTensor / SparseTensor, see composite.py); they become gpuflow Tensors, RaggedTensors
and SparseTensors where the user sees them (iteration, ``map`` functions).
A Python list is one tensor, not a structure (as in ``tf.data.Dataset.from_tensor_slices``);
a list returned by a ``map`` function becomes a tuple, as in TensorFlow.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from .. import _string_arrays, dtypes, nest
from ..tensor import Tensor, carries_dtype
from ..tensor_spec import TensorSpec
from . import composite
from .composite import LEAF_TYPES

_OBJECT = _string_arrays.OBJECT


def _host():
    from ..backend import get_device

    return get_device("cpu")


class DatasetSpec:
    """Describes a dataset-valued component (``tf.data.DatasetSpec``), as window makes."""

    def __init__(self, element_spec, dataset_shape=()) -> None:
        self.element_spec = element_spec
        self.shape = tuple(dataset_shape)

    @classmethod
    def from_value(cls, value) -> DatasetSpec:
        """The spec of the dataset ``value``: its ``element_spec``, a scalar dataset shape."""
        if not is_dataset(value):
            raise TypeError(
                f"DatasetSpec.from_value: expected a tf.data.Dataset, received "
                f"{type(value).__name__}"
            )
        return cls(value.element_spec)

    def __eq__(self, other) -> bool:
        return isinstance(other, DatasetSpec) and other.element_spec == self.element_spec

    def __hash__(self) -> int:
        return hash(repr(self.element_spec))

    def __repr__(self) -> str:
        return f"DatasetSpec({self.element_spec!r}, TensorShape({list(self.shape)}))"


def is_dataset(value) -> bool:
    """Whether ``value`` is a gpuflow Dataset (window elements and flat_map inputs hold them)."""
    return hasattr(type(value), "_elements") and hasattr(type(value), "_cardinality")


def to_array(value, op: str) -> np.ndarray:
    """One leaf as a host NumPy array, with TensorFlow's defaults for Python numbers.

    Python floats become the default float type and Python ints int32 (as ``tf.constant``);
    NumPy arrays and Tensors keep their dtype.
    """
    if isinstance(value, Tensor):
        if value._data.dtype is _string_arrays.OBJECT:  # tf.string: the host array itself
            return value._data
        return np.asarray(value.numpy())
    if _string_arrays.looks_like_strings(value):  # text: an object array of bytes
        return _string_arrays.bytes_array(value, op)
    if isinstance(value, np.ndarray):
        array = value
    else:
        try:
            array = np.asarray(value)
        except ValueError:  # nested lists of different lengths
            raise ValueError(
                f"{op}: Can't convert non-rectangular Python sequence to Tensor (use "
                f"tf.ragged.constant for rows of different lengths), received a "
                f"{type(value).__name__} whose rows differ in length"
            ) from None
        except TypeError as exc:
            raise TypeError(
                f"{op}: expected array-like components, received {type(value).__name__} ({exc})"
            ) from None
        if not carries_dtype(value):  # Python numbers; a DataFrame keeps its dtype
            if array.dtype == np.float64:
                array = array.astype(dtypes.floatx())
            elif array.dtype == np.int64:
                array = array.astype(dtypes.int32)
    if array.dtype not in dtypes.SUPPORTED:
        kind = str(array.dtype)
        if array.dtype == object:
            ragged = any(isinstance(v, (list, tuple, np.ndarray)) for v in array.flat)
            kind = "ragged (rows of different lengths)" if ragged else "mixed-type (object)"
        raise TypeError(
            f"{op}: components must be numeric or bool arrays, received {kind} "
            f"data of type {type(value).__name__}; supported dtypes: "
            + ", ".join(d.name for d in dtypes.SUPPORTED)
        )
    return array


def to_leaf(value, op: str):
    """One leaf of a user's value: a RaggedTensor or SparseTensor as a host composite value,
    anything else as an array (:func:`to_array`)."""
    if isinstance(value, LEAF_TYPES):  # already a host leaf (window's stacked components)
        return value
    if composite.is_composite(value):
        return composite.from_value(value)
    return to_array(value, op)


def lists_as_leaves(structure):
    """Tuples, namedtuples and dicts are structure; anything else (lists too) is a leaf."""
    if isinstance(structure, Mapping):
        return type(structure)((k, lists_as_leaves(v)) for k, v in structure.items())
    if isinstance(structure, tuple):
        return _rebuild_tuple(structure, [lists_as_leaves(v) for v in structure])
    return Leaf(structure)


def _rebuild_tuple(original: tuple, children: list) -> tuple:
    if hasattr(type(original), "_fields"):  # a namedtuple keeps its type
        return type(original)(*children)
    return tuple(children)


class Leaf:
    """Wraps a value so that gpuflow.nest treats it (a list, say) as one leaf."""

    __slots__ = ("value",)

    def __init__(self, value) -> None:
        self.value = value


def normalize_input(structure, op: str):
    """A user's ``tensors`` argument as an element: its leaves as arrays, lists as leaves."""
    wrapped = lists_as_leaves(structure)
    return nest.map_structure(lambda leaf: to_leaf(leaf.value, op), wrapped)


def normalize_output(structure, op: str):
    """What a user function returned, as an element: tuples and dicts are structure, leaves
    arrays. A list is as TensorFlow takes it: with tensors in it, a tuple; of Python values
    only, one tensor (``["a", "b"]`` a string vector, ``[42, 16]`` int32)."""
    if type(structure) is Tensor:  # the usual leaf, first
        return structure.numpy() if structure._data.dtype is not _OBJECT else structure._data
    if isinstance(structure, list):
        if _only_python_values(structure):
            return to_leaf(Tensor(structure), op)
        structure = tuple(structure)
    if isinstance(structure, Mapping):
        return type(structure)((k, normalize_output(v, op)) for k, v in structure.items())
    if isinstance(structure, tuple):
        return _rebuild_tuple(structure, [normalize_output(v, op) for v in structure])
    if is_dataset(structure):
        return structure
    if structure is None:
        raise TypeError(
            f"{op}: the function returned None; return tensors (or a tuple or dict of tensors)"
        )
    return to_leaf(structure, op)


def _only_python_values(values) -> bool:
    """Nested lists of Python numbers, bools and strings (what TensorFlow makes a tensor of)."""
    return all(
        _only_python_values(v)
        if isinstance(v, list)
        else isinstance(v, (bool, int, float, str, bytes))
        for v in values
    )


def spec_of(element):
    """The element's spec structure (exact shapes): TensorSpec, RaggedTensorSpec,
    SparseTensorSpec or DatasetSpec leaves."""

    def spec(a):
        if is_dataset(a):
            return DatasetSpec(a.element_spec)
        if isinstance(a, LEAF_TYPES):
            return composite.spec_of(a)
        return TensorSpec(a.shape, a.dtype)

    return nest.map_structure(spec, element)


def _known_rank(shape) -> bool:
    """Whether ``shape`` (a spec's TensorShape, or None) has a known rank."""
    return shape is not None and getattr(shape, "rank", 0) is not None


def grown_on_unknown(element, spec):
    """``element`` with each dimension that ``spec`` leaves unknown one entry longer (its
    last entry repeated, so values stay ones the data holds), or None when no dense leaf
    has an unknown dimension: a second input whose output shows which sizes follow the
    unknown ones, as TensorFlow's trace on the spec does."""
    grown = False

    def grow(s, a):
        nonlocal grown
        shape = getattr(s, "shape", None)
        if (
            composite.is_composite_spec(s)
            or not _known_rank(shape)
            or not isinstance(a, np.ndarray)
        ):
            return a
        for i, size in enumerate(shape):
            if size is None and a.shape[i] > 0:
                a = np.take(a, np.minimum(np.arange(a.shape[i] + 1), a.shape[i] - 1), axis=i)
                grown = True
        return a

    out = nest.map_structure(grow, spec, element)
    return out if grown else None


def unknown_where_different(spec, others: list):
    """``spec`` with None for each size that one of ``others`` (specs of the same function's
    outputs on other inputs) has otherwise; an other of another structure is ignored."""

    def merge(s, *alternatives):
        if composite.is_composite_spec(s):
            for o in alternatives:
                merged = composite.merge_specs(s, o)
                s = s if merged is None else merged
            return s
        if not _known_rank(s.shape):
            return s
        shape = list(s.shape)
        for o in alternatives:
            if _known_rank(o.shape) and len(o.shape) == len(shape):
                shape = [None if a != b else a for a, b in zip(shape, o.shape)]
        return TensorSpec(tuple(shape), s.dtype, getattr(s, "name", None))

    usable = [o for o in others if same_structure(spec, o)]
    return nest.map_structure(merge, spec, *usable) if usable else spec


def batched_spec(spec, batch_dim):
    """``spec`` with a leading batch dimension of size ``batch_dim`` (None when unknown)."""

    def add(s):
        if composite.is_composite_spec(s):
            return composite.batched_spec(s, batch_dim)
        shape = None if not _known_rank(s.shape) else (batch_dim,) + tuple(s.shape)
        return TensorSpec(shape, s.dtype)

    return nest.map_structure(add, spec)


def unbatched_spec(spec, op: str):
    def drop(s):
        if composite.is_composite_spec(s):
            return composite.unbatched_spec(s, op, spec)
        if _known_rank(s.shape) and len(s.shape) == 0:
            raise ValueError(
                f"{op}: every component must have a batch dimension, received "
                f"a scalar component in {format_spec(spec)}"
            )
        return TensorSpec(None if not _known_rank(s.shape) else s.shape[1:], s.dtype)

    return nest.map_structure(drop, spec)


def same_structure(a, b) -> bool:
    try:
        nest.assert_same_structure(a, b)
    except (TypeError, ValueError):
        return False
    return True


def compatible_spec(a, b, what: str):
    """The most specific spec that fits both ``a`` and ``b``; TypeError naming both if none."""

    def fail():
        return TypeError(
            f"{what}: incompatible dataset elements:\n  {format_spec(a)} vs.\n  {format_spec(b)}"
        )

    if not same_structure(a, b):
        raise fail()

    def merge(x, y):
        if composite.is_composite_spec(x) or composite.is_composite_spec(y):
            merged = composite.merge_specs(x, y)
            if merged is None:
                raise fail()
            return merged
        if x.dtype != y.dtype or (
            _known_rank(x.shape) and _known_rank(y.shape) and len(x.shape) != len(y.shape)
        ):
            raise fail()
        return TensorSpec(x.most_specific_compatible_shape(y), x.dtype)

    return nest.map_structure(merge, a, b)


def format_spec(spec) -> str:
    return repr(spec)


def map_leaves(fn, element):
    """``fn`` applied to each leaf of an element (no structure checks: the hot path)."""
    kind = type(element)
    if kind is np.ndarray:
        return fn(element)
    if kind is tuple:
        return tuple(map_leaves(fn, part) for part in element)
    if isinstance(element, Mapping):
        return kind((key, map_leaves(fn, value)) for key, value in element.items())
    if isinstance(element, tuple):  # a namedtuple
        return kind(*(map_leaves(fn, part) for part in element))
    return fn(element)


def packer(structure):
    """A fast function from a flat list of leaves to ``structure``'s shape."""
    if not nest.is_nested(structure):
        return lambda flat: flat[0]
    if type(structure) is tuple and not any(nest.is_nested(s) for s in structure):
        return tuple
    return lambda flat: nest.pack_sequence_as(structure, flat)


def to_tensors(element, device):
    """The element with each array as a Tensor on ``device`` (what iteration yields)."""

    def wrap(array):
        if type(array) is not np.ndarray:
            if isinstance(array, LEAF_TYPES):
                return composite.to_tensor(array, device, _host())
            if is_dataset(array):
                return array  # a window's dataset
        if array.dtype is _OBJECT:  # tf.string stays on the host
            return Tensor._wrap(array, _host())
        return Tensor._wrap(device.asarray(array), device)

    return map_leaves(wrap, element)


def stack(elements: list, op: str):
    """Stack a list of elements component by component (``batch``): dense components along
    a new first axis (their shapes must agree), ragged ones into a RaggedTensor with one
    more ragged dimension, sparse ones into a batched SparseTensor."""
    flat = [nest.flatten(e) for e in elements]
    out = []
    for c, column in enumerate(zip(*flat)):
        if any(isinstance(a, LEAF_TYPES) for a in column):
            out.append(composite.stack(column, op, c))
            continue
        shape = column[0].shape
        for j, a in enumerate(column):
            if a.shape != shape:
                raise ValueError(
                    f"{op}: cannot batch tensors with different shapes in "
                    f"component {c}: the first element had shape {shape} and "
                    f"element {j} had shape {a.shape}; use padded_batch, or map "
                    f"the elements to one shape first"
                )
        out.append(np.stack(column))
    return nest.pack_sequence_as(elements[0], out)


def unstack(element, op: str) -> list:
    """An element split along the first dimension of its components (``unbatch``)."""
    flat = nest.flatten(element)
    sizes = {a.shape[0] for a in flat}
    if len(sizes) > 1:
        raise ValueError(
            f"{op}: the components of an element have different "
            f"first dimensions {sorted(sizes)}: {spec_of(element)}"
        )
    columns = [
        composite.unstack(a)
        if isinstance(a, LEAF_TYPES)
        else [a[i : i + 1].reshape(a.shape[1:]) for i in range(a.shape[0])]
        for a in flat
    ]
    return [nest.pack_sequence_as(element, list(row)) for row in zip(*columns)]


def has_composites(structure) -> bool:
    """Whether an element (or spec) has a ragged or sparse leaf."""
    return any(
        isinstance(leaf, LEAF_TYPES) or composite.is_composite_spec(leaf)
        for leaf in nest.flatten(structure)
    )


def zeros_of(spec):
    """A stand-in element of ``spec`` (unknown dimensions 1), e.g. to learn what a function
    makes of an empty dataset's elements."""

    def zero(s):
        if composite.is_composite_spec(s):
            return composite.zeros(s)
        shape = [1 if d is None else d for d in (s.shape or ())]
        if s.dtype == dtypes.string:  # empty strings, as a string tensor holds them
            return np.full(shape, b"", dtype=_string_arrays.OBJECT)
        return np.zeros(shape, dtype=s.dtype)

    return nest.map_structure(zero, spec)


def host_composites(element):
    """The element with its ragged and sparse leaves as gpuflow RaggedTensors and
    SparseTensors on the host (dense leaves stay arrays): what ``fit`` reads."""
    host = _host()
    return map_leaves(
        lambda a: composite.to_tensor(a, host, host) if isinstance(a, LEAF_TYPES) else a,
        element,
    )


def numpy_value(leaf):
    """One leaf as ``as_numpy_iterator`` gives it (see composite.numpy_value)."""
    if isinstance(leaf, LEAF_TYPES):
        return composite.numpy_value(leaf)
    if is_dataset(leaf):
        raise TypeError(
            "Dataset.as_numpy_iterator() is not supported for datasets that "
            "produce values of type DatasetSpec (window makes them); iterate them "
            "with a for loop"
        )
    # A copy, since the pipeline may hand out read-only views of its own arrays; scalars
    # come out as NumPy scalars, as TensorFlow gives them.
    return np.array(leaf)[()]


def call_with_element(fn, element):
    """Call ``fn`` as tf.data does: a plain tuple is unpacked into positional arguments."""
    if type(element) is tuple:
        return fn(*element)
    return fn(element)


def flatten_up_to(shallow, deep, what: str) -> list:
    """``deep`` flattened to the leaves of ``shallow`` (a leaf of ``shallow`` takes whatever
    ``deep`` holds there, e.g. a shape tuple); ValueError naming both when they differ."""
    if not nest.is_nested(shallow):
        return [deep]

    def fail():
        return ValueError(
            f"{what}: {deep!r} does not have the structure of the elements {shallow!r}"
        )

    if isinstance(shallow, Mapping):
        if not isinstance(deep, Mapping) or set(deep) != set(shallow):
            raise fail()
        pairs = [(shallow[k], deep[k]) for k in sorted(shallow)]
    else:
        if not isinstance(deep, (tuple, list)) or len(deep) != len(shallow):
            raise fail()
        pairs = list(zip(shallow, deep))
    out: list = []
    for s, d in pairs:
        out.extend(flatten_up_to(s, d, what))
    return out
