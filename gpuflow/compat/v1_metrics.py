"""``tf.compat.v1.metrics``: streaming metrics of a TF 1 graph. Each returns ``(value,
update_op)`` over local variables (``tf.compat.v1.local_variables_initializer()`` resets
them): ``update_op`` adds a batch and gives the new value, ``value`` reads it."""

from __future__ import annotations

import sys

from . import v1_collections as collections
from .v1_graph import graph_mode
from .v1_record import as_graph_tensor
from .v1_scopes import variable_scope
from .v1_variables import GraphVariable


def _tf():
    return sys.modules["gpuflow"]


def _local(name: str, shape=(), dtype="float32"):
    keys = [collections.GraphKeys.LOCAL_VARIABLES, collections.GraphKeys.METRIC_VARIABLES]
    from .v1_scopes import current_name_scope

    scope = current_name_scope()
    full = f"{scope}/{name}" if scope else name
    from .v1_scopes import _stacks

    saved = list(_stacks.names)
    _stacks.names.clear()  # the variable takes the scope's full name once
    try:
        return GraphVariable(_tf().zeros(shape, dtype), False, full, dtype, keys)
    finally:
        _stacks.names[:] = saved


def _graph_only(name: str) -> None:
    if not graph_mode():
        raise RuntimeError(f"tf.metrics.{name} is not supported when eager execution is enabled.")


def _collect(value, update, metrics_collections, updates_collections):
    for key in metrics_collections or ():
        collections.add_to_collection(key, value)
    for key in updates_collections or ():
        collections.add_to_collection(key, update)
    return value, update


def mean(values, weights=None, metrics_collections=None, updates_collections=None, name=None):
    """The (weighted) mean of all ``values`` seen."""
    _graph_only("mean")
    tf = _tf()
    with variable_scope(name, "mean"):
        values = tf.cast(as_graph_tensor(values), "float32")
        total, count = _local("total"), _local("count")
        if weights is None:
            amount, num = tf.reduce_sum(values), tf.cast(tf.size(values), "float32")
        else:
            weights = tf.cast(as_graph_tensor(weights), "float32") * tf.ones_like(values)
            amount, num = tf.reduce_sum(values * weights), tf.reduce_sum(weights)
        update = tf.math.divide_no_nan(total.assign_add(amount), count.assign_add(num))
        value = tf.math.divide_no_nan(total, count)
    return _collect(value, update, metrics_collections, updates_collections)


def accuracy(labels, predictions, weights=None, metrics_collections=None,
             updates_collections=None, name=None):  # fmt: skip
    """How often ``predictions`` equals ``labels``."""
    _graph_only("accuracy")
    tf = _tf()
    labels, predictions = as_graph_tensor(labels), as_graph_tensor(predictions)
    hits = tf.cast(tf.equal(tf.cast(predictions, labels.dtype), labels), "float32")
    return mean(hits, weights, metrics_collections, updates_collections, name or "accuracy")


def _mean_error(kind: str, error: str):
    """The streaming mean of ``error`` (``"square"`` or ``"abs"``, a ``tf`` function) of
    ``predictions - labels``, in float32: mean_squared_error and mean_absolute_error."""

    def metric(labels, predictions, weights=None, metrics_collections=None,
               updates_collections=None, name=None):  # fmt: skip
        _graph_only(kind)
        tf = _tf()
        labels, predictions = as_graph_tensor(labels), as_graph_tensor(predictions)
        difference = tf.cast(predictions, "float32") - tf.cast(labels, "float32")
        errors = getattr(tf, error)(difference)
        return mean(errors, weights, metrics_collections, updates_collections, name or kind)

    metric.__name__ = kind
    return metric


mean_squared_error = _mean_error("mean_squared_error", "square")
mean_absolute_error = _mean_error("mean_absolute_error", "abs")


def _ratio(kind: str, other: str):
    """precision (true positives over predicted positives) or recall (over actual ones)."""

    def metric(labels, predictions, weights=None, metrics_collections=None,
               updates_collections=None, name=None):  # fmt: skip
        _graph_only(kind)
        tf = _tf()
        with variable_scope(name, kind):
            labels = tf.cast(as_graph_tensor(labels), "bool")
            predictions = tf.cast(as_graph_tensor(predictions), "bool")
            w = 1.0 if weights is None else tf.cast(as_graph_tensor(weights), "float32")
            hit = tf.cast(tf.logical_and(labels, predictions), "float32") * w
            if other == "false_positives":
                miss = tf.cast(tf.logical_and(tf.logical_not(labels), predictions), "float32")
            else:
                miss = tf.cast(tf.logical_and(labels, tf.logical_not(predictions)), "float32")
            tp, fx = _local("true_positives/count"), _local(f"{other}/count")
            new_tp = tp.assign_add(tf.reduce_sum(hit))
            new_fx = fx.assign_add(tf.reduce_sum(miss * w))
            update = tf.math.divide_no_nan(new_tp, new_tp + new_fx)
            value = tf.math.divide_no_nan(tp, tp + fx)
        return _collect(value, update, metrics_collections, updates_collections)

    metric.__name__ = kind
    return metric


precision = _ratio("precision", "false_positives")
recall = _ratio("recall", "false_negatives")


def root_mean_squared_error(labels, predictions, weights=None, metrics_collections=None,
                            updates_collections=None, name=None):  # fmt: skip
    """The square root of the streaming mean squared error."""
    _graph_only("root_mean_squared_error")
    tf = _tf()
    mse, update_mse = mean_squared_error(
        labels, predictions, weights, None, None, name or "root_mean_squared_error"
    )
    return _collect(tf.sqrt(mse), tf.sqrt(update_mse), metrics_collections, updates_collections)
