"""``tf.compat.v1.losses``: TF 1's loss functions, each reduced by ``compute_weighted_loss``
(``SUM_BY_NONZERO_WEIGHTS`` by default: the weighted sum over the count of nonzero weights)
and added to the ``LOSSES`` collection, as TF 1 does; in graph mode and eagerly."""

from __future__ import annotations

import sys
import types

from . import v1_collections as collections
from .v1_graph import GraphTensor
from .v1_record import as_graph_tensor, graph_call

LOSSES = collections.GraphKeys.LOSSES


def _tf():
    return sys.modules["gpuflow"]


class Reduction:
    """How ``compute_weighted_loss`` reduces the weighted losses."""

    NONE = "none"
    SUM = "weighted_sum"
    SUM_OVER_BATCH_SIZE = "weighted_sum_over_batch_size"
    MEAN = "weighted_mean"
    SUM_BY_NONZERO_WEIGHTS = "weighted_sum_by_nonzero_weights"
    SUM_OVER_NONZERO_WEIGHTS = SUM_BY_NONZERO_WEIGHTS

    @classmethod
    def all(cls):
        return (cls.NONE, cls.SUM, cls.MEAN, cls.SUM_OVER_BATCH_SIZE, cls.SUM_BY_NONZERO_WEIGHTS)

    @classmethod
    def validate(cls, key) -> None:
        if key not in cls.all():
            raise ValueError(f"Invalid Reduction Key {key}.")


def compute_weighted_loss(
    losses,
    weights=1.0,
    scope=None,
    loss_collection=LOSSES,
    reduction=Reduction.SUM_BY_NONZERO_WEIGHTS,
):
    """``losses * weights`` reduced as ``reduction`` says."""
    Reduction.validate(reduction)
    tf = _tf()
    losses = as_graph_tensor(losses)
    weights = as_graph_tensor(weights)
    losses = losses if isinstance(losses, GraphTensor) else tf.convert_to_tensor(losses)
    in_dtype = losses.dtype
    losses = tf.cast(losses, "float32")
    weights = tf.cast(weights, "float32")
    weighted = tf.multiply(losses, weights)
    if reduction == Reduction.NONE:
        loss = weighted
    else:
        total = tf.reduce_sum(weighted)
        if reduction == Reduction.MEAN:
            loss = tf.math.divide_no_nan(total, tf.reduce_sum(tf.ones_like(losses) * weights))
        elif reduction == Reduction.SUM_OVER_BATCH_SIZE:
            loss = tf.math.divide_no_nan(total, tf.cast(tf.size(losses), "float32"))
        elif reduction == Reduction.SUM_BY_NONZERO_WEIGHTS:
            present = tf.math.count_nonzero(tf.ones_like(losses) * weights, dtype="float32")
            loss = tf.math.divide_no_nan(total, present)
        else:
            loss = total
    loss = tf.cast(loss, in_dtype)
    if loss_collection:
        collections.add_to_collection(loss_collection, loss)
    return loss


def _loss(per_element):
    """A TF 1 loss: ``per_element(...)`` gives the losses, weighted and reduced."""

    def loss(*args, weights=1.0, scope=None, loss_collection=LOSSES,
             reduction=Reduction.SUM_BY_NONZERO_WEIGHTS, **kwargs):  # fmt: skip
        args = [as_graph_tensor(a) for a in args]  # graph mode: ops on them are recorded
        values = per_element(*args, **kwargs)
        return compute_weighted_loss(values, weights, scope, loss_collection, reduction)

    loss.__name__ = per_element.__name__
    return loss


def _floats(*values):
    tf = _tf()
    return [tf.cast(v, "float32") for v in values]


def _absolute_difference(labels, predictions):
    labels, predictions = _floats(labels, predictions)
    return _tf().abs(predictions - labels)


def _mean_squared_error(labels, predictions):
    labels, predictions = _floats(labels, predictions)
    return _tf().math.squared_difference(predictions, labels)


def _huber_loss(labels, predictions, delta=1.0):
    tf = _tf()
    labels, predictions = _floats(labels, predictions)
    error = tf.abs(predictions - labels)
    quadratic = tf.minimum(error, delta)
    return 0.5 * quadratic * quadratic + delta * (error - quadratic)


def _log_loss(labels, predictions, epsilon=1e-7):
    tf = _tf()
    labels, predictions = _floats(labels, predictions)
    return -labels * tf.math.log(predictions + epsilon) - (1 - labels) * tf.math.log(
        1 - predictions + epsilon
    )


def _hinge_loss(labels, logits):
    tf = _tf()
    labels, logits = _floats(labels, logits)
    return tf.nn.relu(1 - (2 * labels - 1) * logits)


def _sigmoid_cross_entropy(multi_class_labels, logits, label_smoothing=0):
    tf = _tf()
    labels = tf.cast(multi_class_labels, logits.dtype)
    if label_smoothing:
        labels = labels * (1 - label_smoothing) + 0.5 * label_smoothing
    return tf.nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)


def _softmax_cross_entropy(onehot_labels, logits, label_smoothing=0):
    tf = _tf()
    labels = tf.cast(onehot_labels, logits.dtype)
    if label_smoothing:
        classes = tf.cast(tf.shape(labels)[-1], labels.dtype)
        labels = labels * (1 - label_smoothing) + label_smoothing / classes
    labels = graph_call(tf.stop_gradient, labels)
    return tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)


def _sparse_softmax_cross_entropy(labels, logits):
    return _tf().nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)


def _cosine_distance(labels, predictions, axis=None, dim=None):
    axis = axis if axis is not None else dim
    if axis is None:
        raise ValueError("You must specify argument `axis`.")
    labels, predictions = _floats(labels, predictions)
    return 1 - _tf().reduce_sum(labels * predictions, axis=axis, keepdims=True)


absolute_difference = _loss(_absolute_difference)
mean_squared_error = _loss(_mean_squared_error)
huber_loss = _loss(_huber_loss)
log_loss = _loss(_log_loss)
hinge_loss = _loss(_hinge_loss)
sigmoid_cross_entropy = _loss(_sigmoid_cross_entropy)
softmax_cross_entropy = _loss(_softmax_cross_entropy)
sparse_softmax_cross_entropy = _loss(_sparse_softmax_cross_entropy)
cosine_distance = _loss(_cosine_distance)


def add_loss(loss, loss_collection=LOSSES) -> None:
    if loss_collection:
        collections.add_to_collection(loss_collection, loss)


def get_losses(scope=None, loss_collection=LOSSES) -> list:
    return collections.get_collection(loss_collection, scope)


def get_regularization_losses(scope=None) -> list:
    return collections.get_collection(collections.GraphKeys.REGULARIZATION_LOSSES, scope)


def get_regularization_loss(scope=None, name="total_regularization_loss"):
    losses = get_regularization_losses(scope)
    tf = _tf()
    return tf.add_n(losses, name=name) if losses else tf.constant(0.0)


def get_total_loss(add_regularization_losses=True, name="total_loss", scope=None):
    losses = get_losses(scope)
    if add_regularization_losses:
        losses = losses + get_regularization_losses(scope)
    if not losses:
        raise ValueError("No losses found in the collection")
    return _tf().add_n(losses, name=name)


def namespace():
    names = (
        "Reduction absolute_difference add_loss compute_weighted_loss cosine_distance "
        "get_losses get_regularization_loss get_regularization_losses get_total_loss "
        "hinge_loss huber_loss log_loss mean_squared_error sigmoid_cross_entropy "
        "softmax_cross_entropy sparse_softmax_cross_entropy"
    ).split()
    module = sys.modules[__name__]
    return types.SimpleNamespace(**{n: getattr(module, n) for n in names})
