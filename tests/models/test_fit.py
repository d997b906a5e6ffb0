"""fit / evaluate / predict / train_on_batch behaviour, outputs and progress display."""

from __future__ import annotations

import re

import numpy as np
import pytest
from model_factory import mlp

import gpuflow


def compiled(**kwargs):
    model = mlp(**kwargs)
    model.compile(
        optimizer=gpuflow.keras.optimizers.Adam(0.01),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def test_fit_learns_and_reports_history(blobs):
    x, y = blobs
    model = compiled()
    history = model.fit(x, y, epochs=4, batch_size=32, verbose=0, validation_split=0.25)
    h = history.history
    assert set(h) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert all(len(v) == 4 for v in h.values())
    assert h["loss"][-1] < h["loss"][0]
    assert h["accuracy"][-1] > 0.9 and h["val_accuracy"][-1] > 0.9
    assert history.epoch == [0, 1, 2, 3]
    assert model.history is history


def test_validation_split_takes_the_last_samples_before_shuffling(blobs):
    x, y = blobs
    model = compiled()
    model.fit(x, y, epochs=1, verbose=0, validation_split=0.25)
    val_loss_via_split = model.history.history["val_loss"][0]
    loss = model.evaluate(x[300:], y[300:], verbose=0)[0]
    assert val_loss_via_split == pytest.approx(loss, rel=1e-5)


def test_validation_data_and_initial_epoch(blobs):
    x, y = blobs
    model = compiled()
    history = model.fit(
        x, y, epochs=3, initial_epoch=1, verbose=0, validation_data=(x[:50], y[:50])
    )
    assert history.epoch == [1, 2]
    assert len(history.history["val_loss"]) == 2


def test_evaluate_predict_and_batch_methods(blobs):
    x, y = blobs
    model = compiled()
    model.fit(x, y, epochs=2, verbose=0)
    loss, acc = model.evaluate(x, y, verbose=0)
    as_dict = model.evaluate(x, y, verbose=0, return_dict=True)
    assert as_dict == {"loss": pytest.approx(loss), "accuracy": pytest.approx(acc)}
    probs = model.predict(x, batch_size=64, verbose=0)
    assert probs.shape == (400, 4) and probs.dtype == np.float32
    np.testing.assert_allclose(probs.sum(axis=1), 1, rtol=1e-5)
    np.testing.assert_allclose(model.predict_on_batch(x[:7]), probs[:7], rtol=1e-5, atol=1e-6)
    assert acc == pytest.approx(np.mean(probs.argmax(1) == y))
    before = model.get_weights()
    out = model.train_on_batch(x[:32], y[:32])
    assert isinstance(out, list) and len(out) == 2
    assert any(not np.array_equal(a, b) for a, b in zip(before, model.get_weights()))
    assert isinstance(model.test_on_batch(x[:32], y[:32]), list)


def test_shuffle_false_and_seed_make_runs_identical(blobs):
    x, y = blobs

    def run(shuffle):
        gpuflow.random.set_seed(3)
        model = compiled()
        return model.fit(x, y, epochs=2, verbose=0, shuffle=shuffle).history["loss"]

    assert run(False) == run(False)
    assert run(True) == run(True)


def test_progress_bar_one_line_per_epoch_when_not_a_terminal(blobs, capsys):
    x, y = blobs
    model = compiled()
    model.fit(x, y, epochs=2, batch_size=100, verbose=1)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Epoch 1/2" and lines[2] == "Epoch 2/2"
    assert lines[1].startswith("4/4 ━━━━━━━━━━━━━━━━━━━━ ")  # Keras 3's bar, no colours in logs
    assert "\x1b" not in lines[1]
    assert "/step - accuracy: " in lines[1] and " - loss: " in lines[1]  # sorted, as Keras 3
    assert len(lines) == 4


def test_verbose_2_prints_summary_lines_and_0_nothing(blobs, capsys):
    x, y = blobs
    model = compiled()
    model.fit(x, y, epochs=1, batch_size=100, verbose=2)
    out = capsys.readouterr().out.splitlines()
    # as Keras 3, a one-epoch fit has no "Epoch 1/1" header line
    assert len(out) == 1 and out[0].startswith("4/4 - ") and "[" not in out[0]
    # Keras 3's line: whole seconds, then the time per step, then the logs
    assert re.fullmatch(
        r"4/4 - \d+s - \d+(us|ms|s)/step - accuracy: \d\.\d{4} - loss: \d\.\d{4}", out[0]
    ), out[0]
    model.fit(x, y, epochs=2, initial_epoch=1, batch_size=100, verbose=2)
    assert capsys.readouterr().out.splitlines()[0] == "Epoch 2/2"
    model.fit(x, y, epochs=1, verbose=0)
    assert capsys.readouterr().out == ""


def test_progress_bar_redraws_in_place_on_a_terminal():
    import io

    class Tty(io.StringIO):
        def isatty(self):
            return True

    stream = Tty()
    bar = gpuflow.callbacks.Progbar(3, stream=stream, interval=0)
    for step in (1, 2, 3):
        bar.update(step, {"loss": 0.5})
    text = stream.getvalue()
    assert text.count("\r") == 3 and text.endswith("\n")
    # Keras 3's bar in its colours: the done part green, the rest white
    assert "\x1b[1m1/3\x1b[0m \x1b[32m━━━━━━\x1b[0m\x1b[37m━━━━━━━━━━━━━━\x1b[0m" in text
    assert "\x1b[1m3/3\x1b[0m \x1b[32m" + "━" * 20 in text


def test_progress_bar_time_left_and_unknown_target():
    import io

    from gpuflow.callbacks.progbar import _format_eta

    assert [_format_eta(s) for s in (0.4, 7.9, 65.2, 7384.0)] == ["0s", "7s", "1:05", "2:03:04"]
    stream = io.StringIO()
    bar = gpuflow.callbacks.Progbar(None, stream=stream, interval=0)
    bar.update(3, [("loss", 0.25)], finalize=True)
    assert re.fullmatch(
        r"      3/Unknown \d+s \d+(us|ms|s)/step - loss: 0\.2500\n", stream.getvalue()
    )


def test_summary_lists_layers_shapes_params_and_sizes(capsys):
    model = mlp(units=512, classes=10, features=784)
    model.summary()
    out = capsys.readouterr().out
    assert "dense (Dense)" in out or "Dense)" in out
    assert "(None, 512)" in out and "(None, 10)" in out
    assert "401,920" in out and "5,130" in out
    assert " Total params: 407,050 (1.55 MB)" in out  # Keras 3's form, with the size
    assert out.startswith('Model: "') and "┃ Layer (type)" in out and "Param # ┃" in out


def test_subclassed_model_trains(blobs):
    x, y = blobs

    class TwoLayer(gpuflow.Model):
        def __init__(self):
            super().__init__()
            self.hidden = gpuflow.keras.layers.Dense(16, activation="relu")
            self.out = gpuflow.keras.layers.Dense(4)

        def call(self, inputs):
            return self.out(self.hidden(inputs))

    model = TwoLayer()
    model.compile(
        optimizer=gpuflow.keras.optimizers.Adam(0.01),
        loss=gpuflow.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    history = model.fit(x, y, epochs=3, verbose=0)
    assert history.history["accuracy"][-1] > 0.8
    assert len(model.trainable_variables) == 4
    assert [layer.name for layer in model.layers] == [model.hidden.name, model.out.name]


def test_custom_training_loop_with_gradient_tape(blobs):
    x, y = blobs
    model = mlp()
    loss_fn = gpuflow.keras.losses.SparseCategoricalCrossentropy()
    optimizer = gpuflow.keras.optimizers.SGD(learning_rate=0.1)
    losses = []
    for step in range(30):
        xb, yb = x[step * 10 % 400 :][:32], y[step * 10 % 400 :][:32]
        with gpuflow.GradientTape() as tape:
            loss = loss_fn(yb, model(xb, training=True))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        losses.append(float(loss))
    assert np.mean(losses[-5:]) < np.mean(losses[:5])


@pytest.mark.parametrize("dtype", ["float16", "float64"])
def test_fit_in_other_float_types(blobs, dtype):
    x, y = blobs
    gpuflow.config.set_floatx(dtype)
    model = mlp()
    model.compile(
        optimizer=gpuflow.keras.optimizers.SGD(0.05, momentum=0.9),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    history = model.fit(x, y, epochs=3, verbose=0)
    assert all(w.dtype == dtype for w in model.weights)
    assert model.predict(x[:4], verbose=0).dtype == dtype
    assert history.history["accuracy"][-1] > 0.8


def test_fit_on_cuda_emu_runs_the_custom_kernels(blobs):
    if "cuda-emu" not in gpuflow.list_devices():
        pytest.skip("cuda-emu needs g++ with C++20 (not found here)")
    x, y = blobs
    with gpuflow.device("cuda-emu"):
        model = compiled(units=8)
        history = model.fit(x[:64], y[:64], epochs=2, batch_size=32, verbose=0)
        assert model.weights[0].device == "cuda-emu"
    assert history.history["loss"][1] < history.history["loss"][0]
    with gpuflow.device("cpu"):
        reference = compiled(units=8)
    reference.set_weights(model.get_weights())
    np.testing.assert_allclose(
        model.predict(x[:16], verbose=0), reference.predict(x[:16], verbose=0), rtol=1e-4, atol=1e-5
    )


def test_tiny_logged_values_print_in_scientific_notation():
    import io

    stream = io.StringIO()
    bar = gpuflow.callbacks.Progbar(1, verbose=2, stream=stream)
    bar.update(1, {"loss": 2.5e-5, "mae": 0.25, "count": 3})
    assert stream.getvalue().endswith(" - loss: 2.5000e-05 - mae: 0.2500 - count: 3\n")
