"""``tf.TensorArray``: a list of tensors of one dtype that loops write into and ``stack``.

It behaves as TensorFlow's eager TensorArray: ``write`` returns the array (write it back,
``ta = ta.write(i, x)``, as TensorFlow code does), unwritten slots read as zeros of the
element shape, ``clear_after_read`` (default True) forbids a second read of a slot, and
``stack`` / ``read`` / ``gather`` / ``concat`` return tensors made by differentiable ops,
so a GradientTape differentiates through them.

Inside ``gpuflow.function`` a loop over ``range`` / ``tf.range`` is unrolled while tracing,
so each write's index is known then. An index that is a traced tensor is taken at its
traced value, and the compiled step checks on each call that it is the same (an error
naming TensorArray otherwise); a TensorArray cannot be a loop variable of a traced
``gpuflow.while_loop``.
"""

from __future__ import annotations

import numpy as np

from . import dtypes
from ._tracing import host_call, tracing
from .errors import InvalidArgumentError, OutOfRangeError
from .tensor import Tensor, TensorShape, Variable


@host_call
def _check_traced_index(index, expected, what):
    """Replay check: the index a traced TensorArray op used still has its traced value."""
    value = np.asarray(index.numpy()).tolist()
    if value != expected:
        raise InvalidArgumentError(
            None,
            "TensorArray",
            f"TensorArray.{what}: the index was {expected} when the function was traced and "
            f"is {value} now; inside gpuflow.function a TensorArray index must be fixed by "
            "the trace (a Python loop or a loop over tf.range of a shape); run the function "
            "eagerly (gpuflow.config.run_functions_eagerly(True)) for data-dependent indices",
        )
    return None


def _index_value(index, what: str):
    """``index`` (an int, a list of ints, or an integer tensor) as Python ints."""
    if isinstance(index, Tensor):
        if index._data.dtype.kind not in "iu":
            raise TypeError(
                f"TensorArray.{what}: the index must be an integer, received dtype "
                f"{index.dtype.name}"
            )
        trace = tracing.trace
        if trace is not None and trace.is_traced(index):
            value = np.asarray(index._device.to_host(index._data)).tolist()
            _check_traced_index(index, value, what)
            return value
        return np.asarray(index.numpy()).tolist()
    if isinstance(index, np.ndarray):
        return index.tolist()
    if isinstance(index, (list, tuple)):
        return [_index_value(i, what) for i in index]
    if isinstance(index, (bool, np.bool_)) or not isinstance(index, (int, np.integer)):
        raise TypeError(f"TensorArray.{what}: the index must be an integer, received {index!r}")
    return int(index)


def _merge(known, shape, what: str):
    if known is None:
        return tuple(shape)
    if len(known) != len(shape) or any(a is not None and a != b for a, b in zip(known, shape)):
        raise ValueError(
            f"TensorArray.{what}: Incompatible shape for value {list(shape)}, expected "
            f"{[d for d in known]}"
        )
    return tuple(shape)


class TensorArray:
    """A list of tensors of one dtype and (inferred) shape, written and read by index.

    Args:
        dtype: the elements' dtype.
        size: the initial number of slots (required).
        dynamic_size: whether writes past the end grow the array (default False).
        clear_after_read: whether reading a slot empties it (default True).
        infer_shape: whether the first write fixes the element shape (default True).
        element_shape: the elements' shape, if known (``None`` dims are free).
        tensor_array_name, handle, flow, colocate_with_first_write_call, name: accepted
            for compatibility; ``handle`` and ``flow`` must be None.
    """

    def __init__(
        self,
        dtype,
        size=None,
        dynamic_size=None,
        clear_after_read=None,
        tensor_array_name=None,
        handle=None,
        flow=None,
        infer_shape=True,
        element_shape=None,
        colocate_with_first_write_call=True,
        name=None,
    ) -> None:
        if handle is not None or flow is not None:
            raise ValueError("TensorArray: handle and flow are not supported by gpuflow")
        if size is None:
            raise ValueError(
                "Size must be declared for TensorArrays when eager execution is enabled."
            )
        self._dtype = dtypes.as_dtype(dtype, "TensorArray(dtype=...)")
        size = _index_value(size, "__init__")
        if size < 0:
            raise ValueError(f"TensorArray: size must be >= 0, received {size}")
        self._items: list = [None] * size
        self._dynamic_size = bool(dynamic_size)
        self._clear_after_read = True if clear_after_read is None else bool(clear_after_read)
        self._infer_shape = bool(infer_shape)
        self._element_shape = (
            None
            if element_shape is None
            else tuple(None if d is None else int(d) for d in element_shape)
        )
        self._cleared: set = set()

    # -- properties ---------------------------------------------------------------------
    @property
    def dtype(self) -> dtypes.DType:
        return self._dtype

    @property
    def dynamic_size(self) -> bool:
        return self._dynamic_size

    @property
    def element_shape(self):
        """The elements' shape as a TensorShape (``TensorShape(None)`` while the rank is
        unknown, as TensorFlow's)."""
        return TensorShape(self._element_shape)

    @property
    def flow(self):
        from .ops.creation import constant

        return constant(0, dtype=dtypes.int32)

    handle = None

    def identity(self) -> "TensorArray":
        return self

    # -- writing ------------------------------------------------------------------------
    def _write(self, index: int, value, what: str) -> None:
        from .ops.creation import convert_to_tensor

        if index < 0:
            raise OutOfRangeError(
                None, "TensorArray", f"Writing to negative indices (index {index}) is not allowed."
            )
        if index >= len(self._items):
            if not self._dynamic_size:
                raise OutOfRangeError(
                    None,
                    "TensorArray",
                    f"Tried to write to index {index} but array is not resizeable and size "
                    f"is: {len(self._items)}",
                )
            self._items.extend([None] * (index - len(self._items) + 1))
        if not isinstance(value, Tensor):
            value = convert_to_tensor(value, dtype=self._dtype)
        elif isinstance(value, Variable):
            # the value now (a differentiable read), not the variable: later assignments
            # must not change what was written, as in TensorFlow
            value = convert_to_tensor(value)
        if value.dtype != self._dtype:
            raise InvalidArgumentError(
                None,
                "TensorArray",
                f"TensorArray dtype is {self._dtype.name} but Op is trying to write dtype "
                f"{value.dtype.name}",
            )
        merged = _merge(self._element_shape, value.shape, what)
        if self._infer_shape or self._element_shape is None:
            self._element_shape = merged
        self._items[index] = value
        self._cleared.discard(index)

    def write(self, index, value, name=None) -> "TensorArray":
        """Put ``value`` at ``index``; returns the array (``ta = ta.write(i, x)``)."""
        self._write(_index_value(index, "write"), value, "write")
        return self

    def unstack(self, value, name=None) -> "TensorArray":
        """Make the slots the rows of ``value`` (along its first axis)."""
        from .ops.creation import convert_to_tensor
        from .ops.shape import unstack

        value = value if isinstance(value, Tensor) else convert_to_tensor(value, self._dtype)
        rows = unstack(value)
        if len(rows) > len(self._items) and not self._dynamic_size:
            raise ValueError(
                f"Cannot unstack {len(rows)} tensors into a TensorArray of static size "
                f"{len(self._items)}"
            )
        self._items = [None] * max(len(rows), 0)
        for i, row in enumerate(rows):
            self._write(i, row, "unstack")
        return self

    def scatter(self, indices, value, name=None) -> "TensorArray":
        """Write the rows of ``value`` at ``indices``."""
        from .ops.creation import convert_to_tensor
        from .ops.shape import unstack

        indices = _index_value(indices, "scatter")
        value = value if isinstance(value, Tensor) else convert_to_tensor(value, self._dtype)
        for index, row in zip(indices, unstack(value)):
            self._write(index, row, "scatter")
        return self

    def split(self, value, lengths, name=None) -> "TensorArray":
        """Make the slots consecutive pieces of ``value`` of ``lengths`` along axis 0."""
        from .ops.creation import convert_to_tensor
        from .ops.shape import split

        value = value if isinstance(value, Tensor) else convert_to_tensor(value, self._dtype)
        lengths = _index_value(lengths, "split")
        if not isinstance(lengths, list):
            raise InvalidArgumentError(
                None, "TensorArray", "Expected lengths to be a vector, received a scalar"
            )
        if value.ndim == 0 or sum(lengths) != value.shape[0]:
            raise InvalidArgumentError(
                None,
                "TensorArray",
                f"Expected sum of lengths to be equal to values.shape[0], but sum of lengths "
                f"is {sum(lengths)} and value's shape is: {list(value.shape)}",
            )
        if not self._dynamic_size and len(lengths) != len(self._items):
            raise InvalidArgumentError(
                None,
                "TensorArray",
                f"TensorArray's size is not equal to the size of lengths ({len(self._items)} "
                f"vs. {len(lengths)}), and the TensorArray is not marked as dynamically "
                "resizeable.",
            )
        self._items = list(split(value, lengths, axis=0))
        self._element_shape = None if not self._items else tuple(self._items[0].shape)
        return self

    # -- reading ------------------------------------------------------------------------
    def _slot(self, index: int):
        item = self._items[index]
        if item is None:
            from .ops.creation import zeros

            if self._element_shape is None or None in self._element_shape:
                raise ValueError(
                    f"TensorArray: slot {index} was never written and the element shape "
                    f"({self._element_shape}) is not fully known, so it cannot read as zeros"
                )
            item = self._items[index] = zeros(self._element_shape, dtype=self._dtype)
        return item

    def read(self, index, name=None) -> Tensor:
        """The tensor at ``index`` (zeros of the element shape when never written)."""
        index = _index_value(index, "read")
        if index < 0:
            raise OutOfRangeError(
                None,
                "TensorArray",
                f"Reading from negative indices (index {index}) is not allowed.",
            )
        if index >= len(self._items):
            raise OutOfRangeError(
                None,
                "TensorArray",
                f"Tried to read from index {index} but array size is: {len(self._items)}",
            )
        if self._items[index] is None and index in self._cleared:
            raise InvalidArgumentError(
                None,
                "TensorArray",
                f"Could not read index {index} twice because it was cleared after a previous "
                "read (perhaps try setting clear_after_read = false?)",
            )
        tensor = self._slot(index)
        # Inside a tf.function TensorFlow's TensorArray is a TensorList, which never clears
        # (the Fibonacci example of its docs reads a slot twice): only eager reads clear.
        if self._clear_after_read and tracing.trace is None:
            self._items[index] = None
            self._cleared.add(index)
        return tensor

    def stack(self, name=None) -> Tensor:
        """All slots stacked along a new first axis."""
        from .ops.creation import zeros
        from .ops.shape import stack

        if not self._items:
            if self._element_shape is None or None in self._element_shape:
                return zeros((0,), dtype=self._dtype)  # as TensorFlow eagerly: shape (0,)
            return zeros((0, *self._element_shape), dtype=self._dtype)
        return stack([self._slot(i) for i in range(len(self._items))])

    def gather(self, indices, name=None) -> Tensor:
        """The slots at ``indices`` stacked along a new first axis."""
        from .ops.shape import stack

        indices = _index_value(indices, "gather")
        return stack([self._slot(i) for i in indices])

    def concat(self, name=None) -> Tensor:
        """All slots concatenated along their first axis (each at least 1-D)."""
        from .ops.shape import concat

        items = [self._slot(i) for i in range(len(self._items))]
        for i, t in enumerate(items):
            if t.ndim == 0:
                raise InvalidArgumentError(
                    None,
                    "TensorArray",
                    f"Concat saw a scalar shape at index {i} but requires at least vectors.",
                )
        return concat(items, axis=0)

    def size(self, name=None) -> Tensor:
        """The number of slots, as an int32 scalar."""
        from .ops.creation import constant

        return constant(len(self._items), dtype=dtypes.int32)

    def close(self, name=None) -> None:
        self._items = []

    def grad(self, source, flow=None, name=None):
        raise NotImplementedError(
            "TensorArray.grad is not needed: GradientTape differentiates through "
            "TensorArray reads and stack directly."
        )

    def __repr__(self) -> str:
        return (
            f"<gpuflow.TensorArray dtype={self._dtype.name} size={len(self._items)} "
            f"element_shape={self._element_shape}>"
        )
