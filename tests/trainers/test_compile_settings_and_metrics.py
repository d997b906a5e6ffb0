"""compile()'s kept settings (jit_compile, steps_per_execution), compile_from_config, and
metrics tracked by sub-layers, as Keras 3."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf

keras = gf.keras


class Tracking(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.mean = keras.metrics.Mean(name="inner_mean")

    def call(self, x):
        self.mean.update_state(x)
        return x


def _model():
    inp = keras.Input((2,))
    return keras.Model(inp, keras.layers.Dense(1)(Tracking()(inp)))


def test_compile_keeps_jit_compile_and_steps_per_execution():
    model = _model()
    assert (model.jit_compile, model.steps_per_execution) == (False, 1)
    model.compile("sgd", "mse", jit_compile=True, steps_per_execution=3)
    assert (model.jit_compile, model.steps_per_execution) == (True, 3)
    config = model.get_compile_config()
    assert (config["jit_compile"], config["steps_per_execution"], config["run_eagerly"]) == (
        True,
        3,
        False,
    )
    model.compile("sgd", "mse")  # "auto"
    assert model.jit_compile is False
    with pytest.warns(UserWarning, match="`jit_compile` cannot also be True"):
        model.compile("sgd", "mse", run_eagerly=True, jit_compile=True)
    assert model.jit_compile is False and model.run_eagerly


def test_compile_from_config_rebuilds_compile():
    model = _model()
    model.compile(keras.optimizers.Adam(0.01), "mse", metrics=["mae"], steps_per_execution=2)
    other = _model()
    other.compile_from_config(model.get_compile_config())
    assert type(other.optimizer).__name__ == "Adam"
    np.testing.assert_allclose(float(other.optimizer.learning_rate), 0.01, rtol=1e-6)
    assert other.loss == "mse" and other.steps_per_execution == 2
    logs = other.evaluate(np.ones((4, 2)), np.ones((4, 1)), verbose=0, return_dict=True)
    assert "mae" in logs


def test_compile_from_config_leaves_a_custom_compile_alone():
    class Custom(keras.Model):
        def compile(self, *args, **kwargs):
            raise AssertionError("not to be called")

    inp = keras.Input((2,))
    model = Custom(inp, keras.layers.Dense(1)(inp))
    with pytest.warns(UserWarning, match="`compile\\(\\)` method is custom"):
        model.compile_from_config({"optimizer": "sgd", "loss": "mse"})


def test_sub_layer_metrics_are_reported_and_reset_by_fit_and_evaluate():
    model = _model()
    model.compile("sgd", "mse")
    assert [m.name for m in model.metrics] == ["loss", "inner_mean"]
    history = model.fit(np.full((4, 2), 2.0), np.ones((4, 1)), verbose=0)
    assert history.history["inner_mean"] == [2.0]
    logs = model.evaluate(np.ones((4, 2)), np.ones((4, 1)), verbose=0, return_dict=True)
    assert logs["inner_mean"] == 1.0  # reset at the start of evaluate


def test_layer_metrics_variables_and_add_metric():
    layer = Tracking()
    assert [m.name for m in layer.metrics] == ["inner_mean"]
    layer(gf.constant([[1.0, 3.0]]))
    assert [float(v) for v in layer.metrics_variables] == [2.0, 1.0]  # total, count (of rows)
    assert keras.layers.Dense(1).metrics == []
    with pytest.raises(NotImplementedError, match="add_metric\\(\\)` method is deprecated"):
        layer.add_metric(1.0)


def test_a_recompile_without_metrics_or_loss_keeps_the_previous_ones():
    # Keras 3: compile() replaces the loss only when one is given, and the metrics only
    # when metrics or weighted_metrics are given (the keras.io guide recompiles
    # multi-output models this way and still sees the first compile's metrics)
    inp = keras.Input((3,))
    model = keras.Model(inp, keras.layers.Dense(2)(inp))
    x, y = np.ones((8, 3), "float32"), np.zeros((8, 2), "float32")
    model.compile("sgd", "mse", metrics=["mae"])
    model.compile("adam")
    assert model.loss == "mse"
    history = model.fit(x, y, verbose=0)
    assert sorted(history.history) == ["loss", "mae"]
    assert isinstance(model.optimizer, keras.optimizers.Adam)
    model.compile("sgd", loss="mae")
    assert sorted(model.fit(x, y, verbose=0).history) == ["loss", "mae"]
    assert model.evaluate(x, y, verbose=0)[0] == pytest.approx(model.evaluate(x, y, verbose=0)[1])
    model.compile("sgd", "mse", metrics=[])  # an empty list does replace them
    assert sorted(model.fit(x, y, verbose=0).history) == ["loss"]
    fresh = keras.Model(inp, keras.layers.Dense(2)(inp))
    fresh.compile("sgd")  # a first compile without loss has none
    assert fresh.loss is None


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"loss": "nope"}, "Could not interpret loss identifier: nope"),
        ({"loss": ["nope"]}, "Could not interpret loss identifier: nope"),
        ({"loss": 3}, "Could not interpret loss identifier: 3"),
        ({"loss": "mse", "metrics": ["nope"]}, "Could not interpret metric identifier: nope"),
    ],
)
def test_unknown_loss_or_metric_fails_at_fit_not_compile(kwargs, message):
    # Keras 3 resolves compile()'s losses and metrics when first used: compile() and
    # predict() work, fit() and evaluate() raise ValueError.
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile("sgd", **kwargs)
    assert model.predict(np.ones((4, 2)), verbose=0).shape == (4, 1)
    with pytest.raises(ValueError, match=message):
        model.fit(np.ones((4, 2)), np.ones((4, 1)), verbose=0)
    with pytest.raises(ValueError, match=message):
        model.evaluate(np.ones((4, 2)), np.ones((4, 1)), verbose=0)
