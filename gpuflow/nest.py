"""``tf.nest``: flatten and rebuild nested structures of lists, tuples, namedtuples and dicts.

Dicts flatten in sorted key order, as TensorFlow does; anything else is a leaf. With
``expand_composites=True`` composite tensors flatten into their component tensors, as
TensorFlow's: an ExtensionType into its tensor fields, a RaggedTensor into its flat values
and row splits (outermost first), a SparseTensor into indices, values and dense_shape.
gpuflow's own callers that open ExtensionTypes only (tf.function's arguments, whose
RaggedTensors and SparseTensors stay whole) pass ``expand_composites=EXTENSION_TYPES``. The data
pipeline, the Trainer (multi-input and multi-output models) and the functional API share
these functions so that one rule decides what a structure is.
"""

from __future__ import annotations

from collections.abc import Mapping

#: ``expand_composites=EXTENSION_TYPES``: open ExtensionTypes, keep RaggedTensor and
#: SparseTensor whole (gpuflow's internal callers)
EXTENSION_TYPES = "extension_types"


def is_nested(structure) -> bool:
    """Whether ``structure`` is a list, tuple (named or not) or dict, i.e. not a leaf."""
    return isinstance(structure, (list, tuple, Mapping))


def _is_namedtuple(value) -> bool:
    return isinstance(value, tuple) and hasattr(type(value), "_fields")


def _children(structure, expand: bool = False) -> list:
    if expand and _composite(structure, expand):
        if _tensor_composite(structure):
            return _tensor_components(structure)
        return structure._gpuflow_components()
    if isinstance(structure, Mapping):
        return [structure[key] for key in _sorted_keys(structure)]
    return list(structure)


def _composite(value, expand=True) -> bool:
    """Whether ``value`` is a composite that ``expand_composites=expand`` opens: an
    ExtensionType; a RaggedTensor or SparseTensor unless ``expand`` is EXTENSION_TYPES."""
    if hasattr(type(value), "_gpuflow_components"):
        return True
    return expand is True and _tensor_composite(value)


def _tensor_composite(value) -> bool:
    cls = type(value)
    return getattr(cls, "_is_composite_tensor", False) and cls.__name__ in (
        "RaggedTensor",
        "SparseTensor",
    )


def _tensor_components(value) -> list:
    """TensorFlow's components: ``[flat_values, *nested_row_splits]`` of a RaggedTensor,
    ``[indices, values, dense_shape]`` of a SparseTensor."""
    if type(value).__name__ == "RaggedTensor":
        return [value.flat_values, *value.nested_row_splits]
    return [value.indices, value.values, value.dense_shape]


def _from_tensor_components(value, components: list):
    if type(value).__name__ == "RaggedTensor":
        return type(value).from_nested_row_splits(components[0], components[1:], validate=False)
    return type(value)(*components)


def _nested(structure, expand) -> bool:
    return is_nested(structure) or (bool(expand) and _composite(structure, expand))


def _sorted_keys(mapping) -> list:
    try:
        return sorted(mapping)
    except TypeError as exc:
        raise TypeError(f"nest: dict keys must be sortable, received {list(mapping)!r}") from exc


def flatten(structure, expand_composites: bool = False) -> list:
    """The leaves of ``structure`` in order (dicts by sorted key); a leaf gives ``[leaf]``."""
    if not _nested(structure, expand_composites):
        return [structure]
    leaves: list = []
    for child in _children(structure, expand_composites):
        leaves.extend(flatten(child, expand_composites))
    return leaves


def _rebuild(structure, children: list, expand: bool = False):
    if expand and _composite(structure, expand):
        if _tensor_composite(structure):
            return _from_tensor_components(structure, children)
        return structure._gpuflow_from_components(children)
    if isinstance(structure, Mapping):
        values = dict(zip(_sorted_keys(structure), children))
        return type(structure)((key, values[key]) for key in structure)
    if _is_namedtuple(structure):
        return type(structure)(*children)
    return type(structure)(children)


def pack_sequence_as(structure, flat_sequence, expand_composites: bool = False):
    """Rebuild ``structure``'s shape with the leaves taken in order from ``flat_sequence``."""
    flat = list(flat_sequence)
    if not _nested(structure, expand_composites) and len(flat) == 1:
        return flat[0]  # a single leaf (a compiled function returning one tensor)
    position = iter(flat)
    missing = object()

    def build(node):
        if not _nested(node, expand_composites):
            leaf = next(position, missing)
            if leaf is missing:
                _raise_leaf_count(structure, flat, expand_composites)
            return leaf
        children = [build(child) for child in _children(node, expand_composites)]
        return _rebuild(node, children, expand_composites)

    packed = build(structure)
    if next(position, missing) is not missing:
        _raise_leaf_count(structure, flat, expand_composites)
    return packed


def _raise_leaf_count(structure, flat, expand_composites) -> None:
    expected = len(flatten(structure, expand_composites))
    raise ValueError(
        f"nest.pack_sequence_as: the structure has {expected} leaves, flat_sequence has {len(flat)}"
    )


def assert_same_structure(
    nest1, nest2, check_types: bool = True, expand_composites: bool = False
) -> None:
    """Raise ValueError (TypeError for differing types) naming both structures when they differ."""

    def compare(a, b):
        if expand_composites and (
            _composite(a, expand_composites) or _composite(b, expand_composites)
        ):
            if type(a) is not type(b):
                error = ValueError if _tensor_composite(a) or _tensor_composite(b) else TypeError
                raise error(
                    f"nest: the two structures don't have the same nested structure: "
                    f"type={type(a).__name__} and type={type(b).__name__}"
                )
            a, b = _children(a, expand_composites), _children(b, expand_composites)
            if len(a) != len(b):  # RaggedTensors of different ragged ranks
                raise ValueError(
                    f"nest: the two structures don't have the same nested structure: "
                    f"{len(a)} and {len(b)} components in {nest1!r} and {nest2!r}"
                )
        if is_nested(a) != is_nested(b):
            raise ValueError(
                f"nest: the two structures don't have the same nested structure: "
                f"{nest1!r} and {nest2!r}"
            )
        if not is_nested(a):
            return
        if (
            check_types
            and type(a) is not type(b)
            and not (isinstance(a, Mapping) and isinstance(b, Mapping))
        ):
            raise TypeError(
                f"nest: the two structures don't have the same sequence type: "
                f"{type(a).__name__} and {type(b).__name__}"
            )
        if isinstance(a, Mapping) and set(a) != set(b):
            raise ValueError(
                f"nest: the two dicts don't have the same keys: "
                f"{sorted(map(str, a))} and {sorted(map(str, b))}"
            )
        if len(a) != len(b):
            raise ValueError(
                f"nest: the two structures don't have the same number of elements: "
                f"{len(a)} and {len(b)} in {nest1!r} and {nest2!r}"
            )
        for x, y in zip(_children(a), _children(b)):
            compare(x, y)

    compare(nest1, nest2)


def map_structure(func, *structures, check_types: bool = True, expand_composites: bool = False):
    """Apply ``func`` to the leaves of the structures (all of the same shape), keep the shape."""
    if not structures:
        raise ValueError("nest.map_structure: at least one structure is required")
    for other in structures[1:]:
        assert_same_structure(structures[0], other, check_types, expand_composites)
    flat = [flatten(s, expand_composites) for s in structures]
    leaves = [func(*leaves) for leaves in zip(*flat)]
    return pack_sequence_as(structures[0], leaves, expand_composites)
