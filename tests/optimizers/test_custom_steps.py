"""Keras 3's API for new optimizers (gpuflow/optimizers/custom_steps.py): build with
add_variable_from_reference, update_step with assign*, inside compiled steps too."""

import numpy as np
import pytest

import gpuflow as tf
from gpuflow import keras


class Signed(keras.optimizers.Optimizer):
    """``w -= lr * sign(g)``, with a counter of steps per variable."""

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self.counts = self.add_optimizer_variables(var_list, "count")

    def update_step(self, gradient, variable, learning_rate):
        self.assign_sub(variable, learning_rate * tf.sign(gradient))
        self.assign_add(self.counts[self._get_variable_index(variable)], 1.0)


def test_update_step_runs_per_variable_with_its_slots():
    opt = Signed(learning_rate=0.5)
    a, b = tf.Variable([1.0, -1.0], name="a"), tf.Variable([[2.0]], name="b")
    opt.apply_gradients([(tf.constant([3.0, -0.1]), a), (tf.constant([[-5.0]]), b)])
    opt.apply_gradients([(tf.constant([3.0, -0.1]), a), (tf.constant([[-5.0]]), b)])
    np.testing.assert_allclose(a.numpy(), [0.0, 0.0])
    np.testing.assert_allclose(b.numpy(), [[3.0]])
    assert [c.numpy().tolist() for c in opt.counts] == [[2.0, 2.0], [[2.0]]]
    assert opt.counts[0].name.startswith("a_count") and not opt.counts[0].trainable
    assert int(opt.iterations.numpy()) == 2
    assert any(v is opt.counts[1] for v in opt.variables)


def test_update_step_inside_a_compiled_training_step_equals_eager():
    def train(compiled):
        keras.utils.set_random_seed(1)
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
        opt = Signed(learning_rate=0.01)

        def step(x, y):
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean((model(x) - y) ** 2)
            grads = tape.gradient(loss, model.trainable_variables)
            opt.apply_gradients(zip(grads, model.trainable_variables))
            return loss

        run = tf.function(step) if compiled else step
        rng = np.random.default_rng(0)
        for _ in range(4):
            run(tf.constant(rng.normal(size=(8, 3)), tf.float32), tf.zeros((8, 2)))
        return model.get_weights(), [c.numpy() for c in opt.counts]

    (w_c, c_c), (w_e, c_e) = train(True), train(False)
    for a, b in zip(w_c + c_c, w_e + c_e):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    assert float(c_c[0].max()) == 4.0


def test_a_variable_it_was_not_built_for_is_named():
    opt = Signed()
    opt.build([tf.Variable([1.0], name="known")])
    with pytest.raises(ValueError, match="is not one the optimizer was built for"):
        opt._get_variable_index(tf.Variable([1.0], name="other"))


def test_builtin_optimizers_keep_their_own_update():
    opt = keras.optimizers.SGD(0.1)
    v = tf.Variable([1.0])
    opt.apply_gradients([(tf.constant([2.0]), v)])
    np.testing.assert_allclose(v.numpy(), [0.8])
    assert opt.built and not opt._custom_update_step()


def test_muon_without_weight_decay_still_picks_adamw_for_vectors():
    # Muon chooses its rule per variable in the _decay_weights hook, which must run even
    # with no weight decay (a vector's update is AdamW's, a matrix's Newton-Schulz)
    opt = keras.optimizers.Muon(learning_rate=0.01, weight_decay=None)
    bias, kernel = tf.Variable([1.0, 2.0]), tf.Variable(np.eye(3, dtype="float32"))
    opt.apply_gradients([(tf.constant([0.5, -0.5]), bias), (tf.ones((3, 3)), kernel)])
    assert np.all(np.isfinite(bias.numpy())) and not np.allclose(bias.numpy(), [1.0, 2.0])
