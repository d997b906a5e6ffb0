"""The check that a keras.applications model is Keras' own architecture: facts recorded
from real tf.keras (Keras 3.15.1, weights=None) against the model gpuflow builds."""

from __future__ import annotations

import hashlib
import json

import gpuflow as gf

# The test files' KERAS_FACTS rows: (function, kwargs, model name, count_params(), output
# shape without batch, len(layers), sha1 prefix of json([layer names, per-layer weight
# shapes]) without the input layer).


def digest(model) -> str:
    """The sha1 prefix of the model's layer names and weight shapes (input layer left out)."""
    names = [layer.name for layer in model.layers[1:]]
    shapes = [[layer.name] + [list(w.shape) for w in layer.weights] for layer in model.layers[1:]]
    return hashlib.sha1(json.dumps([names, shapes]).encode()).hexdigest()[:16]


def check_architecture(fn, kwargs, name, params, out, n_layers, expected_digest) -> None:
    """Build ``keras.applications.<fn>(weights=None, **kwargs)`` and compare it with the
    recorded facts."""
    gf.keras.backend.clear_session()  # automatic names (conv2d_N) count from a fresh session
    model = getattr(gf.keras.applications, fn)(weights=None, **kwargs)
    assert model.name == name
    assert model.count_params() == params
    assert list(model.output.shape)[1:] == out
    assert len(model.layers) == n_layers
    assert digest(model) == expected_digest
