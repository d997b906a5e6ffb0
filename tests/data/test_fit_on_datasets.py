"""Model.fit / evaluate / predict on Datasets, PyDatasets and generators."""

from __future__ import annotations

import gc
import threading
import warnings

import numpy as np
import pytest

import gpuflow as gf
from gpuflow import keras

RNG = np.random.default_rng(0)
X = RNG.normal(size=(96, 4)).astype(np.float32)
Y = (X[:, 0] > 0).astype(np.int64)


def make_model():
    model = keras.Sequential([keras.layers.Dense(8, activation="relu"), keras.layers.Dense(2)])
    model.compile(
        optimizer=keras.optimizers.SGD(0.1),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    return model


def dataset(batch=16):
    return gf.data.Dataset.from_tensor_slices((X, Y)).batch(batch)


@pytest.fixture(autouse=True)
def _quiet_shuffle_warning():
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="`shuffle=True` was passed")
        yield


def test_fit_on_a_dataset_matches_fit_on_arrays():
    gf.random.set_seed(1)
    a = make_model()
    hist_a = a.fit(X, Y, batch_size=16, epochs=2, shuffle=False, verbose=0)
    gf.random.set_seed(1)
    b = make_model()
    hist_b = b.fit(dataset(), epochs=2, verbose=0)
    np.testing.assert_allclose(hist_a.history["loss"], hist_b.history["loss"], rtol=1e-5)
    for wa, wb in zip(a.get_weights() if hasattr(a, "get_weights") else a.weights, b.weights):
        np.testing.assert_allclose(np.asarray(wa), np.asarray(wb), rtol=1e-5, atol=1e-6)


def test_pipeline_fit_learns_with_validation_data():
    gf.random.set_seed(0)
    model = make_model()
    ds = (
        gf.data.Dataset.from_tensor_slices((X, Y))
        .shuffle(96, seed=0)
        .batch(16)
        .prefetch(gf.data.AUTOTUNE)
    )
    history = model.fit(ds, epochs=8, validation_data=dataset(32), verbose=0)
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert history.history["loss"][-1] < history.history["loss"][0]
    loss, accuracy = model.evaluate(dataset(), verbose=0)
    assert accuracy > 0.8
    assert model.predict(dataset().map(lambda x, y: x), verbose=0).shape == (96, 2)
    assert model.predict(dataset(), verbose=0).shape == (96, 2)  # (x, y) batches: x is used


def test_sample_weights_from_the_dataset_weight_the_loss():
    gf.random.set_seed(0)
    model = make_model()
    weights = np.where(Y == 1, 1.0, 0.0).astype(np.float32)
    ds = gf.data.Dataset.from_tensor_slices((X, Y, weights)).batch(32)
    model.fit(ds, epochs=1, verbose=0)
    zero = gf.data.Dataset.from_tensor_slices((X, Y, np.zeros(96, np.float32))).batch(32)
    assert model.evaluate(zero, verbose=0)[0] == pytest.approx(0.0, abs=1e-7)


def test_steps_per_epoch_on_a_repeated_dataset_and_infinite_error():
    model = make_model()
    counted = []

    class Count(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            counted.append(batch)

    model.fit(dataset().repeat(), steps_per_epoch=4, epochs=2, callbacks=[Count()], verbose=0)
    assert counted == [0, 1, 2, 3] * 2
    with pytest.raises(ValueError, match="infinite.*steps_per_epoch"):
        model.fit(dataset().repeat(), epochs=1, verbose=0)
    with pytest.raises(ValueError, match="infinite.*steps="):
        model.evaluate(dataset().repeat(), verbose=0)
    assert model.evaluate(dataset().repeat(), steps=2, verbose=0)[0] > 0


def test_steps_per_epoch_continues_a_finite_dataset_and_warns_when_it_runs_out():
    model = make_model()
    with pytest.warns(UserWarning, match="ran out of data"):
        history = model.fit(dataset(), steps_per_epoch=4, epochs=3, verbose=0)
    assert len(history.history["loss"]) == 3


def test_y_and_validation_split_with_a_dataset_are_errors_and_batch_size_is_ignored():
    model = make_model()
    # as Keras 3.15: batch_size is ignored, the Dataset's batches are the steps
    history = model.fit(dataset(), batch_size=16, verbose=0)
    assert history.params["steps"] == model.fit(dataset(), verbose=0).params["steps"]
    with pytest.raises(ValueError, match="`y` should not be passed"):
        model.fit(dataset(), Y, verbose=0)
    with pytest.raises(ValueError, match="validation_split"):
        model.fit(dataset(), validation_split=0.2, verbose=0)
    with pytest.raises(ValueError, match="needs its targets"):
        model.fit(gf.data.Dataset.from_tensor_slices(X).batch(8), verbose=0)


class Batches(keras.utils.PyDataset):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.epochs_ended = 0

    def __len__(self):
        return 6

    def __getitem__(self, i):
        return X[i * 16 : (i + 1) * 16], Y[i * 16 : (i + 1) * 16]

    def on_epoch_end(self):
        self.epochs_ended += 1


@pytest.mark.parametrize("workers", [1, 2])
def test_fit_on_a_py_dataset(workers):
    model = make_model()
    data = Batches(workers=workers)
    history = model.fit(data, epochs=3, verbose=0)
    # as Keras 3 (checked on TF 2.21): on_epoch_end also runs once before the first epoch
    # of fit and at the start of each evaluation
    assert len(history.history["loss"]) == 3 and data.epochs_ended == 4
    assert len(model.evaluate(data, verbose=0)) == 2 and data.epochs_ended == 6


def test_fit_on_a_generator():
    def batches():
        for start in range(0, 96, 24):
            yield X[start : start + 24], Y[start : start + 24]

    model = make_model()
    history = model.fit(batches(), epochs=1, verbose=0)
    assert len(history.history["loss"]) == 1
    endless = ((X[:8], Y[:8]) for _ in iter(int, 1))
    model.fit(endless, steps_per_epoch=3, epochs=2, verbose=0)


def test_arrays_with_dataset_validation_data():
    model = make_model()
    history = model.fit(X, Y, batch_size=32, epochs=2, validation_data=dataset(), verbose=0)
    assert "val_loss" in history.history


def test_no_threads_left_after_fit_evaluate_predict():
    before = set(threading.enumerate())
    model = make_model()
    ds = (
        gf.data.Dataset.from_tensor_slices((X, Y))
        .map(lambda x, y: (x * 2, y), num_parallel_calls=2)
        .batch(16)
        .prefetch(2)
    )
    model.fit(ds, epochs=2, validation_data=ds.take(2), verbose=0)
    model.fit(ds.repeat(), steps_per_epoch=2, epochs=2, verbose=0)  # stopped mid-pass
    model.evaluate(ds, verbose=0)
    model.predict(ds, verbose=0)
    model.fit(Batches(workers=3), epochs=1, verbose=0)
    gc.collect()
    assert set(threading.enumerate()) <= before


def test_no_threads_left_when_fit_raises_mid_epoch():
    before = set(threading.enumerate())

    class Boom(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            if batch == 1:
                raise RuntimeError("stop here")

    ds = (
        gf.data.Dataset.from_tensor_slices((X, Y))
        .map(lambda x, y: (x, y))
        .repeat()
        .batch(8)
        .prefetch(3)
    )
    with pytest.raises(RuntimeError, match="stop here"):
        make_model().fit(ds, steps_per_epoch=50, epochs=1, callbacks=[Boom()], verbose=0)
    gc.collect()
    assert set(threading.enumerate()) <= before


def test_fit_on_a_dataset_on_every_device(device):
    with gf.device(device):
        model = make_model()
        model.fit(dataset(32).take(2), epochs=1, verbose=0)
    assert {w.device.short for w in model.weights} == {gf.backend.get_device(device).name}
    assert model.predict(dataset(32).take(1), verbose=0).shape == (32, 2)


def test_infinite_validation_data_needs_validation_steps():
    model = make_model()
    with pytest.raises(ValueError, match="validation_steps"):
        model.fit(dataset(), validation_data=dataset().repeat(), verbose=0)
    history = model.fit(
        dataset(), validation_data=dataset().repeat(), validation_steps=2, verbose=0
    )
    assert "val_loss" in history.history
    with pytest.raises(ValueError, match="steps_per_epoch must be a positive int"):
        model.fit(dataset(), steps_per_epoch=0, verbose=0)


def test_threads_end_with_fit_without_waiting_for_garbage_collection():
    before = set(threading.enumerate())
    ds = (
        gf.data.Dataset.from_tensor_slices((X, Y))
        .map(lambda x, y: (x * 2, y), num_parallel_calls=2)
        .batch(16)
        .prefetch(2)
    )

    class StopAtOnce(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            self.model.stop_training = True

    gc.disable()
    try:
        model = make_model()
        model.fit(ds.repeat(), steps_per_epoch=2, epochs=2, verbose=0)  # stopped mid-pass
        model.fit(
            ds,
            epochs=2,
            callbacks=[StopAtOnce()],
            validation_data=ds.repeat(),
            validation_steps=1,
            verbose=0,
        )
        assert set(threading.enumerate()) <= before
    finally:
        gc.enable()


def test_class_weight_with_a_dataset_weights_the_classes():
    ones = gf.data.Dataset.from_tensor_slices((X[Y == 1], Y[Y == 1])).batch(16)
    weighted = make_model()
    weighted.fit(ones, class_weight={1: 0.0}, epochs=1, verbose=0)
    # every sample weighs 0: the loss is 0 and nothing moves
    assert weighted.history.history["loss"][0] == pytest.approx(0.0, abs=1e-7)


def test_a_dataset_with_no_batches_warns_that_the_input_ran_out():
    # drop_remainder with fewer samples than a batch (the word2vec tutorial on a small
    # text): Keras warns and trains nothing
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    ds = gf.data.Dataset.from_tensor_slices(
        (np.ones((3, 2), "float32"), np.ones((3, 1), "float32"))
    )
    with pytest.warns(UserWarning, match="Your input ran out of data"):
        history = model.fit(ds.batch(4, drop_remainder=True), epochs=2, verbose=0)
    assert "loss" not in history.history
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        warnings.filterwarnings("ignore", message="`shuffle=True` was passed")
        model.fit(ds.batch(2), epochs=1, verbose=0)  # batches: no warning
