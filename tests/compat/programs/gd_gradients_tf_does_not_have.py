"""Where TensorFlow has no gradient, code relies on it: LookupError for ops with none
registered, None for ops marked not differentiable; and NumPy-behaviour conversion modes
letting variables take narrower tensors."""

import numpy as np
import tensorflow as tf
import tensorflow.experimental.numpy as tnp

image = tf.Variable([[[0.5, 0.1, 0.2], [0.3, 0.9, 0.4]]])

for name, op in [
    ("AdjustContrastv2", lambda x: tf.image.adjust_contrast(x, 2.0)),
    ("AdjustSaturation", lambda x: tf.image.adjust_saturation(x, 0.5)),
    ("AdjustHue", lambda x: tf.image.adjust_hue(x, 0.1)),
    ("AdjustContrastv2", lambda x: tf.image.random_contrast(x, 0.5, 1.5, seed=3)),
    ("ResizeArea", lambda x: tf.image.resize(x[None], (3, 3), method="area")),
]:
    with tf.GradientTape() as tape:
        out = op(image)
    try:
        tape.gradient(out, image)
        raise AssertionError(f"{name}: expected no gradient")
    except LookupError as exc:
        assert name in str(exc), str(exc)

# the values themselves are computed as usual
pixels = image.numpy()
mean = pixels.mean(axis=(0, 1), keepdims=True)
np.testing.assert_allclose(
    tf.image.adjust_contrast(image, 2.0).numpy(), (pixels - mean) * 2 + mean, rtol=1e-5
)

# not differentiable: the gradient is None
with tf.GradientTape(persistent=True) as tape:
    rgb = tf.image.hsv_to_rgb(image)
    hsv = tf.image.rgb_to_hsv(image)
    mixed = tf.random.shuffle(tf.reshape(image, [-1, 1]), seed=5)
assert tape.gradient(rgb, image) is None
assert tape.gradient(mixed, image) is None
assert tape.gradient(hsv, image).shape == image.shape  # RGBToHSV has one
del tape

values = tf.Variable([4.0, 1.0, 4.0])
with tf.GradientTape() as tape:
    distinct, positions = tf.unique(values)
assert distinct.numpy().tolist() == [4.0, 1.0] and positions.numpy().tolist() == [0, 1, 0]
try:
    tape.gradient(distinct, values)
    raise AssertionError("Unique: expected no gradient")
except LookupError as exc:
    assert "Unique" in str(exc)

# nextafter's registered gradient: upstream for x1, zeros for x2
x1, x2 = tf.Variable([1.0, 2.0]), tf.Variable([5.0, -5.0])
with tf.GradientTape() as tape:
    stepped = tf.reduce_sum(tf.math.nextafter(x1, x2) * [3.0, 4.0])
g1, g2 = tape.gradient(stepped, [x1, x2])
assert g1.numpy().tolist() == [3.0, 4.0] and g2.numpy().tolist() == [0.0, 0.0]

# convert_to_tensor never casts a tensor: ValueError
try:
    tf.convert_to_tensor(tf.constant([1, 2]), dtype=tf.float32)
    raise AssertionError("expected ValueError")
except ValueError as exc:
    assert "int32" in str(exc) and "float32" in str(exc)

# -- dtype_conversion_mode="all": a variable takes a tensor that promotes to its dtype ----
counter = tf.Variable(10, dtype=tf.int32)
try:
    counter.assign_add(tf.constant(5, tf.int16))
    raise AssertionError("legacy mode converts no tensor")
except ValueError:
    pass
tnp.experimental_enable_numpy_behavior(dtype_conversion_mode="all")
counter.assign_add(tf.constant(5, tf.int16))
counter.assign_sub(tf.constant(2, tf.uint8))
assert counter.dtype == tf.int32 and int(counter.numpy()) == 13
weights = tf.Variable([1.0, 1.0])
weights.assign_add(tf.constant([1, 2], tf.int32))  # "all": integers into floats
np.testing.assert_array_equal(weights.numpy(), [2.0, 3.0])
for wider in (tf.constant(1, tf.int64), tf.constant(1.0)):
    try:
        counter.assign_add(wider)
        raise AssertionError("a wider dtype must be refused")
    except TypeError as exc:
        assert "immutable" in str(exc)
try:
    weights.assign_add(tf.constant([1.0, 1.0], tf.float64))
    raise AssertionError("float64 into float32 must be refused")
except TypeError:
    pass
assert int(counter.numpy()) == 13
print("ok")
