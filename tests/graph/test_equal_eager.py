"""A compiled training step equals the eager one (float64, lecture MLP and CNN)."""

import numpy as np
import pytest
from graph_helpers import build

import gpuflow as tf


def _steps(model_name, compiled, batches):
    model = build(model_name, "float64", "cpu", seed=3)
    loss_fn = tf.keras.losses.SparseCategoricalCrossentropy()
    opt = tf.keras.optimizers.SGD(learning_rate=0.1, momentum=0.9)

    def step(x, y):
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        grads = tape.gradient(loss, model.trainable_variables)
        opt.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    run = tf.function(step) if compiled else step
    losses = [float(run(x, y)) for x, y in batches]
    if compiled:
        assert run.experimental_get_tracing_count() == 1
    return losses, [v.numpy() for v in model.trainable_variables]


@pytest.mark.parametrize("model_name,shape", [("mlp", (784,)), ("cnn", (28, 28, 1))])
def test_five_steps_equal_eager(model_name, shape):
    rng = np.random.default_rng(0)
    batches = [(rng.random((16,) + shape), rng.integers(0, 10, 16)) for _ in range(5)]
    eager_losses, eager_weights = _steps(model_name, False, batches)
    graph_losses, graph_weights = _steps(model_name, True, batches)
    np.testing.assert_allclose(graph_losses, eager_losses, rtol=0, atol=1e-12)
    for a, b in zip(graph_weights, eager_weights):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)
