"""tf.compat.v1.metrics beyond the common ones: auc, mean_iou, mean_per_class_accuracy,
root_mean_squared_error, the confusion counts (expected values from TensorFlow 2.21 on the
same two batches)."""

import numpy as np
import pytest

import gpuflow as tf

v1 = tf.compat.v1

BATCHES = [([0, 1, 1, 0], [0.1, 0.8, 0.4, 0.6]), ([1, 1, 0, 0], [0.9, 0.7, 0.2, 0.55])]


def _stream(make):
    """The update op's value after each batch, then the metric's value."""
    with tf.Graph().as_default():
        labels = v1.placeholder(tf.int64, [None])
        scores = v1.placeholder(tf.float32, [None])
        value, update = make(labels, scores, tf.cast(scores > 0.5, tf.int64))
        with v1.Session() as sess:
            sess.run(v1.local_variables_initializer())
            updates = [sess.run(update, {labels: lab, scores: s}) for lab, s in BATCHES]
            return updates, sess.run(value)


@pytest.mark.parametrize(
    "make, updates, final",
    [
        (lambda y, s, h: v1.metrics.auc(y, s), [0.75, 0.875], 0.875),
        (
            lambda y, s, h: v1.metrics.auc(
                y, s, curve="PR", summation_method="careful_interpolation", num_thresholds=50
            ),
            [0.79727, 0.90884],
            0.90884,
        ),
        (lambda y, s, h: v1.metrics.root_mean_squared_error(y, s), [0.43875, 0.38931], 0.38931),
        (lambda y, s, h: v1.metrics.true_positives(y, h), [1.0, 3.0], 3.0),
        (lambda y, s, h: v1.metrics.false_positives(y, h), [1.0, 2.0], 2.0),
        (lambda y, s, h: v1.metrics.true_negatives(y, h), [1.0, 2.0], 2.0),
        (lambda y, s, h: v1.metrics.false_negatives(y, h), [1.0, 1.0], 1.0),
        (
            lambda y, s, h: v1.metrics.true_positives_at_thresholds(y, s, [0.3, 0.7]),
            [[2.0, 1.0], [4.0, 2.0]],
            [4.0, 2.0],
        ),
        (
            lambda y, s, h: v1.metrics.mean_per_class_accuracy(y, h, 2),
            [[0.5, 0.5], [0.5, 0.75]],
            0.625,
        ),
        (
            lambda y, s, h: v1.metrics.mean_iou(y, h, 2),
            [[[1.0, 1.0], [1.0, 1.0]], [[2.0, 2.0], [1.0, 3.0]]],
            0.45,
        ),
    ],
)
def test_streaming_values_match_tensorflow(make, updates, final):
    got_updates, got = _stream(make)
    np.testing.assert_allclose(np.array(got_updates, dtype=np.float64), updates, atol=1e-5)
    np.testing.assert_allclose(got, final, atol=1e-5)


def test_metric_variables_are_local_and_named_as_tensorflow():
    with tf.Graph().as_default():
        labels = v1.placeholder(tf.int64, [None])
        scores = v1.placeholder(tf.float32, [None])
        v1.metrics.auc(labels, scores)
        v1.metrics.mean_iou(labels, labels, 3)
        names = sorted(v.name for v in v1.local_variables())
        assert v1.global_variables() == []
        assert len(v1.get_collection(v1.GraphKeys.METRIC_VARIABLES)) == len(names)
    assert names == [
        "auc/false_negatives:0",
        "auc/false_positives:0",
        "auc/true_negatives:0",
        "auc/true_positives:0",
        "mean_iou/total_confusion_matrix:0",
    ]


def test_auc_argument_errors_and_eager_refusal():
    with tf.Graph().as_default():
        y = v1.placeholder(tf.int64, [None])
        with pytest.raises(ValueError, match="Curve must be either ROC or PR"):
            v1.metrics.auc(y, tf.cast(y, tf.float32), curve="XY")
        with pytest.raises(ValueError, match="Invalid summation_method"):
            v1.metrics.auc(y, tf.cast(y, tf.float32), summation_method="simpson")
    with pytest.raises(RuntimeError, match="tf.metrics.auc is not supported when eager"):
        v1.metrics.auc([0, 1], [0.2, 0.7])
