"""Sizes to trace an ``input_signature`` with when its None dimensions set to 1 cannot be
traced (``tf.reshape(x, [-1, 784])`` on ``TensorSpec([None, None, None, None])``, a
normalization with a fixed-size mean on ``TensorSpec([None, None])``).

TensorFlow traces such signatures symbolically; gpuflow records a trace by running the body
on values, so it looks for sizes the body accepts: the shapes the function was called with,
then the same size for every None dimension after the first (the sizes of the object's
variables, then small sizes). save.py then checks, with traces at several of these sizes,
whether the recorded steps depend on them."""

from __future__ import annotations

import math

from .. import nest
from ..tensor_spec import TensorSpec

# The most elements one probe tensor may have (a search must not allocate much).
MAX_ELEMENTS = 1 << 21
# The sizes tried for the None dimensions after the first, after the shapes of the calls
# and the dimensions of the variables.
SMALL_SIZES = range(2, 65)
# The size the first (batch) dimension takes while the others are searched.
BATCH = 5


def too_large(signature) -> bool:
    """Whether a fully sized signature has a tensor of more than MAX_ELEMENTS elements."""
    return any(
        isinstance(s, TensorSpec)
        and s.shape.rank is not None
        and math.prod(int(d) for d in s.shape if d is not None) > MAX_ELEMENTS
        for s in nest.flatten(signature)
    )


def trailing_candidates(function, signature, variable_sizes) -> list:
    """Fully sized versions of ``signature`` (first dimensions BATCH), best first, none too
    large: the shapes ``function`` was traced with, then one size for every other None."""
    out: list = []
    seen: set = set()

    def add(sized):
        key = repr(nest.map_structure(repr, sized))
        if key not in seen and not too_large(sized):
            seen.add(key)
            out.append(sized)

    flat = nest.flatten(signature)
    for cf in list(function._concrete.values()):
        if getattr(cf, "_probe", False) or cf.__dict__.get("_requested_signature"):
            continue  # a probe, or asked for with specs (their None sizes at 1): not a call
        traced = _exact_specs(cf)
        if traced is None or len(traced) != len(flat):
            continue
        sized = [_from_example(s, t) for s, t in zip(flat, traced)]
        if None not in sized:
            add(nest.pack_sequence_as(signature, sized))
    sizes = list(dict.fromkeys([*variable_sizes, *SMALL_SIZES]))
    for size in sizes:
        add(nest.map_structure(lambda s, n=size: _fill(s, n), signature))
    return out


def with_batch(sized, original, batch: int):
    """``sized`` with the dimensions that are None first dimensions in ``original`` set to
    ``batch``."""
    return nest.map_structure(
        lambda s, o: _set_first(s, o, batch) if isinstance(s, TensorSpec) else s,
        sized,
        original,
    )


def pinned(sized, original):
    """``original`` with its None dimensions after the first taken from ``sized``."""

    def pin(s, o):
        if not isinstance(o, TensorSpec):
            return o
        if o.shape.rank is None:  # an unknown rank: the shape found
            return TensorSpec(tuple(s.shape), o.dtype, o.name)
        dims = tuple(o.shape)
        got = tuple(s.shape)
        return TensorSpec(
            dims[:1] + tuple(g if d is None else d for d, g in zip(dims[1:], got[1:])),
            o.dtype,
            o.name,
        )

    return nest.map_structure(pin, sized, original)


def _exact_specs(cf):
    try:
        args, kwargs = cf._traced_signature
    except (AttributeError, TypeError, ValueError):
        return None
    if kwargs:
        return None
    return nest.flatten(tuple(args))


def _from_example(spec, traced):
    """``spec`` with its None dimensions after the first taken from ``traced``, the first
    BATCH; None when they do not fit."""
    if not isinstance(spec, TensorSpec):
        return spec
    if not isinstance(traced, TensorSpec) or traced.shape.rank is None:
        return None
    if spec.shape.rank is None:  # an unknown rank: the call's shape
        if spec.dtype != traced.dtype:
            return None
        return TensorSpec(tuple(int(g) for g in traced.shape), spec.dtype, spec.name)
    dims, got = tuple(spec.shape), tuple(traced.shape)
    if len(dims) != len(got) or spec.dtype != traced.dtype:
        return None
    if any(d is not None and d != g for d, g in zip(dims, got)):
        return None
    first = () if not dims else ((BATCH if dims[0] is None else dims[0]),)
    return TensorSpec(first + tuple(int(g) for g in got[1:]), spec.dtype, spec.name)


def _fill(spec, size):
    if not isinstance(spec, TensorSpec):
        return spec
    if spec.shape.rank is None:  # an unknown rank: a vector of that size
        return TensorSpec((size,), spec.dtype, spec.name)
    dims = tuple(spec.shape)
    if not dims:
        return spec
    first = BATCH if dims[0] is None else dims[0]
    return TensorSpec(
        (first,) + tuple(size if d is None else d for d in dims[1:]), spec.dtype, spec.name
    )


def _set_first(spec, original, batch):
    if (
        original.shape.rank is None
        or spec.shape.rank is None
        or not tuple(original.shape)
        or original.shape[0] is not None
    ):
        return spec
    dims = tuple(spec.shape)
    return TensorSpec((batch,) + dims[1:], spec.dtype, spec.name)
