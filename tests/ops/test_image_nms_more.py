"""tf.image NMS variants (selections checked against TensorFlow 2.21 on random boxes)."""

import numpy as np
import pytest

import gpuflow as tf


def _boxes():
    rng = np.random.default_rng(0)
    xy = rng.random((30, 2)).astype(np.float32) * 5
    wh = rng.random((30, 2)).astype(np.float32) * 3 + 0.5
    return np.concatenate([xy, xy + wh], 1), rng.random(30).astype(np.float32), rng


def test_with_scores_hard_equals_plain_nms_and_soft_decays():
    boxes, scores, _ = _boxes()
    hard, hard_scores = tf.image.non_max_suppression_with_scores(boxes, scores, 30, 0.2)
    plain = tf.image.non_max_suppression(boxes, scores, 30, iou_threshold=0.2)
    assert hard.numpy().tolist() == plain.numpy().tolist()
    assert hard.numpy().tolist() == [2, 18, 25, 6, 29, 27, 16, 12, 3, 13, 1, 28, 19, 23, 26]
    np.testing.assert_allclose(hard_scores.numpy(), scores[hard.numpy()])
    soft, soft_scores = tf.image.non_max_suppression_with_scores(
        boxes, scores, 10, iou_threshold=1.0, soft_nms_sigma=0.5
    )
    assert soft.numpy().tolist() == [2, 18, 25, 6, 29, 16, 27, 12, 22, 13]
    np.testing.assert_allclose(
        soft_scores.numpy()[:4], [0.96606, 0.95908, 0.90996, 0.86407], atol=1e-5
    )
    # Soft-NMS keeps every box (decayed), whatever iou_threshold
    every, _ = tf.image.non_max_suppression_with_scores(boxes, scores, 30, 0.2, soft_nms_sigma=0.5)
    assert sorted(every.numpy().tolist()) == list(range(30))
    with pytest.raises(ValueError, match="soft_nms_sigma must be >= 0"):
        tf.image.non_max_suppression_with_scores(boxes, scores, 3, soft_nms_sigma=-1.0)


def test_overlaps_and_padded():
    boxes, scores, rng = _boxes()
    overlaps = rng.random((6, 6)).astype(np.float32)
    overlaps = (overlaps + overlaps.T) / 2
    picked = tf.image.non_max_suppression_overlaps(overlaps, scores[:6], 4, overlap_threshold=0.5)
    assert picked.numpy().tolist() == [2, 3]
    indices, valid = tf.image.non_max_suppression_padded(
        boxes, scores, 25, iou_threshold=0.3, pad_to_max_output_size=True
    )
    assert int(valid) == 19 and indices.shape == (25,)
    assert indices.numpy().tolist()[15:] == [0, 4, 23, 26, 0, 0, 0, 0, 0, 0]
    batch = np.stack([boxes, boxes[::-1]])
    indices, valid = tf.image.non_max_suppression_padded(
        batch, np.stack([scores, scores[::-1]]), 5, iou_threshold=0.3, pad_to_max_output_size=True
    )
    assert indices.numpy().tolist() == [[2, 18, 25, 6, 29], [27, 11, 4, 23, 0]]
    assert valid.numpy().tolist() == [5, 5]
    with pytest.raises(ValueError, match="must be True for batched input"):
        tf.image.non_max_suppression_padded(batch, np.stack([scores, scores]), 5)
