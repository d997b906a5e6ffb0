"""A loss value depends on its inputs alone: the same with or without a GradientTape.

The stable from-logits path of the cross-entropies comes from the logits the softmax or
sigmoid activation attaches to its output (``_keras_logits``, as Keras), not from a
recorded graph, so fit (which records) and evaluate (which does not) agree.
"""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf
from gpuflow import activations, losses

LOGITS = np.array([[60.0, -60.0, 0.0], [-80.0, 80.0, 5.0], [0.5, 0.2, -0.1]], "float32")


def _both(fn):
    """``fn()`` evaluated outside and inside a GradientTape."""
    outside = float(fn())
    with gf.GradientTape():
        inside = float(fn())
    return outside, inside


@pytest.mark.parametrize(
    "loss, labels",
    [
        (losses.categorical_crossentropy, np.eye(3, dtype="float32")[[1, 0, 2]]),
        (losses.sparse_categorical_crossentropy, np.array([1, 0, 2])),
    ],
)
def test_softmax_cross_entropy_same_inside_and_outside_a_tape(loss, labels):
    logits = gf.constant(LOGITS)

    def value():
        return gf.reduce_mean(loss(labels, activations.softmax(logits)))

    outside, inside = _both(value)
    exact = float(gf.reduce_mean(loss(labels, logits, from_logits=True)))
    assert outside == inside == pytest.approx(exact, rel=1e-6)
    assert exact > 60  # the clipped-probability path would give about 16 (log(1e-7))


def test_sigmoid_binary_cross_entropy_same_inside_and_outside_a_tape():
    logits = gf.constant(np.array([[40.0], [-50.0], [0.3]], "float32"))
    labels = np.array([[0.0], [1.0], [1.0]], "float32")

    def value():
        return gf.reduce_mean(losses.binary_crossentropy(labels, activations.sigmoid(logits)))

    outside, inside = _both(value)
    exact = float(gf.reduce_mean(losses.binary_crossentropy(labels, logits, from_logits=True)))
    assert outside == inside == pytest.approx(exact, rel=1e-6)


def test_plain_probabilities_take_the_probability_path_either_way():
    probs = gf.nn.softmax(gf.constant(LOGITS))  # tf.nn.softmax attaches nothing, as in TF
    labels = np.array([1, 0, 2])
    outside, inside = _both(
        lambda: gf.reduce_mean(losses.sparse_categorical_crossentropy(labels, probs))
    )
    assert outside == inside
    assert outside == pytest.approx(
        -np.log(np.clip(probs.numpy()[np.arange(3), labels], 1e-7, 1)).mean(), rel=1e-5
    )


def test_gradients_flow_through_the_attached_logits():
    logits = gf.Variable(LOGITS)
    with gf.GradientTape() as tape:
        loss = gf.reduce_mean(
            losses.sparse_categorical_crossentropy(np.array([1, 0, 2]), activations.softmax(logits))
        )
    grad = tape.gradient(loss, logits).numpy()
    p = np.exp(LOGITS - LOGITS.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    p[np.arange(3), [1, 0, 2]] -= 1
    np.testing.assert_allclose(grad, p / 3, rtol=1e-5, atol=1e-7)


def test_fit_and_evaluate_report_the_same_loss_for_extreme_logits():
    model = gf.keras.Sequential([gf.keras.layers.Dense(3, activation="softmax", input_shape=(3,))])
    model.layers[0].set_weights([np.eye(3, dtype="float32") * 50, np.zeros(3, "float32")])
    model.compile(optimizer=gf.keras.optimizers.SGD(0.0), loss="sparse_categorical_crossentropy")
    x = np.array([[2.0, -1.0, 0.0], [-1.0, 2.0, 0.0], [0.0, 0.0, 1.0]], "float32")
    y = np.array([1, 0, 2])
    fit_loss = model.fit(x, y, batch_size=3, epochs=1, verbose=0).history["loss"][0]
    assert fit_loss == pytest.approx(model.evaluate(x, y, verbose=0), rel=1e-6)
    assert fit_loss > 50


@pytest.mark.parametrize(
    "loss, activation, labels",
    [
        (losses.binary_crossentropy, activations.sigmoid, np.array([[1.0, 0.0, 1.0]] * 3, "f")),
        (losses.categorical_crossentropy, activations.softmax, np.eye(3, dtype="f")[[1, 0, 2]]),
        (losses.sparse_categorical_crossentropy, activations.softmax, np.array([1, 0, 2])),
        (gf.keras.ops.binary_crossentropy, activations.sigmoid, np.array([[1.0, 0, 1]] * 3, "f")),
        (gf.keras.ops.categorical_crossentropy, activations.softmax, np.eye(3, dtype="f")),
        (gf.keras.ops.sparse_categorical_crossentropy, activations.softmax, np.array([1, 0, 2])),
    ],
)
def test_from_logits_on_activation_outputs_warns_and_uses_their_logits(loss, activation, labels):
    # Keras on TensorFlow: probabilities from sigmoid/softmax passed with from_logits=True
    # are replaced by the logits they came from, with a warning
    logits = gf.constant(LOGITS / 10)
    with pytest.warns(UserWarning, match="received `from_logits=True`"):
        got = loss(labels, activation(logits), from_logits=True).numpy()
    np.testing.assert_allclose(got, loss(labels, logits, from_logits=True).numpy(), rtol=1e-6)
