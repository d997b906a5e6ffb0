"""Sequential.get_config as Keras 3 writes it: an InputLayer entry first and
``build_input_shape`` once the input shape is known; from_config reads it back, and reads
gpuflow's older layout (``input_shape``) too."""

import json

import numpy as np

from gpuflow import keras
from gpuflow.keras import layers


def test_config_lists_the_input_layer_and_build_input_shape():
    model = keras.Sequential(
        [keras.Input((3,), batch_size=4, name="features"), layers.Dense(2, name="out")],
        name="seq",
    )
    config = model.get_config()
    assert config["name"] == "seq" and config["trainable"] is True
    assert config["dtype"] == {  # Keras 3.15: a serialized DTypePolicy
        "module": "keras",
        "class_name": "DTypePolicy",
        "config": {"name": "float32"},
        "registered_name": None,
    }
    assert keras.Sequential.from_config(config).dtype_policy.name == "float32"
    assert config["build_input_shape"] == (4, 3)
    first = config["layers"][0]
    assert first["class_name"] == "InputLayer"
    assert first["config"] == {
        "batch_shape": (4, 3),
        "dtype": "float32",
        "sparse": False,
        "ragged": False,
        "name": "features",
        "optional": False,
    }
    assert [spec["class_name"] for spec in config["layers"]] == ["InputLayer", "Dense"]
    assert "input_shape" not in config


def test_unbuilt_model_lists_no_input_layer_until_built():
    model = keras.Sequential([layers.Dense(2)])
    config = model.get_config()
    assert "build_input_shape" not in config and len(config["layers"]) == 1
    model.build((None, 5))
    config = model.get_config()
    assert config["build_input_shape"] == (None, 5)
    assert config["layers"][0]["class_name"] == "InputLayer"


def test_from_config_rebuilds_from_both_layouts():
    model = keras.Sequential([keras.Input((3,)), layers.Dense(2, name="d")])
    x = np.arange(6, dtype="float32").reshape(2, 3)
    for config in (model.get_config(), json.loads(json.dumps(model.get_config()))):
        clone = keras.Sequential.from_config(config)
        assert clone.built and [layer.name for layer in clone.layers] == ["d"]
        assert tuple(clone.input_shape) == (None, 3)
        clone.set_weights(model.get_weights())
        np.testing.assert_allclose(clone.predict(x, verbose=0), model.predict(x, verbose=0))
    older = {"name": "old", "input_shape": [None, 3], "layers": model.get_config()["layers"][1:]}
    clone = keras.Sequential.from_config(older)
    assert clone.built and tuple(clone.input_shape) == (None, 3)
    assert clone.get_config()["layers"][0]["class_name"] == "InputLayer"


def test_a_fixed_batch_size_from_input_stays_in_the_shapes():
    model = keras.Sequential([keras.Input(batch_shape=(5, 3)), layers.Dense(2)])
    assert model.input_shape == (5, 3) and model.output_shape == (5, 2)
    clone = keras.Sequential.from_config(model.get_config())
    assert clone.input_shape == (5, 3)
    # The declared batch size names the model's shapes; it does not bind the data.
    model.compile("sgd", "mse")
    history = model.fit(np.ones((12, 3), "float32"), np.zeros((12, 2)), batch_size=5, verbose=0)
    assert len(history.history["loss"]) == 1
    assert model.predict(np.ones((7, 3)), verbose=0).shape == (7, 2)


def test_sequential_builds_take_keras3_input_layer_and_functional_names():
    """Keras 3's Sequential makes an unnamed InputLayer and an inner Functional at each
    build, so the user's next keras.Model / keras.Input are numbered after them."""

    def next_functional():
        i = keras.Input((3,))
        m = keras.Model(i, keras.layers.Dense(1)(i))
        return m.name, m.layers[0].name

    keras.backend.clear_session()
    s = keras.Sequential([keras.layers.Dense(2)])
    s(np.zeros((1, 3), "float32"))
    assert s.get_config()["layers"][0]["config"]["name"] == "input_layer"
    assert next_functional() == ("functional_1", "input_layer_1")
    s2 = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2), keras.layers.Dense(2)])
    assert next_functional() == ("functional_3", "input_layer_3")  # one build in __init__
    s2.add(keras.layers.Dense(3))  # each add() after that rebuilds
    assert next_functional() == ("functional_5", "input_layer_4")
    keras.Sequential([keras.layers.Dense(2, input_shape=(3,))])
    assert next_functional() == ("functional_7", "input_layer_6")
    keras.backend.clear_session()


def test_build_with_a_data_tensor_leaves_the_model_unbuilt_as_keras():
    import gpuflow as gf

    # Keras 3: build() reads its argument as a shape; a batch of data is not one, so the
    # model gets no weights (no error) and builds on its first call
    model = keras.Sequential([layers.Dense(2)])
    model.build(gf.zeros([3, 4]))
    assert model.weights == [] and not model.layers[0].built
    assert model(np.ones((3, 4), "float32")).shape == (3, 2)
    assert model.built and tuple(model.layers[0].kernel.shape) == (4, 2)
    # a 1-D tensor of sizes is a shape, as in Keras
    sized = keras.Sequential([layers.Dense(2)])
    sized.build(gf.constant([5, 3]))
    assert sized.built and tuple(sized.layers[0].kernel.shape) == (3, 2)
    unshaped = keras.Sequential([layers.Dense(2)])
    unshaped.build()
    assert not unshaped.built


def test_adding_a_non_layer_raises_keras3_value_error():
    import pytest

    import gpuflow as gf

    class NotALayer(gf.Module):
        pass

    model = gf.keras.Sequential()
    with pytest.raises(ValueError, match="Only instances of `keras.Layer` can be added"):
        model.add(NotALayer())
    with pytest.raises(ValueError, match=r"Received: .*of type .*NotALayer"):
        gf.keras.Sequential([gf.keras.layers.Dense(2), NotALayer()])


def test_built_on_a_dataset_keeps_the_spec_unknown_sizes_open():
    import pytest

    import gpuflow as gf

    # video tutorial: clips from a generator with unknown frame count and size
    sig = (gf.TensorSpec((None, None, None, 3), gf.float32), gf.TensorSpec((), gf.int16))

    def clips():
        for i in range(4):
            yield np.random.default_rng(i).random((4, 8, 8, 3), dtype=np.float32), i % 3

    ds = gf.data.Dataset.from_generator(clips, output_signature=sig).batch(2)
    frame = keras.Input((None, None, 3))
    per_frame = keras.Model(frame, layers.Conv2D(2, 3, strides=2)(frame))
    model = keras.Sequential(
        [layers.TimeDistributed(per_frame), layers.Dense(3), layers.GlobalAveragePooling3D()]
    )
    model.compile("adam", keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(ds, epochs=1, verbose=0)
    longer = np.ones((1, 6, 12, 12, 3), "float32")
    assert model.predict(longer, verbose=0).shape == (1, 3)
    # a dataset of fixed sizes fixes them, as before
    fixed = keras.Sequential([layers.Dense(2)])
    fixed.compile("adam", "mse")
    data = gf.data.Dataset.from_tensor_slices((np.ones((4, 5), "float32"), np.ones((4, 2))))
    fixed.fit(data.batch(2), verbose=0)
    with pytest.raises(ValueError, match=r"expects samples of shape \(5,\)"):
        fixed.predict(np.ones((2, 6), "float32"), verbose=0)
