"""LazyLogs and pythonify_logs: device values become Python floats, read once, on demand."""

from __future__ import annotations

import warnings

import numpy as np

import gpuflow
from gpuflow.trainers.logs import LazyLogs, pythonify_logs


def test_pythonify_flattens_and_converts():
    logs = pythonify_logs(
        {
            "loss": gpuflow.constant(0.5),
            "acc": np.float32(0.25),
            "compile_metrics": {"mae": np.array(1.5)},
            "name": "x",
            "vector": np.array([1.0, 2.0]),
        }
    )
    assert logs == {"loss": 0.5, "acc": 0.25, "mae": 1.5, "name": "x", "vector": logs["vector"]}
    assert all(type(logs[k]) is float for k in ("loss", "acc", "mae"))
    np.testing.assert_array_equal(logs["vector"], [1.0, 2.0])


def test_lazy_logs_read_once_when_first_used():
    reads = []

    def read():
        reads.append(1)
        return {"loss": np.float64(0.75)}

    logs = LazyLogs(read)
    assert reads == [] and logs.reads(read)
    assert logs["loss"] == 0.75 and dict(logs) == {"loss": 0.75} and len(logs) == 1
    assert reads == [1] and not logs.reads(read)
    logs["extra"] = 1.0  # a step override may add to what the default step returned
    assert set(logs) == {"loss", "extra"}


def test_keys_set_before_the_read_do_not_read_and_follow_a_compiled_step():
    """A compute_metrics override that adds (or drops) a key inside the compiled step
    leaves the metrics unread; each replay reports the step's current values."""
    from gpuflow import keras

    class Extra(keras.Model):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.mean_pred = keras.metrics.Mean(name="mean_pred")

        def compute_metrics(self, x, y, y_pred, sample_weight=None):
            logs = super().compute_metrics(x, y, y_pred, sample_weight)
            self.mean_pred.update_state(keras.ops.mean(y_pred))
            logs["mean_pred"] = self.mean_pred.result()
            del logs["mae"]
            return logs

    x = np.arange(24, dtype="float32").reshape(8, 3) / 24
    results = []
    for eager in (True, False):
        inp = keras.Input((3,))
        model = Extra(inp, keras.layers.Dense(1, kernel_initializer="ones")(inp))
        model.compile(optimizer="sgd", loss="mse", metrics=["mae"], run_eagerly=eager)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # the step compiles
            history = model.fit(x, x[:, :1], batch_size=2, epochs=2, shuffle=False, verbose=0)
            results.append(history.history)
    assert set(results[1]) == {"loss", "mean_pred"}
    for key in results[0]:
        np.testing.assert_allclose(results[1][key], results[0][key], rtol=1e-6)


def test_setting_and_deleting_before_the_read_applies_over_the_read():
    reads = []

    def read():
        reads.append(1)
        return {"loss": np.float32(1.0), "acc": np.float32(0.5)}

    logs = LazyLogs(read)
    logs["extra"] = gpuflow.constant(2.0)
    del logs["acc"]
    assert reads == []
    assert dict(logs) == {"extra": 2.0, "loss": 1.0} and reads == [1]
    assert not LazyLogs(read, {"x": 1.0}).reads(read) and LazyLogs(read).reads(read)


def test_a_compiled_step_reads_the_metrics_its_trace_saw_without_walking_the_layers(
    monkeypatch,
):
    """A compiled train_step called directly returns logs of the current values from the
    metrics list of its trace (as a TensorFlow graph captures it): no walk of the model's
    layers per step, the same values as eager."""
    from gpuflow import keras
    from gpuflow.graph import compile_step
    from gpuflow.layers.base import Layer

    x = np.arange(24, dtype="float32").reshape(8, 3) / 24
    y = x[:, :1] * 2
    logs_of = {}
    for eager in (True, False):
        keras.utils.set_random_seed(1)
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2), keras.layers.Dense(1)])
        model.compile(optimizer="sgd", loss="mse", metrics=["mae"])
        step = model.train_step if eager else compile_step(model.train_step)
        batch = (gpuflow.constant(x), gpuflow.constant(y))
        dict(step(batch))  # the trace
        walks = []
        flatten = Layer._flatten_layers
        monkeypatch.setattr(
            Layer,
            "_flatten_layers",
            lambda self, *a, **k: walks.append(1) or flatten(self, *a, **k),
        )
        logs_of[eager] = [dict(step(batch)) for _ in range(3)]
        monkeypatch.setattr(Layer, "_flatten_layers", flatten)
        if not eager:
            assert walks == []
    assert logs_of[False][0]["loss"] > logs_of[False][2]["loss"]  # each replay's values
    for got, want in zip(logs_of[False], logs_of[True]):
        assert set(got) == {"loss", "mae"}
        for key in want:
            np.testing.assert_allclose(got[key], want[key], rtol=1e-5)


def test_a_subclass_get_metrics_result_is_still_called_by_a_compiled_step():
    from gpuflow import keras
    from gpuflow.graph import compile_step

    class Custom(keras.Sequential):
        def get_metrics_result(self):
            return {"custom": 7.0, **super().get_metrics_result()}

    model = Custom([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    step = compile_step(model.train_step)
    batch = (
        gpuflow.constant(np.ones((4, 2), "float32")),
        gpuflow.constant(np.ones((4, 1), "float32")),
    )
    for _ in range(2):
        logs = dict(step(batch))
        assert logs["custom"] == 7.0 and set(logs) == {"custom", "loss"}
