"""fit/evaluate arguments: sample and class weights, validation options, steps and epochs."""

from __future__ import annotations

import numpy as np
import pytest
from trainer_helpers import keras, mlp

import gpuflow


def _compiled(lr=0.0, metrics=("accuracy",)):
    model = mlp()
    model.compile(
        optimizer=keras.optimizers.SGD(lr),
        loss="sparse_categorical_crossentropy",
        metrics=list(metrics),
    )
    return model


def _per_sample_loss(model, x, y):
    p = model.predict(x, verbose=0).astype("float64")
    return -np.log(np.clip(p[np.arange(len(y)), y], 1e-7, 1 - 1e-7))


def test_sample_weight_in_fit_and_evaluate_weights_the_loss(blobs):
    x, y = blobs
    w = np.linspace(0.0, 2.0, len(x)).astype("float32")
    model = _compiled(lr=0.0)  # no update: the logged loss is the weighted loss of the data
    expected = float(np.mean(w * _per_sample_loss(model, x, y)))  # Keras: sum(w * l) / n
    history = model.fit(x, y, sample_weight=w, batch_size=len(x), epochs=1, verbose=0)
    assert history.history["loss"][0] == pytest.approx(expected, rel=1e-4)
    loss, acc = model.evaluate(x, y, sample_weight=w, verbose=0)
    assert loss == pytest.approx(expected, rel=1e-4)
    # plain metrics are not weighted (weighted_metrics are), as in Keras
    assert acc == pytest.approx(np.mean(model.predict(x, verbose=0).argmax(1) == y))


def test_weighted_metrics_get_the_sample_weights(blobs):
    x, y = blobs
    model = mlp()
    model.compile(
        optimizer=keras.optimizers.SGD(0.0),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
        weighted_metrics=["accuracy"],
    )
    w = (y == 0).astype("float32")
    logs = model.evaluate(x, y, sample_weight=w, verbose=0, return_dict=True)
    hits = model.predict(x, verbose=0).argmax(1) == y
    assert set(logs) == {"loss", "accuracy", "weighted_accuracy"}
    assert logs["weighted_accuracy"] == pytest.approx(hits[y == 0].mean())
    assert logs["accuracy"] == pytest.approx(hits.mean())


def test_class_weight_equals_the_matching_sample_weights(blobs):
    x, y = blobs
    class_weight = {0: 1.0, 1: 5.0, 2: 0.5}  # class 3 unlisted: weight 1
    sample_weight = np.array([class_weight.get(int(c), 1.0) for c in y], "float32")
    start = _compiled().get_weights()
    results = []
    for kwargs in ({"class_weight": class_weight}, {"sample_weight": sample_weight}, {}):
        model = _compiled(lr=0.05)
        model.set_weights(start)
        model.fit(x, y, epochs=2, batch_size=50, shuffle=False, verbose=0, **kwargs)
        results.append(model.get_weights())
    for a, b in zip(results[0], results[1]):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)
    assert any(not np.allclose(a, b) for a, b in zip(results[0], results[2]))
    # one-hot labels are read by argmax
    one_hot = np.eye(4, dtype="float32")[y]
    np.testing.assert_array_equal(
        gpuflow.trainers.data_adapters.class_weight_to_sample_weights(one_hot, class_weight),
        sample_weight,
    )


def test_class_weight_and_sample_weight_together_are_refused(blobs):
    x, y = blobs
    with pytest.raises(ValueError, match="`class_weight` and `sample_weight`"):
        _compiled().fit(x, y, class_weight={0: 2.0}, sample_weight=np.ones(len(y)), verbose=0)


def test_validation_data_with_sample_weights(blobs):
    x, y = blobs
    model = _compiled(lr=0.0)
    w = np.linspace(1.0, 0.0, 100).astype("float32")
    history = model.fit(
        x[:300], y[:300], epochs=1, verbose=0, validation_data=(x[300:], y[300:], w)
    )
    expected = model.evaluate(x[300:], y[300:], sample_weight=w, verbose=0)[0]
    assert history.history["val_loss"][0] == pytest.approx(expected, rel=1e-5)
    assert history.history["val_loss"][0] != pytest.approx(
        model.evaluate(x[300:], y[300:], verbose=0)[0], rel=1e-3
    )


@pytest.mark.parametrize("freq, validated", [(2, [1, 3]), ([1, 5], [0, 4]), (1, [0, 1, 2, 3, 4])])
def test_validation_freq(blobs, freq, validated):
    x, y = blobs
    seen = []

    class Epochs(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            if "val_loss" in logs:
                seen.append(epoch)

    history = _compiled().fit(
        x, y, epochs=5, verbose=0, validation_split=0.2, validation_freq=freq, callbacks=[Epochs()]
    )
    assert seen == validated
    assert len(history.history["val_loss"]) == len(validated)
    assert len(history.history["loss"]) == 5


def test_validation_freq_refuses_other_types(blobs):
    x, y = blobs
    with pytest.raises(ValueError, match="validation_freq"):
        _compiled().fit(x, y, verbose=0, validation_split=0.2, validation_freq="2")


def test_steps_per_epoch_continue_through_the_data(blobs):
    x, y = blobs
    batches = []

    class Count(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            batches.append(batch)

    model = _compiled()
    # 8 batches: epochs take 3, 3, then the last 2 (with a warning, as Keras), then restart
    with pytest.warns(UserWarning, match="ran out of data"):
        history = model.fit(
            x[:64],
            y[:64],
            epochs=4,
            steps_per_epoch=3,
            batch_size=8,
            verbose=0,
            callbacks=[Count()],
        )
    assert batches == [0, 1, 2, 0, 1, 2, 0, 1, 0, 1, 2] and len(history.history["loss"]) == 4


def test_validation_steps_and_validation_batch_size(blobs):
    x, y = blobs
    model = _compiled(lr=0.0)
    history = model.fit(
        x,
        y,
        epochs=2,
        verbose=0,
        validation_data=(x[:50], y[:50]),
        validation_batch_size=10,
        validation_steps=2,
    )
    expected = model.evaluate(x[:20], y[:20], verbose=0)[0]
    # every validation starts at the first batch, as Keras
    assert history.history["val_loss"] == pytest.approx([expected, expected], rel=1e-5)


def test_evaluate_steps_and_initial_epoch(blobs):
    x, y = blobs
    model = _compiled(lr=0.0)
    assert model.evaluate(x, y, batch_size=40, steps=1, verbose=0)[0] == pytest.approx(
        model.evaluate(x[:40], y[:40], verbose=0)[0], rel=1e-6
    )
    history = model.fit(x, y, epochs=4, initial_epoch=2, verbose=0)
    assert history.epoch == [2, 3]


def test_batch_shuffle_trains_and_keeps_batches(blobs):
    x, y = blobs
    gpuflow.random.set_seed(1)
    history = _compiled(lr=0.05).fit(x, y, epochs=3, batch_size=32, shuffle="batch", verbose=0)
    assert history.history["accuracy"][-1] > 0.8
    with pytest.raises(ValueError, match="shuffle"):
        _compiled().fit(x, y, shuffle="yes", verbose=0)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"epochs": -1}, "epochs"),
        ({"epochs": 1.5}, "epochs"),
        ({"initial_epoch": -2}, "initial_epoch"),
        ({"batch_size": 0}, "batch_size"),
        ({"steps_per_epoch": 0}, "steps_per_epoch"),
        ({"validation_data": (1,)}, "validation_data"),
    ],
)
def test_bad_fit_arguments(blobs, kwargs, message):
    x, y = blobs
    with pytest.raises(ValueError, match=message):
        _compiled().fit(x, y, verbose=0, **kwargs)


def test_fit_ends_with_the_optimizers_moving_averages_in_the_weights():
    """fit calls optimizer.finalize_variable_values: with use_ema and ema_momentum=1 the
    average stays at the weights after the first step, so those are what fit leaves."""
    x = np.random.default_rng(0).normal(size=(24, 3)).astype("float32")
    y = x.sum(1, keepdims=True)

    def trained(optimizer, n):
        gpuflow.random.set_seed(3)
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
        model.compile(optimizer, "mse")
        model.fit(x[:n], y[:n], batch_size=8, shuffle=False, verbose=0)
        return [w.numpy() for w in model.weights]

    ema = trained(keras.optimizers.SGD(0.1, use_ema=True, ema_momentum=1.0), 24)
    one_step = trained(keras.optimizers.SGD(0.1), 8)
    three_steps = trained(keras.optimizers.SGD(0.1), 24)
    for a, b, c in zip(ema, one_step, three_steps):
        np.testing.assert_allclose(a, b, rtol=1e-6)
        assert not np.allclose(a, c)


def test_subclassed_model_with_more_outputs_at_inference_fits():
    # as TF: a call that returns logits in training and (logits, covariance) otherwise
    # (the SNGP tutorial) trains on one target array
    class TwoFaced(keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = keras.layers.Dense(2)

        def call(self, x, training=False):
            logits = self.dense(x)
            return logits if training else (logits, gpuflow.matmul(x, x, transpose_b=True))

    model = TwoFaced()
    model.compile(optimizer="sgd", loss=keras.losses.SparseCategoricalCrossentropy(True))
    x = np.random.default_rng(0).normal(size=(16, 3)).astype("float32")
    y = (x[:, 0] > 0).astype("int32")
    history = model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    assert len(history.history["loss"]) == 2 and np.isfinite(history.history["loss"]).all()
    logits, cov = model(x[:4])
    assert logits.shape == (4, 2) and cov.shape == (4, 4)


def test_callbacks_may_be_one_callback_or_nested_lists(blobs):
    # the simple audio tutorial: callbacks=tf.keras.callbacks.EarlyStopping(...)
    x, y = blobs
    seen = []

    class Count(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            seen.append(epoch)

    model = _compiled()
    history = model.fit(x, y, epochs=2, verbose=0, callbacks=Count())
    assert seen == [0, 1] and len(history.history["loss"]) == 2
    model.fit(x, y, epochs=1, verbose=0, callbacks=[[Count()], (Count(),)])
    assert seen == [0, 1, 0, 0]
    model.evaluate(x, y, verbose=0, callbacks=Count())
    with pytest.raises(TypeError, match="callbacks: expected"):
        model.fit(x, y, epochs=1, verbose=0, callbacks=[3])


def test_batches_of_one_label_next_to_several_outputs_train_as_keras():
    # the Keras callbacks' docs fit Dense(10) on np.zeros(n) labels with batch_size=1
    model = keras.Sequential([keras.layers.Dense(4)])
    model.compile(keras.optimizers.SGD(0.01), loss="mse")
    x = np.arange(30, dtype="float32").reshape(3, 10) / 30
    history = model.fit(x, np.zeros(3), batch_size=1, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    assert np.isfinite(model.evaluate(x, np.zeros(3), batch_size=1, verbose=0))
    with pytest.raises(ValueError, match="targets do not fit"):
        model.fit(x, np.zeros(3), batch_size=3, epochs=1, verbose=0)
