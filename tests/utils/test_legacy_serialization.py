"""keras.utils.legacy serialization (tf.keras 2's format)."""

from __future__ import annotations

import pytest

import gpuflow as gf

legacy = gf.keras.utils.legacy


def test_round_trip_through_module_objects():
    config = legacy.serialize_keras_object(gf.keras.layers.Dense(3, name="d"))
    assert set(config) == {"class_name", "config"} and config["class_name"] == "Dense"
    layer = legacy.deserialize_keras_object(config, module_objects={"Dense": gf.keras.layers.Dense})
    assert isinstance(layer, gf.keras.layers.Dense) and layer.units == 3 and layer.name == "d"


def test_names_and_errors():
    assert legacy.serialize_keras_object(None) is None
    assert legacy.serialize_keras_object(gf.keras.activations.relu) == "relu"
    relu = legacy.deserialize_keras_object("relu", module_objects=vars(gf.keras.activations))
    assert relu is gf.keras.activations.relu
    with pytest.raises(ValueError, match="Unknown object: 'Dense'"):
        legacy.deserialize_keras_object({"class_name": "Dense", "config": {"units": 1}})
    with pytest.raises(ValueError, match="Unknown layer: 'Nope'"):
        legacy.deserialize_keras_object("Nope", printable_module_name="layer")
    with pytest.raises(ValueError, match="Could not interpret serialized object"):
        legacy.deserialize_keras_object(3)
    with pytest.raises(ValueError, match="doesn't implement `get_config"):
        legacy.serialize_keras_object(object())
