"""tf.train.ExponentialMovingAverage over a training loop's weights, and tf.image's YUV
conversions."""

import numpy as np
import tensorflow as tf

w = tf.Variable([0.0, 0.0], name="w")
ema = tf.train.ExponentialMovingAverage(decay=0.5)
ema.apply([w])
opt = tf.keras.optimizers.SGD(0.5)
for _ in range(3):
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum((w - tf.constant([1.0, -1.0])) ** 2)
    opt.apply_gradients([(tape.gradient(loss, w), w)])
    ema.apply([w])
np.testing.assert_allclose(w.numpy(), [1.0, -1.0])  # lr 0.5 reaches the minimum at once
np.testing.assert_allclose(ema.average(w).numpy(), [0.875, -0.875])
assert ema.average(w).name == "w/ExponentialMovingAverage:0"

rgb = np.random.default_rng(0).random((2, 4, 4, 3)).astype("float32")
yuv = tf.image.rgb_to_yuv(rgb)
np.testing.assert_allclose(yuv[..., 0].numpy(), rgb @ np.array([0.299, 0.587, 0.114]), atol=1e-6)
np.testing.assert_allclose(tf.image.yuv_to_rgb(yuv).numpy(), rgb, atol=1e-5)
print("ok")
