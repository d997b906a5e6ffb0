"""``model.summary()``: one row per layer with type, output shape, parameters and dtype."""

from __future__ import annotations

import numpy as np


def _count(weights) -> int:
    return int(sum(np.prod(w.shape) for w in weights))


def print_summary(model, print_fn, line_length: int = 88) -> None:
    """Print the summary; a functional model gets a "Connected to" column (one line per input)."""
    connected = getattr(model, "node_inputs", None)
    if connected is not None:
        line_length = max(line_length, 98)
        columns, last = (0.3, 0.52, 0.62, 1.0), "Connected to"
    else:
        columns, last = (0.34, 0.62, 0.76, 1.0), "Dtype policy"
    positions = [int(line_length * c) for c in columns]
    device = model.weights[0]._device.name if model.weights else _current_device_name()

    def row(fields):
        line = ""
        for field, end in zip(fields, positions):
            line = (line + str(field))[: end - 1].ljust(end)
        print_fn(line.rstrip())

    print_fn(f'Model: "{model.name}"  (device: {device})')
    print_fn("_" * line_length)
    row(["Layer (type)", "Output Shape", "Param #", last])
    print_fn("=" * line_length)
    for i, layer in enumerate(model.operations):
        shape = _output_shape(model, layer)
        if connected is not None:
            sources = connected(layer) or ["-"]
        else:
            sources = [layer.dtype_policy.name]
        params = f"{_count(layer.weights):,}"
        row([f"{layer.name} ({type(layer).__name__})", shape, params, sources[0]])
        for source in sources[1:]:
            row(["", "", "", source])
        print_fn(("=" if i == len(model.operations) - 1 else "_") * line_length)
    trainable = _count(model.trainable_weights)
    total = _count(model.weights)
    print_fn(f"Total params: {total:,}")
    print_fn(f"Trainable params: {trainable:,}")
    print_fn(f"Non-trainable params: {total - trainable:,}")
    print_fn("_" * line_length)


def _output_shape(model, layer) -> str:
    """The layer's output shape: from the model's graph (Sequential, functional), else, as
    Keras 3 does for a subclassed model's layers, ``compute_output_shape`` of the shape it
    was built on (a GRU with return_state: ``((8, 100, 64), (8, 64))``)."""
    known = getattr(model, "layer_output_shape", None)
    shape = known(layer) if known else None
    if shape is None:
        shape = _built_output_shape(layer)
    if shape is not None:
        return str(shape)
    if not model.built:
        return "(unbuilt)"
    return "multiple" if getattr(layer, "built", True) else "?"  # "?": never called, as Keras


def _built_output_shape(layer):
    built_on = getattr(layer, "_build_input_shape", None)
    if built_on is None:
        return _own_output_shape(layer)
    try:
        shape = layer.compute_output_shape(built_on)
    except (NotImplementedError, TypeError, ValueError):
        return None
    if isinstance(shape, (list, tuple)) and shape and isinstance(shape[0], (list, tuple)):
        return "(" + ", ".join(str(tuple(s)) for s in shape) + ")"
    return tuple(shape) if isinstance(shape, (list, tuple)) else shape


def _own_output_shape(layer):
    """A sub-model's output shape known from its Input (the CVAE tutorial's encoder and
    decoder Sequentials, used through methods, never built by a call), as Keras 3 shows."""
    if not hasattr(layer, "layers"):  # models only (no import of the model classes: cycle)
        return None
    try:
        return layer.output_shape
    except (AttributeError, ValueError, RuntimeError):
        return None


def _current_device_name() -> str:
    from ..backend import current_device

    return current_device().name
