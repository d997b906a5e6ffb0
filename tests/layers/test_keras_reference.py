"""gpuflow layers against outputs and gradients Keras computed from the same weights and inputs.

The reference files come from ``reference/make_keras_reference.py`` (run with real
TensorFlow); the cases are in ``reference/cases.py``. No TensorFlow is needed here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

import gpuflow as gf

REFERENCE = Path(__file__).parent / "reference"
sys.path.insert(0, str(REFERENCE))
from cases import CASES, build_kwargs, make_adapt_data  # noqa: E402

NAMES = [case["name"] for case in CASES if (REFERENCE / f"{case['name']}.npz").exists()]


def _load(name):
    with np.load(REFERENCE / f"{name}.npz") as data:
        record = {k: data[k] for k in data.files}
    record["keras_configs"] = json.loads(str(record["keras_configs"]))
    return json.loads(str(record.pop("config"))), record


def _indexed(record, prefix):
    out, i = [], 0
    while f"{prefix}{i}" in record:
        out.append(record[f"{prefix}{i}"])
        i += 1
    return out


def run_reference(name, device="cpu", from_keras_config=False):
    """(case, record, layers, inputs, outputs, input grads, weight grads) for one case; the
    layers are made from the case's arguments, or from the configs Keras serialized."""
    case, record = _load(name)
    gf.random.set_seed(0)

    def make(cls, kwargs):
        return getattr(gf.layers, cls)(**kwargs)

    if from_keras_config:
        layers = [gf.layers.deserialize(config) for config in record["keras_configs"]]
    else:
        layers = [make(cls, build_kwargs(kwargs, make)) for cls, kwargs in case["layers"]]
    inputs = [gf.constant(x, device=device) for x in _indexed(record, "x")]

    def forward(xs):
        named = {key: xs[i] for key, i in case.get("kwarg_inputs", {}).items()}
        xs = [x for i, x in enumerate(xs) if i not in case.get("kwarg_inputs", {}).values()]
        out = xs if len(xs) > 1 else xs[0]
        for i, layer in enumerate(layers):
            kwargs = dict(case.get("call", {}), **named) if i == len(layers) - 1 else {}
            if "training" in case:
                kwargs["training"] = case["training"]
            if case.get("call_style") == "args" and i == 0:
                out = layer(*out, **kwargs)
            else:
                out = layer(out, **kwargs)
        return out

    with gf.device(device):
        if "adapt" in case:
            layers[0].adapt(make_adapt_data(case))
        with gf.no_grad():
            forward(inputs)  # builds every layer
    weights = _indexed(record, "w")
    variables = [v for layer in layers for v in layer.weights]
    assert [tuple(v.shape) for v in variables] == [w.shape for w in weights], (
        "weight shapes or order differ from Keras'"
    )
    if "adapt" in case:  # what adapt() learned must equal Keras' (the weights stay ours)
        for var, want in zip(variables, weights):
            np.testing.assert_allclose(
                var.numpy(), want, rtol=1e-4, atol=1e-5, err_msg=f"{var.name} after adapt()"
            )
        weights = [v.numpy() for v in variables]
    start = 0
    for layer in layers:
        count = len(layer.weights)
        layer.set_weights(weights[start : start + count])
        start += count
    floats = [x for x in inputs if x.dtype.kind == "f"]
    with gf.device(device):
        with gf.GradientTape() as tape:
            for x in floats:
                tape.watch(x)
            out = forward(inputs)
            outs = list(out) if isinstance(out, (list, tuple)) else [out]
            cots = _indexed(record, "c")
            loss = sum(
                gf.reduce_sum(gf.cast(o, "float32") * gf.constant(c, device=device))
                for o, c in zip(outs, cots)
                if o.dtype.kind == "f"
            )
        index = [i for i, v in enumerate(variables) if v.trainable]
        if not isinstance(loss, gf.Tensor):  # integer outputs only: nothing to differentiate
            return case, record, layers, variables, outs, [], {}
        grads = tape.gradient(loss, floats + [variables[i] for i in index])
    return (
        case,
        record,
        layers,
        variables,
        outs,
        grads[: len(floats)],
        dict(zip(index, grads[len(floats) :])),
    )


@pytest.mark.parametrize("name", NAMES)
def test_layers_rebuilt_from_keras_configs_match(name):
    """A layer made from the config Keras wrote, given Keras' weights, gives Keras' outputs."""
    case, record, layers, variables, outs, gx, gw = run_reference(name, from_keras_config=True)
    tol = dict(rtol=case.get("tol", 1e-4), atol=case.get("tol", 1e-4))
    for got, want in zip(outs, _indexed(record, "y")):
        np.testing.assert_allclose(got.numpy(), want, **tol)


@pytest.mark.parametrize("name", NAMES)
def test_matches_keras(name, device):
    case, record, layers, variables, outs, gx, gw = run_reference(name, device)
    tol = dict(rtol=case.get("tol", 1e-4), atol=case.get("tol", 1e-4))
    expected = _indexed(record, "y")
    assert len(outs) == len(expected)
    for got, want in zip(outs, expected):
        assert tuple(got.shape) == want.shape
        assert got.dtype.kind == want.dtype.kind, f"dtype {got.dtype}, Keras {want.dtype}"
        np.testing.assert_allclose(got.numpy(), want, **tol)
    floats = [i for i, x in enumerate(_indexed(record, "x")) if x.dtype.kind == "f"]
    for i, g in zip(floats, gx):
        if f"gx{i}" in record:
            np.testing.assert_allclose(
                g.numpy(), record[f"gx{i}"], **tol, err_msg=f"input {i} grad"
            )
    for i, g in gw.items():
        if f"gw{i}" in record:
            assert g is not None, f"no gradient for weight {variables[i].name}"
            # an embedding table's gradient is a tf.IndexedSlices, on both sides (the
            # reference densified it with tf.convert_to_tensor)
            np.testing.assert_allclose(
                gf.convert_to_tensor(g).numpy(),
                record[f"gw{i}"],
                **tol,
                err_msg=f"gradient of {variables[i].name}",
            )
    for i, var in enumerate(variables):
        if f"after{i}" in record:
            np.testing.assert_allclose(
                var.numpy(), record[f"after{i}"], **tol, err_msg=f"{var.name} after the call"
            )


def _forward_in(name, dtype):
    """The case's outputs with every layer in ``dtype`` (weights cast from Keras' float32)."""
    case, record = _load(name)

    def make(cls, kwargs):
        return getattr(gf.layers, cls)(**kwargs, dtype=dtype)

    layers = [make(cls, build_kwargs(kwargs, make)) for cls, kwargs in case["layers"]]
    inputs = [x.astype(dtype) if x.dtype.kind == "f" else x for x in _indexed(record, "x")]
    named = {key: inputs[i] for key, i in case.get("kwarg_inputs", {}).items()}
    xs = [x for i, x in enumerate(inputs) if i not in case.get("kwarg_inputs", {}).values()]

    def forward():
        out = xs if len(xs) > 1 else xs[0]
        for i, layer in enumerate(layers):
            kwargs = dict(case.get("call", {}), **named) if i == len(layers) - 1 else {}
            if case.get("call_style") == "args" and i == 0:
                out = layer(*out, **kwargs)
            else:
                out = layer(out, **kwargs)
        return out

    if "adapt" in case:
        layers[0].adapt(make_adapt_data(case))
    with gf.no_grad():
        forward()
    start, weights = 0, _indexed(record, "w")
    for layer in layers:
        count = len(layer.weights)
        layer.set_weights(
            [w.astype(v.dtype) for w, v in zip(weights[start : start + count], layer.weights)]
        )
        start += count
    out = forward()
    return case, record, list(out) if isinstance(out, (list, tuple)) else [out]


FLOAT_CASES = [n for n in NAMES if "training" not in _load(n)[0]]


@pytest.mark.parametrize("dtype,tol", [("float64", 2e-4), ("float16", 6e-2)])
@pytest.mark.parametrize("name", FLOAT_CASES)
def test_float16_and_float64_close_to_keras_float32(name, dtype, tol):
    case, record, outs = _forward_in(name, dtype)
    for got, want in zip(outs, _indexed(record, "y")):
        if want.dtype.kind == "f" and len(case["layers"]) == 1:
            assert got.dtype == dtype, f"output dtype {got.dtype}, expected {dtype}"
        scale = max(1.0, float(np.abs(want).max()))
        np.testing.assert_allclose(got.numpy().astype("float64"), want, rtol=tol, atol=tol * scale)
