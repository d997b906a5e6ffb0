"""The batch size a Sequential model built by ``fit``/``evaluate``/``predict`` records.

Keras 3 on TensorFlow keeps the batch size of the data a model is built on
(``model(np.zeros((10, 9)))`` gives ``input_shape == (10, 9)``); inside ``fit`` and
``evaluate`` the model is built on the tf.data pipeline's element spec, whose batch size is
known only when every batch is full (``n % batch_size == 0``, or ``drop_remainder``), and
inside ``predict`` on the first batch. ``model.__dict__["_symbolic_batch"]``, set here
while a loop runs, is the batch size a build there records (see Sequential).
"""

from __future__ import annotations

import contextlib
import contextvars

_UNSET = object()
_STAND_IN = contextvars.ContextVar("gpuflow_stand_in_batch", default=_UNSET)


@contextlib.contextmanager
def symbolic_batch(model, size):
    """While the block runs, a build of ``model`` records batch size ``size`` (None: unknown)."""
    previous = model.__dict__.get("_symbolic_batch", _UNSET)
    model.__dict__["_symbolic_batch"] = size
    # an unknown batch stays unknown in the Sequential models inside a subclassed model
    token = _STAND_IN.set((None, None)) if size is None else None
    try:
        yield
    finally:
        if token is not None:
            _STAND_IN.reset(token)
        if previous is _UNSET:
            model.__dict__.pop("_symbolic_batch", None)
        else:
            model.__dict__["_symbolic_batch"] = previous


@contextlib.contextmanager
def stand_in_batch(size):
    """A build pass runs a model once on a batch of one standing for batch ``size`` (None:
    unknown). Keras 3 builds the Sequential models inside a subclassed model on its trace's
    symbolic tensors, so one first called in the pass records ``size``: an autoencoder's
    decoder shows ``(None, 14, 14, 8)`` in its summary, not the pass's ``(1, 14, 14, 8)``."""
    token = _STAND_IN.set((1, size))
    try:
        yield
    finally:
        _STAND_IN.reset(token)


@contextlib.contextmanager
def sublayers_record_batch(model, size):
    """Around a build pass of a subclassed model on a stand-in batch of one: each sub-layer
    the pass builds records batch ``size`` (None: unknown) in its build input shape, as
    Keras 3 builds them on the trace's symbolic tensors, so ``summary()`` after
    ``model.build((None, 2))`` shows ``(None, 128)``, not the pass's ``(1, 128)``."""
    built = {id(layer) for layer in model._flatten_layers(include_self=False) if layer.built}
    yield
    if size == 1:
        return
    for layer in model._flatten_layers(include_self=False):
        if id(layer) not in built and layer.built:
            shape = getattr(layer, "_build_input_shape", None)
            layer._build_input_shape = _with_batch(shape, size)


def _with_batch(shape, size):
    """``shape`` (a shape, or a list / tuple / dict of them) with a first size 1 as ``size``."""
    if isinstance(shape, dict):
        return {k: _with_batch(v, size) for k, v in shape.items()}
    if isinstance(shape, (list, tuple)) and shape:
        if all(d is None or isinstance(d, int) for d in shape):
            return (size,) + tuple(shape[1:]) if shape[0] == 1 else shape
        return type(shape)(_with_batch(s, size) for s in shape)
    return shape


def recorded_batch(size):
    """The batch size a Sequential built now on data whose first size is ``size`` records:
    ``size``, or in a build pass on a stand-in batch (or a loop over data whose batch size is
    unknown, any size) the batch it stands for."""
    stand_in = _STAND_IN.get()
    if stand_in is _UNSET or stand_in[0] not in (None, size):
        return size
    return stand_in[1]


def rows(x):
    """The number of samples of array input ``x`` (its first array's length)."""
    from .. import nest

    first = nest.flatten(x)[0]
    return int(first.shape[0]) if getattr(first, "shape", None) else None


def loop_batch(x, batch_size):
    """``fit``/``evaluate`` on arrays: ``batch_size`` when every batch is full, else None."""
    size, n = batch_size or 32, rows(x)
    return size if n and n % size == 0 else None


def dataset_batch(x):
    """``fit``/``evaluate`` on a ``tf.data.Dataset``: the batch size of its ``element_spec``
    (known where every batch is full: ``batch(n, drop_remainder=True)``), else None, as the
    model Keras 3 builds while tracing its step on the dataset's elements."""
    from .. import nest
    from ..data import Dataset

    if not isinstance(x, Dataset):
        return None
    leaves = nest.flatten(x.element_spec)
    shape = getattr(leaves[0], "shape", None) if leaves else None
    if shape is None or shape.rank is None or shape.rank == 0:
        return None
    return shape[0]


def first_batch(x, batch_size):
    """``predict`` on arrays: the first batch's size."""
    n = rows(x)
    return None if n is None else min(batch_size or 32, n)
