"""Which call() arguments receive the inputs' masks (Keras 3's rule, checked against
TensorFlow 2.21): one tensor argument gives its mask to ``mask=``; with several, ``mask=``
stays None and each ``x`` fills an ``x_mask`` parameter."""

from __future__ import annotations

import numpy as np

import gpuflow as gf

keras = gf.keras


class _Recorder(keras.layers.Layer):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.seen = []

    def call(self, inputs, other=None, mask=None, other_mask=None):
        self.seen.append((mask, other_mask))
        return inputs


def _masked_pair():
    emb = keras.layers.Embedding(10, 4, mask_zero=True)
    return emb(np.array([[1, 2, 0]])), emb(np.array([[3, 0, 0]]))


def _shape(mask):
    return None if mask is None else tuple(mask.shape)


def test_one_tensor_argument_fills_mask():
    x, _ = _masked_pair()
    layer = _Recorder()
    layer(x)
    mask, other_mask = layer.seen[-1]
    np.testing.assert_array_equal(mask.numpy(), [[True, True, False]])
    assert other_mask is None


def test_several_tensor_arguments_fill_their_own_mask_parameters():
    x, y = _masked_pair()
    for call in (lambda layer: layer(x, y), lambda layer: layer(x, other=y)):
        layer = _Recorder()
        call(layer)
        mask, other_mask = layer.seen[-1]
        assert mask is None  # Keras 3 leaves `mask` alone when call gets two tensors
        np.testing.assert_array_equal(other_mask.numpy(), [[True, False, False]])
    layer = _Recorder()
    layer(x, np.ones((1, 3, 4), "float32"))  # an array counts as a tensor argument
    assert layer.seen[-1] == (None, None)


def test_explicit_mask_is_kept():
    x, y = _masked_pair()
    layer = _Recorder()
    given = gf.constant([[True, False, True]])
    layer(x, y, mask=given)
    assert layer.seen[-1][0] is given


def test_rnn_with_initial_state_gets_no_mask_as_keras3():
    x, _ = _masked_pair()
    lstm = keras.layers.LSTM(2, return_sequences=True)
    masked = lstm(x).numpy()
    np.testing.assert_allclose(masked[0, 2], masked[0, 1])  # the padded step repeats
    state = gf.ones((1, 2)) * 0.5
    unmasked = lstm(x, initial_state=[state, state]).numpy()
    assert not np.allclose(unmasked[0, 2], unmasked[0, 1])
    assert _shape(lstm(x, initial_state=[state, state])._keras_mask) == (1, 3)
