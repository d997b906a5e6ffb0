"""tf.keras.backend.rnn and gradients; expected values from Keras' legacy backend on
TensorFlow 2.21 (pasted)."""

import numpy as np
import pytest

import gpuflow as tf

K = tf.keras.backend
INPUTS = np.arange(12, dtype="float32").reshape(2, 3, 2)
MASK = np.array([[True, True, False], [True, False, False]])


def step(inputs, states):
    out = inputs + states[0]
    return out, [out]


def _run(**kwargs):
    last, outs, states = K.rnn(step, tf.constant(INPUTS), [tf.zeros((2, 2))], **kwargs)
    return last.numpy().tolist(), outs.numpy().tolist(), states[0].numpy().tolist()


def test_plain_and_masked():
    last, outs, states = _run()
    assert last == states == [[6.0, 9.0], [24.0, 27.0]] and np.shape(outs) == (2, 3, 2)
    for unroll in (False, True):
        last, outs, states = _run(mask=MASK, go_backwards=True, unroll=unroll)
        assert last == states == [[2.0, 4.0], [6.0, 7.0]]
        assert outs == [[[0, 0], [2, 3], [2, 4]], [[0, 0], [0, 0], [6, 7]]]
        _, outs, _ = _run(mask=MASK, zero_output_for_mask=True, unroll=unroll)
        assert outs == [[[0, 1], [2, 4], [0, 0]], [[6, 7], [0, 0], [0, 0]]]


def test_input_length_last_only_time_major_and_constants():
    # without unroll, input_length masks each sample and stops after the longest, as Keras
    last, outs, states = _run(input_length=np.array([2, 1]), go_backwards=True,
                              zero_output_for_mask=True)  # fmt: skip
    assert outs == [[[4, 5], [6, 8], [0, 0]], [[0, 0], [8, 9], [0, 0]]]
    assert last == [[0, 0], [0, 0]] and states == [[6, 8], [8, 9]]
    _, outs, _ = _run(input_length=np.array([3, 1]), unroll=True)  # ignored when unrolled
    assert outs[1] == [[6, 7], [14, 16], [24, 27]]
    last, outs, _ = _run(return_all_outputs=False)
    assert np.shape(outs) == (2, 1, 2) and outs[0][0] == last[0]
    _, outs, _ = K.rnn(step, tf.constant(INPUTS.transpose(1, 0, 2)), [tf.zeros((2, 2))],
                       time_major=True)  # fmt: skip
    assert tuple(outs.shape) == (3, 2, 2)

    def with_constant(inputs, states):
        return inputs * states[1], [states[0] + inputs]

    _, outs, states = K.rnn(with_constant, tf.constant(INPUTS), [tf.zeros((2, 2))],
                            constants=[tf.constant(2.0)])  # fmt: skip
    np.testing.assert_allclose(outs.numpy(), INPUTS * 2)
    np.testing.assert_allclose(states[0].numpy(), INPUTS.sum(axis=1))


def test_gradient_and_errors():
    x = tf.Variable(INPUTS)
    with tf.GradientTape() as tape:
        last, _, _ = K.rnn(step, x, [tf.zeros((2, 2))])
        loss = tf.reduce_sum(last)
    np.testing.assert_allclose(tape.gradient(loss, x).numpy(), np.ones_like(INPUTS))
    with pytest.raises(ValueError, match="rank 3 or more"):
        K.rnn(step, tf.ones((2, 3)), [tf.zeros((2, 2))])
    with pytest.raises(ValueError, match="does not fit inputs of 3 steps"):
        K.rnn(step, tf.constant(INPUTS), [tf.zeros((2, 2))], mask=MASK[:, :2])
    with pytest.raises(RuntimeError, match="Use tf.GradientTape instead"):
        K.gradients(tf.reduce_sum(x), [x])
