# Loss classes and functions on small inputs, compared with values computed by hand.
import math

import numpy as np
import tensorflow as tf

losses = tf.keras.losses
y_true = np.array([[0.0, 1.0], [1.0, 0.0]], dtype="float32")
y_pred = np.array([[0.2, 0.6], [0.7, 0.1]], dtype="float32")

err = y_pred - y_true
huber = np.where(np.abs(err) <= 0.5, 0.5 * err**2, 0.5 * np.abs(err) - 0.125).mean(-1)
np.testing.assert_allclose(losses.Huber(delta=0.5)(y_true, y_pred).numpy(), huber.mean(), rtol=1e-5)
np.testing.assert_allclose(losses.huber(y_true, y_pred, delta=0.5).numpy(), huber, rtol=1e-5)

logcosh = np.log(np.cosh(err)).mean(-1)
np.testing.assert_allclose(
    losses.LogCosh(reduction="none")(y_true, y_pred).numpy(), logcosh, rtol=1e-5
)

sw = np.array([1.0, 3.0], dtype="float32")
per = np.maximum(1 - (2 * y_true - 1) * y_pred, 0).mean(-1)  # 0/1 labels become -1/1
np.testing.assert_allclose(
    losses.Hinge(reduction="sum")(y_true, y_pred, sample_weight=sw), (per * sw).sum(), rtol=1e-5
)

p = np.clip(y_pred, 1e-7, 1 - 1e-7)
smoothed = y_true * 0.8 + 0.1
bce = -(smoothed * np.log(p) + (1 - smoothed) * np.log(1 - p)).mean(-1)
np.testing.assert_allclose(
    losses.BinaryCrossentropy(label_smoothing=0.2)(y_true, y_pred).numpy(), bce.mean(), rtol=1e-4
)

p_t = y_true * y_pred + (1 - y_true) * (1 - y_pred)
plain = -(y_true * np.log(p) + (1 - y_true) * np.log(1 - p))
focal = ((1 - p_t) ** 2 * plain).mean(-1)
np.testing.assert_allclose(
    losses.BinaryFocalCrossentropy(gamma=2.0)(y_true, y_pred).numpy(), focal.mean(), rtol=1e-4
)

cos = -(y_true * y_pred).sum(-1) / (
    np.linalg.norm(y_true, axis=-1) * np.linalg.norm(y_pred, axis=-1)
)
np.testing.assert_allclose(losses.cosine_similarity(y_true, y_pred).numpy(), cos, rtol=1e-5)

assert math.isclose(float(losses.get("mape")(np.array([2.0]), np.array([1.0]))), 50.0, rel_tol=1e-6)
assert losses.Huber().name == "huber_loss"
assert losses.KLDivergence().get_config()["reduction"] == "sum_over_batch_size"
print("loss values ok")
