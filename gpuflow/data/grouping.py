"""Stateful and grouping transformations: ``scan``, ``group_by_window`` and
``bucket_by_sequence_length`` (``group_by_window`` with ``padded_batch``, as TensorFlow
builds it)."""

from __future__ import annotations

import numpy as np

from .. import errors, nest
from ..backend import current_device
from . import functions, structure
from .dataset import Dataset, IterContext


class _ListDataset(Dataset):
    """The given host elements, with the spec of the dataset they came from (a window of
    ``group_by_window``; its elements may differ in shape)."""

    def __init__(self, elements: list, spec) -> None:
        super().__init__()
        self._list = elements
        self._spec = spec

    def _compute_spec(self):
        return self._spec

    def _cardinality(self) -> int:
        return len(self._list)

    def _elements(self, ctx):
        yield from self._list


def _dtypes(spec):
    return [s.dtype for s in nest.flatten(spec)]


class ScanDataset(Dataset):
    """``scan_func(state, element) -> (new_state, output)`` over the elements, in order."""

    def __init__(self, dataset, initial_state, scan_func) -> None:
        if not callable(scan_func):
            raise TypeError(
                f"Dataset.scan: scan_func must be callable, received {type(scan_func).__name__}"
            )
        super().__init__((dataset,))
        self._state = structure.normalize_input(initial_state, "Dataset.scan")
        self._fn = functions.bound_now(scan_func)

    def _step(self, state, element, ctx, index):
        result = functions.call(self._fn, (state, element), ctx, "Dataset.scan", index)
        if not isinstance(result, (tuple, list)) or len(result) != 2:
            raise TypeError(
                "Dataset.scan: scan_func must return a pair (new_state, output_element), "
                f"received {type(result).__name__}"
            )
        new_state = structure.normalize_output(result[0], "Dataset.scan")
        before, after = structure.spec_of(self._state), structure.spec_of(new_state)
        if not structure.same_structure(before, after):
            raise TypeError(
                "Dataset.scan: the new state must have the structure of the initial state: "
                f"{before!r} vs. {after!r}"
            )
        if _dtypes(before) != _dtypes(after):
            raise TypeError(
                "Dataset.scan: the element types for the new state must match the initial "
                f"state. Expected {[d.name for d in _dtypes(before)]}; got "
                f"{[d.name for d in _dtypes(after)]}."
            )
        return new_state, structure.normalize_output(result[1], "Dataset.scan")

    def _compute_spec(self):
        ctx = IterContext(current_device(), probe=True)
        element = functions.first_element(self._inputs[0], ctx)
        return structure.spec_of(self._step(self._state, element, ctx, 0)[1])

    def _cardinality(self) -> int:
        return self._inputs[0]._cardinality()

    def _elements(self, ctx):
        state = self._state
        for index, element in enumerate(self._inputs[0]._elements(ctx)):
            state, output = self._step(state, element, ctx, index)
            yield output


def _scalar_int(result, op: str, what: str) -> int:
    array = np.asarray(result.numpy() if hasattr(result, "numpy") else result)
    if array.shape != () or array.dtype.kind not in "iu":
        raise ValueError(
            f"{op}: {what} must return a scalar integer (tf.int64) tensor, received shape "
            f"{array.shape} and dtype {array.dtype.name}"
        )
    return int(array)


class GroupByWindowDataset(Dataset):
    """Elements grouped by ``key_func``; each full group (``window_size`` elements, or
    ``window_size_func(key)``) becomes ``reduce_func(key, window_dataset)``'s elements;
    the groups left at the end follow in ascending key order."""

    def __init__(self, dataset, key_func, reduce_func, window_size, window_size_func) -> None:
        op = "Dataset.group_by_window"
        for name, fn in (("key_func", key_func), ("reduce_func", reduce_func)):
            if not callable(fn):
                raise TypeError(f"{op}: {name} must be callable, received {type(fn).__name__}")
        if (window_size is None) == (window_size_func is None):
            raise ValueError(f"{op}: give exactly one of window_size and window_size_func")
        super().__init__((dataset,))
        self._key_func, self._reduce_func = key_func, reduce_func
        if window_size is not None:
            size = _scalar_int(window_size, op, "window_size")
            if size < 1:
                raise ValueError(f"{op}: window_size must be >= 1, received {size}")
            self._size_func = lambda key: size
        else:
            self._size_func = window_size_func

    def _window_size(self, key: int, ctx) -> int:
        result = self._size_func(structure.to_tensors(np.asarray(key, np.int64), ctx.device))
        size = _scalar_int(result, "Dataset.group_by_window", "window_size_func")
        if size < 1:
            raise ValueError(f"Dataset.group_by_window: window size must be >= 1, got {size}")
        return size

    def _reduce(self, key: int, elements: list, ctx):
        window = _ListDataset(elements, self._inputs[0].element_spec)
        out = self._reduce_func(structure.to_tensors(np.asarray(key, np.int64), ctx.device), window)
        if not isinstance(out, Dataset):
            raise TypeError(
                "Dataset.group_by_window: reduce_func must return a Dataset, received "
                f"{type(out).__name__}"
            )
        return out

    def _compute_spec(self):
        ctx = IterContext(current_device(), probe=True)
        element = functions.first_element(self._inputs[0], ctx)
        return self._reduce(0, [element], ctx).element_spec

    def _cardinality(self) -> int:
        from .dataset import UNKNOWN

        return UNKNOWN

    def _elements(self, ctx):
        groups: dict = {}
        for index, element in enumerate(self._inputs[0]._elements(ctx)):
            key = _scalar_int(
                functions.call(self._key_func, element, ctx, "Dataset.group_by_window", index),
                "Dataset.group_by_window",
                "key_func",
            )
            group = groups.setdefault(key, [])
            group.append(element)
            if len(group) >= self._window_size(key, ctx):
                del groups[key]
                yield from self._reduce(key, group, ctx)._elements(ctx)
        for key in sorted(groups):
            yield from self._reduce(key, groups[key], ctx)._elements(ctx)


class Reducer:
    """How ``group_by_reducer`` folds a group: ``init_func(key)`` gives the initial state,
    ``reduce_func(state, element)`` the next one, ``finalize_func(state)`` the output
    (``tf.data.experimental.Reducer``)."""

    def __init__(self, init_func, reduce_func, finalize_func) -> None:
        for name, fn in (("init_func", init_func), ("reduce_func", reduce_func)):
            if not callable(fn):
                raise TypeError(f"Reducer: {name} must be callable, received {type(fn).__name__}")
        self.init_func, self.reduce_func, self.finalize_func = init_func, reduce_func, finalize_func


class GroupByReducerDataset(Dataset):
    """One element per key: the key's elements folded by a Reducer, in order of the keys'
    first appearance, once the input has ended."""

    def __init__(self, dataset, key_func, reducer) -> None:
        if not callable(key_func):
            raise TypeError(
                f"group_by_reducer: key_func must be callable, received {type(key_func).__name__}"
            )
        if not isinstance(reducer, Reducer):
            raise TypeError(
                "group_by_reducer: reducer must be a tf.data.experimental.Reducer, received "
                f"{type(reducer).__name__}"
            )
        super().__init__((dataset,))
        self._key_func, self._reducer = key_func, reducer

    def _fold(self, elements, ctx):
        op = "tf.data.experimental.group_by_reducer"
        reducer = self._reducer
        states: dict = {}
        for index, element in enumerate(elements):
            key = _scalar_int(
                functions.call(self._key_func, element, ctx, op, index), op, "key_func"
            )
            if key not in states:
                key_tensor = structure.to_tensors(np.asarray(key, np.int64), ctx.device)
                states[key] = structure.normalize_output(reducer.init_func(key_tensor), op)
            state = structure.to_tensors(states[key], ctx.device)
            new = structure.normalize_output(
                functions.call(reducer.reduce_func, (state, element), ctx, op, index), op
            )
            if not structure.same_structure(new, states[key]) or _dtypes(
                structure.spec_of(new)
            ) != _dtypes(structure.spec_of(states[key])):
                raise TypeError(
                    f"{op}: reduce_func must return a state of the initial state's structure "
                    f"and types {structure.spec_of(states[key])!r}, received "
                    f"{structure.spec_of(new)!r}"
                )
            states[key] = new
        for index, state in enumerate(states.values()):
            finalize = reducer.finalize_func
            if finalize is None:
                yield state
            else:
                yield structure.normalize_output(
                    functions.call(finalize, state, ctx, op + " (finalize_func)", index), op
                )

    def _compute_spec(self):
        ctx = IterContext(current_device(), probe=True)
        element = functions.first_element(self._inputs[0], ctx)
        return structure.spec_of(next(self._fold([element], ctx)))

    def _cardinality(self) -> int:
        from .dataset import UNKNOWN

        return UNKNOWN

    def _elements(self, ctx):
        yield from self._fold(self._inputs[0]._elements(ctx), ctx)


def scan(self, initial_state, scan_func, name=None) -> Dataset:
    """A running state over the elements: ``scan_func(state, element)`` returns
    ``(new_state, output_element)``; the dataset yields the outputs.

    Example:
        >>> ds = gpuflow.data.Dataset.range(5).scan(0, lambda s, x: (s + x, s + x))  # sums
    """
    return ScanDataset(self, initial_state, scan_func)


def group_by_window(
    self, key_func, reduce_func, window_size=None, window_size_func=None, name=None
) -> Dataset:
    """Group elements by ``key_func(element)`` (an int64 scalar) into windows of
    ``window_size`` (or ``window_size_func(key)``) elements, and replace each window by the
    elements of ``reduce_func(key, window)`` (``window`` is a Dataset of the group)."""
    return GroupByWindowDataset(self, key_func, reduce_func, window_size, window_size_func)


def bucket_by_sequence_length(
    self,
    element_length_func,
    bucket_boundaries,
    bucket_batch_sizes,
    padded_shapes=None,
    padding_values=None,
    pad_to_bucket_boundary=False,
    no_padding=False,
    drop_remainder=False,
    name=None,
) -> Dataset:
    """Batch elements of similar length together, each bucket with its batch size.

    An element of length ``n`` goes to bucket ``i`` where
    ``bucket_boundaries[i-1] <= n < bucket_boundaries[i]``; buckets are padded batches
    (``padded_batch``; dimensions of unknown size in ``element_spec`` pad to the longest in
    the batch, or to ``boundary - 1`` with ``pad_to_bucket_boundary``), or plain batches
    with ``no_padding``.
    """
    op = "Dataset.bucket_by_sequence_length"
    boundaries = [int(b) for b in bucket_boundaries]
    sizes = [int(np.asarray(s)) for s in bucket_batch_sizes]
    if len(sizes) != len(boundaries) + 1:
        raise ValueError(
            f"{op}: len(bucket_batch_sizes) must equal len(bucket_boundaries) + 1, received "
            f"{len(sizes)} and {len(boundaries)}"
        )
    if any(b >= c for b, c in zip(boundaries, boundaries[1:])):
        raise ValueError(f"{op}: bucket_boundaries must be increasing, received {boundaries}")
    spec = self.element_spec

    def bucket_of(*element):
        length = element_length_func(*element)
        n = int(np.asarray(length.numpy() if hasattr(length, "numpy") else length))
        return np.int64(int(np.searchsorted(boundaries, n, side="right")))

    def batch_bucket(bucket_id, window):
        bucket = int(bucket_id.numpy())
        size = sizes[bucket]
        if no_padding:
            return window.batch(size, drop_remainder=drop_remainder)
        filler = None
        if pad_to_bucket_boundary:
            if bucket == len(boundaries):
                raise errors.InvalidArgumentError(
                    None,
                    op,
                    f"{op}: When pad_to_bucket_boundary=True, elements must have length < "
                    f"max(bucket_boundaries) ({boundaries[-1]}).",
                )
            filler = boundaries[bucket] - 1
        shapes = padded_shapes
        if shapes is None:
            shapes = nest.map_structure(
                lambda s: (
                    [filler if d is None else d for d in (s.shape or ())]
                    if filler is not None
                    else None
                ),
                spec,
            )
            if filler is None:
                shapes = None
        return window.padded_batch(size, shapes, padding_values, drop_remainder=drop_remainder)

    return GroupByWindowDataset(
        self, bucket_of, batch_bucket, None, lambda bucket_id: sizes[int(bucket_id.numpy())]
    )
