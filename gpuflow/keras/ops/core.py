"""``keras.ops`` core: conversion, dtypes, control flow (``cond``, ``while_loop``,
``fori_loop``, ``scan``), slicing and scattering, with Keras 3's signatures."""

from __future__ import annotations

import builtins

import numpy as np

from ... import nest
from ...autodiff.tape import stop_gradient as _stop_gradient
from ...graph import cond as _cond
from ...graph import while_loop as _while_loop
from ...ops import control_flow as _cf
from ...ops import indexing as _ix
from ...ops import rearrange as _rearrange
from ...ops import shape as _sh
from ...ops.select import where as _where
from ...tensor import Tensor
from ._dtypes import convert_to_tensor as _convert
from ._dtypes import standardize_dtype


def convert_to_tensor(x, dtype=None, sparse=None, ragged=None):
    """``x`` as a tensor; Python ints become int32, floats the default float type, NumPy
    arrays keep their dtype. ``sparse`` / ``ragged`` must be None or False."""
    if sparse or ragged:
        raise ValueError(
            f"convert_to_tensor: sparse and ragged tensors are not supported by keras.ops "
            f"here, received sparse={sparse}, ragged={ragged}"
        )
    return _convert(x, dtype)


def convert_to_numpy(x):
    """``x`` as a NumPy array."""
    return np.asarray(x)  # a 0-d array for a scalar, as Keras' np.array(x)


def cast(x, dtype):
    """``x`` cast to ``dtype``."""
    return _convert(x, standardize_dtype(dtype))


def saturate_cast(x, dtype):
    """``x`` cast to ``dtype``, clipped to the range of ``dtype`` first."""
    from ...ops.saturate import saturate_cast as _saturate

    return _saturate(_convert(x), standardize_dtype(dtype))


def is_tensor(x) -> bool:
    """Whether ``x`` is a tensor (a Variable counts)."""
    return isinstance(x, Tensor)


def dtype(x) -> str:
    """The Keras dtype name of ``x`` (``"float32"``, ``"int32"``, ...)."""
    return standardize_dtype(_convert(x).dtype)


def shape(x) -> tuple:
    """The shape of ``x`` as a tuple of ints."""
    if hasattr(x, "shape") and not isinstance(x, (list, tuple)):
        return tuple(int(n) if n is not None else None for n in x.shape)
    return tuple(np.shape(x))


def ndim(x) -> int:
    """The number of axes of ``x``."""
    return len(shape(x))


def size(x):
    """The number of elements of ``x`` (an int32 scalar tensor)."""
    return _convert(int(np.prod(shape(x), dtype=np.int64)), "int32")


def stop_gradient(variable):
    """``variable`` as a tensor through which no gradient flows."""
    return _stop_gradient(_convert(variable))


def cond(pred, true_fn, false_fn):
    """``true_fn()`` if ``pred`` else ``false_fn()``."""
    return _cond(pred, true_fn, false_fn)


def switch(index, branches, *operands):
    """``branches[index](*operands)``, the index clamped to the valid range."""
    from ...ops.select import clip_by_value

    if not branches:
        raise ValueError("switch: branches must not be empty")
    index = clip_by_value(_convert(index, "int32"), 0, len(branches) - 1)

    # A chain of conds: each is a recorded branch inside gpuflow.function.
    def pick(i):
        if i == len(branches) - 1:
            return branches[i](*operands)
        return _cond(index == i, lambda: branches[i](*operands), lambda: pick(i + 1))

    return pick(0)


def while_loop(cond, body, loop_vars, maximum_iterations=None):
    """Repeat ``loop_vars = body(*loop_vars)`` while ``cond(*loop_vars)``.

    A tuple or list of loop variables is unpacked into ``cond`` and ``body`` and returned
    as a tuple; a single tensor is passed and returned as itself.
    """
    is_tuple = isinstance(loop_vars, (tuple, list))
    loop_vars = tuple(loop_vars) if is_tuple else (loop_vars,)
    loop_vars = nest.map_structure(_convert, loop_vars)

    def step(*args):
        outputs = body(*args)
        return tuple(outputs) if is_tuple else (outputs,)

    outputs = _while_loop(cond, step, loop_vars, maximum_iterations=maximum_iterations)
    outputs = tuple(outputs)
    return outputs if is_tuple else outputs[0]


def fori_loop(lower, upper, body_fun, init_val):
    """``val = body_fun(i, val)`` for ``i`` from ``lower`` to ``upper - 1``; returns ``val``."""

    def keep_going(i, val):
        return i < upper

    def step(i, val):
        return i + 1, body_fun(i, val)

    return while_loop(keep_going, step, (_convert(lower), init_val))[1]


def scan(f, init, xs=None, length=None, reverse=False, unroll=1):
    """JAX's ``scan``: ``carry, y = f(carry, x)`` over the leading axis of ``xs`` (``length``
    steps with ``x=None`` when ``xs`` is None); returns ``(carry, stacked ys)``."""
    if not callable(f):
        raise TypeError(f"scan: f must be callable, received {type(f).__name__}")
    flat_xs = [] if xs is None else [_convert(x) for x in nest.flatten(xs)]
    if xs is None:
        if length is None:
            raise ValueError("scan: pass xs or length")
        n = int(length)
    else:
        n = int(flat_xs[0].shape[0]) if flat_xs else 0
        if any(int(x.shape[0]) != n for x in flat_xs):
            raise ValueError(
                "scan: every element of xs needs the same leading axis, received shapes "
                f"{[tuple(x.shape) for x in flat_xs]}"
            )
        if length is not None and int(length) != n:
            raise ValueError(f"scan: length {length} differs from the leading axis {n} of xs")
    carry, ys = init, []
    order = range(n - 1, -1, -1) if reverse else range(n)
    for i in order:
        x = None if xs is None else nest.pack_sequence_as(xs, [v[i] for v in flat_xs])
        carry, y = f(carry, x)
        ys.append(y)
    if reverse:
        ys.reverse()
    if not ys or all(y is None for y in nest.flatten(ys[0])):
        return carry, None
    stacked = [_sh.stack([nest.flatten(y)[j] for y in ys]) for j in range(len(nest.flatten(ys[0])))]
    return carry, nest.pack_sequence_as(ys[0], stacked)


def map(f, xs):  # noqa: A001 - Keras's name
    """``f`` applied to each slice of ``xs`` along axis 0, the results stacked."""
    return _cf.map_fn(f, xs)


def vectorized_map(function, elements):
    """``function`` applied to each slice of ``elements`` along axis 0, results stacked."""
    return _cf.vectorized_map(function, elements)


def custom_gradient(f):
    """Decorator: ``f(*args)`` returns ``(output, grad_fn)``; ``grad_fn(upstream)`` returns
    the gradients of the arguments."""
    from ...autodiff.custom_gradient import custom_gradient as _custom

    return _custom(f)


def _start(start_indices, ndim: int, op: str) -> list:
    if isinstance(start_indices, Tensor):
        start_indices = start_indices.numpy().tolist()
    starts = [int(_convert(s).numpy()) if isinstance(s, Tensor) else int(s) for s in start_indices]
    if len(starts) != ndim:
        raise ValueError(f"{op}: expected {ndim} start indices (one per axis), received {starts}")
    return starts


def slice(inputs, start_indices, shape):  # noqa: A001 - Keras's name
    """The block of ``inputs`` of size ``shape`` starting at ``start_indices``."""
    t = _convert(inputs)
    return _ix.slice(t, _start(start_indices, t.ndim, "slice"), list(shape))


def slice_update(inputs, start_indices, updates):
    """``inputs`` with the block at ``start_indices`` replaced by ``updates``."""
    from ...ops.rearrange import pad

    t = _convert(inputs)
    u = _convert(updates, t.dtype.name)
    starts = _start(start_indices, t.ndim, "slice_update")
    if u.ndim != t.ndim:
        raise ValueError(
            f"slice_update: updates must have the rank of inputs ({t.ndim}), received shape "
            f"{tuple(u.shape)}"
        )
    widths = []
    for s, n, m in zip(starts, t.shape, u.shape):
        if s < 0 or s + m > n:
            raise ValueError(
                f"slice_update: updates of shape {tuple(u.shape)} at {starts} do not fit in "
                f"inputs of shape {tuple(t.shape)}"
            )
        widths.append([s, n - s - m])
    mask = pad(_convert(np.ones(tuple(u.shape), dtype=bool)), widths, constant_values=False)
    return _where(mask, pad(u, widths), t)


def scatter(indices, values, shape):
    """A zero tensor of ``shape`` with ``values`` added at ``indices`` (duplicates summed)."""
    idx = _convert(indices)
    return _ix.scatter_nd(idx, _convert(values), list(shape))


def scatter_update(inputs, indices, updates, reduction=None):
    """``inputs`` with the elements (or slices) at ``indices`` set to ``updates``
    (``reduction``: None to replace, ``"add"`` to add)."""
    t = _convert(inputs)
    u = _convert(updates, t.dtype.name)
    idx = _convert(indices)
    if reduction is None:
        return _ix.tensor_scatter_nd_update(t, idx, u)
    if reduction == "add":
        return _ix.tensor_scatter_nd_add(t, idx, u)
    raise ValueError(f"scatter_update: reduction must be None or 'add', received {reduction!r}")


def associative_scan(f, elems, reverse=False, axis=0):
    """The inclusive scan of ``elems`` along ``axis`` under the associative ``f``:
    ``out[i] = f(out[i - 1], elems[i])``. ``f`` takes and returns structures like
    ``elems`` of tensors holding many positions along ``axis`` at once (it runs
    ``ceil(log2(n))`` times, as the parallel scans of JAX and TensorFlow Probability)."""
    if not callable(f):
        raise TypeError(f"associative_scan: `f` should be a callable. Received: f={f!r}")
    flat = [_convert(e) for e in nest.flatten(elems)]
    if not flat:
        raise ValueError("associative_scan: elems must hold at least one tensor")
    for t in flat:
        if t.ndim == 0:
            raise ValueError("associative_scan: elems must have rank >= 1, received a scalar")
    ax = [axis % t.ndim for t in flat]
    sizes = [t.shape[a] for t, a in zip(flat, ax)]
    if len(set(sizes)) != 1:
        raise ValueError(
            "associative_scan: array inputs must have the same size along the scan axis, "
            f"received sizes {sizes}"
        )
    n = sizes[0]
    if reverse:
        flat = [_rearrange.reverse(t, [a]) for t, a in zip(flat, ax)]

    def take(t, a, start, stop):
        index = [builtins.slice(None)] * t.ndim
        index[a] = builtins.slice(start, stop)
        return t[tuple(index)]

    offset = 1
    while offset < n:
        left = [take(t, a, 0, n - offset) for t, a in zip(flat, ax)]
        right = [take(t, a, offset, n) for t, a in zip(flat, ax)]
        combined = nest.flatten(
            f(nest.pack_sequence_as(elems, left), nest.pack_sequence_as(elems, right))
        )
        if len(combined) != len(flat):
            raise ValueError(
                f"associative_scan: f must return the structure of elems ({len(flat)} "
                f"tensors), returned {len(combined)}"
            )
        flat = [
            _sh.concat([take(t, a, 0, offset), _convert(c)], axis=a)
            for t, c, a in zip(flat, combined, ax)
        ]
        offset *= 2
    if reverse:
        flat = [_rearrange.reverse(t, [a]) for t, a in zip(flat, ax)]
    return nest.pack_sequence_as(elems, flat)
