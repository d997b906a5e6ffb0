"""tf.linalg.diag with k (an int or a range), num_rows / num_cols, padding_value and align.
Expected matrices were printed by tensorflow-cpu 2.21."""

import numpy as np
import pytest

import gpuflow as tf
from gpuflow import keras


def test_one_offset_diagonal():
    assert tf.linalg.diag([1.0, 2.0], k=1).numpy().tolist() == [[0, 1, 0], [0, 0, 2], [0, 0, 0]]
    got = tf.linalg.diag([1.0, 2.0], k=-1, num_rows=3, num_cols=4, padding_value=9)
    assert got.numpy().tolist() == [[9, 9, 9, 9], [1, 9, 9, 9], [9, 2, 9, 9]]
    assert keras.ops.diag(np.array([1.0, 2.0]), k=-1).shape == (3, 3)


def test_a_range_of_diagonals_and_alignment():
    d = np.arange(1, 13, dtype="float32").reshape(3, 4)
    assert tf.linalg.diag(d, k=(-1, 1)).numpy().tolist() == [
        [5, 2, 0, 0],
        [9, 6, 3, 0],
        [0, 10, 7, 4],
        [0, 0, 11, 8],
    ]
    assert tf.linalg.diag(d, k=(-1, 1), align="LEFT_RIGHT").numpy().tolist() == [
        [5, 1, 0, 0],
        [10, 6, 2, 0],
        [0, 11, 7, 3],
        [0, 0, 12, 8],
    ]
    two = np.arange(1, 7, dtype="float32").reshape(2, 3)
    assert tf.linalg.diag(two, k=(0, 1), num_rows=3, num_cols=4).numpy().tolist() == [
        [4, 1, 0, 0],
        [0, 5, 2, 0],
        [0, 0, 6, 3],
    ]


def test_batches_dtype_and_gradient():
    assert tf.linalg.diag(np.ones((2, 3), "int32")).shape == (2, 3, 3)
    x = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(tf.linalg.diag(x, k=1) * tf.reshape(tf.range(16.0), [4, 4]))
    assert tape.gradient(y, x).numpy().tolist() == [1.0, 6.0, 11.0]


def test_bad_arguments():
    with pytest.raises(tf.errors.InvalidArgumentError, match="needs 3 diagonals"):
        tf.linalg.diag(np.ones((2, 4)), k=(-1, 1))
    with pytest.raises(tf.errors.InvalidArgumentError, match="align must be one of"):
        tf.linalg.diag(np.ones((3, 4)), k=(-1, 1), align="UP")
    with pytest.raises(tf.errors.InvalidArgumentError, match="low must not exceed high"):
        tf.linalg.diag(np.ones((3, 4)), k=(1, -1))


def test_diag_part_and_set_diag_take_k_padding_and_align():
    # tensorflow-cpu 2.21's values for a 3 x 4 matrix (diag_part ignored k; set_diag took
    # the main diagonal only)
    x = tf.reshape(tf.range(1.0, 13.0), [3, 4])
    assert tf.linalg.diag_part(x, k=1).numpy().tolist() == [2, 7, 12]
    assert tf.linalg.diag_part(x, k=-2).numpy().tolist() == [9]
    band = tf.linalg.diag_part(x, k=(-1, 2), padding_value=9)
    assert band.numpy().tolist() == [[9, 3, 8], [2, 7, 12], [1, 6, 11], [5, 10, 9]]
    band = tf.linalg.diag_part(x, k=(-1, 2), padding_value=9, align="LEFT_RIGHT")
    assert band.numpy().tolist() == [[3, 8, 9], [2, 7, 12], [1, 6, 11], [9, 5, 10]]
    assert tf.linalg.set_diag(x, [-104.0], k=3).numpy().tolist() == [
        [1, 2, 3, -104],
        [5, 6, 7, 8],
        [9, 10, 11, 12],
    ]
    # TF's banded_triangular_solve docstring builds its band this way
    d = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 0.0]])
    z = tf.linalg.set_diag(tf.ones([3, 3]), d, align="LEFT_RIGHT", k=(-1, 0))
    assert z.numpy().tolist() == [[1, 1, 1], [5, 2, 1], [1, 0, 3]]
    v, dd = tf.Variable(tf.ones([3, 3])), tf.Variable([5.0, 6.0])
    with tf.GradientTape() as tape:
        out = tf.reduce_sum(tf.linalg.set_diag(v, dd, k=1) * tf.reshape(tf.range(9.0), [3, 3]))
    gv, gd = tape.gradient(out, [v, dd])
    assert gv.numpy().tolist() == [[0, 0, 2], [3, 4, 0], [6, 7, 8]]
    assert gd.numpy().tolist() == [1, 5]
    with pytest.raises(ValueError, match=r"set_diag: for input of shape \(3, 4\) and k="):
        tf.linalg.set_diag(x, [1.0, 2.0], k=1)
    with pytest.raises(ValueError, match="diag_part: k=\\(4, 4\\) must lie in"):
        tf.linalg.diag_part(x, k=4)


def test_set_diag_and_band_part_compile_in_a_function():
    # their masks are constants of the shapes: a gpuflow.function records them (it raised
    # TracingError, and a Trainer step with them fell back to eager)
    x = tf.Variable(np.arange(12, dtype="float32").reshape(3, 4))

    def step(d):
        with tf.GradientTape() as tape:
            y = tf.linalg.set_diag(x * 1.0, d) + tf.linalg.band_part(x * 2.0, 0, 1)
            loss = tf.reduce_sum(y * y)
        return y, tape.gradient(loss, x)

    compiled = tf.function(step)
    for d in ([10.0, 20.0, 30.0], [1.0, 2.0, 3.0]):
        d = tf.constant(d)
        (y, g), (y_eager, g_eager) = compiled(d), step(d)
        np.testing.assert_allclose(y.numpy(), y_eager.numpy())
        np.testing.assert_allclose(g.numpy(), g_eager.numpy())
    keep = np.triu(np.tril(np.ones((3, 4)), 1))
    expected = np.arange(12.0).reshape(3, 4) * (1 + 2 * keep)
    expected[np.arange(3), np.arange(3)] = [1.0 + 0, 2.0 + 10, 3.0 + 20]
    np.testing.assert_allclose(y.numpy(), expected)
