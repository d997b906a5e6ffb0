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
    for i, layer in enumerate(model.layers):
        shape = _output_shape(model, layer)
        if connected is not None:
            sources = connected(layer) or ["-"]
        else:
            sources = [layer.dtype_policy.name]
        params = f"{_count(layer.weights):,}"
        row([f"{layer.name} ({type(layer).__name__})", shape, params, sources[0]])
        for source in sources[1:]:
            row(["", "", "", source])
        print_fn(("=" if i == len(model.layers) - 1 else "_") * line_length)
    trainable = _count(model.trainable_weights)
    total = _count(model.weights)
    print_fn(f"Total params: {total:,}")
    print_fn(f"Trainable params: {trainable:,}")
    print_fn(f"Non-trainable params: {total - trainable:,}")
    print_fn("_" * line_length)


def _output_shape(model, layer) -> str:
    known = getattr(model, "layer_output_shape", None)
    shape = known(layer) if known else None
    return str(shape) if shape is not None else ("multiple" if model.built else "(unbuilt)")


def _current_device_name() -> str:
    from ..backend import current_device

    return current_device().name
