"""Per-sample metric functions, as ``tf.keras.metrics.*`` functions: one value per sample,
computed on the device of ``y_pred`` without recording gradients."""

from __future__ import annotations

from .. import dtypes
from .. import losses as _losses
from ..autodiff import no_grad
from ..losses import _checks
from ..losses.regression import _l2_normalize
from ..ops._common import as_tensor
from ..ops.reduce import reduce_sum
from ..tensor import Tensor


def _pair(y_true, y_pred, name: str) -> tuple[Tensor, Tensor]:
    y_pred = as_tensor(y_pred)
    return _checks.labels(y_true, y_pred), y_pred


def _float(array, device) -> Tensor:
    return Tensor._wrap(array.astype(dtypes.floatx()), device)


def categorical_accuracy(y_true, y_pred) -> Tensor:
    """1.0 where ``argmax(y_true) == argmax(y_pred)`` over the last axis, else 0.0."""
    t, p = _pair(y_true, y_pred, "categorical_accuracy")
    if tuple(t.shape) != tuple(p.shape):
        _checks.check_categorical_shapes(t, p, "categorical_accuracy")
    xp = p._device.xp
    return _float(xp.argmax(t._data, axis=-1) == xp.argmax(p._data, axis=-1), p._device)


def _sparse_ids(t: Tensor, p: Tensor):
    data = t._data
    if t.ndim == p.ndim and t.ndim and t.shape[-1] == 1:
        data = data.reshape(data.shape[:-1])
    if tuple(data.shape) != tuple(p.shape[:-1]):
        raise ValueError(
            f"sparse_categorical_accuracy: y_true shape {tuple(t.shape)} must be "
            f"y_pred shape without the class axis, {tuple(p.shape[:-1])}"
        )
    return data


def sparse_categorical_accuracy(y_true, y_pred) -> Tensor:
    """1.0 where the integer label equals ``argmax(y_pred)`` over the last axis, else 0.0."""
    t, p = _pair(y_true, y_pred, "sparse_categorical_accuracy")
    ids = _sparse_ids(t, p)
    xp = p._device.xp
    return _float(ids.astype("int64") == xp.argmax(p._data, axis=-1), p._device)


def binary_accuracy(y_true, y_pred, threshold: float = 0.5) -> Tensor:
    """Elementwise ``y_true == (y_pred > threshold)`` as floats (Keras 3: no mean over the
    last axis; ``metrics.BinaryAccuracy`` averages each sample's values)."""
    t, p = _pair(y_true, y_pred, "binary_accuracy")
    t = _checks.match_shapes(t, p, "binary_accuracy")
    hits = (t._data.astype(p.dtype) == (p._data > threshold)).astype(dtypes.floatx())
    return Tensor._wrap(hits, p._device)


def accuracy(y_true, y_pred) -> Tensor:
    """Elementwise ``y_true == y_pred`` as floats (``metrics.Accuracy``)."""
    t, p = _pair(y_true, y_pred, "accuracy")
    t = _checks.match_shapes(t, p, "accuracy")
    return _float(t._data == p._data, p._device)


def top_k_categorical_accuracy(y_true, y_pred, k: int = 5) -> Tensor:
    """1.0 where the true class (argmax of one-hot ``y_true``) is among the top ``k`` scores."""
    t, p = _pair(y_true, y_pred, "top_k_categorical_accuracy")
    _checks.check_categorical_shapes(t, p, "top_k_categorical_accuracy")
    return _in_top_k(p, p._device.xp.argmax(t._data, axis=-1), k)


def sparse_top_k_categorical_accuracy(
    y_true, y_pred, k: int = 5, from_sorted_ids: bool = False
) -> Tensor:
    """1.0 where the integer label is among the top ``k`` scores.

    ``from_sorted_ids`` (Keras 3): ``y_pred`` holds class ids sorted by score (as from
    ``top_k``), not scores; the label counts when it is among the first ``k`` of them."""
    t, p = _pair(y_true, y_pred, "sparse_top_k_categorical_accuracy")
    ids = _sparse_ids(t, p)
    if not from_sorted_ids:
        return _in_top_k(p, ids.astype("int64"), k)
    hits = (p._data[..., :k] == ids[..., None].astype(p.dtype)).any(axis=-1)
    return _float(hits, p._device)


def _in_top_k(p: Tensor, ids, k: int) -> Tensor:
    xp = p._device.xp
    score = xp.take_along_axis(p._data, ids[..., None], axis=-1)
    # Ties at the boundary count as in the top k, as tf.math.in_top_k.
    return _float((p._data > score).sum(axis=-1) < k, p._device)


def mean_squared_error(y_true, y_pred) -> Tensor:
    with no_grad():
        return _losses.mean_squared_error(y_true, y_pred)


def mean_absolute_error(y_true, y_pred) -> Tensor:
    with no_grad():
        return _losses.mean_absolute_error(y_true, y_pred)


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
categorical_crossentropy = _losses.categorical_crossentropy
sparse_categorical_crossentropy = _losses.sparse_categorical_crossentropy
binary_crossentropy = _losses.binary_crossentropy


def cosine_similarity(y_true, y_pred, axis: int = -1) -> Tensor:
    """Cosine similarity along ``axis`` (1 for equal directions), as the metric uses it; the
    loss :func:`gpuflow.losses.cosine_similarity` is its negative."""
    with no_grad():
        t, p = _pair(y_true, y_pred, "cosine_similarity")
        t = _checks.match_shapes(t, p, "cosine_similarity")
        dtype = _checks.compute_dtype(p)
        t, p = _checks.to_compute(t, dtype), _checks.to_compute(p, dtype)
        return reduce_sum(_l2_normalize(t, axis) * _l2_normalize(p, axis), axis=axis)


def _no_grad(fn):
    def metric(y_true, y_pred, **kwargs):
        with no_grad():
            return fn(y_true, y_pred, **kwargs)

    metric.__name__, metric.__doc__ = fn.__name__, fn.__doc__
    return metric


log_cosh = logcosh = _no_grad(_losses.log_cosh)
hinge = _no_grad(_losses.hinge)
squared_hinge = _no_grad(_losses.squared_hinge)
categorical_hinge = _no_grad(_losses.categorical_hinge)
poisson = _no_grad(_losses.poisson)
kl_divergence = kld = KLD = _no_grad(_losses.kl_divergence)
mean_absolute_percentage_error = mape = MAPE = _no_grad(_losses.mean_absolute_percentage_error)
mean_squared_logarithmic_error = msle = MSLE = _no_grad(_losses.mean_squared_logarithmic_error)
