"""tf.TensorArray: eager semantics as TensorFlow's eager TensorArray, inside
gpuflow.function (unrolled loops, the traced-index check), and gradients through it."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf


def test_write_read_stack_size():
    ta = tf.TensorArray(tf.float32, size=0, dynamic_size=True, clear_after_read=False)
    ta = ta.write(0, 10).write(1, 20).write(2, 30)
    assert float(ta.read(1)) == 20.0 and float(ta.read(1)) == 20.0
    assert ta.stack().numpy().tolist() == [10.0, 20.0, 30.0]
    size = ta.size()
    assert size.dtype == tf.int32 and int(size) == 3
    assert ta.dtype == tf.float32 and ta.dynamic_size
    assert ta.element_shape.as_list() == []


def test_unwritten_slots_read_as_zeros_of_element_shape():
    ta = tf.TensorArray(tf.float32, size=3, element_shape=[2])
    ta = ta.write(1, [1.0, 2.0])
    np.testing.assert_array_equal(ta.stack().numpy(), [[0, 0], [1, 2], [0, 0]])
    empty = tf.TensorArray(tf.int32, size=0, element_shape=[4])
    assert tuple(empty.stack().shape) == (0, 4)


def test_clear_after_read_and_errors():
    ta = tf.TensorArray(tf.float32, size=2).write(0, 1.0)
    assert float(ta.read(0)) == 1.0
    with pytest.raises(tf.errors.InvalidArgumentError, match="Could not read index 0 twice"):
        ta.read(0)
    with pytest.raises(tf.errors.OutOfRangeError, match="not resizeable and size is: 2"):
        ta.write(2, 1.0)
    with pytest.raises(tf.errors.OutOfRangeError, match="Tried to read from index 5"):
        ta.read(5)
    with pytest.raises(tf.errors.InvalidArgumentError, match="dtype is float32 but Op is"):
        ta.write(1, tf.constant(1))
    with pytest.raises(ValueError, match="Incompatible shape"):
        tf.TensorArray(tf.float32, size=2).write(0, [1.0, 2.0]).write(1, [1.0])
    with pytest.raises(ValueError, match="Size must be declared"):
        tf.TensorArray(tf.float32)


def test_unstack_gather_scatter_concat_split():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    ta = tf.TensorArray(tf.float32, size=3, clear_after_read=False).unstack(x)
    np.testing.assert_array_equal(ta.gather([2, 0]).numpy(), [[5, 6], [1, 2]])
    np.testing.assert_array_equal(ta.concat().numpy(), [1, 2, 3, 4, 5, 6])
    sc = tf.TensorArray(tf.float32, size=4, element_shape=[2]).scatter([3, 1], x[:2])
    np.testing.assert_array_equal(sc.stack().numpy(), [[0, 0], [3, 4], [0, 0], [1, 2]])
    sp = tf.TensorArray(tf.float32, size=2).split(tf.constant([1.0, 2.0, 3.0]), [1, 2])
    np.testing.assert_array_equal(sp.read(1).numpy(), [2, 3])
    with pytest.raises(ValueError, match="Cannot unstack 3 tensors"):
        tf.TensorArray(tf.float32, size=2).unstack(x)
    with pytest.raises(tf.errors.InvalidArgumentError, match="sum of lengths"):
        tf.TensorArray(tf.float32, size=2).split(tf.constant([1.0, 2.0]), [1, 2])


def _rnn(x, w, u):
    ta = tf.TensorArray(tf.float32, size=x.shape[0])
    h = tf.zeros([x.shape[1], u.shape[0]])
    for t in tf.range(x.shape[0]):
        h = tf.tanh(tf.matmul(x[t], w) + tf.matmul(h, u))
        ta = ta.write(t, h)
    return ta.stack()


def test_rnn_loop_in_function_equals_eager():
    w = tf.Variable(tf.random.normal([3, 4], seed=1))
    u = tf.Variable(tf.random.normal([4, 4], seed=2))
    compiled = tf.function(_rnn)
    for scale in (1.0, 2.0):
        x = tf.random.normal([5, 2, 3], seed=3) * scale
        np.testing.assert_allclose(compiled(x, w, u).numpy(), _rnn(x, w, u).numpy(), rtol=1e-6)


def test_gradient_through_stack_and_read():
    w = tf.Variable(tf.random.normal([3, 4], seed=1, dtype=tf.float64))
    x = tf.random.normal([4, 2, 3], seed=3, dtype=tf.float64)

    def loss_fn(w):
        ta = tf.TensorArray(tf.float64, size=4, clear_after_read=False)
        for t in range(4):
            ta = ta.write(t, tf.sin(tf.matmul(x[t], w)))
        return tf.reduce_sum(ta.stack() ** 2) + tf.reduce_sum(ta.read(2))

    with tf.GradientTape() as tape:
        loss = loss_fn(w)
    grad = tape.gradient(loss, w).numpy()
    eps, numeric = 1e-6, np.zeros(w.shape)
    base = w.numpy()
    for i in np.ndindex(*base.shape):
        plus, minus = base.copy(), base.copy()
        plus[i] += eps
        minus[i] -= eps
        numeric[i] = (float(loss_fn(tf.constant(plus))) - float(loss_fn(tf.constant(minus)))) / (
            2 * eps
        )
    np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-8)


def test_eager_while_loop_carries_a_tensor_array():
    def body(i, ta):
        return i + 1, ta.write(i, tf.cast(i, tf.float32) * 2)

    _, ta = tf.while_loop(
        lambda i, ta: i < 4, body, (tf.constant(0), tf.TensorArray(tf.float32, size=4))
    )
    assert ta.stack().numpy().tolist() == [0.0, 2.0, 4.0, 6.0]


def test_traced_while_loop_with_tensor_array_runs_eagerly():
    @tf.function
    def f(n):
        _, ta = tf.while_loop(
            lambda i, ta: i < n,
            lambda i, ta: (i + 1, ta.write(i, 1.0)),
            (tf.constant(0), tf.TensorArray(tf.float32, size=0, dynamic_size=True)),
        )
        return ta.stack()

    # a TensorArray cannot be a traced loop variable yet: the function runs eagerly
    with pytest.warns(RuntimeWarning, match="runs eagerly.*TensorArray cannot be a loop"):
        assert f(tf.constant(3)).numpy().tolist() == [1.0, 1.0, 1.0]


def test_data_dependent_index_in_function_is_checked_on_replay():
    @tf.function
    def f(x):
        ta = tf.TensorArray(tf.float32, size=3, element_shape=[])
        ta = ta.write(tf.argmax(x, output_type=tf.int32), 1.0)
        return ta.stack()

    assert f(tf.constant([0.0, 5.0, 1.0])).numpy().tolist() == [0.0, 1.0, 0.0]
    assert f(tf.constant([0.0, 7.0, 1.0])).numpy().tolist() == [0.0, 1.0, 0.0]
    with pytest.raises(tf.errors.InvalidArgumentError, match="was 1 when the function was traced"):
        f(tf.constant([9.0, 7.0, 1.0]))
