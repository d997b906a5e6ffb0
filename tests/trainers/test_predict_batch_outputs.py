"""predict joins a batch's outputs into NumPy for on_predict_batch_end only when a callback
reads them (each join is a device-to-host copy on a GPU)."""

import numpy as np

import gpuflow as gf
from gpuflow.trainers import trainer


def _model():
    model = gf.keras.Sequential([gf.keras.Input((3,)), gf.keras.layers.Dense(2)])
    model.compile(loss="mse")
    return model


def _counting_joins(monkeypatch) -> list:
    calls = []
    original = trainer._joined

    def counted(batches):
        calls.append(len(batches))
        return original(batches)

    monkeypatch.setattr(trainer, "_joined", counted)
    return calls


def test_no_listening_callback_means_no_per_batch_join(monkeypatch):
    calls = _counting_joins(monkeypatch)
    out = _model().predict(np.ones((10, 3), np.float32), batch_size=4, verbose=0)
    assert out.shape == (10, 2)
    assert calls == []


def test_a_listening_callback_gets_each_batch_as_numpy(monkeypatch):
    calls = _counting_joins(monkeypatch)
    seen = []

    class Outputs(gf.keras.callbacks.Callback):
        def on_predict_batch_end(self, batch, logs=None):
            seen.append((batch, type(logs["outputs"]), logs["outputs"].shape))

    model = _model()
    x = np.arange(30, dtype=np.float32).reshape(10, 3)
    out = model.predict(x, batch_size=4, verbose=0, callbacks=[Outputs()])
    assert calls == [1, 1, 1]
    assert seen == [(0, np.ndarray, (4, 2)), (1, np.ndarray, (4, 2)), (2, np.ndarray, (2, 2))]
    np.testing.assert_allclose(out, model(x).numpy(), rtol=1e-6)
