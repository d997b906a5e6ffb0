"""Flatten, Reshape, Dropout, Activation, InputLayer/Input: forward, backward, errors, configs."""

from __future__ import annotations

import numpy as np
import pytest
from layer_helpers import assert_close, grads, rand

import gpuflow as gf
from gpuflow import layers


def test_flatten_forward_backward(device, float_dtype):
    x = rand((2, 3, 4, 2), float_dtype)
    with gf.device(device):
        y, (dx,), g = grads(layers.Flatten(dtype=float_dtype), [x], device)
    assert tuple(y.shape) == (2, 24) and y.dtype == float_dtype
    assert_close(y, x.reshape(2, 24), float_dtype)
    assert_close(dx, g.reshape(x.shape), float_dtype)
    assert layers.Flatten().compute_output_shape((None, 6, 6, 16)) == (None, 576)
    assert gf.testing.gradcheck(layers.Flatten(dtype="float64"), [rand((2, 2, 3))], device=device)


def test_reshape_forward_backward(device, float_dtype):
    x = rand((3, 4, 2), float_dtype)
    layer = layers.Reshape((2, -1), dtype=float_dtype)
    with gf.device(device):
        y, (dx,), g = grads(layer, [x], device)
    assert tuple(y.shape) == (3, 2, 4)
    assert_close(y, x.reshape(3, 2, 4), float_dtype)
    assert_close(dx, g.reshape(x.shape), float_dtype)
    assert layer.compute_output_shape((None, 4, 2)) == (None, 2, 4)
    assert layer.compute_output_shape((None, None, 2)) == (None, 2, None)
    assert gf.testing.gradcheck(
        layers.Reshape((6,), dtype="float64"), [rand((2, 3, 2))], device=device
    )


def test_reshape_errors():
    with pytest.raises(
        ValueError,
        match=r"Reshape 'reshape': cannot reshape input of shape \(2, 3, 4\) "
        r"\(12 values per example\) to target shape \(5,\) \(5 values\)",
    ):
        layers.Reshape((5,))(np.zeros((2, 3, 4), "float32"))
    with pytest.raises(ValueError, match="at most one -1"):
        layers.Reshape((-1, -1))


def test_dropout_only_when_training(device, float_dtype):
    x = rand((50, 40), float_dtype, low=1, high=2)
    with gf.device(device):
        layer = layers.Dropout(0.25, dtype=float_dtype)
        assert_close(layer(x), x, float_dtype)
        assert_close(layer(x, training=False), x, float_dtype)
        y, (dx,), g = grads(lambda t: layer(t, training=True), [x], device)
    y = y.numpy().astype("float64")
    kept = y != 0
    assert 0.65 < kept.mean() < 0.85
    assert_close(y[kept], x[kept] / 0.75, float_dtype)
    assert_close(dx, np.where(kept, g / 0.75, 0), float_dtype)


def test_dropout_seed_and_noise_shape(device):
    x = np.ones((4, 3, 5), "float32")
    with gf.device(device):
        a = layers.Dropout(0.5, seed=3)(x, training=True).numpy()
        b = layers.Dropout(0.5, seed=3)(x, training=True).numpy()
        c = layers.Dropout(0.5, noise_shape=(None, 1, 5))(x, training=True).numpy()
    np.testing.assert_array_equal(a, b)
    assert set(np.unique(a)) <= {0.0, 2.0}
    assert (c == c[:, :1, :]).all()  # one mask shared along the broadcast axis
    with pytest.raises(
        ValueError, match=r"Dropout 'dropout_\d': rate must be in \[0, 1\), received 1.5"
    ):
        layers.Dropout(1.5)


@pytest.mark.parametrize(
    "name", ["relu", "sigmoid", "tanh", "softmax", "linear", "elu", "softplus"]
)
def test_activation_layer(device, name):
    x = rand((3, 4))
    ref = {
        "relu": lambda z: np.maximum(z, 0),
        "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
        "tanh": np.tanh,
        "softmax": lambda z: np.exp(z) / np.exp(z).sum(-1, keepdims=True),
        "linear": lambda z: z,
        "elu": lambda z: np.where(z > 0, z, np.exp(z) - 1),
        "softplus": lambda z: np.log1p(np.exp(z)),
    }[name]
    layer = layers.Activation(name, dtype="float64")
    with gf.device(device):
        assert_close(layer(x), ref(x), "float64")
    assert gf.testing.gradcheck(layer, [x], device=device)
    assert layer.get_config()["activation"] == name
    assert layers.Activation.from_config(layer.get_config()).get_config() == layer.get_config()


def test_input_returns_a_symbolic_tensor_of_its_input_layer():
    tensor = layers.Input(shape=(784,))
    assert not isinstance(tensor, gf.Tensor) and tensor.shape == (None, 784)
    # as Keras 3: the tensor is keras_tensor (keras_tensor_1, ...), its layer input_layer
    assert tensor.name == "keras_tensor"
    assert tensor.dtype == "float32" and tensor.ndim == 2
    layer = tensor._keras_history[0]
    assert layer.name == "input_layer"
    assert layers.Input(shape=(2,), name="pixels").name == "pixels"
    assert isinstance(layer, layers.InputLayer) and layer.output is tensor
    assert layers.Input(shape=[28, 28, 1], batch_size=8).shape == (8, 28, 28, 1)
    assert layers.Input(batch_shape=(None, 3)).shape == (None, 3)
    assert layers.Input(shape=(3,), dtype="int32").dtype == "int32"


def test_input_layer():
    inp = layers.InputLayer(input_shape=(784,))
    assert inp.shape == (None, 784) and inp.name == "input_layer"
    assert inp.weights == [] and inp.count_params() == 0 and inp.built
    x = rand((2, 784), "float64")
    y = inp(x)
    assert y.dtype == "float32"
    assert_close(y, x, "float32")
    with pytest.raises(
        ValueError,
        match=r"InputLayer 'input_layer': expected input of shape \(None, 784\), "
        r"received shape \(2, 5\)",
    ):
        inp(np.zeros((2, 5)))
    labels = layers.InputLayer(input_shape=(3,), dtype="int32")
    assert labels(np.array([[1, 2, 3]], "int32")).dtype == "int32"
    with pytest.raises(ValueError, match="Input: give shape"):
        layers.Input()


def test_input_layer_takes_keras_3_names():
    # Keras 3 (and the CVAE tutorial): InputLayer(shape=...), InputLayer(batch_shape=...)
    assert layers.InputLayer(shape=(28, 28, 1)).shape == (None, 28, 28, 1)
    assert layers.InputLayer((2,), batch_size=4).shape == (4, 2)
    assert layers.InputLayer(batch_shape=(8, 3)).shape == (8, 3)
    encoder = gf.keras.Sequential([layers.InputLayer(shape=(4,)), layers.Dense(2)])
    assert encoder.output_shape == (None, 2)
    with pytest.raises(ValueError, match="InputLayer: pass shape or batch_shape, not both"):
        layers.InputLayer(shape=(3,), batch_shape=(None, 3))
    with pytest.raises(ValueError, match="InputLayer: pass batch_size or batch_shape"):
        layers.InputLayer(batch_size=2, batch_shape=(None, 3))
    with pytest.raises(ValueError, match="InputLayer: give shape"):
        layers.InputLayer()


def test_input_layer_config_round_trip():
    inp = layers.InputLayer(input_shape=(4, 2), name="pixels", dtype="float64")
    config = inp.get_config()
    assert config == {  # Keras 3's keys
        "batch_shape": (None, 4, 2),
        "dtype": "float64",
        "sparse": False,
        "ragged": False,
        "name": "pixels",
        "optional": False,
    }
    clone = layers.deserialize(layers.serialize(inp))
    assert clone.shape == (None, 4, 2) and clone.get_config() == config
    old_form = layers.InputLayer(batch_input_shape=(None, 3), name="old")  # Keras 2's key
    assert old_form.get_config()["batch_shape"] == (None, 3)
    with pytest.raises(ValueError, match="optional inputs"):
        layers.InputLayer(shape=(3,), optional=True)


@pytest.mark.parametrize(
    "layer",
    [
        layers.Flatten,
        lambda: layers.Reshape((3, -1)),
        lambda: layers.Dropout(0.3, seed=1),
        lambda: layers.Activation("gelu"),
    ],
)
def test_config_round_trips(layer):
    layer = layer()
    config = layer.get_config()
    assert type(layer).from_config(config).get_config() == config
    assert layers.deserialize(layers.serialize(layer)).get_config() == config


def test_dropout_seed_generator_state_is_a_listed_variable():
    # Keras 3: Dropout owns a SeedGenerator; its state is in variables and
    # non_trainable_variables (not in weights), after the weights of the layers before it
    drop = layers.Dropout(0.5, seed=3)
    state = drop.seed_generator.state
    assert state.name == "seed_generator_state" and state.path.endswith("/seed_generator_state")
    assert drop.variables == [state] and drop.non_trainable_variables == [state]
    assert drop.weights == [] and not state.trainable
    out = drop(np.ones((4, 6), "float32"), training=True).numpy()
    assert state.numpy().tolist() == [3, 1]  # each seeded draw advances the counter
    assert set(np.unique(out)) <= {0.0, 2.0}
    state.assign([3, 0])  # the state replays the draw
    np.testing.assert_array_equal(drop(np.ones((4, 6), "float32"), training=True).numpy(), out)
    model = gf.keras.Sequential(
        [gf.keras.Input((3,)), layers.Dense(2), layers.Dropout(0.5), layers.BatchNormalization()]
    )
    paths = [v.path.split("/")[-1] for v in model.variables]
    assert paths == [
        "kernel",
        "bias",
        "seed_generator_state",
        "gamma",
        "beta",
        "moving_mean",
        "moving_variance",
    ]
    assert len(model.weights) == 6 and len(model.non_trainable_variables) == 3
    assert not hasattr(layers.Dropout(0.0), "seed_generator")


def test_permute_drops_the_input_mask_as_keras():
    # After Permute((2, 1)) the masked time axis is gone: a downstream RNN must not reuse it.
    x = np.ones((2, 3, 4), "float32")
    x[0, 2] = 0.0
    masked = gf.keras.layers.Masking()(gf.constant(x))
    assert not hasattr(gf.keras.layers.Permute((2, 1))(masked), "_keras_mask")
    assert gf.keras.layers.Dense(2)(masked)._keras_mask is not None


def test_del_keras_mask_drops_the_mask_as_on_tensorflow():
    # the transformer tutorial ends its model's call with `del logits._keras_mask` in a
    # try/except AttributeError, so that the mask does not weight the loss and metrics
    embedded = gf.keras.layers.Embedding(5, 2, mask_zero=True)(np.array([[1, 0]]))
    logits = gf.keras.layers.Dense(3)(embedded)
    assert logits._keras_mask is not None
    del logits._keras_mask
    assert not hasattr(logits, "_keras_mask")
    with pytest.raises(AttributeError, match="_keras_mask"):
        del logits._keras_mask


def test_flatten_channels_first_moves_channels_last_first():
    x = np.arange(2 * 3 * 4 * 2, dtype="float32").reshape(2, 3, 4, 2)
    y = gf.keras.layers.Flatten(data_format="channels_first")(x).numpy()
    np.testing.assert_array_equal(y, np.transpose(x, (0, 2, 3, 1)).reshape(2, -1))
    flat = gf.keras.layers.Flatten(data_format="channels_first")(x[:, :, 0, 0])
    np.testing.assert_array_equal(flat.numpy(), x[:, :, 0, 0])  # rank 2: unchanged
    layer = gf.keras.layers.Flatten(data_format="channels_first")
    assert layer.get_config()["data_format"] == "channels_first"
    assert layer.compute_output_shape((None, 3, 4, 2)) == (None, 24)
    with pytest.raises(ValueError, match="'channels_last' or 'channels_first'"):
        gf.keras.layers.Flatten(data_format="nhwc")
