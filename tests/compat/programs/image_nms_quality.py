"""Object-detection and augmentation helpers of tf.image: NMS with scores (and Soft-NMS),
padded NMS for fixed-size outputs, JPEG-quality augmentation and multi-scale SSIM."""

import numpy as np
import tensorflow as tf

boxes = tf.constant(
    [
        [0.0, 0.0, 1.0, 1.0],
        [0.0, 0.1, 1.0, 1.1],
        [0.0, -0.1, 1.0, 0.9],
        [0.0, 10.0, 1.0, 11.0],
        [0.0, 10.1, 1.0, 11.1],
        [0.0, 100.0, 1.0, 101.0],
    ]
)
scores = tf.constant([0.9, 0.75, 0.6, 0.95, 0.5, 0.3])
selected, selected_scores = tf.image.non_max_suppression_with_scores(
    boxes, scores, 3, iou_threshold=0.5
)
assert selected.numpy().tolist() == [3, 0, 5]
np.testing.assert_allclose(selected_scores.numpy(), [0.95, 0.9, 0.3])

soft, soft_scores = tf.image.non_max_suppression_with_scores(
    boxes, scores, 6, iou_threshold=1.0, score_threshold=0.1, soft_nms_sigma=0.5
)
assert soft.numpy().tolist()[:2] == [3, 0]
assert len(soft.numpy()) > 3  # overlapping boxes stay, with decayed scores
assert all(soft_scores.numpy()[2:] < scores.numpy()[soft.numpy()[2:]] + 1e-6)

indices, valid = tf.image.non_max_suppression_padded(
    boxes, scores, 5, iou_threshold=0.5, pad_to_max_output_size=True
)
assert indices.numpy().tolist() == [3, 0, 5, 0, 0] and int(valid) == 3

rng = np.random.default_rng(0)
image = np.clip(rng.normal(0.5, 0.2, (32, 32, 3)), 0, 1).astype(np.float32)
coarse = tf.image.adjust_jpeg_quality(image, 10)
fine = tf.image.adjust_jpeg_quality(image, 95)
assert coarse.dtype == tf.float32 and coarse.shape == (32, 32, 3)
assert np.abs(fine.numpy() - image).mean() < np.abs(coarse.numpy() - image).mean()
repeat = tf.image.stateless_random_jpeg_quality(image, 50, 90, seed=(3, 4))
assert np.array_equal(
    repeat.numpy(), tf.image.stateless_random_jpeg_quality(image, 50, 90, seed=(3, 4)).numpy()
)

a = rng.random((1, 180, 180, 1)).astype(np.float32)
b = np.clip(a + rng.normal(0, 0.05, a.shape), 0, 1).astype(np.float32)
same = tf.image.ssim_multiscale(a, a, max_val=1.0)
noisy = tf.image.ssim_multiscale(a, b, max_val=1.0)
assert abs(float(same[0]) - 1.0) < 1e-5 and 0.5 < float(noisy[0]) < 1.0
print("ok")
