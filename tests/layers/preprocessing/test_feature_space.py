"""keras.utils.FeatureSpace: feature types, crosses, concat and dict output, adapt on a
Dataset or a dict, the functional form, calling inside Dataset.map, save and load."""

import numpy as np
import pytest

import gpuflow as tf

FeatureSpace = tf.keras.utils.FeatureSpace


def _data():
    return {
        "float_values": np.array([0.0, 0.1, 0.2, 0.3], "float32"),
        "string_values": np.array(["zero", "one", "two", "three"]),
        "int_values": np.array([0, 1, 2, 3], "int64"),
    }


def _space(**kwargs):
    kwargs.setdefault("output_mode", "concat")
    return FeatureSpace(
        features={
            "float_values": "float_normalized",
            "string_values": "string_categorical",
            "int_values": "integer_categorical",
        },
        **kwargs,
    )


def test_concat_widths_and_values():
    space = _space(crosses=[("string_values", "int_values")], crossing_dim=8)
    space.adapt(tf.data.Dataset.from_tensor_slices(_data()), verbose=0)
    out = space(_data())
    # sorted names: float 1, int 5 (4 + OOV), string 5, then the cross 8
    assert tuple(out.shape) == (4, 1 + 5 + 5 + 8) and out.dtype == tf.float32
    x = out.numpy()
    values = _data()["float_values"]
    np.testing.assert_allclose(x[:, 0], (values - values.mean()) / values.std(), rtol=1e-5)
    np.testing.assert_array_equal(x[:, 1:].sum(axis=1), [3.0] * 4)  # one hot per feature
    assert x[:, 1].sum() == 0 and x[:, 6].sum() == 0  # no OOV values


def test_single_sample_is_unbatched():
    space = _space()
    space.adapt(_data(), verbose=0)  # a dict is adapted too
    one = space({"float_values": 0.2, "string_values": "two", "int_values": 2})
    assert tuple(one.shape) == (11,)
    batch = space(_data())
    np.testing.assert_allclose(one.numpy(), batch.numpy()[2], rtol=1e-6)


def test_dict_mode_int_outputs():
    space = FeatureSpace(
        features={
            "string_values": FeatureSpace.string_categorical(output_mode="int"),
            "int_values": FeatureSpace.integer_categorical(output_mode="int"),
        },
        crosses=[
            FeatureSpace.cross(("string_values", "int_values"), crossing_dim=16, output_mode="int")
        ],
        output_mode="dict",
    )
    space.adapt(tf.data.Dataset.from_tensor_slices(_data()).batch(2), verbose=0)
    out = space(_data())
    assert sorted(out) == ["int_values", "string_values", "string_values_X_int_values"]
    assert out["int_values"].dtype == tf.int64 and tuple(out["int_values"].shape) == (4, 1)
    assert out["int_values"].numpy().ravel().tolist() == [4, 3, 2, 1]  # most frequent first
    crossed = out["string_values_X_int_values"].numpy()
    assert crossed.shape == (4, 1) and ((0 <= crossed) & (crossed < 16)).all()
    assert space.crossers["string_values_X_int_values"].num_bins == 16


def test_discretized_rescaled_hashed_and_float():
    data = {"a": np.arange(10.0), "b": np.arange(10.0), "c": np.arange(10), "d": np.ones(10)}
    space = FeatureSpace(
        features={
            "a": FeatureSpace.float_discretized(num_bins=4),
            "b": FeatureSpace.float_rescaled(scale=2.0, offset=1.0),
            "c": FeatureSpace.integer_hashed(num_bins=3),
            "d": "float",
        }
    )
    space.adapt(data, verbose=0)
    out = space(data).numpy()
    assert out.shape == (10, 4 + 1 + 3 + 1)
    assert out[:, :4].sum(axis=1).tolist() == [1.0] * 10
    assert out[:, :4].argmax(axis=1).tolist() == sorted(out[:, :4].argmax(axis=1).tolist())
    np.testing.assert_allclose(out[:, 4], np.arange(10.0) * 2 + 1)
    np.testing.assert_allclose(out[:, -1], 1.0)


def test_functional_model_and_dataset_map():
    space = _space(crosses=[FeatureSpace.cross(("string_values", "int_values"), crossing_dim=4)])
    ds = tf.data.Dataset.from_tensor_slices((_data(), np.array([0.0, 1.0, 0.0, 1.0])))
    space.adapt(ds.map(lambda x, _: x), verbose=0)
    inputs = space.get_inputs()
    assert sorted(inputs) == sorted(_data()) and tuple(inputs["string_values"].shape) == (None, 1)
    encoded = space.get_encoded_features()
    assert tuple(encoded.shape) == (None, 15)
    model = tf.keras.Model(inputs, tf.keras.layers.Dense(1)(encoded))
    mapped = ds.batch(2).map(lambda x, y: (space(x), y))
    features, _ = next(iter(mapped))
    assert tuple(features.shape) == (2, 15)
    body = tf.keras.Model(encoded, model.output)  # the model on the encoded features
    np.testing.assert_allclose(
        body(features).numpy(), model({k: v[:2] for k, v in _data().items()}).numpy(), rtol=1e-5
    )


def test_save_and_load(tmp_path):
    space = _space(crosses=[("string_values", "int_values")], crossing_dim=8)
    space.adapt(_data(), verbose=0)
    path = tmp_path / "space.keras"
    space.save(path)
    loaded = tf.keras.models.load_model(path)
    assert isinstance(loaded, FeatureSpace) and loaded.output_mode == "concat"
    sample = {"float_values": [0.25, 0.0], "string_values": ["one", "new"], "int_values": [3, 9]}
    np.testing.assert_allclose(loaded(sample).numpy(), space(sample).numpy(), rtol=1e-6)
    with pytest.raises(ValueError, match="should end in `.keras`"):
        space.save(tmp_path / "space.h5")


def test_errors():
    with pytest.raises(ValueError, match="cannot be None or empty"):
        FeatureSpace(features={})
    with pytest.raises(ValueError, match="invalid feature type for 'x'"):
        FeatureSpace(features={"x": "float_normalised"})
    with pytest.raises(ValueError, match="output_mode"):
        _space(output_mode="list")
    with pytest.raises(ValueError, match="unknown features"):
        _space(crosses=[("int_values", "nope")])
    with pytest.raises(ValueError, match="output_mode"):
        FeatureSpace.cross(("a", "b"), crossing_dim=4, output_mode="float")
    space = _space()
    with pytest.raises(ValueError, match=r"call `.adapt\(dataset\)`"):
        space(_data())
    with pytest.raises(ValueError, match="tf.data.Dataset or a dict"):
        space.adapt([1, 2, 3])
    space.adapt(_data(), verbose=0)
    with pytest.raises(ValueError, match="only be called with a dict"):
        space([1.0])
    with pytest.raises(ValueError, match=r"lacks the features \['int_values'\]"):
        space({"float_values": [1.0], "string_values": ["one"]})
    ints = FeatureSpace(features={"i": FeatureSpace.integer_categorical(output_mode="int")})
    with pytest.raises(ValueError, match="Consider using `output_mode='dict'`"):
        ints.adapt({"i": [1, 2]}, verbose=0)  # building the encoded features fails


def test_nothing_to_adapt():
    space = FeatureSpace(features={"h": FeatureSpace.string_hashed(num_bins=5), "f": "float"})
    out = space({"h": ["a", "b"], "f": [1.0, 2.0]})  # no adapt needed
    assert tuple(out.shape) == (2, 6)
