"""More ``tf.compat.v1.metrics`` (v1_metrics.py has the common ones; :func:`namespace` is
the whole of it): the confusion counts
(``true_positives`` ...), their ``*_at_thresholds`` forms, ``auc`` over thresholds,
``mean_iou`` and ``mean_per_class_accuracy`` over a confusion matrix. Each returns
``(value, update_op)`` over local variables, with TensorFlow's formulas."""

from __future__ import annotations

from . import v1_metrics
from .v1_metrics import _collect, _graph_only, _local, _tf
from .v1_record import as_graph_tensor
from .v1_scopes import variable_scope

_KEYS = {"tp": "true_positives", "fn": "false_negatives", "tn": "true_negatives",
         "fp": "false_positives"}  # fmt: skip


def _weights(weights, like):
    tf = _tf()
    if weights is None:
        return None
    return tf.cast(as_graph_tensor(weights), "float32") * tf.ones_like(like, "float32")


def _count(kind: str, label_is: bool, prediction_is: bool):
    """A streaming count of the elements whose label and prediction are as given."""

    def metric(labels, predictions, weights=None, metrics_collections=None,
               updates_collections=None, name=None):  # fmt: skip
        _graph_only(kind)
        tf = _tf()
        with variable_scope(name, kind):
            labels = tf.cast(as_graph_tensor(labels), "bool")
            predictions = tf.cast(as_graph_tensor(predictions), "bool")
            hit = tf.logical_and(tf.equal(labels, label_is), tf.equal(predictions, prediction_is))
            hit = tf.cast(hit, "float32")
            w = _weights(weights, hit)
            if w is not None:
                hit = hit * w
            count = _local("count")
            update = count.assign_add(tf.reduce_sum(hit))
        return _collect(count, update, metrics_collections, updates_collections)

    metric.__name__ = kind
    return metric


true_positives = _count("true_positives", True, True)
false_positives = _count("false_positives", False, True)
true_negatives = _count("true_negatives", False, False)
false_negatives = _count("false_negatives", True, False)


def _at_thresholds(labels, predictions, thresholds, weights, includes):
    """``(values, updates)``: for each of ``includes`` ("tp", "fn", "tn", "fp") a local
    variable of one count per threshold (a prediction above it is positive) and its
    update, as TensorFlow's _confusion_matrix_at_thresholds."""
    tf = _tf()
    predictions = tf.reshape(tf.cast(as_graph_tensor(predictions), "float32"), [1, -1])
    labels = tf.reshape(tf.cast(as_graph_tensor(labels), "bool"), [1, -1])
    thresholds = tf.constant([float(t) for t in thresholds], shape=[len(thresholds), 1])
    pred_pos = tf.greater(predictions, thresholds)  # [thresholds, n]
    label_pos = tf.logical_and(labels, tf.ones_like(pred_pos))
    cases = {
        "tp": (label_pos, pred_pos),
        "fn": (label_pos, tf.logical_not(pred_pos)),
        "tn": (tf.logical_not(label_pos), tf.logical_not(pred_pos)),
        "fp": (tf.logical_not(label_pos), pred_pos),
    }
    w = (
        None
        if weights is None
        else tf.reshape(tf.cast(as_graph_tensor(weights), "float32"), [1, -1])
    )
    values, updates = {}, {}
    for key in includes:
        hit = tf.cast(tf.logical_and(*cases[key]), "float32")
        if w is not None:
            hit = hit * w
        var = _local(_KEYS[key], [int(thresholds.shape[0])])
        values[key], updates[key] = var, var.assign_add(tf.reduce_sum(hit, 1))
    return values, updates


def _count_at_thresholds(kind: str, key: str):
    def metric(labels, predictions, thresholds, weights=None, metrics_collections=None,
               updates_collections=None, name=None):  # fmt: skip
        _graph_only(kind)
        with variable_scope(name, _KEYS[key]):
            values, updates = _at_thresholds(labels, predictions, thresholds, weights, (key,))
        return _collect(values[key], updates[key], metrics_collections, updates_collections)

    metric.__name__ = kind
    return metric


true_positives_at_thresholds = _count_at_thresholds("true_positives_at_thresholds", "tp")
false_positives_at_thresholds = _count_at_thresholds("false_positives_at_thresholds", "fp")
true_negatives_at_thresholds = _count_at_thresholds("true_negatives_at_thresholds", "tn")
false_negatives_at_thresholds = _count_at_thresholds("false_negatives_at_thresholds", "fn")


def _auc_of(tf, c, curve: str, summation_method: str, n: int):
    """TensorFlow's area under the ROC or PR curve from the counts ``c`` per threshold."""
    tp, fn, tn, fp = c["tp"], c["fn"], c["tn"], c["fp"]
    epsilon = 1.0e-6
    if curve == "PR" and summation_method == "careful_interpolation":
        dtp = tp[: n - 1] - tp[1:]
        p = tp + fp
        slope = tf.math.divide_no_nan(dtp, tf.maximum(p[: n - 1] - p[1:], 0.0))
        intercept = tp[1:] - slope * p[1:]
        ratio = tf.where(
            tf.logical_and(p[: n - 1] > 0, p[1:] > 0),
            tf.math.divide_no_nan(p[: n - 1], tf.maximum(p[1:], 0.0)),
            tf.ones_like(p[1:]),
        )
        return tf.reduce_sum(
            tf.math.divide_no_nan(
                slope * (dtp + intercept * tf.math.log(ratio)), tf.maximum(tp[1:] + fn[1:], 0.0)
            )
        )
    recall = (tp + epsilon) / (tp + fn + epsilon)
    if curve == "ROC":
        x, y = fp / (fp + tn + epsilon), recall
    else:
        x, y = recall, (tp + epsilon) / (tp + fp + epsilon)
    width = x[: n - 1] - x[1:]
    if summation_method in ("trapezoidal", "careful_interpolation"):
        return tf.reduce_sum(width * (y[: n - 1] + y[1:]) / 2.0)
    if summation_method == "minoring":
        return tf.reduce_sum(width * tf.minimum(y[: n - 1], y[1:]))
    return tf.reduce_sum(width * tf.maximum(y[: n - 1], y[1:]))


def auc(labels, predictions, weights=None, num_thresholds=200, metrics_collections=None,
        updates_collections=None, curve="ROC", name=None, summation_method="trapezoidal",
        thresholds=None):  # fmt: skip
    """The area under the ROC (or PR) curve of ``predictions`` in [0, 1], over
    ``num_thresholds`` thresholds (or the given ``thresholds``)."""
    _graph_only("auc")
    if curve not in ("ROC", "PR"):
        raise ValueError(f"Curve must be either ROC or PR. Curve {curve} is unknown.")
    if summation_method not in ("trapezoidal", "careful_interpolation", "minoring", "majoring"):
        raise ValueError(
            f"Invalid summation_method: {summation_method} summation_method should be "
            "'trapezoidal', 'careful_interpolation', 'minoring', or 'majoring'."
        )
    tf = _tf()
    with variable_scope(name, "auc"):
        if thresholds is not None:
            inner = sorted(float(t) for t in thresholds)
        else:
            inner = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
        edges = [0.0 - 1e-7] + inner + [1.0 + 1e-7]
        values, updates = _at_thresholds(labels, predictions, edges, weights, tuple(_KEYS))
        n = len(edges)
        value = _auc_of(tf, values, curve, summation_method, n)
        update = _auc_of(tf, updates, curve, summation_method, n)
    return _collect(value, update, metrics_collections, updates_collections)


def _confusion(labels, predictions, num_classes, weights):
    """A local [num_classes, num_classes] float64 confusion matrix and its update."""
    tf = _tf()
    labels = tf.reshape(tf.cast(as_graph_tensor(labels), "int64"), [-1])
    predictions = tf.reshape(tf.cast(as_graph_tensor(predictions), "int64"), [-1])
    w = None if weights is None else tf.reshape(as_graph_tensor(weights), [-1])
    batch = tf.math.confusion_matrix(labels, predictions, num_classes, weights=w, dtype="float64")
    total = _local("total_confusion_matrix", [num_classes, num_classes], "float64")
    return total, total.assign_add(batch)


def mean_iou(labels, predictions, num_classes, weights=None, metrics_collections=None,
             updates_collections=None, name=None):  # fmt: skip
    """The mean over classes (those seen) of intersection over union."""
    _graph_only("mean_iou")
    tf = _tf()

    def iou(cm):
        rows = tf.cast(tf.reduce_sum(cm, 0), "float32")
        cols = tf.cast(tf.reduce_sum(cm, 1), "float32")
        diag = tf.cast(tf.reduce_sum(cm * tf.eye(num_classes, dtype="float64"), 1), "float32")
        denominator = rows + cols - diag
        valid = tf.reduce_sum(tf.cast(tf.not_equal(denominator, 0), "float32"))
        denominator = tf.where(denominator > 0, denominator, tf.ones_like(denominator))
        return tf.where(valid > 0, tf.reduce_sum(diag / denominator) / valid, 0.0)

    with variable_scope(name, "mean_iou"):
        num_classes = int(num_classes)
        total, update = _confusion(labels, predictions, num_classes, weights)
        value = iou(total)
    return _collect(value, update, metrics_collections, updates_collections)


def mean_per_class_accuracy(labels, predictions, num_classes, weights=None,
                            metrics_collections=None, updates_collections=None,
                            name=None):  # fmt: skip
    """The mean over classes of each class's accuracy (its hits over its labels); the
    update op gives the accuracy of each class, as TensorFlow's."""
    _graph_only("mean_per_class_accuracy")
    tf = _tf()
    num_classes = int(num_classes)
    with variable_scope(name, "mean_accuracy"):
        labels = tf.reshape(tf.cast(as_graph_tensor(labels), "int64"), [-1])
        predictions = tf.reshape(tf.cast(as_graph_tensor(predictions), "int64"), [-1])
        ones = tf.ones_like(labels, "float32")
        correct = tf.cast(tf.equal(predictions, labels), "float32")
        if weights is not None:
            w = tf.reshape(tf.cast(as_graph_tensor(weights), "float32"), [-1]) * ones
            ones, correct = ones * w, correct * w
        total, count = _local("total", [num_classes]), _local("count", [num_classes])
        new_total = total.assign_add(tf.math.unsorted_segment_sum(ones, labels, num_classes))
        new_count = count.assign_add(tf.math.unsorted_segment_sum(correct, labels, num_classes))
        value = tf.reduce_mean(tf.math.divide_no_nan(count, tf.maximum(total, 0.0)))
        update = tf.math.divide_no_nan(new_count, tf.maximum(new_total, 0.0))  # per class
    return _collect(value, update, metrics_collections, updates_collections)


__all__ = [
    "auc",
    "false_negatives",
    "false_negatives_at_thresholds",
    "false_positives",
    "false_positives_at_thresholds",
    "mean_iou",
    "mean_per_class_accuracy",
    "true_negatives",
    "true_negatives_at_thresholds",
    "true_positives",
    "true_positives_at_thresholds",
]


def namespace():
    import types

    common = ("mean", "accuracy", "mean_squared_error", "mean_absolute_error",
              "root_mean_squared_error", "precision", "recall")  # fmt: skip
    names = {name: getattr(v1_metrics, name) for name in common}
    names.update({name: globals()[name] for name in __all__})
    return types.SimpleNamespace(**names)
