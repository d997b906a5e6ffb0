"""Layers a saved function calls on host values (StringLookup, TextVectorization,
IntegerLookup, Hashing, ...: their ``call`` is one host step of a trace), kept in a
SavedModel as a ``.keras`` file keeps them: their Keras config (the vocabulary is part
of it, with the build config) and their own variables. Loading rebuilds each through
``deserialize_keras_object``, so only gpuflow's layer classes (and ones the loading
program registered) come back: no code is read from the file. ``encode.py`` writes
and reads what these functions give and take.
"""

from __future__ import annotations

import numpy as np


def is_layer(value) -> bool:
    from ..layers.base import Layer

    return isinstance(value, Layer)


def layer_state(layer) -> tuple[dict, dict]:
    """``(Keras config, {name: array} of its own variables)``."""
    from ..saving.keras_objects import serialize_keras_object

    store: dict = {}
    layer.save_own_variables(store)
    return serialize_keras_object(layer), {str(k): np.asarray(v) for k, v in store.items()}


def rebuild_layer(config: dict, variables: dict):
    """The layer :func:`layer_state` described.

    Raises:
        ValueError: when the config builds something other than a layer.
    """
    from ..saving.keras_objects import deserialize_keras_object

    layer = deserialize_keras_object(config, safe_mode=True)
    if not is_layer(layer):
        raise ValueError(
            f"tf.saved_model.load: a saved layer's config built a {type(layer).__name__}, "
            "not a layer"
        )
    if variables:
        layer.load_own_variables(variables)
    return layer
