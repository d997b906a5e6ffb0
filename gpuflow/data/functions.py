"""Calling user functions on elements: tensors in, host arrays out, errors that say where."""

from __future__ import annotations

import contextlib
import types

import numpy as np

from .._tracing import data_function, paused
from ..backend import current_device
from ..backend import device as device_scope
from ..errors import OpError
from ..graph.graph_view import default_graph
from ..logger import get_logger
from . import structure

#: What ``call`` returns for an element to drop: its function raised an op error under
#: ``Dataset.ignore_errors`` (``ctx.skip_errors``).
SKIP = object()


def bound_now(fn):
    """``fn`` reading the Python values its enclosing scopes and module hold now.

    TensorFlow traces a dataset function when the transformation is made (``ds.map(f)``),
    so the Python values it reads are those of that moment: ``ds.map(lambda x: (x, i))``
    made in a loop keeps that iteration's ``i``. gpuflow calls the function later, per
    element; this gives it the same values. Names are bound now, objects are shared (a
    Variable, a list or a layer it reads is the live one). Other callables are returned
    as they are.
    """
    if type(fn) is not types.FunctionType:
        return fn
    cells = fn.__closure__
    if cells:
        cells = tuple(_frozen_cell(cell) for cell in cells)
    bound = types.FunctionType(
        fn.__code__, dict(fn.__globals__), fn.__name__, fn.__defaults__, cells
    )
    bound.__kwdefaults__ = fn.__kwdefaults__
    bound.__qualname__ = fn.__qualname__
    bound.__dict__.update(fn.__dict__)
    bound.__wrapped__ = fn
    return bound


def _frozen_cell(cell):
    try:
        return types.CellType(cell.cell_contents)
    except ValueError:  # not assigned yet: stays live
        return cell


def call(fn, element, ctx, op: str, index: int):
    """``fn`` applied to one element (as Tensors on the pass's device); returns its raw result.

    An exception from ``fn`` is raised again with the element's index in the message and
    the original exception chained (``__cause__``); under ``ignore_errors`` an op error
    gives ``SKIP`` instead.
    """
    with _outside_graph_block():
        return _call(fn, element, ctx, op, index)


@contextlib.contextmanager
def _outside_graph_block():
    """Element functions run on values in a ``with tf.Graph().as_default():`` block (TF 1
    code iterating a dataset with a Session): that block's recording is set aside."""
    graph = default_graph()
    if graph is None or graph.building_function:
        yield
        return
    with paused():
        yield


def _call(fn, element, ctx, op: str, index: int):
    args = structure.to_tensors(element, ctx.device)
    try:
        with data_function():
            if current_device() is ctx.device:
                return structure.call_with_element(fn, args)
            # A prefetch or pool thread: create new tensors on the pass's device.
            with device_scope(ctx.device):
                return structure.call_with_element(fn, args)
    except Exception as exc:  # noqa: BLE001 (re-raised with the element's index)
        if ctx.skip_errors and isinstance(exc, OpError):
            if ctx.skip_errors == "log":
                get_logger().warning("%s: ignored an error on element %d: %s", op, index, exc)
            return SKIP
        name = getattr(fn, "__qualname__", type(fn).__name__)
        message = (
            f"{op}: the function {name} raised {type(exc).__name__} on element {index} "
            f"(spec {structure.spec_of(element)!r}): {exc}"
        )
        try:
            wrapped = type(exc)(message)
        except Exception:  # noqa: BLE001 (an exception type with a custom signature)
            wrapped = RuntimeError(message)
        raise wrapped from exc


def apply(fn, element, ctx, op: str, index: int):
    """``fn(element)`` as a new element (lists become tuples, leaves host arrays), or SKIP."""
    result = call(fn, element, ctx, op, index)
    return result if result is SKIP else structure.normalize_output(result, op)


def first_elements(dataset, ctx, count: int) -> list:
    """Up to ``count`` first elements of the dataset; zeros of its spec (unknown dims 1)
    alone when it is empty, or when its data cannot be read now (an op error: a file not
    written yet). TensorFlow reads nothing to build a pipeline: ``CsvDataset("f.csv",
    ...).map(f)`` is made before f.csv exists and raises while iterating, as here."""
    elements = []
    try:
        for element in dataset._elements(ctx):
            elements.append(element)
            if len(elements) == count:
                break
    except OpError:
        pass  # the same error comes again, from the iteration
    return elements or [structure.zeros_of(dataset.element_spec)]


def first_element(dataset, ctx):
    """The dataset's first element, or zeros of its spec (unknown dims 1) when it is empty
    or its data cannot be read now (see ``first_elements``)."""
    return first_elements(dataset, ctx, 1)[0]


def predicate_value(result, op: str) -> bool:
    """A filter predicate's result as a bool; it must be a scalar bool, as in TensorFlow."""
    array = np.asarray(result.numpy() if hasattr(result, "numpy") else result)
    if array.dtype != np.bool_ or array.shape != ():
        raise ValueError(  # TensorFlow's class for it
            f"{op}: Invalid `predicate`. `predicate` must return a `tf.bool` scalar tensor, "
            f"received shape {array.shape} and dtype {array.dtype.name}"
        )
    return bool(array)
