"""Writes Keras reference outputs for the layer tests: run with real TensorFlow (Keras 3).

    /work/tfvenv/bin/python tests/layers/reference/make_keras_reference.py [case ...]

For each case in ``cases.py`` it builds the layer stack in Keras, sets fixed random weights,
calls it on fixed inputs, and stores in ``<case>.npz``: the inputs ``x0..``, the weights
``w0..`` (Keras' get_weights order), the outputs ``y0..``, ``after<i>`` where the call
changed weight i (moving statistics), and the gradients of ``sum(y_i * c_i)`` (``c_i``
stored too) with respect to the float inputs (``gx0..``) and the trainable weights
(``gw0..``, indexed as in get_weights), and the layers' Keras configs (``keras_configs``).
The tests (``test_keras_reference.py``) need no TF. Adapted layers (``adapt`` in a case)
keep the weights adapt() learned.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import keras  # noqa: E402
import tensorflow as tf  # noqa: E402
from cases import CASES, build_kwargs, make_adapt_data, make_inputs, make_weights  # noqa: E402


def run_case(case: dict) -> dict:
    keras.utils.set_random_seed(0)
    inputs = make_inputs(case)

    def make(cls, kwargs):
        return getattr(keras.layers, cls)(**kwargs)

    layers = [make(cls, build_kwargs(kwargs, make)) for cls, kwargs in case["layers"]]
    tensors = [tf.constant(x) for x in inputs]

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

    if "adapt" in case:
        layers[0].adapt(make_adapt_data(case))
    forward(tensors)  # builds every layer
    weights = []
    for layer in layers:
        for var in layer.weights:
            if "adapt" in case:  # keep what adapt() learned
                weights.append(np.asarray(var.numpy()))
                continue
            value = make_weights(len(weights), var.path, tuple(var.shape), case)
            var.assign(value.astype(var.dtype))
            weights.append(value)
    all_vars = [v for layer in layers for v in layer.weights]
    with tf.GradientTape() as tape:
        tape.watch([t for t in tensors if t.dtype.is_floating])
        out = forward(tensors)
        outs = list(out) if isinstance(out, (list, tuple)) else [out]
        rng = np.random.default_rng(123)
        cots = [rng.standard_normal(tuple(o.shape)).astype("float32") for o in outs]
        loss = sum(tf.reduce_sum(tf.cast(o, tf.float32) * c) for o, c in zip(outs, cots))
    watched = [t for t in tensors if t.dtype.is_floating]
    trainable = [v if v.trainable else None for v in all_vars]
    grads = tape.gradient(loss, watched + [v for v in trainable if v is not None])
    it = iter(grads[len(watched) :])
    grads = grads[: len(watched)] + [None if v is None else next(it) for v in trainable]
    record = {
        "config": np.array(json.dumps(case)),
        "keras_configs": np.array(
            json.dumps([keras.layers.serialize(layer) for layer in layers], default=str)
        ),
    }
    for i, x in enumerate(inputs):
        record[f"x{i}"] = x
    for i, w in enumerate(weights):
        record[f"w{i}"] = w
    for i, (o, c) in enumerate(zip(outs, cots)):
        record[f"y{i}"] = np.asarray(o)
        record[f"c{i}"] = c
    for i, v in enumerate(all_vars):
        if not np.array_equal(np.asarray(v.numpy()), weights[i]):  # moved during the call
            record[f"after{i}"] = np.asarray(v.numpy())
    float_index = [i for i, t in enumerate(tensors) if t.dtype.is_floating]
    for i, g in zip(float_index, grads[: len(watched)]):
        if g is not None:
            record[f"gx{i}"] = np.asarray(g)
    for i, (v, g) in enumerate(zip(all_vars, grads[len(watched) :])):
        if g is not None and v.trainable:
            record[f"gw{i}"] = np.asarray(tf.convert_to_tensor(g))
    return record


def main(names) -> None:
    for case in CASES:
        if names and case["name"] not in names:
            continue
        record = run_case(case)
        np.savez_compressed(HERE / f"{case['name']}.npz", **record)
        shapes = [f"{k}{tuple(np.shape(v))}" for k, v in record.items() if "config" not in k]
        print(f"{case['name']}: {', '.join(shapes)}")


if __name__ == "__main__":
    main(sys.argv[1:])
