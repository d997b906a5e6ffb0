# Keras in bfloat16: a dtype="bfloat16" layer, the mixed_bfloat16 policy (compute bfloat16,
# variables float32, no loss scaling) training a small model with fit, normalization
# layers computing in float32, and saving / loading bfloat16 weights.
import os
import tempfile

import numpy as np
import tensorflow as tf
from tensorflow import keras

dense = keras.layers.Dense(3, dtype="bfloat16")
out = dense(np.ones((2, 4), np.float32))
assert out.dtype == tf.bfloat16 and dense.kernel.dtype == tf.bfloat16
assert dense.compute_dtype == "bfloat16" and dense.variable_dtype == "bfloat16"

x = tf.cast([[0.1, 1.7, -2.3], [3.14159, 100.5, 1e-3], [7.0, -3.0, 2.0]], tf.bfloat16)
ln = keras.layers.LayerNormalization(dtype="bfloat16")(x)
assert ln.dtype == tf.bfloat16
assert ln.numpy().astype(np.float32)[0].tolist() == [0.1611328125, 1.1328125, -1.296875]
bn = keras.layers.BatchNormalization(dtype="mixed_bfloat16")
y = bn(x, training=True)
assert y.dtype == tf.bfloat16 and bn.moving_mean.dtype == tf.float32
assert y.numpy().astype(np.float32)[0].tolist() == [-1.171875, -0.65625, -1.25]
np.testing.assert_allclose(
    bn.moving_mean.numpy(),
    [0.034135740250349045, 0.3306770622730255, -0.0009862518636509776],
    rtol=1e-6,
)

keras.mixed_precision.set_global_policy("mixed_bfloat16")
try:
    assert keras.mixed_precision.global_policy().name == "mixed_bfloat16"
    rng = np.random.default_rng(0)
    features = rng.normal(size=(256, 8)).astype("float32")
    labels = (features.sum(1) > 0).astype("int32")
    model = keras.Sequential(
        [
            keras.Input((8,)),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dense(2),
            keras.layers.Activation("softmax", dtype="float32"),
        ]
    )
    first = model.layers[0]
    assert first.compute_dtype == "bfloat16" and first.kernel.dtype == tf.float32
    model.compile(
        optimizer=keras.optimizers.Adam(0.01),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    assert not isinstance(model.optimizer, keras.mixed_precision.LossScaleOptimizer)
    history = model.fit(features, labels, epochs=5, batch_size=32, verbose=0)
    losses = history.history["loss"]
    assert losses[-1] < 0.6 * losses[0], losses
    assert history.history["accuracy"][-1] > 0.85
    assert first(features[:2]).dtype == tf.bfloat16
    probs = model.predict(features[:4], verbose=0)
    assert probs.dtype == np.float32 and np.allclose(probs.sum(1), 1.0, atol=1e-6)
finally:
    keras.mixed_precision.set_global_policy("float32")

src = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, dtype="bfloat16")])
src.layers[0].kernel.assign(tf.cast([[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]], tf.bfloat16))
kernel = [0.10009765625, 0.2001953125, 0.30078125, 0.400390625, 0.5, 0.6015625]
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "bf.weights.h5")
    src.save_weights(path)
    for dtype in ("bfloat16", "float32"):
        dst = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, dtype=dtype)])
        dst.load_weights(path)
        w = dst.get_weights()[0]
        assert w.dtype.name == dtype and w.astype(np.float32).ravel().tolist() == kernel
    src.save(os.path.join(tmp, "bf.keras"))
    back = keras.models.load_model(os.path.join(tmp, "bf.keras"))
    assert back.layers[0].dtype_policy.name == "bfloat16"
    assert back.get_weights()[0].dtype.name == "bfloat16"
    assert back.predict(np.ones((1, 3), np.float32), verbose=0).dtype.name == "bfloat16"
print("ok")
