"""What the Trainer does once per ``fit``/``evaluate``/``predict`` before the first step.

Converting and checking array data, building the model on it, checking every label once
against the compiled loss (so the per-batch label scans, each a device-to-host sync, can
be skipped), and assembling the callback list.
"""

from __future__ import annotations

import contextlib

import numpy as np

from .. import callbacks as callbacks_module
from .. import nest
from ..autodiff import no_grad
from ..backend import current_device
from ..layers._context import discarding_losses
from ..layers.probe_state import ProbeState
from ..losses import targets_validated
from ..tensor import Tensor
from . import data_adapters
from .data_adapters import data_adapter_utils as utils
from .epoch_iterator import structure_to_device
from .symbolic_batch import stand_in_batch


def prepare_arrays(x, y, sample_weight, op: str):
    """Array data converted leaf by leaf and checked; other data (a DataAdapter) as is.

    Returns:
        ``(x, y, sample_weight, is_arrays)``.
    """
    if not data_adapters.can_convert_arrays((x, y, sample_weight)):
        return x, y, sample_weight, False
    if x is None:
        raise ValueError(f"{op}: x is missing; pass the inputs as {op}(x, y)")
    x = utils.as_structure(x, "x", op)
    y = utils.as_structure(y, "y", op)
    sample_weight = utils.as_structure(sample_weight, "sample_weight", op)
    utils.check_data(x, y, sample_weight, op)
    return x, y, sample_weight, True


def model_device(model):
    """Where the model's weights live (the current device for a model without weights)."""
    weights = model.weights
    return weights[0]._device if weights else current_device()


def device_for_dataset(model, data):
    """The model's device for a Dataset input. An unbuilt Sequential (no declared input)
    also notes the dataset's sample shape: Keras 3 builds it from ``element_spec``, so its
    sizes the spec leaves unknown (video frames, image sizes) stay open to later inputs,
    while gpuflow builds on the first batch."""
    if getattr(model, "_stack", None) is not None and not model.built:
        spec = getattr(data, "element_spec", None)
        if isinstance(spec, tuple) and spec:
            spec = spec[0]
        shape = getattr(spec, "shape", None)
        if getattr(spec, "dtype", None) is not None and getattr(shape, "rank", None):
            model.__dict__["_spec_sample_shape"] = tuple(shape.as_list()[1:])
    return model_device(model)


def build_on_data(model, x, op: str) -> None:
    """Build ``model`` for array inputs ``x`` (one array, or a list/dict of them).

    A model that declares its inputs (a functional model's ``inputs``) must receive as
    many arrays as it has inputs.
    """
    expected = getattr(model, "inputs", None)
    if isinstance(expected, (list, tuple, dict)):
        want, got = len(nest.flatten(expected)), len(nest.flatten(x))
        if want != got:
            raise ValueError(
                f'Layer "{model.name}" expects {want} input(s), but it received '
                f"{got} input tensors."
            )
    if not nest.is_nested(x):
        if getattr(x, "dtype", np.float32) == np.dtype(object):  # text
            if not model.built:
                _build_on_text(model, utils.rows(x, slice(0, 1)), op)
            else:
                _check_text_input(model, op)
        model._build_for(tuple(x.shape[1:]), op, dtype=getattr(x, "dtype", None))
        return
    if not model.built:
        with no_grad(), stand_in_batch(model.__dict__.get("_symbolic_batch")):
            model(nest.map_structure(lambda a: utils.rows(a, slice(0, 1)), x), training=False)


def _build_on_text(model, row, op: str) -> None:
    """Build ``model`` on a real row of strings, so that its input dtype is string; a model
    whose layers compute on numbers refuses them by name (its first cast would)."""
    from ..errors import UnimplementedError

    try:
        with no_grad():
            model(row, training=False)
    except UnimplementedError as exc:
        raise TypeError(
            f"{op}: x must be a numeric (bool, int or float) array for model {model.name!r}, "
            f"received dtype string, which its layers cannot compute on ({exc}); a text model "
            'starts with keras.Input(dtype="string") and TextVectorization'
        ) from None


def _check_text_input(model, op: str) -> None:
    """Strings for a model whose input is numeric: TypeError (not a failed cast later)."""
    try:
        inputs = model.inputs
    except (AttributeError, ValueError):
        return
    dtype = getattr(inputs[0], "dtype", None) if len(inputs) == 1 else None
    if dtype is not None and dtype != "string":
        raise TypeError(
            f"{op}: x must be a numeric (bool, int or float) array for model {model.name!r}, "
            f"whose input is {getattr(dtype, 'name', dtype)}; received dtype string (a text "
            'model starts with keras.Input(dtype="string") and TextVectorization)'
        )


def check_targets(model, x, y, device, op: str, chunk: int = 4096, batch_size=None):
    """Run the compiled loss once over every target, against a uniform prediction.

    Whatever the loss refuses (sparse labels out of range, one-hot shapes that do not
    match the output, a target dict key that matches no output) then fails here, before
    any training. Returns the context in which the per-batch value scans are skipped
    (the labels' values are known to be good), or a null context when nothing was checked.
    With ``batch_size=1`` only the first row is checked (the others per batch): a loss
    may accept one-row batches it refuses for many rows, as Keras (a ``(1,)`` label
    broadcast over ``(1, 10)`` outputs).
    """
    compile_loss = getattr(model, "_compile_loss", None)
    if compile_loss is None or y is None:
        return contextlib.nullcontext()
    if batch_size == 1:
        one = nest.map_structure(lambda a: utils.rows(a, slice(0, 1)), (x, y))
        check_targets(model, one[0], one[1], device, op)
        return contextlib.nullcontext()
    # a probe: stateful RNNs keep their states, and no assignment it makes stays
    with no_grad(), discarding_losses(), ProbeState(model):
        first = structure_to_device(
            nest.map_structure(lambda a: utils.rows(a, slice(0, 1)), x), device, model.compute_dtype
        )
        probe = model(first, training=False)
        if _own_call(model) and len(nest.flatten(probe)) != len(nest.flatten(y)):
            # a subclassed call may return more at inference than in training (the SNGP
            # tutorial's logits and covariance, as TF runs it): nothing to check against
            return contextlib.nullcontext()
        n = nest.flatten(y)[0].shape[0]
        for start in range(0, n, chunk):
            part = slice(start, start + chunk)
            yb = structure_to_device(nest.map_structure(lambda a: utils.rows(a, part), y), device)
            count = len(nest.flatten(yb)[0])
            guess = nest.map_structure(lambda p: _uniform(p, count, device), probe)
            if not compile_loss.built:  # a loss or loss_weights spec that fits no output
                compile_loss.build(yb, guess)  # fails here, with its own message
            try:
                compile_loss(yb, guess)
            except (ValueError, TypeError) as exc:
                shapes = nest.map_structure(lambda p: (None,) + tuple(p.shape[1:]), probe)
                raise type(exc)(
                    f"{op}: targets do not fit the model's output {shapes}: {exc}"
                ) from None
    for metric in compile_loss.metrics:  # the probe updated the per-output loss trackers
        metric.reset_state()
    return targets_validated()


def _own_call(model) -> bool:
    """Whether ``model``'s ``call`` is the user's (a subclassed model), not gpuflow's."""
    return not getattr(type(model).call, "__module__", "").startswith("gpuflow.")


def _uniform(probe: Tensor, count: int, device) -> Tensor:
    shape = tuple(probe.shape[1:])
    fill = 1.0 / shape[-1] if shape and shape[-1] > 1 else 0.5
    return Tensor._wrap(device.xp.full((count,) + shape, fill, dtype=probe.dtype), device)


def callback_list(model, callbacks, verbose: int, params: dict):
    """Keras 3's order: the user's callbacks, History, then the progress bar (so what a
    callback writes into the epoch's logs shows in the printed line, as on TF 2.21)."""
    if isinstance(callbacks, callbacks_module.CallbackList):
        callbacks.__init__(callbacks.callbacks, model=model, params=params)
        return callbacks
    # one callback, or nested lists of them: flattened, as Keras' CallbackList does
    user = nest.flatten(callbacks) if callbacks is not None else []
    from .distribution import chief_callbacks

    user, verbose = chief_callbacks(model, user, verbose)
    for cb in user:
        if not isinstance(cb, callbacks_module.Callback):
            raise TypeError(
                f"callbacks: expected gpuflow.callbacks.Callback instances, received "
                f"{type(cb).__name__}"
            )
    progbar = (
        [callbacks_module.ProgbarLogger()]
        if verbose and not any(isinstance(cb, callbacks_module.ProgbarLogger) for cb in user)
        else []
    )
    history = (
        []
        if any(isinstance(cb, callbacks_module.History) for cb in user)
        else [callbacks_module.History()]
    )
    return callbacks_module.CallbackList(user + history + progbar, model=model, params=params)


def verbosity(verbose) -> int:
    return 1 if verbose == "auto" else int(verbose)


def check_epochs(epochs, initial_epoch) -> None:
    for value, name in ((epochs, "epochs"), (initial_epoch, "initial_epoch")):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
            raise ValueError(f"fit: {name} must be a non-negative int, received {value!r}")


def should_eval(epoch: int, validation_freq) -> bool:
    """Keras' rule: validate after (1-based) epochs that are multiples of / listed in it."""
    epoch += 1
    if isinstance(validation_freq, bool):
        raise ValueError(
            f"Expected `validation_freq` to be a list or int. Received: "
            f"validation_freq={validation_freq} of the type {type(validation_freq)}."
        )
    if isinstance(validation_freq, (int, np.integer)):
        if validation_freq < 1:
            raise ValueError(
                f"fit: validation_freq must be a positive int, received {validation_freq}"
            )
        return epoch % validation_freq == 0
    if isinstance(validation_freq, (list, tuple, set)):
        return epoch in validation_freq
    raise ValueError(
        f"Expected `validation_freq` to be a list or int. Received: "
        f"validation_freq={validation_freq} of the type {type(validation_freq)}."
    )


def reject(kwargs: dict, op: str, known_unsupported=()) -> None:
    """Refuse unknown keyword arguments (and known ones gpuflow does not support)."""
    for key in kwargs:
        if key in known_unsupported:
            raise NotImplementedError(f"{op}: {key}= is not supported by gpuflow yet")
        raise TypeError(f"{op}: unexpected argument {key!r}")
