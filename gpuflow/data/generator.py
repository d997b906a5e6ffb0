"""``Dataset.from_generator``: elements from a Python generator, checked against a spec."""

from __future__ import annotations

import numpy as np

from .. import nest
from ..py_function import as_op_error
from ..tensor_spec import TensorSpec, shapes_compatible
from . import composite, structure
from .dataset import UNKNOWN, Dataset


class GeneratorDataset(Dataset):
    """Calls ``generator(*args)`` at the start of each pass and checks each element."""

    _repeatable = False  # an iterator over it cannot be checkpointed (iterator_state.py)

    def __init__(self, generator, spec, args) -> None:
        super().__init__()
        self._generator = generator
        self._spec = spec
        self._args = args

    def _compute_spec(self):
        return self._spec

    def _cardinality(self) -> int:
        return UNKNOWN

    def _elements(self, ctx):
        iterator = None
        try:
            while True:
                # What the generator raises, and a mismatch with the spec, surface as
                # TensorFlow's error classes (InvalidArgumentError for TypeError and
                # ValueError, UnknownError for others), as its py_func does.
                try:
                    if iterator is None:
                        iterator = iter(self._generator(*self._args))
                    value = self._check(next(iterator))
                except StopIteration:
                    return
                except Exception as exc:  # noqa: BLE001 (re-raised as TensorFlow's class)
                    raise as_op_error(exc, "Dataset.from_generator") from exc
                yield value
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                close()  # the user's generator runs its own `finally` now, not at GC

    def _check(self, value):
        spec = self._spec
        if isinstance(value, list) and nest.is_nested(spec) and not isinstance(spec, list):
            value = tuple(value)  # TensorFlow accepts a list where the spec is a tuple
        if isinstance(value, tuple) and not nest.is_nested(spec):
            # one spec: the whole element is one tensor (TensorFlow converts `(i,)` to [i])
            value = structure.Leaf(list(value))
        else:
            value = structure.lists_as_leaves(value)
        if not structure.same_structure(value, spec):
            raise TypeError(
                f"`generator` yielded an element that did not match the expected "
                f"structure. The expected structure was {spec!r}, but the yielded "
                f"element was {nest.map_structure(lambda leaf: leaf.value, value)!r}."
            )
        return nest.map_structure(self._convert, value, spec)

    @staticmethod
    def _convert(leaf, spec: TensorSpec) -> np.ndarray:
        raw = leaf.value
        if composite.is_composite_spec(spec) or composite.is_composite(raw):
            return _convert_composite(raw, spec)
        if getattr(raw, "dtype", None) == "string" or spec.dtype == "string":
            return structure.to_array(raw, "Dataset.from_generator")  # text: bytes
        raw = raw.numpy() if hasattr(raw, "numpy") else raw
        try:
            array = np.asarray(raw, dtype=spec.dtype)
        except (TypeError, ValueError) as exc:
            raise TypeError(
                f"`generator` yielded an element that could not be converted to the "
                f"expected type. The expected type was {spec.dtype.name}, but the "
                f"yielded element was {raw!r} ({exc})."
            ) from None
        if not shapes_compatible(spec.shape, array.shape):
            raise TypeError(
                f"`generator` yielded an element of shape {array.shape} where an "
                f"element of shape {tuple(spec.shape)} was expected (expected spec "
                f"{spec!r}, received "
                f"{TensorSpec(array.shape, array.dtype)!r})."
            )
        return array


def _convert_composite(raw, spec):
    """A yielded RaggedTensor / SparseTensor for its spec, as a host leaf; anything else
    where the spec wants one (or one where the spec wants a tensor) is TensorFlow's
    TypeError."""
    leaf = composite.from_value(raw) if composite.is_composite(raw) else None
    fits = (
        leaf is not None
        and composite.is_composite_spec(spec)
        and type(composite.spec_of(leaf)) is type(spec)
        and leaf.dtype == spec.dtype
        and (not isinstance(leaf, composite.RaggedValue) or leaf.ragged_rank == spec.ragged_rank)
    )
    if not fits:
        raise TypeError(
            f"`generator` yielded an element that could not be converted to the "
            f"expected type. The expected type was {spec!r}, but the yielded "
            f"element was {raw!r}."
        )
    dims = None if spec.shape.rank is None else tuple(spec.shape)
    if not shapes_compatible(dims, leaf.shape):
        raise TypeError(
            f"`generator` yielded an element of shape {list(leaf.shape)} where an "
            f"element of shape {list(dims)} was expected (expected spec {spec!r})."
        )
    return leaf


def _signature_from_types(output_types, output_shapes):
    """The TensorSpec structure that the deprecated (types, shapes) arguments describe."""
    types = structure.lists_as_leaves(output_types)
    flat_types = [leaf.value for leaf in nest.flatten(types)]
    if output_shapes is None:
        flat_shapes = [None] * len(flat_types)
    else:
        flat_shapes = structure.flatten_up_to(
            types, output_shapes, "Dataset.from_generator(output_shapes)"
        )
    specs = [TensorSpec(shape, dtype) for shape, dtype in zip(flat_shapes, flat_types)]
    return nest.pack_sequence_as(types, specs)


def from_generator(
    generator, output_types=None, output_shapes=None, args=None, output_signature=None, name=None
) -> Dataset:
    """A dataset of what ``generator(*args)`` yields, checked against a spec.

    Args:
        generator: a callable returning an iterator (called at the start of every pass).
        output_types: deprecated with ``output_shapes``: the (nested) dtypes of an element.
        output_shapes: the (nested) shapes of an element (None dims allowed).
        args: a tuple of values passed to ``generator`` as NumPy arrays (scalars as
            NumPy scalars, string scalars as ``bytes``).
        output_signature: a (nested) structure of ``gpuflow.TensorSpec`` (or
            ``RaggedTensorSpec`` / ``SparseTensorSpec``, for which the generator yields
            RaggedTensors / SparseTensors); preferred.
        name: unused; accepted for TensorFlow's signature.

    Raises:
        TypeError: while iterating, when an element does not match the spec (naming the
            expected and the received spec).
    """
    if not callable(generator):
        raise TypeError(
            f"Dataset.from_generator: generator must be a callable that returns an "
            f"iterator, received {type(generator).__name__}"
        )
    if output_signature is not None:
        if output_types is not None or output_shapes is not None:
            raise TypeError(
                "Dataset.from_generator: pass output_signature, or the deprecated "
                "output_types (and output_shapes), not both"
            )
        for spec in nest.flatten(output_signature):
            if not isinstance(spec, TensorSpec) and not composite.is_composite_spec(spec):
                raise TypeError(
                    f"Dataset.from_generator: output_signature must be a (nested) "
                    f"structure of gpuflow.TensorSpec, RaggedTensorSpec or "
                    f"SparseTensorSpec, received {type(spec).__name__}"
                )
        spec = output_signature
    elif output_types is not None:
        spec = _signature_from_types(output_types, output_shapes)
    else:
        raise TypeError(
            "Dataset.from_generator: output_signature is required (or the deprecated output_types)"
        )
    call_args = tuple(_generator_arg(a) for a in (args or ()))
    return GeneratorDataset(generator, spec, call_args)


def _generator_arg(value):
    """One of ``args`` as TensorFlow hands it to the generator: an array, except that a
    scalar comes as a NumPy scalar (a string one as ``bytes``), hashable like the value
    given (TensorFlow's generator runs in a py_func, which unwraps 0-d arrays)."""
    array = np.asarray(structure.to_array(value, "Dataset.from_generator(args)"))
    return array[()] if array.ndim == 0 else array
