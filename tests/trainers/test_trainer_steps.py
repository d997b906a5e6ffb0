"""The Trainer's public, overridable steps and the functions the loops call."""

from __future__ import annotations

import numpy as np
import pytest
from trainer_helpers import keras, mlp

import gpuflow


class CustomStep(keras.Model):
    """The Keras guide's custom train_step: its own loss, metrics tracked as attributes."""

    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(1)
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.mae_metric = keras.metrics.MeanAbsoluteError(name="mae")

    def call(self, x):
        return self.dense(x)

    def train_step(self, data):
        x, y = data
        with gpuflow.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = keras.losses.mean_squared_error(y, y_pred)
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        self.loss_tracker.update_state(loss)
        self.mae_metric.update_state(y, y_pred)
        return {"loss": self.loss_tracker.result(), "mae": self.mae_metric.result()}

    def test_step(self, data):
        x, y = data
        y_pred = self(x, training=False)
        self.loss_tracker.update_state(keras.losses.mean_squared_error(y, y_pred))
        self.mae_metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}


def _regression(n=64):
    rng = np.random.default_rng(1)
    x = rng.standard_normal((n, 3)).astype("float32")
    return x, (x @ np.array([[1.0], [-2.0], [0.5]], "float32") + 0.3).astype("float32")


def test_custom_train_step_with_compile_optimizer_only():
    x, y = _regression()
    model = CustomStep()
    model.compile(optimizer=keras.optimizers.SGD(0.01))  # the gradient of 16 summed losses
    history = model.fit(x, y, epochs=5, batch_size=16, verbose=0)
    assert set(history.history) == {"loss", "mae"}
    assert history.history["loss"][-1] < 0.25 * history.history["loss"][0]
    # the loop resets the tracked metrics each epoch: the last epoch's mean, not all epochs'
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    assert set(logs) == {"loss", "mae"}
    assert logs["loss"] == pytest.approx(
        float(np.mean((model.predict(x, verbose=0) - y) ** 2)), rel=1e-5
    )


def test_default_steps_without_a_loss_say_so():
    x, y = _regression()
    model = mlp(features=3, classes=1, activation=None)
    model.compile(optimizer="sgd")
    with pytest.raises(ValueError, match="No loss to compute"):
        model.fit(x, y, verbose=0)


def test_compute_loss_adds_the_models_losses():
    x, y = _regression(8)

    def reg(w):
        return 0.1 * gpuflow.reduce_sum(gpuflow.square(w))

    model = keras.Sequential([keras.layers.Dense(1, kernel_regularizer=reg, input_shape=(3,))])
    model.compile(optimizer="sgd", loss="mse")
    y_pred = model(x)
    penalty = 0.1 * float(np.sum(model.layers[0].kernel.numpy() ** 2))
    plain = float(keras.losses.MeanSquaredError()(y, y_pred))
    total = float(model.compute_loss(x, y, y_pred))
    assert total == pytest.approx(plain + penalty, rel=1e-5)
    assert model.evaluate(x, y, verbose=0) == pytest.approx(plain + penalty, rel=1e-5)


def test_unpack_x_y_sample_weight():
    unpack = keras.utils.unpack_x_y_sample_weight
    assert unpack((1,)) == (1, None, None)
    assert unpack([1, 2]) == (1, 2, None)
    assert unpack((1, 2, 3)) == (1, 2, 3)
    assert unpack("x") == ("x", None, None)
    with pytest.raises(ValueError, match="x, y, sample_weight"):
        unpack((1, 2, 3, 4))
    assert keras.utils.pack_x_y_sample_weight(1, 2) == (1, 2)


def test_metrics_names_metrics_result_and_batch_methods(blobs):
    x, y = blobs
    model = mlp()
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    assert model.metrics_names == ["loss", "compile_metrics"]  # as Keras 3
    loss, acc = model.train_on_batch(x[:32], y[:32])
    assert model.get_metrics_result() == {
        "loss": pytest.approx(loss),
        "accuracy": pytest.approx(acc),
    }
    logs = model.test_on_batch(x[:32], y[:32], return_dict=True)
    assert set(logs) == {"loss", "accuracy"}
    assert model.predict_on_batch(x[:5]).shape == (5, 4)
    # Keras 3 removed reset_metrics from the *_on_batch methods (they always reset)
    with pytest.raises(TypeError, match="reset_metrics"):
        model.train_on_batch(x[:32], y[:32], reset_metrics=False)
    with pytest.raises(TypeError, match="reset_metrics"):
        model.test_on_batch(x[:32], y[:32], reset_metrics=False)


def test_fit_with_zero_epochs_returns_an_empty_history(blobs):
    x, y = blobs
    model = mlp()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    history = model.fit(x, y, epochs=0, verbose=0)
    assert isinstance(history, keras.callbacks.History) and history.history == {}
    assert model.history is history


def test_the_loops_call_what_make_train_function_returns(blobs):
    x, y = blobs
    model = mlp()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    step = model.make_train_function()
    assert step is model.make_train_function() and callable(step)
    calls = []

    def counted(data):  # what graph mode does: put another step in the same place
        calls.append(1)
        return step(data)

    model.train_function = counted
    model.fit(x, y, epochs=1, batch_size=100, verbose=0)
    assert len(calls) == 4
    assert model.make_test_function() is model.test_function
    assert model.make_predict_function() is model.predict_function


def test_overridden_predict_step(blobs):
    x, _ = blobs

    class Doubling(keras.Sequential):
        def predict_step(self, data):
            x, _, _ = keras.utils.unpack_x_y_sample_weight(data)
            return self(x, training=False) * 2.0

    model = Doubling([keras.layers.Dense(2, input_shape=(20,))])
    np.testing.assert_allclose(model.predict(x[:8], verbose=0), 2 * model(x[:8]).numpy(), rtol=1e-6)


def test_keras2_style_step_with_compiled_loss_and_compiled_metrics(blobs):
    x, y = blobs

    class Keras2Step(keras.Sequential):
        def train_step(self, data):
            x, y = data
            with gpuflow.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = self.compiled_loss(y, y_pred, regularization_losses=self.losses)
            grads = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
            self.compiled_metrics.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}

    model = Keras2Step(
        [
            keras.layers.Dense(16, activation="relu", input_shape=(20,)),
            keras.layers.Dense(4, activation="softmax"),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(0.01),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    history = model.fit(x, y, epochs=3, verbose=0)
    assert set(history.history) == {"loss", "accuracy"}
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert history.history["accuracy"][-1] > 0.8


def test_tensors_as_data(blobs):
    x, y = blobs
    model = mlp()
    model.compile(
        optimizer=keras.optimizers.Adam(0.01),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    history = model.fit(
        gpuflow.constant(x),
        gpuflow.constant(y),
        epochs=2,
        verbose=0,
        sample_weight=gpuflow.ones((len(y),)),
        validation_data=(gpuflow.constant(x[:50]), gpuflow.constant(y[:50])),
    )
    assert history.history["accuracy"][-1] > 0.8
    assert model.evaluate(gpuflow.constant(x), y, verbose=0)[0] == pytest.approx(
        model.evaluate(x, y, verbose=0)[0], rel=1e-6
    )
    np.testing.assert_allclose(
        model.predict(gpuflow.constant(x[:9]), verbose=0),
        model.predict(x[:9], verbose=0),
        rtol=1e-6,
    )


def test_an_overridden_step_may_train_without_targets():
    x, _ = _regression()

    class AutoEncoder(keras.Model):
        def __init__(self):
            super().__init__()
            self.code = keras.layers.Dense(2)
            self.back = keras.layers.Dense(3)

        def call(self, inputs):
            return self.back(self.code(inputs))

        def train_step(self, data):
            x = data
            with gpuflow.GradientTape() as tape:
                loss = self.compute_loss(x, x, self(x, training=True))
            grads = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
            self._loss_tracker.update_state(loss)
            return {"loss": self._loss_tracker.result()}

    model = AutoEncoder()
    model.compile(optimizer=keras.optimizers.SGD(0.05), loss="mse")
    history = model.fit(x, epochs=3, batch_size=16, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    with pytest.raises(ValueError, match="y is missing"):
        model.evaluate(x, verbose=0)  # the default test_step needs targets


def test_callbacks_can_stop_evaluate_and_predict_early(blobs):
    x, y = blobs
    model = mlp()
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")

    class StopAfterTwo(keras.callbacks.Callback):
        def on_test_batch_end(self, batch, logs=None):
            self.model.stop_evaluating = batch == 1

        def on_predict_batch_end(self, batch, logs=None):
            self.model.stop_predicting = batch == 1

    loss = model.evaluate(x, y, batch_size=10, verbose=0, callbacks=[StopAfterTwo()])
    assert loss == pytest.approx(model.evaluate(x[:20], y[:20], verbose=0), rel=1e-6)
    assert model.predict(x, batch_size=10, verbose=0, callbacks=[StopAfterTwo()]).shape == (20, 4)


def test_default_steps_pass_training_only_to_a_call_that_takes_it():
    # Keras 3's steps call self(x) when call() has no `training`: the layers inside keep
    # their defaults, so BatchNormalization does not update its moving statistics in fit
    class Probe(keras.layers.Layer):
        def call(self, x, training=None):
            self.seen = training
            return x

    class Bare(keras.Model):
        def __init__(self):
            super().__init__()
            self.norm = keras.layers.BatchNormalization()
            self.probe = Probe()
            self.dense = keras.layers.Dense(1)

        def call(self, x):
            return self.dense(self.probe(self.norm(x)))

    class WithTraining(Bare):
        def call(self, x, training=None):
            return self.dense(self.probe(self.norm(x)))

    x = np.random.default_rng(0).normal(3.0, 1.0, (16, 3)).astype("float32")
    y = x[:, :1]
    bare = Bare()
    bare.compile("sgd", "mse")
    bare.fit(x, y, batch_size=16, epochs=1, verbose=0)
    assert bare.probe.seen is None
    np.testing.assert_array_equal(bare.norm.moving_mean.numpy(), np.zeros(3, "float32"))
    bare.evaluate(x, y, verbose=0)
    assert bare.probe.seen is None
    bare.probe.seen = "unset"
    bare.predict(x, verbose=0)
    assert bare.probe.seen is None

    full = WithTraining()
    full.compile("sgd", "mse")
    full.fit(x, y, batch_size=16, epochs=1, verbose=0)
    assert full.probe.seen is True
    assert np.all(full.norm.moving_mean.numpy() > 0.01)  # updated towards the batch mean 3
    full.predict(x, verbose=0)
    assert full.probe.seen is False


def test_a_float64_dataset_reaches_train_step_as_float64_and_arrays_are_cast():
    # as Keras 3: a tf.data.Dataset's batches come as they are (the layers cast what they
    # compute on); NumPy arrays are cast to the float type once
    tf = gpuflow

    seen = []

    class Probe(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = tf.keras.layers.Dense(1)

        def train_step(self, data):
            x, _ = data
            seen.append(x.dtype.name)
            return {"loss": tf.reduce_mean(self.dense(x))}

    model = Probe()
    model.compile("sgd", "mse")
    x, y = np.ones((4, 3)), np.ones((4, 1))
    model.fit(tf.data.Dataset.from_tensor_slices((x, y)).batch(4), epochs=1, verbose=0)
    model.fit(x, y, batch_size=4, epochs=1, verbose=0)
    assert seen[0] == "float64" and seen[-1] == "float32"
