"""Input(sparse=True): functional models that take SparseTensor batches into Dense."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf


def _sparse_rows():
    return tf.sparse.SparseTensor(
        indices=[[0, 0], [0, 2], [2, 1], [3, 3]], values=[1, 2, 3, 4], dense_shape=[4, 4]
    )


def _model():
    x = tf.keras.Input(shape=(4,), sparse=True)
    y = tf.keras.layers.Dense(2, kernel_initializer="ones", bias_initializer="zeros")(x)
    return x, tf.keras.Model(x, y)


def test_sparse_input_is_a_sparse_symbol_and_dense_outputs_are_dense():
    x, model = _model()
    assert x.sparse and not x.ragged and x.dtype == "float32"
    assert not model.outputs[0].sparse
    assert model.layers[0].get_config()["sparse"] is True
    with pytest.raises(ValueError, match="both sparse and ragged"):
        tf.keras.Input(shape=(4,), sparse=True, ragged=True)


def test_model_call_and_predict_multiply_sparse_rows():
    _, model = _model()
    sp = _sparse_rows()  # int32 values: cast to the input's float32, as Keras
    expected = tf.sparse.to_dense(sp).numpy().astype(np.float32).sum(1, keepdims=True)
    out = model(sp)
    assert out.dtype == tf.float32
    np.testing.assert_allclose(out.numpy(), np.repeat(expected, 2, axis=1))
    np.testing.assert_allclose(model.predict(sp, verbose=0), out.numpy())
    # a dense batch goes through the same model
    np.testing.assert_allclose(model(tf.ones((1, 4))).numpy(), [[4.0, 4.0]])


def test_sparse_input_trains_and_rebuilds_from_config():
    _, model = _model()
    model.compile(optimizer="sgd", loss="mse")
    before = model.layers[1].kernel.numpy().copy()
    model.fit(_sparse_rows(), np.zeros((4, 2), "float32"), batch_size=2, epochs=1, verbose=0)
    after = model.layers[1].kernel.numpy()
    assert not np.allclose(before, after)  # the sparse matmul's gradient reached the kernel
    ds = tf.data.Dataset.from_tensor_slices((_sparse_rows(), np.zeros((4, 2), "float32")))
    assert np.isfinite(model.evaluate(ds.batch(3), verbose=0))
    clone = tf.keras.Model.from_config(model.get_config())
    assert clone.inputs[0].sparse


def test_sparse_batch_into_dense_input_is_densified_and_shapes_are_checked():
    x = tf.keras.Input(shape=(4,))
    model = tf.keras.Model(x, tf.keras.layers.Dense(1, kernel_initializer="ones")(x))
    np.testing.assert_allclose(model(_sparse_rows()).numpy(), [[3.0], [0.0], [3.0], [4.0]])
    _, sparse_model = _model()
    wrong = tf.sparse.SparseTensor([[0, 4]], [1.0], [1, 5])
    with pytest.raises(ValueError, match=r"expected shape=\(None, 4\), found shape=\(1, 5\)"):
        sparse_model(wrong)
