"""keras.Variable, keras.config and the top-level Keras 3 names."""

import numpy as np
import pytest

import gpuflow as gf
import gpuflow.keras as keras


def test_variable_from_initializer_and_value():
    v = keras.Variable(keras.initializers.Ones(), shape=(2, 3), name="v")
    assert v.name == "v" and v.path == "v" and v.trainable
    np.testing.assert_array_equal(v.numpy(), np.ones((2, 3)))
    assert v.dtype == "float32"
    z = keras.Variable("zeros", shape=(2,), dtype="float16", trainable=False)
    assert z.dtype == "float16" and not z.trainable
    w = keras.Variable([[1.0, 2.0]])
    assert w.shape == (1, 2) and w.dtype == "float32"
    w.assign_add([[1.0, 1.0]])
    np.testing.assert_array_equal(w.value.numpy(), [[2.0, 3.0]])
    ints = keras.Variable(np.array([1, 2]))
    assert ints.dtype == "int64"
    assert isinstance(v, gf.Variable)


def test_variable_errors():
    with pytest.raises(ValueError, match="the `shape` argument should be specified"):
        keras.Variable(keras.initializers.Ones())
    with pytest.raises(ValueError, match="cannot contain character `/`"):
        keras.Variable([1.0], name="a/b")


def test_variable_trains_under_a_tape():
    v = keras.Variable(keras.initializers.Constant(3.0), shape=())
    with gf.GradientTape() as tape:
        loss = keras.ops.square(v.value)
    (grad,) = tape.gradient(loss, [v])
    assert float(grad) == 6.0
    keras.optimizers.SGD(0.5).apply_gradients([(grad, v)])
    assert float(v.numpy()) == 0.0


def test_config():
    assert keras.config.backend() == "tensorflow"
    assert keras.config.floatx() == "float32"
    assert keras.config.image_data_format() == "channels_last"
    old = keras.config.epsilon()
    try:
        keras.config.set_epsilon(1e-5)
        assert keras.backend.epsilon() == 1e-5
    finally:
        keras.config.set_epsilon(old)
    try:
        keras.config.set_floatx("float64")
        assert keras.ops.zeros((1,)).dtype == "float64"
    finally:
        keras.config.set_floatx("float32")
    try:
        keras.config.set_dtype_policy("mixed_float16")
        assert keras.config.dtype_policy().name == "mixed_float16"
        assert keras.layers.Dense(2).compute_dtype == "float16"
    finally:
        keras.config.set_dtype_policy("float32")
    keras.config.disable_traceback_filtering()
    assert not keras.config.is_traceback_filtering_enabled()
    keras.config.enable_traceback_filtering()
    assert keras.config.is_traceback_filtering_enabled()


def test_top_level_names():
    assert keras.Layer is keras.layers.Layer
    assert keras.Loss is keras.losses.Loss
    assert keras.Metric is keras.metrics.Metric
    assert keras.Optimizer is keras.optimizers.Optimizer
    assert keras.Initializer is keras.initializers.Initializer
    assert keras.Regularizer is keras.regularizers.Regularizer
    assert keras.InputSpec is keras.layers.InputSpec
    assert keras.KerasTensor is type(keras.Input((2,)))
    assert keras.constraints.MaxNorm.__name__ == "MaxNorm"


def test_backend_name_is_tensorflow_everywhere():
    # Keras 3 on TF: keras.backend.backend() and keras.config.backend() both say "tensorflow"
    assert keras.backend.backend() == keras.config.backend() == "tensorflow"


def test_a_keras_variable_has_no_truth_value_as_keras_3():
    import gpuflow as gf

    for value in (1.0, [[0.5]]):
        variable = gf.keras.Variable(value)
        with pytest.raises(TypeError, match="cannot be used as a boolean"):
            bool(variable)
    assert bool(gf.Variable([[0.5]])) is True  # tf.Variable keeps NumPy's rule
