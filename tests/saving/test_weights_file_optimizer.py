"""``load_weights("w.weights.h5")`` and the optimizer, as Keras 3's
``Optimizer.load_own_variables``: restored into an optimizer that has taken a step, skipped
with a warning for a fresh one."""

import numpy as np
import pytest

import gpuflow as tf


def _model():
    model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(2)])
    model.compile(optimizer="adam", loss="mse")
    return model


def _data():
    x = np.random.default_rng(0).normal(size=(16, 4)).astype("float32")
    return x, 2 * x[:, :2]


def test_a_stepped_optimizer_takes_the_saved_slots(tmp_path):
    x, y = _data()
    trained = _model()
    trained.fit(x, y, epochs=3, verbose=0)
    path = str(tmp_path / "w.weights.h5")
    trained.save_weights(path)
    resumed = _model()
    resumed.fit(x, y, epochs=1, verbose=0)  # its optimizer exists now
    resumed.load_weights(path)
    assert int(resumed.optimizer.iterations.numpy()) == 3
    for saved, loaded in zip(trained.optimizer.variables, resumed.optimizer.variables):
        np.testing.assert_array_equal(np.asarray(saved.numpy()), np.asarray(loaded.numpy()))


def test_a_fresh_optimizer_is_skipped_with_keras_warning(tmp_path):
    x, y = _data()
    trained = _model()
    trained.fit(x, y, epochs=2, verbose=0)
    path = str(tmp_path / "w.weights.h5")
    trained.save_weights(path)
    fresh = _model()
    with pytest.warns(UserWarning, match="Skipping variable loading for optimizer"):
        fresh.load_weights(path)
    assert int(fresh.optimizer.iterations.numpy()) == 0
    np.testing.assert_array_equal(fresh.predict(x, verbose=0), trained.predict(x, verbose=0))


def test_the_learning_rate_keeps_its_float64(tmp_path):
    import h5py

    previous = tf.keras.backend.floatx()
    tf.keras.backend.set_floatx("float64")
    try:

        def sgd_model():
            model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2)])
            model.compile(optimizer=tf.keras.optimizers.SGD(0.1), loss="mse")
            return model

        x = np.random.default_rng(1).normal(size=(8, 3))
        trained = sgd_model()
        trained.fit(x, x[:, :2], epochs=1, verbose=0)
        path = str(tmp_path / "w.weights.h5")
        trained.save_weights(path)
        with h5py.File(path) as h5:  # Keras 3 writes the rate variable in its dtype
            assert h5["optimizer/vars/1"].dtype == np.float64
        resumed = sgd_model()
        resumed.load_weights(path)  # plain SGD: as many variables, so they are restored
        assert float(resumed.optimizer.learning_rate.numpy()) == 0.1  # not 0.10000000149
    finally:
        tf.keras.backend.set_floatx(previous)
