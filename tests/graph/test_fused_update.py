"""Plain SGD's update fused into the Dense kernel's gradient GEMM in a compiled step
(gpuflow/graph/fused_update.py): where it applies, and that results equal eager."""

import numpy as np
import pytest

import gpuflow as tf
from gpuflow.graph import fused_update

WIDE = 256  # 256 x 128 kernel: fused_update.MIN_SIZE elements


def _model(seed=0, shared=False):
    tf.random.set_seed(seed)
    inputs = tf.keras.Input((WIDE,), dtype="float64")
    first = tf.keras.layers.Dense(128, activation="relu", dtype="float64")
    h = first(inputs)
    if shared:  # the same kernel read twice: its gradient has two parts
        h = first(tf.keras.layers.Dense(WIDE, dtype="float64")(h))
    outputs = tf.keras.layers.Dense(10, dtype="float64")(h)
    return tf.keras.Model(inputs, outputs)


def _batches(n=4):
    rng = np.random.default_rng(3)
    return [(rng.standard_normal((16, WIDE)), rng.integers(0, 10, 16)) for _ in range(n)]


def _train(compiled, optimizer, shared=False, return_grads=False, between=None):
    model = _model(shared=shared)
    loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)

    def step(x, y):
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x, training=True))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return (loss, grads[0]) if return_grads else loss

    run = tf.function(step) if compiled else step
    outs = []
    for i, (x, y) in enumerate(_batches()):
        if between is not None:
            between(i, optimizer)
        outs.append(run(tf.constant(x), tf.constant(y)))
    return model, outs, run


def _fused_plans(function):
    plans = {}  # the gradient step and apply_gradients share one plan
    for concrete in function._concrete.values():
        for step in concrete._steps:
            if getattr(step, "fused", None) is not None:
                plans[id(step.fused)] = step.fused
    return list(plans.values())


def _assert_same(compiled, eager):
    for a, b in zip(compiled[0].get_weights(), eager[0].get_weights()):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)
    for a, b in zip(compiled[1], eager[1]):
        for u, v in zip(tf.nest.flatten(a), tf.nest.flatten(b)):
            np.testing.assert_allclose(u.numpy(), v.numpy(), rtol=0, atol=1e-12)


def test_plain_sgd_fuses_the_wide_kernel_and_equals_eager(monkeypatch):
    from gpuflow.backend.cpu_kernels import CpuKernels

    calls = []
    fused_backward = CpuKernels.dense_backward_update

    def counting(self, *args):
        calls.append(args[-1].shape)
        return fused_backward(self, *args)

    monkeypatch.setattr(CpuKernels, "dense_backward_update", counting)
    compiled = _train(True, tf.keras.optimizers.SGD(0.1))
    # the trace runs the unfused step; each replay (3 of the 4 batches) the fused one
    assert calls == [(WIDE, 128)] * (len(_batches()) - 1)
    eager = _train(False, tf.keras.optimizers.SGD(0.1))
    _assert_same(compiled, eager)
    (plan,) = _fused_plans(compiled[2])
    # the 256x128 kernel only; the 128x10 one is below MIN_SIZE
    assert [var.path for _, var, _ in plan.fused] == [compiled[0].layers[1].kernel.path]
    assert np.prod(compiled[0].layers[1].kernel.shape) == fused_update.MIN_SIZE


def test_iterations_and_constraints_still_apply_with_fusion():
    opt = tf.keras.optimizers.SGD(0.1)
    model, _, run = _train(True, opt)
    assert _fused_plans(run)
    assert int(opt.iterations.numpy()) == len(_batches())


@pytest.mark.parametrize(
    "make",
    [
        lambda: tf.keras.optimizers.SGD(0.1, momentum=0.9),
        lambda: tf.keras.optimizers.SGD(0.1, clipnorm=0.5),
        lambda: tf.keras.optimizers.SGD(0.1, weight_decay=0.01),
        lambda: tf.keras.optimizers.Adam(0.01),
    ],
)
def test_updates_that_need_the_gradient_run_unfused(make):
    compiled = _train(True, make())
    eager = _train(False, make())
    _assert_same(compiled, eager)


def test_a_rule_changed_after_tracing_runs_unfused_from_then_on():
    def clip(i, opt):
        if i == 2:
            opt.clipnorm = 0.01  # traced with plain SGD; clipped from the third step on

    compiled = _train(True, tf.keras.optimizers.SGD(0.1), between=clip)
    eager = _train(False, tf.keras.optimizers.SGD(0.1), between=clip)
    _assert_same(compiled, eager)


def test_a_learning_rate_changed_between_calls_is_used():
    def lower(i, opt):
        opt.learning_rate = 0.1 / (i + 1)

    compiled = _train(True, tf.keras.optimizers.SGD(0.1), between=lower)
    eager = _train(False, tf.keras.optimizers.SGD(0.1), between=lower)
    _assert_same(compiled, eager)
    assert _fused_plans(compiled[2])


def test_a_returned_gradient_is_not_fused():
    compiled = _train(True, tf.keras.optimizers.SGD(0.1), return_grads=True)
    eager = _train(False, tf.keras.optimizers.SGD(0.1), return_grads=True)
    _assert_same(compiled, eager)
    assert all(
        var is not compiled[0].layers[1].kernel
        for plan in _fused_plans(compiled[2])
        for _, var, _ in plan.fused
    )


def test_a_kernel_read_twice_is_not_fused():
    compiled = _train(True, tf.keras.optimizers.SGD(0.1), shared=True)
    eager = _train(False, tf.keras.optimizers.SGD(0.1), shared=True)
    _assert_same(compiled, eager)
    shared_kernel = compiled[0].layers[1].kernel
    assert all(var is not shared_kernel for p in _fused_plans(compiled[2]) for _, var, _ in p.fused)


def test_fit_with_plain_sgd_equals_eager_fit():
    x, y = _batches(1)[0]
    histories = []
    for run_eagerly in (False, True):
        model = _model()
        model.compile(
            optimizer=tf.keras.optimizers.SGD(0.05),
            loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
            run_eagerly=run_eagerly,
        )
        history = model.fit(x, y, batch_size=8, epochs=3, verbose=0, shuffle=False)
        histories.append((history.history["loss"], model.get_weights()))
    np.testing.assert_allclose(histories[0][0], histories[1][0], rtol=0, atol=1e-12)
    for a, b in zip(histories[0][1], histories[1][1]):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)


class _HalfStepSGD(tf.keras.optimizers.SGD):
    """Plain SGD in every setting, but a Keras 3 ``update_step`` of its own."""

    def update_step(self, gradient, variable, learning_rate):
        variable.assign_sub(gradient * (0.5 * learning_rate))


def test_an_sgd_subclass_with_its_own_update_step_is_not_fused_or_bypassed():
    compiled = _train(True, _HalfStepSGD(0.1))
    eager = _train(False, _HalfStepSGD(0.1))
    _assert_same(compiled, eager)  # planned (an SGD class) but never applied
    plain = _train(False, tf.keras.optimizers.SGD(0.1))
    assert not np.allclose(compiled[0].get_weights()[0], plain[0].get_weights()[0])


def test_plain_sgd_updates_the_unfused_variables_as_eager_does():
    # the biases and the small output kernel take ApplyStep's plain path (no fusion)
    compiled = _train(True, tf.keras.optimizers.SGD(0.1))
    eager = _train(False, tf.keras.optimizers.SGD(0.1))
    _assert_same(compiled, eager)
    assert _fused_plans(compiled[2])  # the first kernel fused, the rest plain
