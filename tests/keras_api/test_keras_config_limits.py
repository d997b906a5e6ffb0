"""keras.config: the fit/evaluate/predict caps (set_max_epochs, set_max_steps_per_epoch),
flash attention and interactive logging flags, set_backend and is_nnx_enabled."""

import numpy as np
import pytest

import gpuflow.keras as keras
from gpuflow.keras import config


@pytest.fixture
def caps():
    yield
    config.set_max_epochs(None)
    config.set_max_steps_per_epoch(None)


class Record(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.seen = []

    def on_train_batch_end(self, batch, logs=None):
        self.seen.append(("train", batch))

    def on_epoch_end(self, epoch, logs=None):
        self.seen.append(("epoch", epoch))

    def on_test_batch_end(self, batch, logs=None):
        self.seen.append(("test", batch))

    def on_predict_batch_end(self, batch, logs=None):
        self.seen.append(("predict", batch))


def _model():
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    return model


def test_caps_limit_fit_evaluate_and_predict(caps):
    assert config.max_epochs() is None and config.max_steps_per_epoch() is None
    config.set_max_epochs(2)
    config.set_max_steps_per_epoch(3)
    assert config.max_epochs() == 2 and config.max_steps_per_epoch() == 3
    model, rec = _model(), Record()
    x, y = np.ones((40, 4), np.float32), np.ones((40, 1), np.float32)
    with (
        pytest.warns(UserWarning, match="Limiting epochs to 2"),
        pytest.warns(UserWarning, match="Limiting steps_per_epoch to 3"),
    ):
        history = model.fit(x, y, batch_size=4, epochs=5, verbose=0, callbacks=[rec])
    assert len(history.history["loss"]) == 2 and history.params["epochs"] == 2
    assert rec.seen == [("train", 0), ("train", 1), ("train", 2), ("epoch", 0)] + [
        ("train", 0),
        ("train", 1),
        ("train", 2),
        ("epoch", 1),
    ]
    rec.seen.clear()
    with pytest.warns(UserWarning, match="Limiting steps_per_epoch to 3"):
        model.evaluate(x, y, batch_size=4, verbose=0, callbacks=[rec])
    assert rec.seen == [("test", 0), ("test", 1), ("test", 2)]
    with pytest.warns(UserWarning, match="Limiting steps_per_epoch to 3"):
        assert model.predict(x, batch_size=4, verbose=0).shape == (12, 1)
    # A smaller steps_per_epoch of the call stays.
    history = model.fit(x, y, batch_size=4, epochs=1, steps_per_epoch=2, verbose=0)
    assert history.params["steps"] == 2


def test_no_cap_and_bad_values(caps):
    config.set_max_epochs(None)
    history = _model().fit(np.ones((8, 4)), np.ones((8, 1)), epochs=3, verbose=0)
    assert len(history.history["loss"]) == 3
    with pytest.raises(TypeError, match="set_max_epochs: expected a non-negative int"):
        config.set_max_epochs(1.5)
    with pytest.raises(TypeError, match="set_max_steps_per_epoch"):
        config.set_max_steps_per_epoch("3")


def test_flags_and_backend():
    assert config.is_flash_attention_enabled() is None
    config.disable_flash_attention()
    assert config.is_flash_attention_enabled() is False
    config.enable_flash_attention()
    assert config.is_flash_attention_enabled() is None
    config.disable_interactive_logging()
    assert config.is_interactive_logging_enabled() is False
    config.enable_interactive_logging()
    assert config.is_interactive_logging_enabled() is True
    assert config.is_nnx_enabled() is False
    config.set_backend("tensorflow")
    assert config.backend() == "tensorflow"
    with pytest.raises(ValueError, match="set_backend: gpuflow runs Keras code as the"):
        config.set_backend("jax")
