"""The random state a training run depends on, captured with a saved model for exact resume.

``fit`` draws from two kinds of streams: each device's global generator (the shuffling order,
Dropout without a seed, ...) and the private generators of layers given a ``seed``
(``Dropout(seed=...)``, noise layers, recurrent cells). :func:`capture` records both;
``model.save`` stores the record in the file, ``load_model`` hands it to
:func:`stash_for_resume`, and the training loop calls :func:`resume` once when training
begins, so a run killed after epoch *k* and resumed from the file saved at the end of epoch
*k* draws exactly the numbers the uninterrupted run drew.

Only NumPy generators are captured (the CPU, and the emulated GPU): CuPy's GPU generators have
no portable state, so exact resume is a CPU guarantee.
"""

from __future__ import annotations

import numpy as np

from . import random as _random
from .backend import get_device, list_devices
from .layers.seed_generator import SeedGenerator
from .saving.errors import FileFormatError

_BIT_GENERATORS = ("PCG64", "PCG64DXSM", "Philox", "SFC64", "MT19937")
_VERSION = 1


def _generator_state(rng):
    return rng.bit_generator.state if isinstance(rng, np.random.Generator) else None


def _make_generator(state, path, field, op):
    if state is None:
        return None
    name = state.get("bit_generator") if isinstance(state, dict) else None
    if name not in _BIT_GENERATORS:
        raise FileFormatError(
            path,
            field,
            f"expected the state of a NumPy bit generator "
            f"({', '.join(_BIT_GENERATORS)}), found {name!r}",
            op,
        )
    generator = np.random.Generator(getattr(np.random, name)())
    try:
        generator.bit_generator.state = state
    except (TypeError, ValueError, KeyError, OverflowError) as exc:
        raise FileFormatError(path, field, f"not a valid {name} state ({exc})"[:300], op) from None
    return generator


def _random_layers(model) -> list:
    """The layers (cells included) with a private generator (a NumPy one in ``_rng``, or a
    Keras ``seed_generator``: Dropout), in a fixed traversal order."""
    return [
        layer
        for layer in model._layers_depth_first()
        if _seed_generator(layer) is not None
        or (
            hasattr(layer, "_rng")
            and (layer._rng is None or isinstance(layer._rng, np.random.Generator))
        )
    ]


def _seed_generator(layer):
    generator = layer.__dict__.get("seed_generator")
    return generator if isinstance(generator, SeedGenerator) else None


def _seed_state(layer):
    generator = _seed_generator(layer)
    return None if generator is None else [int(v) for v in generator.state.numpy()]


def _set_seed_state(layer, values) -> None:
    if values is not None and _seed_generator(layer) is not None:
        layer.seed_generator.state.assign(np.asarray(values, dtype=np.int64))


def capture(model) -> dict:
    """The state of every NumPy device generator and of ``model``'s layers' private ones.

    JSON-serializable (plain dicts and ints). Capturing draws nothing: a device generator
    not created yet is created from its seed, as its first draw would.
    """
    devices = {}
    for name in list_devices():
        dev = get_device(name)
        if dev.xp is np:
            devices[name] = _generator_state(dev.rng())
    layers = []
    for layer in _random_layers(model):
        record = {"class_name": type(layer).__name__}
        record["state"] = _generator_state(getattr(layer, "_rng", None))
        if _seed_generator(layer) is not None:
            record["seed_state"] = _seed_state(layer)
        layers.append(record)
    return {"version": _VERSION, "devices": devices, "layers": layers}


def restore(model, state: dict, path=None, op: str = "restore") -> None:
    """Set the device generators and ``model``'s layer generators to a :func:`capture` record.

    Raises:
        FileFormatError: the record is malformed or belongs to a model with other random layers.
    """
    if (
        not isinstance(state, dict)
        or state.get("version") != _VERSION
        or not isinstance(state.get("devices"), dict)
        or not isinstance(state.get("layers"), list)
    ):
        raise FileFormatError(
            path, "header.random_state", "expected {version: 1, devices, layers}", op
        )
    layers = _random_layers(model)
    if len(layers) != len(state["layers"]):
        raise FileFormatError(
            path,
            "header.random_state.layers",
            f"records {len(state['layers'])} random layers, the model has {len(layers)}",
            op,
        )
    generators = {}
    for name, dev_state in state["devices"].items():
        if name in list_devices() and get_device(name).xp is np:
            field = f"header.random_state.devices.{name}"
            generators[name] = _make_generator(dev_state, path, field, op)
    layer_generators = []
    for i, (layer, record) in enumerate(zip(layers, state["layers"])):
        field = f"header.random_state.layers.{i}"
        if not isinstance(record, dict) or record.get("class_name") != type(layer).__name__:
            found = record.get("class_name") if isinstance(record, dict) else record
            raise FileFormatError(
                path,
                field,
                f"records a {found!r} where the model has {type(layer).__name__!r}"[:300],
                op,
            )
        layer_generators.append(_make_generator(record.get("state"), path, field, op))
    # everything validated: apply
    for name, generator in generators.items():
        if generator is not None:
            get_device(name)._rng = generator
    for layer, generator, record in zip(layers, layer_generators, state["layers"]):
        if generator is not None or hasattr(layer, "_rng"):
            layer._rng = generator
        _set_seed_state(layer, record.get("seed_state"))


def stash_for_resume(model, state: dict, path=None, op: str = "load_model") -> None:
    """Validate ``state`` now and keep it on ``model`` until training begins (:func:`resume`)."""
    import copy

    # dry run on copies: a malformed record fails at load time, and applies nothing yet
    saved = {name: get_device(name)._rng for name in list_devices()}
    saved_layers = [
        (layer, layer.__dict__.get("_rng"), "_rng" in layer.__dict__, _seed_state(layer))
        for layer in _random_layers(model)
    ]
    try:
        restore(model, copy.deepcopy(state), path, op)
    finally:
        for name, rng in saved.items():
            get_device(name)._rng = rng
        for layer, rng, had_rng, seed_state in saved_layers:
            if had_rng:
                layer._rng = rng
            else:
                layer.__dict__.pop("_rng", None)
            _set_seed_state(layer, seed_state)
    model._resume_random_state = (state, _random._seed_calls)


def resume(model) -> None:
    """The training loop's hook, called once when training begins (before the first shuffle).

    If ``model`` was loaded from a file that recorded random state, set the generators to it
    (once: a second ``fit`` continues from wherever the first left them), unless
    ``gpuflow.random.set_seed`` ran after loading: an explicit seed wins.
    """
    pending = getattr(model, "_resume_random_state", None)
    if pending is not None:
        model._resume_random_state = None
        state, seed_calls = pending
        if seed_calls == _random._seed_calls:
            restore(model, state)
