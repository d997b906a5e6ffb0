"""Compiled Trainer steps: compile(run_eagerly=False) makes make_train_function compile
the step with gpuflow.graph.compile_step; results equal eager."""

import numpy as np
from graph_helpers import build

import gpuflow as tf
from gpuflow.graph import compile_step


def _train(compiled, batches):
    model = build("mlp", "float64", "cpu", seed=5)
    model.compile(
        optimizer=tf.keras.optimizers.Adam(0.01),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
        run_eagerly=not compiled,
    )
    step = model.make_train_function()
    losses = [float(step((tf.constant(x), tf.constant(y)))["loss"]) for x, y in batches]
    metrics = [v for _, v in sorted(model.get_metrics_result().items())]
    if compiled:
        assert step.compiled.experimental_get_tracing_count() == 1
    return model, losses, metrics


def test_compiled_train_step_equals_eager():
    rng = np.random.default_rng(1)
    batches = [(rng.random((8, 784)), rng.integers(0, 10, 8)) for _ in range(5)]
    eager_model, eager_losses, eager_metrics = _train(False, batches)
    model, losses, metrics = _train(True, batches)
    np.testing.assert_allclose(losses, eager_losses, rtol=0, atol=1e-12)
    np.testing.assert_allclose(metrics, eager_metrics, rtol=0, atol=1e-12)
    for a, b in zip(model.get_weights(), eager_model.get_weights()):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)


def test_compiled_predict_step():
    model = build("mlp", "float64", "cpu", seed=5)
    predict = compile_step(lambda x: model(x, training=False))
    x = np.random.default_rng(2).random((4, 784))
    np.testing.assert_allclose(
        predict(tf.constant(x)).numpy(),
        model(tf.constant(x), training=False).numpy(),
        rtol=0,
        atol=1e-14,
    )
    predict(tf.constant(x[:2]))  # a smaller last batch traces once more
    assert predict.experimental_get_tracing_count() == 2


def _loss_scaled_run(dynamic, run_eagerly, steps=6):
    tf.random.set_seed(3)
    model = tf.keras.Sequential([tf.keras.layers.Input((8,)), tf.keras.layers.Dense(3)])
    # 2**24 overflows float16 gradients: the first steps are skipped and the scale halved
    opt = tf.keras.mixed_precision.LossScaleOptimizer(
        tf.keras.optimizers.SGD(0.1), dynamic=dynamic, initial_scale=2.0**24 if dynamic else 8.0
    )
    model.compile(
        optimizer=opt,
        loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        run_eagerly=run_eagerly,
    )
    rng = np.random.default_rng(0)
    data = (
        tf.constant(rng.random((16, 8)).astype("float32")),
        tf.constant(rng.integers(0, 3, 16)),
    )
    step = model.make_train_function()
    losses = [float(step(data)["loss"]) for _ in range(steps)]
    return losses, [w.numpy() for w in model.weights], opt


def test_loss_scaling_fixed_and_dynamic_compile_and_equal_eager():
    tf.keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        for dynamic in (False, True):
            eager_losses, eager_weights, eager_opt = _loss_scaled_run(dynamic, True)
            losses, weights, opt = _loss_scaled_run(dynamic, False)
            assert losses == eager_losses
            for w, e in zip(weights, eager_weights):
                np.testing.assert_array_equal(w, e)
            assert opt.loss_scale == eager_opt.loss_scale
            assert opt.skipped_steps == eager_opt.skipped_steps
            if dynamic:  # the replayed steps read the scale as it changes
                assert 0 < opt.skipped_steps < 6 and opt.loss_scale < 2.0**24
            assert losses[-1] < losses[0] or dynamic
    finally:
        tf.keras.mixed_precision.set_global_policy("float32")


def test_fit_compiled_equals_fit_eager():
    rng = np.random.default_rng(2)
    x, y = rng.random((64, 784)), rng.integers(0, 10, 64)
    weights, histories = [], []
    for run_eagerly in (True, False):
        model = build("mlp", "float64", "cpu", seed=7)
        model.compile(
            optimizer="sgd",
            loss="sparse_categorical_crossentropy",
            metrics=["accuracy"],
            run_eagerly=run_eagerly,
        )
        history = model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
        weights.append(model.get_weights())
        histories.append(history.history)
    for a, b in zip(*weights):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(histories[0]["loss"], histories[1]["loss"], rtol=1e-12)
    np.testing.assert_allclose(histories[0]["accuracy"], histories[1]["accuracy"])


def test_a_compiled_step_updates_the_variables_in_place_after_its_trace():
    """The tensors the trace made from the variables stay alive in the recorded graph: they
    must not make every later update copy the variables (a copy per step)."""
    model = tf.keras.Sequential([tf.keras.layers.Input((4,)), tf.keras.layers.Dense(3)])
    model.compile(optimizer="sgd", loss="mse")
    rng = np.random.default_rng(0)
    data = (
        tf.constant(rng.random((8, 4)).astype("float32")),
        tf.constant(rng.random((8, 3)).astype("float32")),
    )
    step = model.make_train_function()
    step(data)  # traces
    step(data)
    arrays = [id(v._data) for v in model.trainable_variables]
    before = [v.numpy() for v in model.trainable_variables]
    step(data)
    assert [id(v._data) for v in model.trainable_variables] == arrays
    assert any((v.numpy() != b).any() for v, b in zip(model.trainable_variables, before))


def test_a_value_read_before_the_update_keeps_its_value():
    v = tf.Variable([1.0, 2.0])
    opt = tf.keras.optimizers.SGD(1.0)

    @tf.function
    def step():
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(v * v)
        grads = tape.gradient(loss, [v])
        seen = tf.reshape(v, [2])
        opt.apply_gradients(zip(grads, [v]))
        return seen

    for _ in range(3):
        before = v.numpy().copy()
        np.testing.assert_array_equal(step().numpy(), before)
        np.testing.assert_array_equal(v.numpy(), -before)


def test_tf_function_of_train_step_returns_each_steps_logs():
    """``tf.function(model.train_step)``, as TF users write it: the logs of every call are
    that call's (the step's LazyLogs are never frozen at trace time)."""
    model = build("mlp", "float64", "cpu", seed=4)
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    rng = np.random.default_rng(6)
    data = (tf.constant(rng.random((8, 784))), tf.constant(rng.integers(0, 10, 8)))
    step = tf.function(model.train_step)
    losses = [float(step(data)["loss"]) for _ in range(4)]
    assert len(set(losses)) == 4  # a running mean over different losses
    assert step.experimental_get_tracing_count() == 1
    assert set(step(data)) == {"loss", "accuracy"}
