"""Object-detection style box ops: crop_and_resize (ROI align), drawing boxes, combined NMS,
and tf.strings.format for a log line."""

import numpy as np
import tensorflow as tf

rng = np.random.default_rng(0)
images = rng.uniform(size=(2, 8, 8, 3)).astype(np.float32)

# ROI crops: the whole image at its own size is the image; a flipped box flips the crop.
whole = tf.image.crop_and_resize(images, [[0.0, 0.0, 1.0, 1.0]], [1], (8, 8))
np.testing.assert_allclose(whole[0], images[1], rtol=1e-6, atol=1e-6)
flipped = tf.image.crop_and_resize(images, [[1.0, 0.0, 0.0, 1.0]], [0], (8, 8))
np.testing.assert_allclose(flipped[0], images[0][::-1], rtol=1e-6, atol=1e-6)
# Half-pixel sampling is the mean of neighbours; outside samples take the fill value.
mid = tf.image.crop_and_resize(images, [[0.0, 0.0, 1 / 7, 1 / 7]], [0], (1, 1))
np.testing.assert_allclose(mid[0, 0, 0], images[0, :2, :2].mean(axis=(0, 1)), rtol=1e-5)
outside = tf.image.crop_and_resize(
    images, [[-1.0, -1.0, -0.5, -0.5]], [0], (2, 2), extrapolation_value=7.0
)
np.testing.assert_array_equal(outside, np.full((1, 2, 2, 3), 7.0, np.float32))
nearest = tf.image.crop_and_resize(images, [[0.0, 0.0, 1.0, 1.0]], [0], (3, 3), method="nearest")
np.testing.assert_array_equal(nearest[0], images[0][[0, 4, 7]][:, [0, 4, 7]])

# Gradients flow to the image through the crops (ROI-align style heads).
image_var = tf.Variable(images)
with tf.GradientTape() as tape:
    crops = tf.image.crop_and_resize(image_var, [[0.2, 0.2, 0.6, 0.9]], [1], (4, 4))
    loss = tf.reduce_sum(crops)
grad = tape.gradient(loss, image_var)
assert float(tf.reduce_sum(grad[0])) == 0.0
np.testing.assert_allclose(float(tf.reduce_sum(grad[1])), 16 * 3, rtol=1e-5)

# Drawing boxes: the outline pixels take the color, the inside stays.
canvas = np.zeros((1, 9, 9, 3), np.float32)
drawn = tf.image.draw_bounding_boxes(canvas, [[[0.25, 0.25, 0.75, 0.75]]], [[1.0, 0.0, 0.0]])
red = drawn[0, :, :, 0].numpy()
assert red[2, 2:7].tolist() == [1.0] * 5 and red[6, 2:7].tolist() == [1.0] * 5
assert red[2:7, 2].tolist() == [1.0] * 5 and red[2:7, 6].tolist() == [1.0] * 5
assert red[4, 4] == 0.0 and float(tf.reduce_sum(drawn[..., 1:])) == 0.0

# Combined NMS over two classes with boxes shared by the classes.
boxes = np.array(
    [[[[0.0, 0.0, 0.4, 0.4]], [[0.02, 0.02, 0.42, 0.42]], [[0.5, 0.5, 0.9, 0.9]],
      [[0.0, 0.6, 0.3, 0.9]]]],
    np.float32,
)  # fmt: skip
scores = np.array([[[0.9, 0.05], [0.8, 0.1], [0.1, 0.7], [0.3, 0.6]]], np.float32)
nmsed_boxes, nmsed_scores, nmsed_classes, valid = tf.image.combined_non_max_suppression(
    boxes, scores, max_output_size_per_class=3, max_total_size=5, score_threshold=0.2
)
assert int(valid[0]) == 4
np.testing.assert_allclose(nmsed_scores[0], [0.9, 0.7, 0.6, 0.3, 0.0], rtol=1e-6)
np.testing.assert_array_equal(nmsed_classes[0], [0.0, 1.0, 1.0, 0.0, 0.0])
np.testing.assert_allclose(nmsed_boxes[0, 1], [0.5, 0.5, 0.9, 0.9])

line = tf.strings.format("detections: {} scores: {}", (valid, nmsed_scores[0]))
assert line.numpy() == b"detections: [4] scores: [0.9 0.7 0.6 0.3 0]", line.numpy()
print("ok")
