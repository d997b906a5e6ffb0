"""Objects a saved function's host steps call, kept in a SavedModel by their state, never
by their code; ``encode.py`` writes and reads what these functions give and take.

- Layers that work on host values (StringLookup, TextVectorization, IntegerLookup,
  Hashing, ...: their ``call`` is one host step of a trace), as a ``.keras`` file keeps
  them: their Keras config (the vocabulary is part of it, with the build config) and
  their own variables. Loading rebuilds each through ``deserialize_keras_object``, so
  only gpuflow's layer classes (and ones the loading program registered) come back.
- ``tf.lookup.StaticHashTable`` and ``StaticVocabularyTable``: their keys, values and
  default value or number of OOV buckets; loading builds the same class from them.
- ``tf.random.Generator`` (its draws are host steps): its algorithm and its state
  Variable, one of the SavedModel's variables; the loaded generator draws from (and
  advances) the loaded state, as TensorFlow's.
"""

from __future__ import annotations

import numpy as np

_TABLES = ("StaticHashTable", "StaticVocabularyTable")


def kind_of(value) -> str | None:
    """``"layer"``, ``"table"`` or ``"generator"`` for an object saved by its state, else
    None."""
    from ..layers.base import Layer
    from ..lookup import tables
    from ..random import Generator

    if isinstance(value, Layer):
        return "layer"
    if type(value) in (tables.StaticHashTable, tables.StaticVocabularyTable):
        return "table"
    if type(value) is Generator:
        return "generator"
    return None


def state_of(value) -> tuple[str, dict, dict]:
    """``(kind, config of plain values, {name: array})``."""
    kind = kind_of(value)
    if kind == "layer":
        from ..saving.keras_objects import serialize_keras_object

        store: dict = {}
        value.save_own_variables(store)
        arrays = {str(k): np.asarray(v) for k, v in store.items()}
        config = serialize_keras_object(value)
        adjust = getattr(value, "_config_for_saved_functions", None)  # TextVectorization's
        return kind, (config if adjust is None else adjust(config)), arrays
    if kind == "table":
        config = {"class": type(value).__name__, "name": value.name}
        arrays = {"keys": value._keys, "values": value._values}
        if config["class"] == "StaticHashTable":
            arrays["default"] = value._default
        else:
            config["num_oov_buckets"] = value._num_oov_buckets
        return kind, config, arrays
    if kind == "generator":
        return kind, {"alg": int(value.algorithm), "state": value.state}, {}
    raise TypeError(f"not an object a SavedModel keeps by its state: {type(value).__name__}")


def rebuild(kind: str, config, arrays: dict):
    """The object :func:`state_of` described.

    Raises:
        ValueError: for an unknown kind or class, or a layer config that builds something
            other than a layer.
    """
    if kind == "layer":
        from ..saving.keras_objects import deserialize_keras_object

        layer = deserialize_keras_object(config, safe_mode=True)
        if kind_of(layer) != "layer":
            raise ValueError(
                f"tf.saved_model.load: a saved layer's config built a {type(layer).__name__}, "
                "not a layer"
            )
        if arrays:
            layer.load_own_variables(arrays)
        return layer
    if kind == "table" and isinstance(config, dict) and config.get("class") in _TABLES:
        from ..lookup import initializers, tables

        init = initializers.KeyValueTensorInitializer(arrays["keys"], arrays["values"])
        if config["class"] == "StaticHashTable":
            default = arrays["default"]
            return tables.StaticHashTable(init, default.item(), name=config.get("name"))
        return tables.StaticVocabularyTable(
            init, int(config["num_oov_buckets"]), name=config.get("name")
        )
    if kind == "generator" and isinstance(config, dict):
        from ..random import Generator
        from ..tensor import Variable

        if not isinstance(config.get("state"), Variable):
            raise ValueError("tf.saved_model.load: a saved random.Generator has no state variable")
        return Generator(state=config["state"], alg=int(config.get("alg", 1)))
    raise ValueError(f"tf.saved_model.load: unknown saved object {kind!r} ({config!r:.80})")
