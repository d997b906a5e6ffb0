"""``tf.queue``: bounded queues of tuples of tensors.

FIFOQueue (first in, first out), PaddingFIFOQueue (the same, batching components of
different sizes by padding them), RandomShuffleQueue (a random order, keeping
``min_after_dequeue`` elements back for mixing) and PriorityQueue (lowest int64 priority
first). As TensorFlow eagerly: ``enqueue`` waits while the queue is full and ``dequeue``
while it cannot be served (another thread fills or empties it); after ``close()`` an enqueue
raises CancelledError and a dequeue that cannot be served raises OutOfRangeError.
``dequeue_many`` / ``dequeue_up_to`` need every component's shape given (PaddingFIFOQueue:
its rank). A queue of one unnamed component gives back a tensor, named components a dict.
"""

from __future__ import annotations

import bisect
import itertools
import threading

import numpy as np

from . import dtypes as _dtypes
from .errors import CancelledError, InvalidArgumentError, OutOfRangeError
from .tensor import Tensor
from .tensor_shape import TensorShape

_names = iter(range(1 << 62))


def _as_list(value) -> list:
    return list(value) if isinstance(value, (list, tuple)) else [value]


class QueueBase:
    """The queue interface (``tf.queue.QueueBase``) and a first-in first-out store; the
    queue kinds change the order (``_insert`` / ``_remove``), when a dequeue may go ahead
    (``_min_after``), what shapes they accept (``_partial_shapes``) and how a batch is
    stacked (``_stack``)."""

    _kind = "Queue"
    _partial_shapes = False  # PaddingFIFOQueue: None sizes allowed (a known rank still needed)

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
            self._check_declared_shapes(op)
        if names is not None:
            names = _as_list(names)
            if len(names) != n or not all(isinstance(k, str) for k in names):
                raise ValueError(
                    f"{op}: names must be {n} strings, one per dtype, received {names!r}"
                )
            self._single = False
        self._names = names
        self._capacity = capacity if capacity >= 0 else 1 << 62
        self._min_after = 0  # elements a dequeue must leave behind while the queue is open
        self._items: list = []
        self._closed = False
        self._cancelled = False
        self._cond = threading.Condition()
        self._name = name if name is not None else str(next(_names))

    def _check_declared_shapes(self, op: str) -> None:
        if any(s.rank is None for s in self._shapes):
            raise ValueError(f"{op}: All shapes must have a defined rank: {self._shapes}")
        if not self._partial_shapes and not all(s.is_fully_defined() for s in self._shapes):
            raise ValueError(f"{op}: All shapes must be fully defined: {self._shapes}")

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
                self._insert(row)
                self._cond.notify_all()

    def _insert(self, row: list) -> None:
        self._items.append(row)

    def _remove(self, n: int) -> list:
        """The next ``n`` elements, taken out of the store."""
        rows, self._items = self._items[:n], self._items[n:]
        return rows

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
            while len(self._items) < n + self._min_after and not self._closed:
                self._cond.wait()
            if len(self._items) < n and (not up_to or not self._items):
                raise OutOfRangeError(
                    None,
                    op,
                    f"{self._kind} '{self._name}' is closed and has insufficient elements "
                    f"(requested {n}, current size {len(self._items)})",
                )
            rows = self._remove(min(n, len(self._items)))
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
        if not all(s.is_fully_defined() or self._partial_shapes for s in self._shapes):
            raise InvalidArgumentError(
                None,
                op,
                f"{self._kind}'s DequeueMany and DequeueUpTo require the components to have "
                "specified shapes.",
            )
        from .ops.creation import zeros

        rows = self._take(n, op, up_to)
        if not rows:
            empty = [[0 if d is None else d for d in s.as_list()] for s in self._shapes]
            return self._pack([zeros([0, *s], d) for s, d in zip(empty, self._dtypes)])
        return self._pack([self._stack([r[i] for r in rows], i) for i in range(len(self._dtypes))])

    def _stack(self, parts: list, index: int):
        from .ops.shape import stack

        return stack(parts)

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


class PaddingFIFOQueue(QueueBase):
    """``tf.queue.PaddingFIFOQueue(capacity, dtypes, shapes, names=None)``: a FIFOQueue
    whose shapes may hold None sizes; ``dequeue_many`` / ``dequeue_up_to`` pad each
    component to the largest size in the batch (zeros, empty strings)."""

    _kind = "PaddingFIFOQueue"
    _partial_shapes = True

    def __init__(
        self, capacity, dtypes, shapes, names=None, shared_name=None, name="padding_fifo_queue"
    ) -> None:
        n_dtypes = len(dtypes) if isinstance(dtypes, (list, tuple)) else 1
        n_shapes = len(shapes) if isinstance(shapes, (list, tuple)) else 1
        if (
            isinstance(shapes, (list, tuple))
            and n_dtypes == 1
            and not (shapes and isinstance(shapes[0], (list, tuple, TensorShape)))
        ):
            n_shapes = 1  # PaddingFIFOQueue(3, tf.int32, shapes=[None]): one shape
        if shapes is None or n_dtypes != n_shapes:
            raise ValueError(
                "PaddingFIFOQueue: Shapes must be provided for all components, but received "
                f"{n_dtypes} dtypes and {0 if shapes is None else n_shapes} shapes."
            )
        super().__init__(capacity, dtypes, shapes, names, name=None)

    def _stack(self, parts: list, index: int):
        from .ops.creation import convert_to_tensor

        arrays = [np.asarray(p.numpy()) for p in parts]
        top = tuple(np.max([a.shape for a in arrays], axis=0)) if arrays[0].ndim else ()
        dtype = self._dtypes[index]
        out = np.full((len(arrays), *top), b"" if dtype.name == "string" else 0, arrays[0].dtype)
        for i, a in enumerate(arrays):
            out[(i, *(slice(0, d) for d in a.shape))] = a
        return convert_to_tensor(out, dtype=dtype)


class RandomShuffleQueue(QueueBase):
    """``tf.queue.RandomShuffleQueue(capacity, min_after_dequeue, dtypes, shapes=None,
    names=None, seed=None)``: elements come out in a random order; while the queue is open
    a dequeue waits until ``min_after_dequeue`` elements would remain."""

    _kind = "RandomShuffleQueue"

    def __init__(
        self,
        capacity,
        min_after_dequeue,
        dtypes,
        shapes=None,
        names=None,
        seed=None,
        shared_name=None,
        name="random_shuffle_queue",
    ) -> None:
        super().__init__(capacity, dtypes, shapes, names, name=None)
        if isinstance(min_after_dequeue, bool) or not isinstance(min_after_dequeue, int):
            raise TypeError(
                f"RandomShuffleQueue: min_after_dequeue must be an int, received "
                f"{min_after_dequeue!r}"
            )
        if capacity >= 0 and min_after_dequeue >= capacity:
            raise InvalidArgumentError(
                None,
                None,
                f"RandomShuffleQueue: min_after_dequeue {min_after_dequeue} must be < "
                f"capacity {capacity}",
            )
        self._min_after = max(0, min_after_dequeue)
        self._rng = _queue_rng(seed)

    def _remove(self, n: int) -> list:
        rows = []
        for _ in range(n):
            i = int(self._rng.integers(len(self._items)))
            self._items[i], self._items[-1] = self._items[-1], self._items[i]
            rows.append(self._items.pop())
        return rows


def _queue_rng(seed) -> np.random.Generator:
    """The queue's own generator: from its seed (and the global seed), as TensorFlow keys a
    queue's shuffling by both; unseeded, from the seeded host stream."""
    from . import random

    if seed is None:
        return np.random.default_rng(random.host_rng().integers(1 << 63))
    global_seed = random.get_global_seed() or 0
    return np.random.default_rng([global_seed & 0xFFFFFFFF, int(seed) & 0xFFFFFFFF])


class PriorityQueue(QueueBase):
    """``tf.queue.PriorityQueue(capacity, types, shapes=None, names=None)``: each element
    starts with an int64 scalar priority (not listed in ``types``); the lowest comes out
    first (equal priorities in the order they went in). Dequeues give the priority too."""

    _kind = "PriorityQueue"

    def __init__(
        self, capacity, types, shapes=None, names=None, shared_name=None, name="priority_queue"
    ) -> None:
        types = list(types) if isinstance(types, (list, tuple)) else [types]
        if shapes is not None:
            shapes = list(shapes) if isinstance(shapes, (list, tuple)) else [shapes]
            if len(types) == 1 and shapes and not isinstance(shapes[0], (list, tuple, TensorShape)):
                shapes = [shapes]  # PriorityQueue(3, [tf.float32], shapes=[2]): one shape
            shapes = [[]] + shapes
        super().__init__(capacity, [_dtypes.int64] + types, shapes, names, name=None)
        self._order = itertools.count()

    def _insert(self, row: list) -> None:
        priority = row[0]
        if priority.ndim != 0:
            raise ValueError(
                f"PriorityQueue.enqueue: the priority must be a scalar, received shape "
                f"{tuple(priority.shape)}"
            )
        bisect.insort(self._items, (int(priority.numpy()), next(self._order), row))

    def _remove(self, n: int) -> list:
        taken, self._items = self._items[:n], self._items[n:]
        return [row for _, _, row in taken]


__all__ = ["FIFOQueue", "PaddingFIFOQueue", "PriorityQueue", "QueueBase", "RandomShuffleQueue"]
