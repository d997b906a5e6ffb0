"""Legacy ``.h5`` weights of a model with a nested Sequential, in Keras' layout (one group per
top-level layer; a nested model's group holds its weights trainable first, then
non-trainable), as Keras' ConvNeXt ImageNet files are."""

import numpy as np
import pytest

import gpuflow as tf

h5py = pytest.importorskip("h5py")


def _model():
    inputs = tf.keras.Input((3,))
    block = tf.keras.Sequential(
        [
            tf.keras.layers.Dense(4, name="dense_a"),
            tf.keras.layers.BatchNormalization(name="bn"),
            tf.keras.layers.Dense(2, name="dense_b"),
        ],
        name="block",
    )
    outputs = tf.keras.layers.Dense(1, name="head")(block(inputs))
    return tf.keras.Model(inputs, outputs)


def _write_keras_layout(path, model, group_names):
    """The file Keras' ``legacy_h5_format.save_weights_to_hdf5_group`` writes."""
    rng = np.random.default_rng(0)
    values = {}
    with h5py.File(path, "w") as f:
        root = f.create_group("model_weights")
        root.attrs["layer_names"] = [b"input_layer"] + [n.encode() for n in group_names]
        root.create_group("input_layer").attrs["weight_names"] = np.array([], dtype="S1")
        layers = [layer for layer in model.layers if layer.weights]
        for layer, group_name in zip(layers, group_names):
            group = root.create_group(group_name)
            weights = layer.trainable_weights + layer.non_trainable_weights
            names = [f"{group_name}/{w.path.split('/', 1)[-1]}_{i}" for i, w in enumerate(weights)]
            group.attrs["weight_names"] = [n.encode() for n in names]
            for name, w in zip(names, weights):
                value = rng.normal(size=tuple(w.shape)).astype("float32") ** 2
                group.create_dataset(name, data=value)
                values[id(w)] = value
    return values


@pytest.mark.parametrize("group_names", [["block", "head"], ["block_7", "head_7"]])
def test_nested_model_group_loads_in_legacy_order(tmp_path, group_names):
    model = _model()
    path = tmp_path / "nested.h5"
    values = _write_keras_layout(path, model, group_names)  # by name, or paired in order
    model.load_weights(path)
    for w in model.weights:
        np.testing.assert_array_equal(w.numpy(), values[id(w)])
    # the moving statistics come after dense_b's weights in the file, not after bn's beta
    bn = model.get_layer("block").get_layer("bn")
    np.testing.assert_array_equal(bn.moving_variance.numpy(), values[id(bn.moving_variance)])


def test_nested_group_with_too_few_weights_is_refused(tmp_path):
    model = _model()
    path = tmp_path / "short.h5"
    _write_keras_layout(path, model, ["block", "head"])
    with h5py.File(path, "a") as f:
        group = f["model_weights/block"]
        group.attrs["weight_names"] = group.attrs["weight_names"][:-1]
    with pytest.raises(tf.saving.FileFormatError, match="block"):
        model.load_weights(path)
