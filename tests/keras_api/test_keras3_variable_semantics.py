"""Keras 3 variable semantics: which variables a layer tracks, keras.Variable identity,
overwrite_with_gradient, optimizers bound to their variables, and the batch size a model
built on a drop_remainder dataset records (each checked against TF 2.21 + Keras 3.15)."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf

keras = tf.keras


class _Holder(keras.layers.Layer):
    """A layer with a plain tf.Variable, a list of them, a tf.Module and a keras.Variable."""

    def __init__(self):
        super().__init__(name="holder")
        self.plain = tf.Variable(np.ones(2, "float32"), name="plain")
        self.plain_list = [tf.Variable(1.0, name="in_list")]
        self.module = tf.Module()
        self.module.a = tf.Variable(3.0, name="a")
        self.kept = keras.Variable(np.zeros(2, "float32"), name="kept")

    def build(self, input_shape):
        self.w = self.add_weight(shape=(2,), initializer="ones", name="w")

    def call(self, x):
        return x * self.w * self.plain + self.kept


def test_add_weight_makes_keras_variables_and_plain_tf_variables_are_not_keras():
    dense = keras.layers.Dense(2)
    dense.build((None, 3))
    assert isinstance(dense.kernel, keras.Variable) and isinstance(dense.bias, keras.Variable)
    assert not isinstance(tf.Variable(1.0), keras.Variable)
    assert isinstance(keras.Variable(1.0), keras.Variable)
    assert dense.kernel.dtype == "float32" and tf.Variable(1.0).dtype == tf.float32


def test_plain_tf_variables_are_not_layer_weights():
    layer = _Holder()
    layer(np.ones((1, 2), "float32"))
    assert [w.name for w in layer.weights] == ["kept", "w"]  # tracking order (Keras 3)
    assert [w.name for w in layer.trainable_variables] == ["kept", "w"]
    assert [w.name for w in layer.variables] == ["kept", "w"]
    assert len(layer.get_weights()) == 2

    inputs = keras.Input((2,))
    model = keras.Model(inputs, layer(inputs))
    assert model.count_params() == 4
    model.compile("sgd", "mse")
    before = layer.plain.numpy()
    model.fit(np.ones((4, 2), "float32"), np.zeros((4, 2), "float32"), verbose=0)
    np.testing.assert_array_equal(layer.plain.numpy(), before)  # not trained, as Keras 3
    assert not np.allclose(layer.w.numpy(), 1.0)

    # a tape still differentiates with respect to it
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(layer(np.ones((1, 2), "float32")))
    assert tape.gradient(y, layer.plain) is not None


def test_checkpoint_still_saves_plain_variables_of_a_layer(tmp_path):
    layer = _Holder()
    layer(np.ones((1, 2), "float32"))
    path = tf.train.Checkpoint(layer=layer).save(str(tmp_path / "ckpt"))
    names = [name for name, _ in tf.train.list_variables(path)]
    assert "layer/plain/.ATTRIBUTES/VARIABLE_VALUE" in names
    assert "layer/w/.ATTRIBUTES/VARIABLE_VALUE" in names
    layer.plain.assign([5.0, 6.0])
    tf.train.Checkpoint(layer=layer).restore(path)
    np.testing.assert_array_equal(layer.plain.numpy(), [1.0, 1.0])


def test_a_shared_kernel_is_listed_and_trained_once():
    dense = keras.layers.Dense(2, use_bias=False, kernel_initializer="ones")

    class Tied(keras.layers.Layer):
        def __init__(self, kernel):
            super().__init__()
            self.kernel = kernel

        def call(self, x):
            return tf.matmul(x, self.kernel, transpose_b=True)

    dense.build((None, 2))
    model = keras.Sequential([keras.Input((2,)), dense, Tied(dense.kernel)])
    assert [w.path for w in model.weights] == [dense.kernel.path]
    assert len(model.trainable_weights) == 1 and model.count_params() == 4
    optimizer = keras.optimizers.SGD(0.1)
    x = np.ones((1, 2), "float32")
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(model(x))
    grads = tape.gradient(loss, model.trainable_weights)
    optimizer.apply_gradients(zip(grads, model.trainable_weights))
    np.testing.assert_allclose(dense.kernel.numpy(), 1.0 - 0.1 * grads[0].numpy())


def test_overwrite_with_gradient():
    class Scaled(keras.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(2,), initializer="ones", name="w")
            self.scale = self.add_weight(
                shape=(2,), initializer="zeros", name="scale", overwrite_with_gradient=True
            )

    layer = Scaled()
    layer.build((None, 2))
    assert layer.scale.overwrite_with_gradient and not layer.w.overwrite_with_gradient
    optimizer = keras.optimizers.Adam(0.1)
    optimizer.apply_gradients(
        [(tf.constant([3.0, 4.0]), layer.w), (tf.constant([5.0, 6.0]), layer.scale)]
    )
    np.testing.assert_array_equal(layer.scale.numpy(), [5.0, 6.0])
    np.testing.assert_allclose(layer.w.numpy(), [0.9, 0.9], rtol=1e-6)
    variable = keras.Variable(1.0)
    assert variable.overwrite_with_gradient is False
    with pytest.raises(TypeError, match="must be a boolean"):
        variable.overwrite_with_gradient = 1


def test_an_optimizer_refuses_variables_it_was_not_built_with():
    a = keras.Variable(np.ones(2, "float32"), name="a")
    b = keras.Variable(np.ones(3, "float32"), name="b")
    optimizer = keras.optimizers.Adam(0.1)
    optimizer.apply_gradients([(tf.ones(2), a)])
    # named without its value (a long array in a model's case), as in Keras' traced step
    with pytest.raises(
        ValueError, match=r"Unknown variable: <Variable path=b, shape=\(3,\), dtype=float32>\."
    ):
        optimizer.apply_gradients([(tf.ones(3), b)])
    with pytest.raises(ValueError, match="Unknown variable"):
        optimizer.apply_gradients([(tf.ones(2), a), (None, b)])
    np.testing.assert_array_equal(b.numpy(), 1.0)
    built = keras.optimizers.SGD(0.5)
    built.build([a, b])
    built.apply_gradients([(tf.ones(3), b)])  # a subset of its variables is fine
    np.testing.assert_allclose(b.numpy(), 0.5)


def test_recompiling_with_the_same_optimizer_after_unfreezing_raises():
    x, y = np.ones((8, 3), "float32"), np.ones((8, 1), "float32")
    base = keras.layers.Dense(4)
    model = keras.Sequential([keras.Input((3,)), base, keras.layers.Dense(1)])
    base.trainable = False
    optimizer = keras.optimizers.Adam(0.01)
    model.compile(optimizer, "mse")
    model.fit(x, y, verbose=0)
    base.trainable = True
    model.compile(optimizer, "mse")
    with pytest.raises(ValueError, match="Unknown variable"):
        model.fit(x, y, verbose=0)
    model.compile(keras.optimizers.Adam(0.01), "mse")  # a new optimizer: the documented way
    model.fit(x, y, verbose=0)


@pytest.mark.parametrize("method", ["fit", "evaluate"])
def test_a_drop_remainder_dataset_fixes_the_built_batch_size(method):
    data = tf.data.Dataset.from_tensor_slices(
        (np.ones((10, 3), "float32"), np.ones((10, 1), "float32"))
    )
    model = keras.Sequential([keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    getattr(model, method)(data.batch(4, drop_remainder=True), verbose=0)
    assert model.input_shape == (4, 3) and model.output_shape == (4, 1)
    assert model.predict(np.ones((3, 3), "float32"), verbose=0).shape == (3, 1)
    model = keras.Sequential([keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    getattr(model, method)(data.batch(4), verbose=0)
    assert model.input_shape == (None, 3)


def test_metrics_variables_include_the_compiled_metrics():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse", metrics=["mae"])
    model.fit(np.ones((4, 3), "float32"), np.ones((4, 1), "float32"), verbose=0)
    assert [v.path for v in model.metrics_variables] == [
        "loss/total",
        "loss/count",
        "mean_absolute_error/total",
        "mean_absolute_error/count",
    ]
    assert float(model.metrics_variables[3].numpy()) == 4.0


class _Mixed(keras.layers.Layer):
    """A keras.Variable assigned in __init__, then weights made in build."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.offset = keras.Variable(np.full(2, 3.0, "float32"), name="offset")
        self.count = keras.Variable(np.zeros(2, "float32"), name="count", trainable=False)

    def build(self, input_shape):
        self.w = self.add_weight(shape=(2,), initializer="ones", name="w")
        self.stat = self.add_weight(shape=(2,), initializer="zeros", name="stat", trainable=False)

    def call(self, x):
        return x * self.w + self.offset


def test_weights_follow_keras_tracking_order():
    layer = _Mixed()
    layer.build((None, 2))
    assert [w.name for w in layer.weights] == ["offset", "w", "count", "stat"]
    assert [w.name for w in layer.trainable_weights] == ["offset", "w"]
    layer.w.trainable = False  # a variable frozen later keeps its place, as Keras 3
    assert [w.name for w in layer.weights] == ["offset", "w", "count", "stat"]
    assert [w.name for w in layer.trainable_weights] == ["offset"]
    assert [w.name for w in layer.non_trainable_weights] == ["w", "count", "stat"]


def test_weights_file_numbers_variables_in_tracking_order(tmp_path):
    h5py = pytest.importorskip("h5py")

    def make():
        inputs = keras.Input((2,))
        return keras.Model(inputs, _Mixed(name="mixed")(inputs))

    model = make()
    layer = model.layers[1]
    layer.stat.assign([5.0, 6.0])
    path = str(tmp_path / "m.weights.h5")
    model.save_weights(path)
    with h5py.File(path) as f:  # Keras 3's numbering: vars/0 is the first tracked
        stored = [f[f"layers/__mixed/vars/{i}"][()].tolist() for i in range(4)]
    assert stored == [[3.0, 3.0], [1.0, 1.0], [0.0, 0.0], [5.0, 6.0]]
    restored = make()
    restored.load_weights(path)
    np.testing.assert_array_equal(restored.layers[1].stat.numpy(), [5.0, 6.0])
    np.testing.assert_array_equal(restored.layers[1].offset.numpy(), [3.0, 3.0])


def test_variable_regularizer_and_frozen_weights_add_no_penalty():
    dense = keras.layers.Dense(
        2, kernel_initializer="ones", kernel_regularizer=keras.regularizers.L2(0.5)
    )
    dense.build((None, 3))
    assert isinstance(dense.kernel.regularizer, keras.regularizers.L2)
    assert dense.bias.regularizer is None
    np.testing.assert_allclose([float(v) for v in dense.losses], [0.5 * 6])
    dense.kernel.trainable = False
    assert dense.losses == []
    dense.kernel.trainable = True
    dense.trainable = False
    assert dense.losses == []
    dense.trainable = True
    dense.bias.regularizer = keras.regularizers.L1(1.0)  # set later: counted too
    dense.bias.assign([1.0, -2.0])
    np.testing.assert_allclose(sorted(float(v) for v in dense.losses), [3.0, 3.0])
    with pytest.raises(ValueError, match="Invalid value for attribute `regularizer`"):
        dense.bias.regularizer = "l2"


def test_a_frozen_regularized_layer_adds_nothing_to_the_fit_loss():
    dense = keras.layers.Dense(2, kernel_initializer="ones", kernel_regularizer="l2")
    model = keras.Sequential([keras.Input((3,)), dense])
    dense.trainable = False
    model.compile("sgd", "mse")
    zeros_x, zeros_y = np.zeros((4, 3), "float32"), np.zeros((4, 2), "float32")
    assert model.fit(zeros_x, zeros_y, verbose=0).history["loss"] == [0.0]
    dense.trainable = True
    model.compile("sgd", "mse")
    np.testing.assert_allclose(model.evaluate(zeros_x, zeros_y, verbose=0), 0.01 * 6, rtol=1e-5)
