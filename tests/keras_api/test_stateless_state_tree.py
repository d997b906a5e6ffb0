"""keras.StatelessScope, Layer.stateless_call and Model.get_state_tree / set_state_tree
(Keras 3; behaviour checked against tensorflow-cpu 2.21's Keras 3.15)."""

from __future__ import annotations

import numpy as np
import pytest

from gpuflow import keras

L = keras.layers


def _bn_model():
    inp = keras.Input((3,), name="x")
    out = L.Dense(1, name="head")(L.BatchNormalization(name="norm")(L.Dense(2, name="d")(inp)))
    return keras.Model(inp, out)


def test_scope_maps_values_collects_assignments_and_restores():
    a = keras.Variable(1.0, name="a")
    b = keras.Variable(np.zeros(2, "float32"), name="b")
    with keras.StatelessScope(state_mapping=[(a, 5.0)]) as scope:
        assert float(a.numpy()) == 5.0
        a.assign_add(1.0)
        b.assign(np.ones(2, "float32"))
        b.assign_sub(np.full(2, 0.5, "float32"))
    assert float(a.numpy()) == 1.0 and b.numpy().tolist() == [0.0, 0.0]
    assert float(scope.get_current_value(a).numpy()) == 6.0
    np.testing.assert_allclose(scope.get_current_value(b).numpy(), [0.5, 0.5])
    assert scope.get_current_value(keras.Variable(0.0)) is None


def test_scope_refuses_a_non_variable_key_and_a_wrong_shape():
    with pytest.raises(ValueError, match="must be Variable instances"):
        keras.StatelessScope(state_mapping=[(np.ones(2), np.ones(2))])
    with pytest.raises(ValueError, match=r"shape .*\(3,\).*expected \(2,\)"):
        keras.StatelessScope(state_mapping=[(keras.Variable(np.zeros(2)), np.ones(3))])


def test_stateless_call_returns_new_statistics_and_leaves_the_model_alone():
    model = _bn_model()
    x = np.random.RandomState(0).rand(6, 3).astype("float32")
    trainable = [v.numpy() for v in model.trainable_variables]
    before = [v.numpy() for v in model.non_trainable_variables]
    out, new = model.stateless_call(trainable, before, x, training=True)
    for b, v in zip(before, model.non_trainable_variables):
        np.testing.assert_array_equal(b, v.numpy())
    assert not np.allclose(new[0].numpy(), before[0])
    np.testing.assert_allclose(out.numpy(), model(x, training=True).numpy(), rtol=1e-6)
    zeros = [np.zeros_like(t) for t in trainable]
    out0, _ = model.stateless_call(zeros, before, x)
    np.testing.assert_array_equal(out0.numpy(), np.zeros((6, 1)))


def test_stateless_call_checks_build_and_list_lengths_and_returns_losses():
    with pytest.raises(ValueError, match="must be built"):
        L.Dense(2).stateless_call([], [], np.ones((1, 2)))
    dense = L.Dense(2, kernel_regularizer="l2")
    dense(np.ones((1, 2)))
    with pytest.raises(ValueError, match=r"`trainable_variables`.*length 1, but expected 2"):
        dense.stateless_call([np.ones((2, 2))], [], np.ones((1, 2)))
    kernel = np.full((2, 2), 2.0, "float32")
    _, _, losses = dense.stateless_call(
        [kernel, np.zeros(2, "float32")], [], np.ones((1, 2)), return_losses=True
    )
    np.testing.assert_allclose(float(losses[0].numpy()), 0.01 * 16.0, rtol=1e-6)


def test_stateless_call_gives_gradients_for_the_values_passed_in():
    import gpuflow as gf

    dense = L.Dense(2, kernel_initializer="ones", bias_initializer="zeros")
    dense.build((None, 3))
    x = np.arange(6, dtype="float32").reshape(2, 3)
    values = [gf.constant(v.numpy()) * 2.0 for v in dense.trainable_variables]
    with gf.GradientTape() as tape:
        tape.watch(values)
        y, _ = dense.stateless_call(values, [], x)
        loss = gf.reduce_sum(y * y)
    kernel_grad, bias_grad = tape.gradient(loss, values)
    # y = x @ (2 * ones) : dloss/dkernel = x.T @ (2 y), dloss/dbias = sum(2 y)
    expected_y = x @ np.full((3, 2), 2.0, "float32")
    np.testing.assert_allclose(y.numpy(), expected_y)
    np.testing.assert_allclose(kernel_grad.numpy(), x.T @ (2 * expected_y))
    np.testing.assert_allclose(bias_grad.numpy(), (2 * expected_y).sum(0))
    assert dense.kernel.numpy().tolist() == [[1.0, 1.0]] * 3
    with gf.GradientTape() as tape:  # the layer's own variables are not read in the scope
        y, _ = dense.stateless_call(values, [], x)
        loss = gf.reduce_sum(y)
    assert tape.gradient(loss, dense.trainable_variables) == [None, None]
    model = _bn_model()  # an assigned variable (BatchNormalization's statistics) still works
    trainable = [gf.constant(v.numpy()) for v in model.trainable_variables]
    frozen = [v.numpy() for v in model.non_trainable_variables]
    with gf.GradientTape() as tape:
        tape.watch(trainable)
        out, _ = model.stateless_call(trainable, frozen, x, training=True)
        loss = gf.reduce_sum(out)
    grads = tape.gradient(loss, trainable)
    assert all(g is not None for g in grads)


def test_state_tree_nests_paths_and_writes_back():
    model = _bn_model()
    # named: automatic optimizer names count up across a session ("adam_1")
    model.compile(optimizer=keras.optimizers.Adam(name="adam"), loss="mse", metrics=["mae", "acc"])
    x = np.ones((4, 3), "float32")
    model.fit(x, np.ones((4, 1)), verbose=0)
    tree = model.get_state_tree("numpy_array")
    assert sorted(tree["trainable_variables"]) == ["d", "head", "norm"]
    assert sorted(tree["metrics_variables"]) == ["acc", "loss", "mean_absolute_error"]
    assert "d_kernel_momentum" in tree["optimizer_variables"]["adam"]
    np.testing.assert_allclose(tree["metrics_variables"]["loss"]["count"], 4.0)  # samples
    tree["trainable_variables"]["head"]["kernel"][...] = 0.0
    tree["trainable_variables"]["head"]["bias"][...] = 3.0
    tree["optimizer_variables"]["adam"]["d_kernel_momentum"][...] = 7.0
    tree["metrics_variables"]["loss"]["count"] = np.float32(5.0)
    model.set_state_tree(tree)
    np.testing.assert_allclose(model.predict(x, verbose=0), np.full((4, 1), 3.0))
    again = model.get_state_tree("numpy_array")
    np.testing.assert_allclose(again["optimizer_variables"]["adam"]["d_kernel_momentum"], 7.0)
    np.testing.assert_allclose(again["metrics_variables"]["loss"]["count"], 5.0)
    with pytest.raises(ValueError, match="Unknown variable name: weights"):
        model.set_state_tree({"weights": {}})
    with pytest.raises(ValueError, match="value_format"):
        model.get_state_tree("list")


def test_state_tree_refuses_duplicate_paths():
    class Twins(keras.Model):
        def __init__(self):
            super().__init__()
            self.a = L.Dense(2, name="same")
            self.b = L.Dense(2, name="same")  # a subclassed model may repeat a name

        def call(self, x):
            return self.b(self.a(x))

    model = Twins()
    model(np.ones((1, 2)))
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(ValueError, match="found twice"):
        model.get_state_tree()
