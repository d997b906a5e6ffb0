"""ConvLSTM1D / 2D / 3D against a NumPy ConvLSTM written from Keras' equations, plus shapes,
config, errors, dropout, masks, stateful, and a gradient check."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from layer_helpers import swapped

import gpuflow as gf
from gpuflow import layers as L
from gpuflow.testing import gradcheck


def _sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def _np_conv(x, k, strides, padding, dilation):
    """Channels-last N-D cross-correlation with TF's SAME/VALID padding, in float64 loops."""
    rank = x.ndim - 2
    spatial = x.shape[1:-1]
    eff = [(k.shape[i] - 1) * dilation[i] + 1 for i in range(rank)]
    pads, outs = [], []
    for size, e, s in zip(spatial, eff, strides):
        if padding == "same":
            out = -(-size // s)
            total = max((out - 1) * s + e - size, 0)
            pads.append((total // 2, total - total // 2))
        else:
            out = (size - e) // s + 1
            pads.append((0, 0))
        outs.append(out)
    xp = np.pad(x, [(0, 0)] + pads + [(0, 0)])
    y = np.zeros((x.shape[0],) + tuple(outs) + (k.shape[-1],))
    for pos in itertools.product(*[range(o) for o in outs]):
        for tap in itertools.product(*[range(n) for n in k.shape[:rank]]):
            idx = tuple(p * s + t * d for p, s, t, d in zip(pos, strides, tap, dilation))
            y[(slice(None),) + pos] += xp[(slice(None),) + idx] @ k[tap]
    return y


def _np_conv_lstm(x, kernel, recurrent, bias, strides, padding, dilation, backwards=False):
    """Every step's h ([N, T, *spatial, F]) and the final (h, c)."""
    rank = x.ndim - 3
    f = recurrent.shape[-2]
    steps = range(x.shape[1] - 1, -1, -1) if backwards else range(x.shape[1])
    h = c = None
    hs = []
    for t in steps:
        z = _np_conv(x[:, t], kernel, strides, padding, dilation) + bias
        if h is None:
            h = np.zeros(z.shape[:-1] + (f,))
            c = np.zeros_like(h)
        z = z + _np_conv(h, recurrent, (1,) * rank, "same", (1,) * rank)
        i, fg = _sigmoid(z[..., :f]), _sigmoid(z[..., f : 2 * f])
        c = fg * c + i * np.tanh(z[..., 2 * f : 3 * f])
        h = _sigmoid(z[..., 3 * f :]) * np.tanh(c)
        hs.append(h)
    return np.stack(hs, axis=1), h, c


def _random_weights(layer, rng):
    weights = [rng.normal(size=tuple(w.shape)) * 0.3 for w in layer.get_weights()]
    layer.set_weights([w.astype("float32") for w in weights])
    return weights


CASES = [
    (L.ConvLSTM2D, dict(), (2, 4, 6, 5, 3), 3),
    (L.ConvLSTM2D, dict(padding="same", go_backwards=True), (2, 3, 5, 5, 2), 3),
    (L.ConvLSTM2D, dict(strides=2), (1, 3, 7, 6, 2), 3),
    (L.ConvLSTM2D, dict(dilation_rate=2, padding="same"), (1, 3, 7, 6, 2), 3),
    (L.ConvLSTM1D, dict(), (2, 4, 7, 3), 3),
    (L.ConvLSTM1D, dict(padding="same", strides=2), (2, 3, 7, 2), 3),
    (L.ConvLSTM3D, dict(padding="same"), (1, 3, 4, 3, 4, 2), 2),
]


@pytest.mark.parametrize("cls,kwargs,shape,kernel_size", CASES)
def test_matches_numpy_conv_lstm(cls, kwargs, shape, kernel_size):
    rng = np.random.default_rng(0)
    x = rng.normal(size=shape).astype("float32")
    layer = cls(3, kernel_size, return_sequences=True, return_state=True, **kwargs)
    layer(x)
    kernel, recurrent, bias = _random_weights(layer, rng)
    seq, h, c = layer(x)
    rank = len(shape) - 3
    ref_seq, ref_h, ref_c = _np_conv_lstm(
        x.astype("float64"),
        kernel,
        recurrent,
        bias,
        layer.strides,
        layer.padding,
        layer.dilation_rate,
        backwards=kwargs.get("go_backwards", False),
    )
    np.testing.assert_allclose(seq.numpy(), ref_seq, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(h.numpy(), ref_h, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(c.numpy(), ref_c, rtol=1e-4, atol=1e-5)
    last = cls(3, kernel_size, **kwargs)
    last(x)
    last.set_weights(layer.get_weights())
    np.testing.assert_allclose(last(x).numpy(), ref_h, rtol=1e-4, atol=1e-5)
    assert last.compute_output_shape((None,) + shape[1:]) == (None,) + ref_h.shape[1:]
    assert len(layer.compute_output_shape(shape)) == 3
    assert layer.count_params() == kernel.size + recurrent.size + bias.size
    assert kernel.shape == layer.kernel_size + (shape[-1], 12)
    assert recurrent.shape == layer.kernel_size + (3, 12)
    assert rank == layer.cell.rank


def test_weights_names_and_unit_forget_bias():
    layer = L.ConvLSTM2D(4, 3)
    layer(np.zeros((1, 2, 5, 5, 2), "float32"))
    assert layer.name == "conv_lstm2d"
    assert [w.path for w in layer.weights] == [
        "conv_lstm2d/conv_lstm_cell/kernel",
        "conv_lstm2d/conv_lstm_cell/recurrent_kernel",
        "conv_lstm2d/conv_lstm_cell/bias",
    ]
    bias = layer.get_weights()[2]
    np.testing.assert_array_equal(bias, np.r_[np.zeros(4), np.ones(4), np.zeros(8)])
    plain = L.ConvLSTM2D(4, 3, unit_forget_bias=False, use_bias=True)
    plain(np.zeros((1, 2, 5, 5, 2), "float32"))
    np.testing.assert_array_equal(plain.get_weights()[2], np.zeros(16))
    nobias = L.ConvLSTM2D(4, 3, use_bias=False)
    nobias(np.zeros((1, 2, 5, 5, 2), "float32"))
    assert len(nobias.weights) == 2


def test_config_round_trip_and_attributes():
    layer = L.ConvLSTM2D(
        5, (3, 2), strides=(1, 2), padding="same", dropout=0.1, return_sequences=True, seed=3
    )
    config = layer.get_config()
    assert config["filters"] == 5 and config["kernel_size"] == (3, 2)
    assert config["strides"] == (1, 2) and config["return_sequences"] is True
    # Keras 3 keeps the RNN base keys in a ConvLSTM config too
    assert config["unroll"] is False and config["zero_output_for_mask"] is False
    clone = L.ConvLSTM2D.from_config(config)
    assert clone.filters == 5 and clone.padding == "same" and clone.dropout == 0.1
    x = np.random.default_rng(1).normal(size=(2, 3, 4, 6, 2)).astype("float32")
    layer(x)
    clone(x)
    clone.set_weights(layer.get_weights())
    np.testing.assert_allclose(clone(x).numpy(), layer(x).numpy(), rtol=1e-6)
    again = gf.keras.layers.deserialize(gf.keras.layers.serialize(layer))
    assert isinstance(again, L.ConvLSTM2D) and again.kernel_size == (3, 2)


def test_functional_model_with_states_and_training():
    inputs = gf.keras.Input((3, 6, 6, 1))
    seq, h, c = L.ConvLSTM2D(2, 3, padding="same", return_sequences=True, return_state=True)(inputs)
    assert tuple(seq.shape) == (None, 3, 6, 6, 2) and tuple(h.shape) == (None, 6, 6, 2)
    out = L.Dense(1)(L.Flatten()(L.ConvLSTM2D(2, 3)(seq)))
    model = gf.keras.Model(inputs, out)
    rng = np.random.default_rng(2)
    x = rng.normal(size=(8, 3, 6, 6, 1)).astype("float32")
    y = x.mean(axis=(1, 2, 3, 4))[:, None].astype("float32")
    model.compile(optimizer=gf.keras.optimizers.Adam(0.02), loss="mse")
    history = model.fit(x, y, epochs=8, batch_size=4, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_dropout_masks_apply_in_training_only():
    x = np.random.default_rng(3).normal(size=(2, 3, 5, 5, 2)).astype("float32")
    layer = L.ConvLSTM2D(3, 3, dropout=0.5, recurrent_dropout=0.5, seed=1)
    plain = L.ConvLSTM2D(3, 3)
    a = layer(x, training=False)
    plain(x)
    plain.set_weights(layer.get_weights())
    np.testing.assert_allclose(a.numpy(), plain(x).numpy(), rtol=1e-6)
    b = layer(x, training=True)
    assert not np.allclose(a.numpy(), b.numpy())


def test_mask_keeps_previous_state():
    x = np.random.default_rng(4).normal(size=(2, 4, 5, 3)).astype("float32")
    layer = L.ConvLSTM1D(2, 2, return_sequences=False)
    mask = np.array([[True, True, True, True], [True, True, False, False]])
    out = layer(x, mask=gf.constant(mask))
    np.testing.assert_allclose(out.numpy()[1], layer(x[1:, :2]).numpy()[0], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(out.numpy()[0], layer(x[:1]).numpy()[0], rtol=1e-5, atol=1e-6)


def test_stateful_continues_and_resets():
    x = np.random.default_rng(5).normal(size=(2, 4, 5, 3)).astype("float32")
    stateful = L.ConvLSTM1D(2, 3, padding="same", stateful=True)
    first = stateful(x[:, :2])
    whole = L.ConvLSTM1D(2, 3, padding="same")
    whole(x)
    whole.set_weights(stateful.get_weights())
    np.testing.assert_allclose(stateful(x[:, 2:]).numpy(), whole(x).numpy(), rtol=1e-5)
    stateful.reset_states()
    np.testing.assert_allclose(stateful(x[:, :2]).numpy(), first.numpy(), rtol=1e-6)


def test_initial_state_continues_a_sequence():
    x = np.random.default_rng(6).normal(size=(1, 4, 5, 5, 2)).astype("float32")
    layer = L.ConvLSTM2D(2, 3, padding="same", return_state=True)
    _, h, c = layer(x[:, :2])
    out, _, _ = layer(x[:, 2:], initial_state=[h, c])
    np.testing.assert_allclose(out.numpy(), layer(x)[0].numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "cls,shape", [(L.ConvLSTM1D, (1, 3, 4, 2)), (L.ConvLSTM2D, (1, 2, 3, 3, 1))]
)
def test_gradients_match_finite_differences(cls, shape):
    layer = cls(2, 2, padding="same", dtype="float64")
    x = np.random.default_rng(7).normal(size=shape)
    layer(x)
    names = ["kernel", "recurrent_kernel", "bias"]

    def fn(inputs, *weights):  # the cell's weights replaced by the checked tensors
        with swapped(layer.cell, **dict(zip(names, weights))):
            return layer(inputs)

    assert gradcheck(fn, [x] + layer.get_weights())


@pytest.mark.parametrize(
    "kwargs,message",
    [
        (dict(filters=0, kernel_size=3), "filters"),
        (dict(filters=2, kernel_size=3, padding="causal"), "padding"),
        (dict(filters=2, kernel_size=3, data_format="channels_first"), "data_format"),
        (dict(filters=2, kernel_size=3, strides=2, dilation_rate=2), "dilation_rate"),
        (dict(filters=2, kernel_size=(3, 3, 3)), "kernel_size"),
        (dict(filters=2, kernel_size=3, dropout=1.5), "dropout"),
    ],
)
def test_bad_arguments_name_the_layer(kwargs, message):
    with pytest.raises(ValueError, match=message):
        L.ConvLSTM2D(**kwargs)


def test_bad_input_rank_and_changed_frame():
    layer = L.ConvLSTM2D(2, 3)
    with pytest.raises(ValueError, match=r"ConvLSTM2D.*rank 5"):
        layer(np.zeros((2, 3, 5, 5), "float32"))
    layer(np.zeros((1, 2, 5, 5, 1), "float32"))
    with pytest.raises(ValueError, match=r"ConvLSTM2D"):
        layer(np.zeros((1, 2, 6, 5, 1), "float32"))
