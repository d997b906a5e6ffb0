"""tf.nn.RNNCellDropoutWrapper / ResidualWrapper / DeviceWrapper around Keras cells."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf


def test_dropout_wrapper_keeps_the_cells_interface_and_scales_kept_values():
    cell = tf.keras.layers.LSTMCell(4)
    w = tf.nn.RNNCellDropoutWrapper(cell, input_keep_prob=0.5, seed=1)
    assert w.state_size == [4, 4] and w.output_size == 4
    out, states = w(tf.ones([2, 5]), [tf.zeros([2, 4]), tf.zeros([2, 4])])
    assert out.shape == (2, 4) and [tuple(s.shape) for s in states] == [(2, 4), (2, 4)]
    dense = tf.keras.layers.SimpleRNNCell(
        200, kernel_initializer="ones", use_bias=False, activation=None
    )
    drop = tf.nn.RNNCellDropoutWrapper(dense, output_keep_prob=0.5, seed=3)
    o, _ = drop(tf.ones([1, 1]), [tf.zeros([1, 200])])
    values = o.numpy().ravel()
    assert set(np.round(values, 4).tolist()) == {0.0, 2.0}  # kept values scaled by 1 / 0.5
    assert 40 < int((values == 0).sum()) < 160
    with pytest.raises(ValueError, match="input_keep_prob must be between 0 and 1"):
        tf.nn.RNNCellDropoutWrapper(cell, input_keep_prob=1.5)
    with pytest.raises(NotImplementedError, match="variational_recurrent"):
        tf.nn.RNNCellDropoutWrapper(cell, variational_recurrent=True)


def test_residual_and_device_wrappers():
    zero_cell = tf.keras.layers.SimpleRNNCell(
        5, kernel_initializer="zeros", recurrent_initializer="zeros"
    )
    r = tf.nn.RNNCellResidualWrapper(zero_cell)
    out, _ = r(tf.ones([2, 5]), [tf.zeros([2, 5])])
    assert out.numpy().tolist() == [[1.0] * 5] * 2  # input + a zero output
    doubled = tf.nn.RNNCellResidualWrapper(zero_cell, residual_fn=lambda i, o: 2 * i + o)
    assert doubled(tf.ones([1, 5]), [tf.zeros([1, 5])])[0].numpy().tolist() == [[2.0] * 5]
    with pytest.raises(ValueError, match="must have one shape"):
        tf.nn.RNNCellResidualWrapper(tf.keras.layers.SimpleRNNCell(3))(
            tf.ones([1, 5]), [tf.zeros([1, 3])]
        )
    d = tf.nn.RNNCellDeviceWrapper(tf.keras.layers.GRUCell(3), "/cpu:0")
    out, _ = d(tf.ones([2, 4]), [tf.zeros([2, 3])])
    assert out.shape == (2, 3) and d.state_size == 3
    with pytest.raises(TypeError, match="cell must be an RNN cell"):
        tf.nn.RNNCellResidualWrapper("not a cell")


def test_wrapped_cells_train_inside_keras_rnn():
    wrapped = tf.nn.RNNCellResidualWrapper(tf.keras.layers.LSTMCell(2))
    model = tf.keras.Sequential(
        [tf.keras.Input((3, 2)), tf.keras.layers.RNN(wrapped), tf.keras.layers.Dense(1)]
    )
    model.compile("adam", "mse")
    history = model.fit(np.ones((8, 3, 2)), np.ones((8, 1)), epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2 and np.isfinite(history.history["loss"]).all()
