"""``tf.queue``: FIFOQueue, a bounded first-in first-out queue of tuples of tensors.

As TensorFlow eagerly: ``enqueue`` waits while the queue is full and ``dequeue`` while it is
empty (another thread fills or empties it); after ``close()`` an enqueue raises
CancelledError and a dequeue that cannot be served raises OutOfRangeError.
``dequeue_many`` / ``dequeue_up_to`` need every component's shape given. A queue of one
unnamed component gives back a tensor, named components give a dict.
"""

from __future__ import annotations

import threading

from . import dtypes as _dtypes
from .errors import CancelledError, InvalidArgumentError, OutOfRangeError
from .tensor import Tensor
from .tensor_shape import TensorShape

_names = iter(range(1 << 62))


def _as_list(value) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]


class QueueBase:
    """The queue interface (``tf.queue.QueueBase``); FIFOQueue implements it."""

    _kind = "Queue"

    def __init__(self, capacity, dtypes, shapes=None, names=None, name=None) -> None:
        op = f"{type(self).__name__}"
        if isinstance(capacity, bool) or not isinstance(capacity, int):
            raise TypeError(f"{op}: capacity must be an int, received {capacity!r}")
        self._single = not isinstance(dtypes, (list, tuple))
        self._dtypes = [_dtypes.as_dtype(d, f"{op}: dtypes") for d in _as_list(dtypes)]
        if not self._dtypes:
            raise ValueError(f"{op}: dtypes must hold at least one dtype")
        n = len(self._dtypes)
        if shapes is None:
            self._shapes = [TensorShape(None)] * n
        else:
            given = list(shapes) if isinstance(shapes, (list, tuple)) else [shapes]
            if n == 1 and given and not isinstance(given[0], (list, tuple, TensorShape)):
                given = [given]  # FIFOQueue(3, tf.float32, shapes=[2]): one shape
            if len(given) != n:
                raise ValueError(
                    f"{op}: shapes must have the same length as dtypes ({n}), received {shapes!r}"
                )
            self._shapes = [TensorShape(s) for s in given]
        if names is not None:
            names = _as_list(names)
            if len(names) != n or not all(isinstance(k, str) for k in names):
                raise ValueError(
                    f"{op}: names must be {n} strings, one per dtype, received {names!r}"
                )
            self._single = False
        self._names = names
        self._capacity = capacity if capacity >= 0 else 1 << 62
        self._items: list = []
        self._closed = False
        self._cancelled = False
        self._cond = threading.Condition()
        self._name = name if name is not None else str(next(_names))

    # -- properties ---------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self._name

    @property
    def dtypes(self) -> list:
        return list(self._dtypes)

    @property
    def shapes(self) -> list:
        return list(self._shapes)

    @property
    def names(self):
        return None if self._names is None else list(self._names)

    # -- values -------------------------------------------------------------------------
    def _components(self, vals, op: str) -> list:
        if self._names is not None:
            if not isinstance(vals, dict) or set(vals) != set(self._names):
                raise ValueError(
                    f"{op}: expected a dict with keys {self._names}, received {vals!r}"
                )
            vals = [vals[k] for k in self._names]
        elif len(self._dtypes) == 1 and not (isinstance(vals, (list, tuple)) and len(vals) == 1):
            vals = [vals]
        vals = list(vals) if isinstance(vals, (list, tuple)) else [vals]
        if len(vals) != len(self._dtypes):
            raise ValueError(f"{op}: expected {len(self._dtypes)} components, received {len(vals)}")
        from .ops.creation import convert_to_tensor

        out = []
        for value, dtype in zip(vals, self._dtypes):
            try:
                out.append(convert_to_tensor(value, dtype=dtype))
            except (TypeError, ValueError) as exc:
                raise TypeError(f"{op}: cannot convert {value!r} to dtype {dtype.name} ({exc})")
        return out

    def _check_shape(self, tensors, op: str, leading: bool = False) -> None:
        for t, shape in zip(tensors, self._shapes):
            got = TensorShape(t.shape[1:] if leading else t.shape)
            if not shape.is_compatible_with(got):
                raise ValueError(f"{op}: Shapes {shape} and {got} are incompatible")

    def _pack(self, tensors):
        if self._names is not None:
            return dict(zip(self._names, tensors))
        return tensors[0] if self._single or len(tensors) == 1 else list(tensors)

    # -- enqueue ------------------------------------------------------------------------
    def _put(self, rows: list, op: str) -> None:
        with self._cond:
            for row in rows:
                while not self._closed and len(self._items) >= self._capacity:
                    self._cond.wait()
                if self._closed:
                    raise CancelledError(None, op, f"{self._kind} '{self._name}' is closed.")
                self._items.append(row)
                self._cond.notify_all()

    def enqueue(self, vals, name=None) -> None:
        """Add one element (a tensor, a list of one per component, or a dict by name)."""
        op = f"{self._kind}.enqueue"
        tensors = self._components(vals, op)
        self._check_shape(tensors, op)
        self._put([tensors], op)

    def enqueue_many(self, vals, name=None) -> None:
        """Add ``n`` elements: each component sliced along its first axis (size ``n``)."""
        op = f"{self._kind}.enqueue_many"
        tensors = self._components(vals, op)
        sizes = {int(t.shape[0]) if t.ndim else -1 for t in tensors}
        if -1 in sizes or len(sizes) != 1:
            raise ValueError(
                f"{op}: every component needs one leading dimension, received shapes "
                f"{[tuple(t.shape) for t in tensors]}"
            )
        self._check_shape(tensors, op, leading=True)
        self._put([[t[i] for t in tensors] for i in range(sizes.pop())], op)

    # -- dequeue ------------------------------------------------------------------------
    def _take(self, n: int, op: str, up_to: bool) -> list:
        with self._cond:
            while len(self._items) < n and not self._closed:
                self._cond.wait()
            if len(self._items) < n and (not up_to or not self._items):
                raise OutOfRangeError(
                    None,
                    op,
                    f"{self._kind} '{self._name}' is closed and has insufficient elements "
                    f"(requested {n}, current size {len(self._items)})",
                )
            rows, self._items = self._items[:n], self._items[n:]
            self._cond.notify_all()
            return rows

    def dequeue(self, name=None):
        """The oldest element (waits while the queue is empty and open)."""
        (row,) = self._take(1, f"{self._kind}.dequeue", up_to=False)
        return self._pack(row)

    def _batch(self, n, op: str, up_to: bool):
        if isinstance(n, Tensor):
            n = int(n.numpy())
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError(f"{op}: n must be a non-negative int, received {n!r}")
        if not all(s.is_fully_defined() for s in self._shapes):
            raise InvalidArgumentError(
                None,
                op,
                f"{self._kind}'s DequeueMany and DequeueUpTo require the components to have "
                "specified shapes.",
            )
        from .ops.creation import zeros
        from .ops.shape import stack

        rows = self._take(n, op, up_to)
        if not rows:
            return self._pack([zeros([0, *s], d) for s, d in zip(self._shapes, self._dtypes)])
        return self._pack([stack([r[i] for r in rows]) for i in range(len(self._dtypes))])

    def dequeue_many(self, n, name=None):
        """``n`` elements stacked along a new first axis (waits until there are ``n``)."""
        return self._batch(n, f"{self._kind}.dequeue_many", up_to=False)

    def dequeue_up_to(self, n, name=None):
        """Up to ``n`` elements: fewer once the queue is closed (OutOfRangeError at none)."""
        return self._batch(n, f"{self._kind}.dequeue_up_to", up_to=True)

    # -- state --------------------------------------------------------------------------
    def size(self, name=None) -> Tensor:
        from .ops.creation import constant

        with self._cond:
            return constant(len(self._items), dtype=_dtypes.int32)

    def close(self, cancel_pending_enqueues=False, name=None) -> None:
        """No more enqueues; waiting dequeues get what is left, then OutOfRangeError."""
        with self._cond:
            self._closed = True
            self._cancelled = bool(cancel_pending_enqueues)
            self._cond.notify_all()

    def is_closed(self, name=None) -> Tensor:
        from .ops.creation import constant

        return constant(self._closed)


class FIFOQueue(QueueBase):
    """``tf.queue.FIFOQueue(capacity, dtypes, shapes=None, names=None)``: elements come out
    in the order they went in; at most ``capacity`` are held."""

    _kind = "FIFOQueue"

    def __init__(
        self, capacity, dtypes, shapes=None, names=None, shared_name=None, name="fifo_queue"
    ) -> None:
        super().__init__(capacity, dtypes, shapes, names, name=None)


__all__ = ["FIFOQueue", "QueueBase"]
