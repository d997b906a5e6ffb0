"""keras.legacy.saving: tf.keras 2's object serialization, as Keras 3 exports it."""

import pytest

import gpuflow.keras as keras


def test_legacy_saving_is_keras_utils_legacy():
    legacy = keras.legacy.saving
    assert legacy.serialize_keras_object is keras.utils.legacy.serialize_keras_object
    assert legacy.deserialize_keras_object is keras.utils.legacy.deserialize_keras_object


def test_round_trip_without_module_keys():
    saved = keras.legacy.saving.serialize_keras_object(keras.regularizers.L2(0.1))
    assert saved == {"class_name": "L2", "config": {"l2": pytest.approx(0.1)}}
    again = keras.legacy.saving.deserialize_keras_object(
        {"class_name": "L2", "config": {"l2": 0.5}}, module_objects={"L2": keras.regularizers.L2}
    )
    assert isinstance(again, keras.regularizers.L2) and again.l2 == pytest.approx(0.5)
    layer = keras.legacy.saving.serialize_keras_object(keras.layers.Dense(2, name="d"))
    assert layer["class_name"] == "Dense" and layer["config"]["units"] == 2
    with pytest.raises(ValueError, match="Unknown object: 'Nope'"):
        keras.legacy.saving.deserialize_keras_object({"class_name": "Nope", "config": {}})


def test_import_forms():
    from gpuflow.keras.legacy.saving import serialize_keras_object

    assert serialize_keras_object(None) is None
