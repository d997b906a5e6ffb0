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


def test_config_entries_are_tuples_as_keras3():
    assert layers.Conv2D(2, 3).get_config()["kernel_size"] == (3, 3)
    assert layers.Conv1D(2, 3, dilation_rate=2).get_config()["dilation_rate"] == (2,)
    assert layers.MaxPooling1D().get_config()["pool_size"] == (2,)
    assert layers.AveragePooling3D(2).get_config()["strides"] == (2, 2, 2)
    assert layers.ZeroPadding2D(((1, 2), (3, 4))).get_config()["padding"] == ((1, 2), (3, 4))
    assert layers.Cropping1D((1, 2)).get_config()["cropping"] == (1, 2)
    assert layers.UpSampling2D().get_config()["size"] == (2, 2)
    assert layers.Permute((2, 1)).get_config()["dims"] == (2, 1)
    assert layers.Reshape((2, 3)).get_config()["target_shape"] == (2, 3)
    assert layers.Dropout(0.5, noise_shape=(None, 1)).get_config()["noise_shape"] == (None, 1)
    conv = layers.Conv2D(2, (3, 1), strides=2)
    clone = layers.Conv2D.from_config(json.loads(json.dumps(conv.get_config())))
    assert clone.get_config() == conv.get_config()  # lists from JSON come back as tuples


def test_config_keys_as_keras3():
    dense = layers.Dense(2).get_config()
    assert "quantization_config" in dense and dense["quantization_config"] is None
    embedding = layers.Embedding(10, 2).get_config()
    assert embedding["quantization_config"] is None
    init = embedding["embeddings_initializer"]
    assert init["class_name"] == "RandomUniform"
    assert init["config"]["minval"] == -0.05 and init["config"]["maxval"] == 0.05
    assert layers.Embedding.from_config(embedding).get_config() == embedding
    assert "output_shape" not in layers.Lambda(lambda t: t).get_config()
    assert layers.Lambda(lambda t: t, output_shape=(3,)).get_config()["output_shape"] == [3]
    assert "data_format" not in layers.Cropping1D().get_config()
    assert "data_format" in layers.Cropping2D().get_config()
    spatial = layers.SpatialDropout1D(0.2, seed=3).get_config()
    assert "trainable" not in spatial and spatial["rate"] == 0.2 and spatial["seed"] == 3
    assert layers.SpatialDropout1D.from_config(spatial).rate == 0.2


@pytest.mark.parametrize("cell_class", [layers.LSTMCell, layers.GRUCell, layers.SimpleRNNCell])
def test_recurrent_cells_own_a_seed_generator_as_keras3(cell_class):
    assert hasattr(cell_class(2), "seed_generator")  # also without dropout, as Keras 3
    x = np.ones((3, 4, 2), "float32")

    def run(seed):
        rnn = layers.RNN(cell_class(2, dropout=0.5, recurrent_dropout=0.5, seed=seed))
        rnn.build((None, 4, 2))
        rnn.set_weights([np.full(w.shape, 0.1, "float32") for w in rnn.get_weights()])
        state = rnn.cell.seed_generator.state
        before = state.numpy().tolist()
        first, second = rnn(x, training=True).numpy(), rnn(x, training=True).numpy()
        assert state.numpy().tolist() == [before[0], before[1] + 4]  # two masks per call
        assert not np.allclose(first, second)
        return first

    np.testing.assert_allclose(run(5), run(5), rtol=1e-6)  # a seeded cell replays its masks
    run(None)


def test_seeded_recurrent_dropout_draws_fresh_masks_in_compiled_fit():
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [keras.Input((5, 3)), layers.LSTM(4, dropout=0.3, seed=2), layers.Dense(1)]
    )
    model.compile("sgd", "mse")
    x = np.random.default_rng(0).random((16, 5, 3)).astype("float32")
    model.fit(x, x.sum(axis=(1, 2))[:, None], batch_size=8, epochs=2, verbose=0)
    state = model.layers[0].cell.seed_generator.state.numpy().tolist()
    assert state == [2, 4]  # one input mask per step, 2 steps x 2 epochs
