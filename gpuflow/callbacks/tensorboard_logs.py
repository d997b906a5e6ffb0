"""What the TensorBoard callback reads off a model and its logs: numbers, names, hyperparameters."""

from __future__ import annotations

from .. import dtypes
from ..summary._backend import to_numpy


def numeric_logs(logs) -> dict:
    """The entries of a Keras ``logs`` dict that hold one number, as floats."""
    out = {}
    for name, value in (logs or {}).items():
        try:
            array = to_numpy(value)
        except (TypeError, ValueError):
            continue
        if array.size == 1 and dtypes.kind(array.dtype) in "biuf":
            out[name] = float(array.reshape(()))
    return out


def learning_rate(model):
    """The optimizer's current learning rate as a float, or None when there is none."""
    optimizer = getattr(model, "optimizer", None)
    lr = getattr(optimizer, "learning_rate", None)
    if lr is None:
        return None
    try:
        return float(to_numpy(lr).reshape(()))
    except (TypeError, ValueError):  # e.g. a schedule object that is not a number
        return None


def weight_tag(layer, weight) -> str:
    """The weight's path (``dense/kernel``), as Keras 3 tags it; a variable that is not a
    layer's weight gets its layer's name in front."""
    name = str(weight.path).replace(":", "_")
    return name if "/" in name else f"{layer.name}/{name}"


def _identifier(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple)):
        return ",".join(_identifier(v) for v in value)
    if isinstance(value, dict):
        return ",".join(f"{k}:{_identifier(v)}" for k, v in value.items())
    return str(
        getattr(value, "__name__", None) or getattr(value, "name", None) or type(value).__name__
    )


def hparams_of(model, params: dict) -> dict:
    """The fit's hyperparameters: optimizer and its scalar settings, loss, batch size, epochs.

    ``params`` are the callbacks' (Keras' epochs, steps); the batch size is the model's
    last ``fit`` argument, which Keras 3 keeps out of ``params``."""
    hp = {}
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None:
        hp["optimizer"] = type(optimizer).__name__
        try:
            config = optimizer.get_config()
        except Exception:  # noqa: BLE001 - an optimizer without a config still logs its name and rate
            config = {}
        for key, value in (config or {}).items():
            if key != "name" and isinstance(value, (bool, int, float, str)):
                hp[key] = value
        lr = learning_rate(model)
        if lr is not None:
            hp["learning_rate"] = lr
    loss = getattr(model, "loss", None)
    if loss is not None:
        hp["loss"] = _identifier(loss)
    settings = {**(params or {}), "batch_size": getattr(model, "_fit_batch_size", None)}
    for key, name in (
        ("batch_size", "batch_size"),
        ("epochs", "epochs"),
        ("steps", "steps_per_epoch"),
    ):
        value = settings.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            hp[name] = value
    return hp
