"""keras.losses.Circle / circle: values from Keras 3 on TensorFlow 2.21 (pasted), the mask
that leaves samples without a positive pair out of the mean, config, training, errors."""

import numpy as np
import pytest

import gpuflow as tf


def _embeddings():
    rng = np.random.default_rng(0)
    emb = rng.normal(size=(6, 4)).astype("float32")
    return emb / np.linalg.norm(emb, axis=1, keepdims=True), rng


LABELS = np.array([0, 1, 0, 2, 1, 3])


def test_values_equal_keras():
    emb, _ = _embeddings()
    per = tf.keras.losses.circle(LABELS, emb).numpy()
    np.testing.assert_allclose(
        per, [148.25902, 18.124470, 139.22583, 0.0, 0.00025, 0.0], rtol=1e-4, atol=1e-6
    )
    # the mean is over the 4 samples with a positive pair (Keras' mask)
    np.testing.assert_allclose(float(tf.keras.losses.Circle()(LABELS, emb)), 76.40239, rtol=1e-5)
    np.testing.assert_allclose(
        float(tf.keras.losses.Circle(gamma=10, margin=0.25, remove_diagonal=False)(LABELS, emb)),
        8.448376,
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        float(tf.keras.losses.Circle(reduction="sum")(LABELS, emb)), 305.60956, rtol=1e-5
    )
    weighted = tf.keras.losses.Circle()(LABELS, emb, sample_weight=np.arange(6.0))
    np.testing.assert_allclose(float(weighted), 74.14428, rtol=1e-5)


def test_reference_set():
    emb, rng = _embeddings()
    ref = rng.normal(size=(3, 4)).astype("float32")  # the next draws, as in the Keras run
    ref /= np.linalg.norm(ref, axis=1, keepdims=True)
    out = tf.keras.losses.circle(LABELS, emb, ref_labels=np.array([0, 1, 2]), ref_embeddings=ref)
    np.testing.assert_allclose(
        out.numpy(), [0.0, 0.0, 91.285103, 126.293579, 125.287804, 0.0], rtol=1e-4
    )


def test_config_training_and_errors():
    config = tf.keras.losses.Circle().get_config()
    assert config == {
        "name": "circle",
        "reduction": "sum_over_batch_size",
        "gamma": 80.0,
        "margin": 0.4,
        "remove_diagonal": True,
    }
    assert isinstance(tf.keras.losses.get("Circle"), tf.keras.losses.Circle)
    assert isinstance(
        tf.keras.losses.deserialize({"class_name": "Circle", "config": config}),
        tf.keras.losses.Circle,
    )
    model = tf.keras.Sequential(
        [tf.keras.Input((5,)), tf.keras.layers.Dense(4), tf.keras.layers.UnitNormalization()]
    )
    model.compile(optimizer=tf.keras.optimizers.Adam(0.05), loss=tf.keras.losses.Circle())
    rng = np.random.default_rng(1)
    y = rng.integers(0, 3, 64)
    x = (np.eye(3)[y] @ rng.normal(size=(3, 5)) + 0.1 * rng.normal(size=(64, 5))).astype("float32")
    history = model.fit(x, y, epochs=15, batch_size=64, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    with pytest.raises(ValueError, match=r"circle: `y_pred` must be a batch of embeddings"):
        tf.keras.losses.circle(LABELS, np.ones((6,), "float32"))
    with pytest.raises(ValueError, match="one integer label per embedding"):
        tf.keras.losses.circle(LABELS[:3], np.ones((6, 2), "float32"))
