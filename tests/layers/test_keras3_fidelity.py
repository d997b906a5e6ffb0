"""Keras 3 fidelity of layer state and configs: stateless layers built at creation, the
``activity_regularizer`` config key, Keras variables' string dtype, random layers' seed
generators (compared with Keras 3.15 on the TensorFlow backend)."""

import json

import numpy as np
import pytest

import gpuflow as gf
from gpuflow import keras
from gpuflow.keras import layers

BUILT_AT_INIT = [
    lambda: layers.Dropout(0.5),
    lambda: layers.Activation("relu"),
    lambda: layers.ReLU(),
    lambda: layers.Softmax(),
    lambda: layers.LeakyReLU(),
    lambda: layers.ELU(),
    lambda: layers.Identity(),
    lambda: layers.Reshape((2,)),
    lambda: layers.Masking(),
    lambda: layers.GaussianNoise(0.1),
    lambda: layers.GaussianDropout(0.1),
    lambda: layers.AlphaDropout(0.1),
    lambda: layers.SpatialDropout2D(0.1),
    lambda: layers.ActivityRegularization(),
    lambda: layers.MaxPooling2D(),
    lambda: layers.AveragePooling1D(2),
    lambda: layers.GlobalAveragePooling2D(),
    lambda: layers.UnitNormalization(),
]


@pytest.mark.parametrize("make", BUILT_AT_INIT)
def test_stateless_layers_are_built_at_creation(make):
    layer = make()
    assert layer.built
    assert layer.get_build_config() is None  # as Keras 3: never built from a shape


@pytest.mark.parametrize(
    "make",
    [lambda: layers.Flatten(), lambda: layers.Permute((1,)), lambda: layers.RepeatVector(2)],
)
def test_layers_keras3_builds_on_first_call_stay_unbuilt(make):
    assert not make().built


def test_a_subclass_with_its_own_build_is_not_built_at_creation():
    class Scaled(layers.Dropout):
        def build(self, input_shape):
            self.scale = self.add_weight(shape=(), initializer="ones")

    layer = Scaled(0.5)
    assert not layer.built
    out = layer(np.ones((2, 3), "float32"))
    assert layer.built and layer.scale.shape == () and out.shape == (2, 3)


def test_built_stateless_layers_still_run_and_check_inputs():
    x = np.arange(6, dtype="float32").reshape(2, 3)
    np.testing.assert_allclose(layers.ReLU()(x - 2.0).numpy(), np.maximum(x - 2.0, 0))
    with pytest.raises(ValueError, match="max_pooling2d"):
        layers.MaxPooling2D()(x)  # rank 2 into a 2D pooling: the layer's own error
    model = keras.Sequential([keras.Input((3,)), layers.Dropout(0.5), layers.Dense(1)])
    assert model.predict(x, verbose=0).shape == (2, 1)


@pytest.mark.parametrize(
    "make",
    [
        lambda: layers.Conv2D(2, 3),
        lambda: layers.Conv1D(2, 3),
        lambda: layers.Conv2DTranspose(2, 3),
        lambda: layers.DepthwiseConv2D(3),
        lambda: layers.SeparableConv2D(2, 3),
        lambda: layers.LSTM(2),
        lambda: layers.GRU(2),
        lambda: layers.SimpleRNN(2),
        lambda: layers.ConvLSTM2D(2, 3),
        lambda: layers.Embedding(10, 2),
        lambda: layers.MultiHeadAttention(2, 2),
    ],
)
def test_configs_write_activity_regularizer_even_when_none(make):
    layer = make()
    config = layer.get_config()
    assert "activity_regularizer" in config and config["activity_regularizer"] is None
    assert type(layer).from_config(json.loads(json.dumps(config))).activity_regularizer is None


def test_activity_regularizer_round_trips_and_other_layers_omit_the_key():
    conv = layers.Conv1D(2, 3, activity_regularizer="l2")
    config = conv.get_config()
    assert config["activity_regularizer"]["class_name"] == "L2"
    assert layers.Conv1D.from_config(config).activity_regularizer is not None
    assert "activity_regularizer" not in layers.Flatten().get_config()


def test_keras_variable_dtype_is_the_name_and_tf_variable_keeps_the_dtype():
    dense = layers.Dense(2)
    dense.build((None, 3))
    for dtype in (dense.kernel.dtype, keras.Variable(np.zeros(2, "float32")).dtype):
        assert isinstance(dtype, str) and dtype == "float32" and str(dtype) == "float32"
        assert dtype == gf.float32 and dtype != gf.float64 and dtype != "float64"
        assert np.dtype(dtype) == np.float32 and gf.as_dtype(dtype) is gf.float32
        assert dtype.is_floating and dtype.as_numpy_dtype is np.float32  # tf.keras 2 reads
    assert keras.Variable(np.zeros(2)).dtype == "float64"
    assert keras.Variable(1, dtype="int32").dtype == "int32"
    assert isinstance(gf.Variable(1.0).dtype, gf.DType)
    assert isinstance((dense.kernel + 1.0).dtype, gf.DType)  # op results are tensors
    opt = keras.optimizers.Adam()
    assert opt.iterations.dtype == "int64" and opt.iterations.path == "adam/iteration"


@pytest.mark.parametrize(
    "make",
    [
        lambda seed: layers.Dropout(0.5, seed=seed),
        lambda seed: layers.GaussianNoise(0.5, seed=seed),
        lambda seed: layers.GaussianDropout(0.5, seed=seed),
        lambda seed: layers.AlphaDropout(0.5, seed=seed),
        lambda seed: layers.SpatialDropout1D(0.5, seed=seed),
    ],
)
@pytest.mark.parametrize("seed", [None, 7])
def test_random_layers_own_a_seed_generator_that_advances_per_training_call(make, seed):
    layer = make(seed)
    state = layer.seed_generator.state
    assert [v.path for v in layer.non_trainable_variables] == [state.path]
    first = state.numpy().tolist()
    x = np.ones((2, 4, 3), "float32")
    a, b = layer(x, training=True).numpy(), layer(x, training=True).numpy()
    assert state.numpy().tolist() == [first[0], first[1] + 2]
    assert not np.allclose(a, b)
    layer(x, training=False)
    assert state.numpy().tolist() == [first[0], first[1] + 2]  # inference draws nothing
    if seed is not None:
        assert first[0] == seed
        again = make(seed)
        np.testing.assert_allclose(again(x, training=True).numpy(), a)  # reproducible


@pytest.mark.parametrize(
    "make",
    [
        lambda: layers.Dropout(0.0),
        lambda: layers.GaussianNoise(0.0),
        lambda: layers.GaussianDropout(0.0),
        lambda: layers.AlphaDropout(0.0),
    ],
)
def test_a_random_layer_that_never_draws_has_no_seed_generator(make):
    layer = make()
    assert not hasattr(layer, "seed_generator") and layer.variables == []
