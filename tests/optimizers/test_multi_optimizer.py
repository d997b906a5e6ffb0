"""keras.optimizers.MultiOptimizer and OptimizerMap: routing by path pattern or function,
each sub-optimizer's own rule, iterations, fit, state through .keras (Keras' layout: read
from a file Keras 3 wrote is covered by the layout check) and gpuflow files, errors."""

import numpy as np
import pytest

import gpuflow as tf

opts = tf.keras.optimizers


def _model():
    inp = tf.keras.Input((4,))
    hidden = tf.keras.layers.Dense(8, name="encoder")(inp)
    return tf.keras.Model(inp, tf.keras.layers.Dense(1, name="head")(hidden))


def test_optimizer_map_lookup_and_errors():
    sgd, adam, rms = opts.SGD(), opts.Adam(), opts.RMSprop()
    mapping = opts.OptimizerMap(default_optimizer=rms)
    mapping["encoder/layer_0/dense"] = adam
    mapping["encoder/.*"] = sgd
    mapping["decoder"] = adam
    assert mapping["decoder"] is adam and mapping["encoder/layer_0/dense"] is adam
    assert mapping["encoder/layer_0/attention/query"] is sgd
    assert mapping["decoder/layer_0/dense"] is rms and len(mapping) == 3
    with pytest.raises(ValueError, match="already exists in the OptimizerMap"):
        mapping["decoder"] = sgd
    with pytest.raises(ValueError, match="cannot be LossScaleOptimizer"):
        mapping["x"] = opts.LossScaleOptimizer(opts.SGD())
    with pytest.raises(TypeError, match="default_optimizer must be a Keras Optimizer"):
        opts.OptimizerMap("sgd")
    mapping["enc.*"] = adam
    with pytest.raises(ValueError, match="multiple optimizers assigned"):
        mapping["encoder/kernel"]  # noqa: B018


def test_each_variable_takes_its_optimizers_step():
    model = _model()
    start = [w.numpy().copy() for w in model.weights]
    sgd, adam = opts.SGD(0.1), opts.Adam(0.01)
    multi = opts.MultiOptimizer(opts.OptimizerMap(sgd, {"encoder/.*": adam}))
    grads = [np.ones_like(w) for w in start]
    multi.apply_gradients(zip([tf.constant(g) for g in grads], model.weights))
    after = [w.numpy() for w in model.weights]
    np.testing.assert_allclose(after[0], start[0] - 0.01, atol=1e-6)  # Adam's first step
    np.testing.assert_allclose(after[2], start[2] - 0.1, atol=1e-6)  # SGD's
    assert int(multi.iterations) == int(adam.iterations) == int(sgd.iterations) == 1
    assert multi.optimizers == [adam, sgd]
    with pytest.raises(AttributeError, match="cannot be accessed on a MultiOptimizer"):
        multi.learning_rate  # noqa: B018
    with pytest.raises(AttributeError, match="cannot be set on a MultiOptimizer"):
        multi.learning_rate = 0.1
    chosen = opts.MultiOptimizer(lambda v: adam if "head" in v.path else sgd)
    chosen.apply_gradients(zip([tf.constant(g) for g in grads], model.weights))
    assert int(adam.iterations) == 2 and chosen.optimizers == [sgd, adam]


@pytest.mark.parametrize("suffix", [".keras", ".gpuflow"])
def test_fit_save_and_load(suffix, tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(64, 4)).astype("float32")
    y = x @ rng.normal(size=(4, 1)).astype("float32")
    model = _model()
    model.compile(
        optimizer=opts.MultiOptimizer(
            opts.OptimizerMap(opts.SGD(0.05), {"encoder/.*": opts.Adam(0.01)})
        ),
        loss="mse",
    )
    history = model.fit(x, y, epochs=4, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    path = tmp_path / f"m{suffix}"
    model.save(path)
    loaded = tf.keras.models.load_model(path)
    optimizer = loaded.optimizer
    assert isinstance(optimizer, opts.MultiOptimizer) and int(optimizer.iterations) == 16
    assert [type(o).__name__ for o in optimizer.optimizers] == ["Adam", "SGD"]
    assert [int(o.iterations) for o in optimizer.optimizers] == [16, 16]
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-5)
    # the restored Adam state continues the run exactly
    model.fit(x, y, epochs=1, batch_size=16, shuffle=False, verbose=0)
    loaded.fit(x, y, epochs=1, batch_size=16, shuffle=False, verbose=0)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-4)


def test_keras_file_layout(tmp_path):
    import zipfile

    import h5py

    model = _model()
    model.compile(
        optimizer=opts.MultiOptimizer(opts.OptimizerMap(opts.SGD(), {"encoder/.*": opts.Adam()})),
        loss="mse",
    )
    model.fit(np.ones((4, 4)), np.ones((4, 1)), verbose=0)
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as archive:
        archive.extract("model.weights.h5", tmp_path)
    with h5py.File(tmp_path / "model.weights.h5") as h5:
        # as Keras 3: own iterations and rate, then Adam's (iterations, rate, m and v of the
        # encoder's two weights), then SGD's (iterations, rate)
        assert len(h5["optimizer/vars"]) == 2 + 6 + 2
        assert sorted(h5["optimizer/optimizers"]) == ["adam", "sgd"]
        assert h5["optimizer/vars/4"].shape == (4, 8)
