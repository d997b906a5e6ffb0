"""Element-wise transformations: map, filter, enumerate, flat_map, interleave."""

from __future__ import annotations

import collections
import os
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

import numpy as np

from ..backend import current_device
from ..tensor_spec import TensorSpec
from . import functions, structure, tf_names
from .arguments import as_int
from .dataset import UNKNOWN, Dataset, IterContext

#: Let the pipeline choose a parallelism or buffer size (``tf.data.AUTOTUNE``).
AUTOTUNE = -1


def resolve_parallelism(value, op: str) -> int:
    """``num_parallel_calls`` as a thread count (AUTOTUNE: one per CPU core)."""
    if value is None:
        return 1
    if value == AUTOTUNE:
        return max(1, os.cpu_count() or 1)
    return as_int(value, op, "num_parallel_calls (a positive int or AUTOTUNE)", minimum=1)


class MapDataset(Dataset):
    """``map_func`` applied to each element, on a thread pool when ``num_parallel_calls``."""

    def __init__(self, dataset, map_func, num_parallel_calls, deterministic) -> None:
        if not callable(map_func):
            raise TypeError(
                f"Dataset.map: map_func must be callable, received {type(map_func).__name__}"
            )
        super().__init__((dataset,))
        self._fn = functions.bound_now(map_func)
        self._workers = resolve_parallelism(num_parallel_calls, "Dataset.map")
        self._ordered = deterministic is None or bool(deterministic)

    def _compute_spec(self):
        """The function's output spec on the first element, with None for each size that
        differs on the second element or on the first grown along its unknown sizes
        (TensorFlow traces the function once on the input spec instead)."""
        ctx = IterContext(current_device(), probe=True)
        source = self._inputs[0]
        elements = functions.first_elements(source, ctx, 2)
        first = elements[0]
        out = structure.spec_of(functions.apply(self._fn, first, ctx, "Dataset.map", 0))
        grown = structure.grown_on_unknown(first, source.element_spec)
        # a function that refuses the grown sizes (a reshape to fixed sizes) keeps the first's
        others = [self._probe(e, ctx) for e in elements[1:] + ([] if grown is None else [grown])]
        return structure.unknown_where_different(out, [o for o in others if o is not None])

    def _probe(self, element, ctx):
        try:
            return structure.spec_of(functions.apply(self._fn, element, ctx, "Dataset.map", 1))
        except Exception:  # noqa: BLE001 - a probe the function refuses shows nothing
            return None

    def _cardinality(self) -> int:
        return self._inputs[0]._cardinality()

    def _works_ahead_without_thread(self) -> bool:
        return self._workers > 1  # the pool keeps 2 * num_parallel_calls calls in flight

    def _elements(self, ctx):
        source = self._inputs[0]._elements(ctx)
        if self._workers == 1:
            for index, element in enumerate(source):
                result = functions.apply(self._fn, element, ctx, "Dataset.map", index)
                if result is not functions.SKIP:
                    yield result
            return
        yield from self._parallel(source, ctx)

    def _parallel(self, source, ctx):
        """Keep ``workers`` calls in flight; yield in input order unless not deterministic."""
        pool = ThreadPoolExecutor(self._workers, thread_name_prefix="gpuflow.data.map")
        pending: collections.deque = collections.deque()
        fn = self._fn
        try:
            for index, element in enumerate(source):
                pending.append(pool.submit(functions.apply, fn, element, ctx, "Dataset.map", index))
                if len(pending) >= 2 * self._workers:
                    result = self._next_done(pending)
                    if result is not functions.SKIP:
                        yield result
            while pending:
                result = self._next_done(pending)
                if result is not functions.SKIP:
                    yield result
        finally:
            for future in pending:
                future.cancel()
            pool.shutdown(wait=True, cancel_futures=True)

    def _next_done(self, pending):
        if self._ordered:
            return pending.popleft().result()
        done, _ = wait(pending, return_when=FIRST_COMPLETED)
        future = next(f for f in pending if f in done)
        pending.remove(future)
        return future.result()


class FilterDataset(Dataset):
    """The elements for which ``predicate`` returns True."""

    def __init__(self, dataset, predicate) -> None:
        if not callable(predicate):
            raise TypeError(
                f"Dataset.filter: predicate must be callable, received {type(predicate).__name__}"
            )
        super().__init__((dataset,))
        self._predicate = functions.bound_now(predicate)

    def _compute_spec(self):
        return self._inputs[0].element_spec

    def _cardinality(self) -> int:
        return UNKNOWN  # as TensorFlow, even for an empty input

    def _elements(self, ctx):
        for index, element in enumerate(self._inputs[0]._elements(ctx)):
            keep = functions.call(self._predicate, element, ctx, "Dataset.filter", index)
            if keep is not functions.SKIP and functions.predicate_value(keep, "Dataset.filter"):
                yield element


class EnumerateDataset(Dataset):
    """``(index, element)`` pairs, the index an int64 scalar counting from ``start``."""

    def __init__(self, dataset, start) -> None:
        super().__init__((dataset,))
        self._start = int(start)

    def _compute_spec(self):
        return (TensorSpec((), np.int64), self._inputs[0].element_spec)

    def _cardinality(self) -> int:
        return self._inputs[0]._cardinality()

    def _elements(self, ctx):
        for index, element in enumerate(self._inputs[0]._elements(ctx), self._start):
            yield (np.asarray(index, dtype=np.int64), element)


def _dataset_result(result, op: str) -> Dataset:
    if not isinstance(result, Dataset):
        raise TypeError(
            f"{op}: the function must return a Dataset, received {type(result).__name__}"
        )
    return result


class FlatMapDataset(Dataset):
    """The elements of the datasets that ``map_func`` returns, one dataset after another."""

    def __init__(self, dataset, map_func, op: str = "Dataset.flat_map") -> None:
        if not callable(map_func):
            raise TypeError(f"{op}: map_func must be callable, received {type(map_func).__name__}")
        super().__init__((dataset,))
        self._fn = functions.bound_now(map_func)
        self._op = op

    def _inner(self, element, ctx, index) -> Dataset:
        return _dataset_result(functions.call(self._fn, element, ctx, self._op, index), self._op)

    def _compute_spec(self):
        ctx = IterContext(current_device(), probe=True)
        element = functions.first_element(self._inputs[0], ctx)
        return self._inner(element, ctx, 0).element_spec

    def _cardinality(self) -> int:
        return UNKNOWN  # as TensorFlow, even for an empty input

    def _elements(self, ctx):
        for index, element in enumerate(self._inputs[0]._elements(ctx)):
            yield from self._inner(element, ctx, index)._elements(ctx)


class InterleaveDataset(FlatMapDataset):
    """Cycles over ``cycle_length`` inner datasets, ``block_length`` elements from each."""

    def __init__(self, dataset, map_func, cycle_length, block_length) -> None:
        super().__init__(dataset, map_func, "Dataset.interleave")
        cycle = resolve_parallelism(
            AUTOTUNE if cycle_length is None else cycle_length, "Dataset.interleave(cycle_length)"
        )
        self._cycle = cycle
        self._block = as_int(block_length, "Dataset.interleave", "block_length", minimum=1)

    def _elements(self, ctx):
        """TensorFlow's order: a slot whose dataset ends passes its turn, and takes the next
        input element's dataset when its turn comes again."""
        source = enumerate(self._inputs[0]._elements(ctx))
        slots: list = [None] * self._cycle
        source_done = False
        position = 0
        while True:
            if slots[position] is None and not source_done:
                for index, element in source:
                    slots[position] = iter(self._inner(element, ctx, index)._elements(ctx))
                    break
                else:
                    source_done = True
            if source_done and all(slot is None for slot in slots):
                return
            inner = slots[position]
            if inner is not None:
                taken = 0
                for element in inner:
                    yield element
                    taken += 1
                    if taken == self._block:
                        break
                else:
                    slots[position] = None  # ended: refilled on this slot's next turn
            position = (position + 1) % self._cycle


def map_(self, map_func, num_parallel_calls=None, deterministic=None, name=None) -> Dataset:
    """Apply ``map_func`` to each element (a tuple element is unpacked into arguments).

    Args:
        map_func: takes an element's tensors, returns tensors (a list becomes a tuple).
        num_parallel_calls: calls to run at once on a thread pool (``gpuflow.data.AUTOTUNE``:
            one per CPU core); None runs them one by one on the iterating thread.
        deterministic: False lets elements come out in the order the calls finish.
        name: unused; accepted for TensorFlow's signature.

    Raises:
        While iterating: the function's exception type, naming the element's index, with the
        original exception chained.
    """
    return tf_names.parallel(
        MapDataset(self, map_func, num_parallel_calls, deterministic),
        "_ParallelMapDataset",
        num_parallel_calls,
    )


def filter_(self, predicate, name=None) -> Dataset:
    """Keep the elements for which ``predicate`` returns a True scalar bool tensor."""
    return FilterDataset(self, predicate)


def enumerate_(self, start=0, name=None) -> Dataset:
    """Pair each element with its int64 index: ``(start, e0), (start + 1, e1), ...``."""
    return EnumerateDataset(self, start)


def flat_map(self, map_func, name=None) -> Dataset:
    """Map each element to a dataset and chain those datasets' elements."""
    return FlatMapDataset(self, map_func)


def interleave(
    self,
    map_func,
    cycle_length=None,
    block_length=1,
    num_parallel_calls=None,
    deterministic=None,
    name=None,
) -> Dataset:
    """Map elements to datasets and take ``block_length`` elements from each of
    ``cycle_length`` of them in turn (TensorFlow's deterministic order).

    ``num_parallel_calls`` and ``deterministic`` are accepted for TensorFlow's signature;
    the inner datasets are read on the iterating thread, in the deterministic order.
    """
    resolve_parallelism(num_parallel_calls, "Dataset.interleave")
    return tf_names.parallel(
        InterleaveDataset(self, map_func, cycle_length, block_length),
        "_ParallelInterleaveDataset",
        num_parallel_calls,
    )
