"""LSTM, GRU and SimpleRNN as ONNX's LSTM, GRU and RNN operators.

Keras orders an LSTM's gates i, f, c, o and ONNX i, o, f, c, so kernels and biases are
reordered; GRU gates are z, r, h in both, and Keras' ``reset_after=True`` (its default) is
ONNX's ``linear_before_reset=1`` with the input and recurrent biases kept apart. Time-major
layout (ONNX's default) with transposes around the operator.
"""

from __future__ import annotations

import numpy as np

_ACTIVATIONS = {
    "sigmoid": "Sigmoid",
    "tanh": "Tanh",
    "relu": "Relu",
    "hard_sigmoid": "HardSigmoid",
    "linear": "Affine",
}


def _act(layer, name, where) -> str:
    from .onnx_layers import _activation_name

    value = _activation_name(name)
    if value not in _ACTIVATIONS or value in ("hard_sigmoid", "linear"):
        raise ValueError(
            f"export: {where}: activation {value!r} has no ONNX "
            f"{type(layer).__name__} mapping (sigmoid, tanh and relu do)"
        )
    return _ACTIVATIONS[value]


def _gates(matrix: np.ndarray, order: list, units: int) -> np.ndarray:
    """Columns of ``matrix`` (gate blocks of ``units``) in ``order``."""
    return np.concatenate([matrix[..., i * units : (i + 1) * units] for i in order], axis=-1)


def _recurrent(g, layer, xs):
    from .onnx_layers import _where

    cfg = layer.get_config()
    kind, where, base = type(layer).__name__, _where(layer), layer.name
    for flag in ("stateful",):
        if cfg.get(flag):
            raise ValueError(f"export: {where}: {flag}=True has no ONNX mapping")
    if cfg.get("go_backwards") and cfg.get("return_sequences"):
        raise ValueError(
            f"export: {where}: go_backwards with return_sequences has no ONNX "
            "mapping (ONNX keeps outputs in input order)"
        )
    units = int(cfg["units"])
    weights = [np.asarray(w, np.float32) for w in layer.get_weights()]
    kernel, recurrent = weights[0], weights[1]
    bias = weights[2] if cfg.get("use_bias", True) else None
    attrs = {"hidden_size": units, "direction": "reverse" if cfg.get("go_backwards") else "forward"}
    act, rec = _act(layer, cfg.get("activation"), where), None
    if kind == "LSTM":
        order = [0, 3, 1, 2]  # i, f, c, o -> i, o, f, c
        kernel, recurrent = _gates(kernel, order, units), _gates(recurrent, order, units)
        b = np.zeros(8 * units, np.float32)
        if bias is not None:
            b[: 4 * units] = _gates(bias, order, units)
        rec = _act(layer, cfg.get("recurrent_activation"), where)
        attrs["activations"] = [rec, act, act]
        op, outputs = "LSTM", 3
    elif kind == "GRU":
        b = np.zeros(6 * units, np.float32)
        if bias is not None and bias.ndim == 2:  # reset_after: input and recurrent biases
            b = bias.reshape(-1)
        elif bias is not None:
            b[: 3 * units] = bias
        attrs["linear_before_reset"] = int(bool(cfg.get("reset_after", True)))
        rec = _act(layer, cfg.get("recurrent_activation"), where)
        attrs["activations"] = [rec, act]
        op, outputs = "GRU", 2
    else:
        b = np.zeros(2 * units, np.float32)
        if bias is not None:
            b[:units] = bias
        attrs["activations"] = [act]
        op, outputs = "RNN", 2
    x = g.op("Transpose", [xs[0]], base, perm=[1, 0, 2])  # [time, batch, features]
    results = g.op(
        op,
        [
            x,
            g.const(f"{base}_W", kernel.T[None].copy()),
            g.const(f"{base}_R", recurrent.T[None].copy()),
            g.const(f"{base}_B", b[None]),
        ],
        base,
        outputs=outputs,
        **attrs,
    )
    y, y_h = results[0], results[1]

    def zero():
        return g.const(f"{base}_axis0", np.array([0], np.int64))

    if cfg.get("return_sequences"):
        seq = g.op("Squeeze", [y, g.const(f"{base}_axis1", np.array([1], np.int64))], base)
        out = g.op("Transpose", [seq], base, perm=[1, 0, 2])
    else:
        out = g.op("Squeeze", [y_h, zero()], base)
    if not cfg.get("return_state"):
        return [out]
    states = [g.op("Squeeze", [s, zero()], base) for s in results[1:]]
    return [out] + states


CONVERTERS = {"LSTM": _recurrent, "GRU": _recurrent, "SimpleRNN": _recurrent}
