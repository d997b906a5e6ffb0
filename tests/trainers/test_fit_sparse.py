"""fit / evaluate / predict on a gpuflow.sparse.SparseTensor x: batched by take_rows."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf
from gpuflow import keras

RNG = np.random.default_rng(0)
DENSE = ((RNG.random((64, 10)) < 0.2) * RNG.normal(size=(64, 10))).astype("float32")
Y = DENSE.sum(1, keepdims=True)


def _sparse(dense):
    return gf.sparse.SparseTensor(np.argwhere(dense), dense[dense != 0], dense.shape)


def _model():
    gf.random.set_seed(0)
    model = keras.Sequential([keras.Input((10,)), keras.layers.Dense(1)])
    model.compile(keras.optimizers.SGD(0.1), "mse")
    return model


def test_fit_on_a_sparse_tensor_matches_the_dense_array(device):
    with gf.device(device):
        sparse, dense = _model(), _model()
        got = sparse.fit(_sparse(DENSE), Y, batch_size=16, epochs=3, shuffle=False, verbose=0)
        want = dense.fit(DENSE, Y, batch_size=16, epochs=3, shuffle=False, verbose=0)
    np.testing.assert_allclose(got.history["loss"], want.history["loss"], rtol=1e-5)
    for a, b in zip(sparse.weights, dense.weights):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(
        sparse.predict(_sparse(DENSE), batch_size=10, verbose=0),
        dense.predict(DENSE, verbose=0),
        rtol=1e-5,
        atol=1e-6,
    )
    assert sparse.evaluate(_sparse(DENSE), Y, verbose=0) == pytest.approx(
        dense.evaluate(DENSE, Y, verbose=0), rel=1e-5
    )


def test_shuffle_validation_split_and_single_batches_take_sparse_rows():
    model = _model()
    history = model.fit(_sparse(DENSE), Y, batch_size=8, epochs=2, validation_split=0.25, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert "val_loss" in history.history
    loss = model.train_on_batch(_sparse(DENSE[:8]), Y[:8])
    assert np.isfinite(loss)
    assert model.predict_on_batch(_sparse(DENSE[:5])).shape == (5, 1)


def test_sparse_x_and_y_of_different_lengths_are_refused():
    with pytest.raises(ValueError, match="different lengths"):
        _model().fit(_sparse(DENSE), Y[:10], verbose=0)
