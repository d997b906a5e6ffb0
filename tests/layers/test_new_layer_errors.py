"""Bad constructor arguments and inputs of the wrong rank: errors name the layer, the argument
and the value received."""

from __future__ import annotations

import numpy as np
import pytest

from gpuflow import layers as L
from gpuflow.errors import InvalidArgumentError

BAD_ARGS = [
    (lambda: L.LSTM(-3), r"LSTMCell '.*': units must be a positive integer, received units=-3"),
    (lambda: L.GRU(0), r"units must be a positive integer, received units=0"),
    (lambda: L.SimpleRNN(4, dropout=1.0), r"dropout must be in \[0, 1\), received dropout=1.0"),
    (
        lambda: L.LSTM(4, recurrent_dropout=-0.1),
        r"recurrent_dropout must be in \[0, 1\), received recurrent_dropout=-0.1",
    ),
    (
        lambda: L.Bidirectional(L.LSTM(2), merge_mode="max"),
        r"Bidirectional 'bidirectional': merge_mode must be one of .*received merge_mode='max'",
    ),
    (lambda: L.Bidirectional(L.Dense(2)), r"Bidirectional '.*': layer must be an RNN layer"),
    (lambda: L.Embedding(0, 4), r"Embedding 'embedding': input_dim must be a positive integer"),
    (lambda: L.Embedding(5, -1), r"output_dim must be a positive integer, received -1"),
    (
        lambda: L.ReLU(max_value=-1),
        r"ReLU 're_lu': max_value must be a non-negative number, "
        r"received max_value=-1",
    ),
    (lambda: L.LeakyReLU(negative_slope=-0.5), r"negative_slope must be a non-negative number"),
    (lambda: L.Conv1D(4, 3, padding="full"), r"Conv1D 'conv1d': padding must be one of .*'full'"),
    (
        lambda: L.Conv2DTranspose(4, 3, strides=2, output_padding=2),
        r"output_padding must be smaller than strides",
    ),
    (lambda: L.Conv1D(0, 3), r"filters must be a positive integer, received 0"),
    (
        lambda: L.DepthwiseConv2D(3, depth_multiplier=0),
        r"depth_multiplier must be a positive "
        r"integer",
    ),
    (
        lambda: L.UpSampling2D(interpolation="cubic"),
        r"interpolation must be 'nearest' or 'bilinear'",
    ),
    (lambda: L.ZeroPadding2D(-1), r"ZeroPadding2D '.*': padding must be non-negative"),
    (lambda: L.Permute((1, 3)), r"Permute 'permute': dims must be a permutation of 1..2"),
    (lambda: L.RepeatVector(0), r"RepeatVector 'repeat_vector': n must be a positive integer"),
    (lambda: L.LayerNormalization(epsilon=0), r"epsilon must be positive, received epsilon=0"),
    (lambda: L.MaxPooling1D(0), r"MaxPooling1D '.*': pool_size must hold integers >= 1"),
]


@pytest.mark.parametrize("make,message", BAD_ARGS)
def test_bad_constructor_arguments(make, message):
    with pytest.raises(ValueError, match=message):
        make()


WRONG_RANK = [
    (
        lambda: L.LSTM(2),
        (4, 3),
        r"LSTM 'lstm': expected input of rank 3 \(\[batch, timesteps, "
        r"features\]\), received shape \(4, 3\)",
    ),
    (lambda: L.GRU(2), (2, 3, 4, 5), r"GRU 'gru': expected input of rank 3"),
    (
        lambda: L.Conv1D(2, 2),
        (4, 3),
        r"Conv1D 'conv1d': expected input of rank 3 \(\[batch, steps, "
        r"channels\]\), received shape \(4, 3\)",
    ),
    (lambda: L.Conv2DTranspose(2, 2), (2, 4, 3), r"Conv2DTranspose '.*': expected input of rank 4"),
    (
        lambda: L.GlobalAveragePooling2D(),
        (2, 4, 3),
        r"GlobalAveragePooling2D '.*': expected input "
        r"of rank 4",
    ),
    (lambda: L.GlobalMaxPooling1D(), (2, 4), r"expected input of rank 3"),
    (lambda: L.RepeatVector(2), (2, 4, 3), r"RepeatVector '.*': expected input of rank 2"),
    (lambda: L.UpSampling2D(), (2, 4, 3), r"UpSampling2D '.*': expected input of rank 4"),
    (lambda: L.Cropping1D(1), (2, 4), r"Cropping1D '.*': expected input of rank 3"),
    (lambda: L.MaxPooling1D(), (2, 4), r"MaxPooling1D '.*': expected input of rank 3"),
    (
        lambda: L.TimeDistributed(L.Dense(2)),
        (2, 4),
        r"TimeDistributed '.*': expected input of rank "
        r"3 or more",
    ),
    (lambda: L.SeparableConv2D(2, 2), (2, 4, 4), r"SeparableConv2D '.*': expected input of rank 4"),
]


@pytest.mark.parametrize("make,shape,message", WRONG_RANK)
def test_wrong_input_rank(make, shape, message):
    with pytest.raises(ValueError, match=message):
        make()(np.zeros(shape, "float32"))


def test_embedding_ids_out_of_range():
    layer = L.Embedding(5, 2)
    with pytest.raises(
        InvalidArgumentError,  # TF's class (a ValueError too)
        match=r"Embedding 'embedding': ids must be in \[0, 5\) "
        r"\(input_dim=5\), received ids in \[0, 7\]",
    ):
        layer(np.array([[0, 7]]))
    with pytest.raises(TypeError, match="expected integer ids"):
        layer(np.array([["a"]]))


def test_embedding_float_ids_truncate_as_keras():
    layer = L.Embedding(5, 2)
    table = layer(np.array([[0, 1, 2, 3]])).numpy()[0]
    # Keras casts float ids to int32: 0.7 -> 0, 3.9 -> 3, -0.5 -> 0
    out = layer(np.array([[0.7, 3.9, -0.5, 2.0]], "float32")).numpy()[0]
    np.testing.assert_array_equal(out, table[[0, 3, 0, 2]])
    with pytest.raises(InvalidArgumentError, match="received ids in"):
        layer(np.array([[5.2]], "float32"))


def test_cropping_everything_and_stateful_batch_change():
    with pytest.raises(ValueError, match="removes every entry"):
        L.Cropping1D((2, 2))(np.zeros((1, 4, 1), "float32"))
    rnn = L.SimpleRNN(2, stateful=True)
    rnn(np.ones((3, 4, 2), "float32"))
    with pytest.raises(
        ValueError, match="same batch size in every call; its states have batch size 3, received 2"
    ):
        rnn(np.ones((2, 4, 2), "float32"))
