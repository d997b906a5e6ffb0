"""compile() compiles fit/evaluate/predict steps by default, as Keras; a step that cannot
be traced runs eagerly with a warning; run_eagerly=False raises the tracing error."""

import warnings

import numpy as np
import pytest

import gpuflow as tf
from gpuflow.graph import OperatorNotAllowedInGraphError

RNG = np.random.default_rng(0)
X = RNG.random((40, 4)).astype("float32")
Y = RNG.integers(0, 2, 40)


class ReadsAValue(tf.keras.layers.Layer):
    """Reads a tensor's value in Python: cannot be compiled."""

    def call(self, x):
        return x * 2.0 if float(tf.reduce_sum(x)) > 0 else x


def _model(*layers, **compile_args):
    tf.random.set_seed(0)
    model = tf.keras.Sequential([tf.keras.layers.Input((4,)), *layers, tf.keras.layers.Dense(2)])
    model.compile(
        "sgd",
        tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
        **compile_args,
    )
    return model


def test_the_default_compiles_all_three_steps():
    model = _model()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.fit(X, Y, batch_size=8, epochs=2, verbose=0)
        model.evaluate(X, Y, batch_size=8, verbose=0)
        model.predict(X, batch_size=8, verbose=0)
    for step in (model.train_function, model.test_function, model.predict_function):
        assert step.compiled.experimental_get_tracing_count() == 1


def test_float_sparse_labels_compile():
    # The segmentation tutorial's masks are float32 class ids (tf.image.resize)
    labels = Y.astype("float32")[:, None]
    model = _model(run_eagerly=False)
    history = model.fit(X, labels, batch_size=8, epochs=2, verbose=0).history
    assert model.train_function.compiled.experimental_get_tracing_count() == 1
    eager = _model(run_eagerly=True)  # seeded again: same weights and shuffles
    expected = eager.fit(X, labels, batch_size=8, epochs=2, verbose=0).history
    for key in ("loss", "accuracy"):
        np.testing.assert_allclose(history[key], expected[key], rtol=1e-5)


@pytest.mark.parametrize("loss", ["hinge", "squared_hinge"])
def test_hinge_losses_with_0_1_labels_compile(loss):
    labels = Y.astype("float32")[:, None]
    histories = []
    for run_eagerly in (False, True):
        tf.random.set_seed(0)
        model = tf.keras.Sequential([tf.keras.layers.Input((4,)), tf.keras.layers.Dense(1)])
        model.compile("sgd", loss, run_eagerly=run_eagerly)
        histories.append(model.fit(X, labels, batch_size=8, epochs=2, verbose=0).history)
    assert model.train_function is not None
    np.testing.assert_allclose(histories[0]["loss"], histories[1]["loss"], rtol=1e-5)
    # 0/1 labels became -1/1: the first loss is near 1 (an untrained model gives ~0)
    assert 0.5 < histories[0]["loss"][0] < 2.0


def test_run_eagerly_true_does_not_compile():
    model = _model(run_eagerly=True)
    model.fit(X, Y, batch_size=8, epochs=1, verbose=0)
    assert not hasattr(model.train_function, "compiled")


def test_a_step_that_cannot_compile_falls_back_to_eager_with_a_warning():
    eager = _model(ReadsAValue(), run_eagerly=True)
    eager_history = eager.fit(X, Y, batch_size=8, epochs=2, verbose=0).history
    model = _model(ReadsAValue())
    with pytest.warns(UserWarning, match="the train step runs eagerly: it cannot be compiled"):
        history = model.fit(X, Y, batch_size=8, epochs=2, verbose=0).history
    # the failed trace counted nothing twice: same losses and metrics as eager
    assert history == eager_history
    for got, want in zip(model.get_weights(), eager.get_weights()):
        np.testing.assert_array_equal(got, want)
    with pytest.warns(UserWarning, match="the predict step runs eagerly"):
        np.testing.assert_array_equal(model.predict(X, verbose=0), eager.predict(X, verbose=0))


def test_run_eagerly_false_raises_the_tracing_error():
    model = _model(ReadsAValue(), run_eagerly=False)
    with pytest.raises(OperatorNotAllowedInGraphError, match="gpuflow.cond"):
        model.fit(X, Y, batch_size=8, epochs=1, verbose=0)


class CondOnAValue(tf.keras.layers.Layer):
    """tf.cond on a tensor value, with gradients through it: eager only (for now)."""

    def call(self, x):
        return tf.cond(tf.reduce_sum(x) > 0, lambda: x * 2.0, lambda: x)


def test_a_cond_with_gradients_compiles_and_equals_eager():
    eager = _model(CondOnAValue(), run_eagerly=True)
    eager.fit(X, Y, batch_size=8, epochs=1, verbose=0)
    model = _model(CondOnAValue())
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # compiled (graph/cond_gradient.py): no fallback
        model.fit(X, Y, batch_size=8, epochs=1, verbose=0)
    for got, want in zip(model.get_weights(), eager.get_weights()):
        np.testing.assert_array_equal(got, want)


def test_a_model_built_by_its_first_compiled_step_compiles():
    # No Input: the LSTM creates its weights while the first train step is traced; its
    # recurrent kernel's Orthogonal initializer computes on the host (a QR), which runs
    # once outside the trace instead of forcing the step to run eagerly.
    tf.random.set_seed(0)
    model = tf.keras.Sequential([tf.keras.layers.LSTM(4), tf.keras.layers.Dense(1)])
    model.compile("adam", "mse", run_eagerly=False)
    x = RNG.random((16, 5, 3)).astype("float32")
    model.fit(x, RNG.random((16, 1)).astype("float32"), batch_size=8, epochs=2, verbose=0)
    kernel = model.layers[0].weights[1].numpy()  # recurrent kernel, 4 x 16
    gram = kernel @ kernel.T  # orthonormal rows at init; four small Adam steps since
    np.testing.assert_allclose(gram, np.eye(4), atol=0.05)


def test_float_class_ids_compile_with_sparse_crossentropy():
    """Sparse labels stored as floats (numpy's default) are cast inside the recorded step,
    so fit/evaluate stay compiled, and train exactly as integer labels do."""
    runs = {}
    for name, labels in (("float", Y.astype("float32")), ("int", Y)):
        model = _model(run_eagerly=False)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            history = model.fit(X, labels, batch_size=8, epochs=2, verbose=0)
            model.evaluate(X, labels, batch_size=8, verbose=0)
        runs[name] = history.history
    assert runs["float"] == runs["int"]
