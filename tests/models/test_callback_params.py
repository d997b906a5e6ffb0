"""``Callback.params`` as Keras 3 sets it: exactly verbose, epochs and steps."""

import numpy as np

import gpuflow as tf

keras = tf.keras


class Params(keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.seen = []

    def on_train_begin(self, logs=None):
        self.seen.append(("train", dict(self.params)))

    def on_test_begin(self, logs=None):
        self.seen.append(("test", dict(self.params)))

    def on_predict_begin(self, logs=None):
        self.seen.append(("predict", dict(self.params)))


def _model():
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    return model


def test_fit_params_are_keras_three_keys_in_keras_order():
    model, x, y = _model(), np.zeros((32, 3)), np.zeros((32, 1))
    history = model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    assert history.params == {"verbose": 0, "epochs": 2, "steps": 4}
    assert list(history.params) == ["verbose", "epochs", "steps"]
    rec = Params()
    model.fit(x, y, epochs=2, batch_size=8, validation_split=0.25, verbose=0, callbacks=[rec])
    expected = {"verbose": 0, "epochs": 2, "steps": 3}
    assert rec.seen == [("train", expected), ("test", expected), ("test", expected)]


def test_auto_verbose_stays_auto_in_params(capsys):
    history = _model().fit(np.zeros((4, 3)), np.zeros((4, 1)), epochs=1)
    assert history.params == {"verbose": "auto", "epochs": 1, "steps": 1}
    assert "1/1" in capsys.readouterr().out  # the bar still draws ("auto" is 1)


def test_evaluate_and_predict_params_have_one_epoch():
    model, x, y = _model(), np.zeros((32, 3)), np.zeros((32, 1))
    rec = Params()
    model.evaluate(x, y, batch_size=5, verbose=0, callbacks=[rec])
    model.predict(x, verbose=0, callbacks=[rec])
    assert rec.seen == [
        ("test", {"verbose": 0, "epochs": 1, "steps": 7}),
        ("predict", {"verbose": 0, "epochs": 1, "steps": 1}),
    ]


def test_evaluate_draws_its_bar_but_fit_validation_does_not(capsys):
    model, x, y = _model(), np.zeros((8, 3)), np.zeros((8, 1))
    model.evaluate(x, y, batch_size=4, verbose=1)
    assert "2/2" in capsys.readouterr().out
    model.fit(x, y, batch_size=4, epochs=1, validation_data=(x[:3], y[:3]), verbose=1)
    out = capsys.readouterr().out
    assert "2/2" in out and "1/1" not in out and "val_loss" in out
