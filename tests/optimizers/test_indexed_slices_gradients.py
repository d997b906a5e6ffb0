"""apply_gradients with tf.IndexedSlices gradients (values checked against TF 2.21)."""

import numpy as np
import pytest

import gpuflow as tf

START = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
DISTINCT = ([[1.0, 2.0], [3.0, -1.0]], [2, 0])


@pytest.mark.parametrize(
    "make, expected",
    [
        (lambda: tf.keras.optimizers.SGD(0.1, momentum=0.9), [-0.683, 2.561, 3, 4, 4.439, 4.878]),
        (lambda: tf.keras.optimizers.Adam(0.1), [0.7, 2.3, 3, 4, 4.7, 5.7]),
        (lambda: tf.keras.optimizers.RMSprop(0.1), [0.26226, 2.73774, 3, 4, 4.26226, 5.26226]),
        (lambda: tf.keras.optimizers.Adagrad(0.1), [0.77241, 2.22115, 3, 4, 4.77885, 5.77346]),
    ],
)
def test_distinct_indices_update_as_tensorflow(make, expected):
    values, indices = DISTINCT
    grad = tf.IndexedSlices(tf.constant(values), tf.constant(indices), tf.constant([3, 2]))
    var = tf.Variable(START)
    opt = make()
    for _ in range(3):
        opt.apply_gradients([(grad, var)])
    np.testing.assert_allclose(var.numpy().ravel(), expected, atol=1e-4)


def test_repeated_indices_sum_for_sgd_and_dense_shape_may_be_missing():
    grad = tf.IndexedSlices(tf.ones([3, 2]), tf.constant([0, 2, 0]))  # no dense_shape
    var = tf.Variable(START)
    opt = tf.keras.optimizers.SGD(0.1)
    opt.apply_gradients([(grad, var)])
    opt.apply_gradients([(grad, var)])
    np.testing.assert_allclose(var.numpy(), [[0.6, 1.6], [3.0, 4.0], [4.8, 5.8]], atol=1e-6)
    dense = tf.convert_to_tensor(tf.IndexedSlices(tf.ones([3, 2]), [0, 2, 0], [3, 2]))
    assert dense.numpy().tolist() == [[2.0, 2.0], [0.0, 0.0], [1.0, 1.0]]


def _embedding_step(make, dense: bool):
    table = np.arange(40, dtype=np.float32).reshape(10, 4) / 10
    var = tf.Variable(table)
    opt = make()
    for step in range(2):
        with tf.GradientTape() as tape:
            rows = tf.gather(var, tf.constant([[1, 7, 1], [3, 1, 9]]))
            loss = tf.reduce_sum(rows * rows) * (step + 1)
        grad = tape.gradient(loss, var)
        assert isinstance(grad, tf.IndexedSlices)
        opt.apply_gradients([(tf.convert_to_tensor(grad) if dense else grad, var)])
    return table, var.numpy()


@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_sgd_applies_tape_indexed_slices_as_tensorflow(momentum):
    def make():
        return tf.keras.optimizers.SGD(0.1, momentum=momentum)

    table, sparse = _embedding_step(make, dense=False)
    _, dense = _embedding_step(make, dense=True)
    # Keras 3 scatters lr * each row (row 1 thrice): its rounding may differ in the last bit
    np.testing.assert_allclose(sparse, dense, rtol=1e-6, atol=1e-7)
    if not momentum:  # plain SGD changes only the gathered rows
        untouched = [0, 2, 4, 5, 6, 8]
        np.testing.assert_array_equal(sparse[untouched], table[untouched])
    expected_row_7 = table[7] * (1 - 0.2) * (1 - 0.4) if not momentum else None
    if expected_row_7 is not None:
        np.testing.assert_allclose(sparse[7], expected_row_7, rtol=1e-6)


def test_sgd_row_update_in_a_compiled_step_equals_eager():
    def run(compiled: bool):
        var = tf.Variable(np.linspace(-1, 1, 24, dtype=np.float32).reshape(6, 4))
        opt = tf.keras.optimizers.SGD(0.05)

        def step(ids):
            with tf.GradientTape() as tape:
                loss = tf.reduce_sum(tf.square(tf.gather(var, ids)))
            opt.apply_gradients([(tape.gradient(loss, var), var)])

        fn = tf.function(step) if compiled else step
        for ids in ([0, 5, 0], [2, 2, 3]):
            fn(tf.constant(ids))
        return var.numpy()

    np.testing.assert_allclose(run(True), run(False), rtol=1e-6)


def test_loss_scale_optimizer_unscales_indexed_slices():
    opt = tf.keras.mixed_precision.LossScaleOptimizer(
        tf.keras.optimizers.SGD(1.0), initial_scale=4.0
    )
    grad = tf.IndexedSlices(tf.constant([[4.0, 8.0]]), tf.constant([1]), tf.constant([2, 2]))
    var = tf.Variable([[0.0, 0.0], [1.0, 1.0]])
    opt.apply_gradients([(grad, var)])
    np.testing.assert_array_equal(var.numpy(), [[0.0, 0.0], [0.0, -1.0]])
