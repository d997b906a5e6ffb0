"""Loss classes: per-sample values weighted by ``sample_weight`` and reduced to a scalar."""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..config import settings
from ..ops._common import as_tensor
from ..ops.creation import zeros, zeros_like
from ..ops.math import cast, where
from ..ops.reduce import reduce_mean, reduce_sum
from ..ops.shape import expand_dims, reshape
from ..tensor import Tensor
from . import functions
from .masking import apply_mask, combined_mask, keras_mask
from .ranks import squeeze_or_expand_to_same_rank

REDUCTIONS = ("sum_over_batch_size", "sum", "none", "mean", "mean_with_sample_weight")


class Reduction:
    """Reduction names, as ``tf.keras.losses.Reduction``."""

    AUTO = "auto"
    NONE = "none"
    SUM = "sum"
    SUM_OVER_BATCH_SIZE = "sum_over_batch_size"
    MEAN = "mean"
    MEAN_WITH_SAMPLE_WEIGHT = "mean_with_sample_weight"


class Loss:
    """Base class of losses: subclasses implement ``call(y_true, y_pred)`` per sample.

    Args:
        reduction: ``"sum_over_batch_size"`` (default; the weighted sum over the number of
            per-sample values) or its Keras 3 alias ``"mean"``, ``"sum"``,
            ``"mean_with_sample_weight"`` (the weighted sum over the sum of the weights), or
            ``"none"`` / None (the per-sample values). ``"auto"`` (Keras 2) means
            ``"sum_over_batch_size"``.
        name: the loss name (default: the snake_case class name).
    """

    def __init__(
        self, reduction: str = "sum_over_batch_size", name: str | None = None, dtype=None
    ) -> None:
        reduction = {"auto": "sum_over_batch_size"}.get(reduction, reduction)
        if reduction is not None and reduction not in REDUCTIONS:
            raise ValueError(
                f"{type(self).__name__}: reduction must be one of "
                f"{', '.join(REDUCTIONS)}, received reduction={reduction!r}"
            )
        self.reduction = reduction  # None stays None (as Keras 3): it reduces as "none"
        self.name = name or _snake(type(self).__name__)
        self._dtype = dtype

    @property
    def dtype(self) -> str:
        """The dtype inputs are converted to and results come in (Keras 3: floatx by default)."""
        dtype = getattr(self, "_dtype", None)
        if dtype is None:
            return settings.floatx()
        return getattr(dtype, "name", str(dtype))

    def call(self, y_true, y_pred) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__} must implement call(y_true, y_pred)")

    def __call__(self, y_true, y_pred, sample_weight=None) -> Tensor:
        """The reduced loss: a scalar Tensor (per-sample Tensor for reduction ``"none"``).

        A ``y_pred`` (or per-sample loss) carrying a Keras mask (``_keras_mask``) counts
        only its unmasked entries, as Keras 3.
        """
        in_mask = keras_mask(y_pred)
        # Keras 3 converts both to the loss's dtype first (floatx: float64 NumPy arrays give
        # a float32 loss). Integer labels stay integers for gpuflow's own loss functions:
        # they cast them where they need to, with the same values, and class ids skip the
        # float-label checks (host syncs); a user's loss sees float labels, as in Keras
        y_true = _to_dtype(y_true, self.dtype, keep_integers=self._own_function())
        y_pred = _to_dtype(y_pred, self.dtype)
        values = self.call(y_true, y_pred)
        mask = combined_mask(in_mask, keras_mask(values))
        reduction = "none" if self.reduction is None else self.reduction
        return reduce_weighted(values, sample_weight, reduction, self.name, mask=mask)

    def _own_function(self) -> bool:
        """Whether ``call`` is gpuflow's own code (not a user's subclass or function)."""
        return type(self).__module__.startswith("gpuflow.")

    def get_config(self) -> dict:
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config: dict) -> Loss:
        return cls(**config)

    def __repr__(self) -> str:
        return f"<gpuflow.losses.{type(self).__name__} name={self.name!r}>"


def _to_dtype(x, dtype, keep_integers: bool = False):
    """``x`` (a tensor-like, or a list/tuple/dict of them) as Tensors of ``dtype``
    (integer and bool ones kept as they are with ``keep_integers``)."""
    if isinstance(x, dict):
        return {k: _to_dtype(v, dtype, keep_integers) for k, v in x.items()}
    if isinstance(x, (list, tuple)) and any(isinstance(v, (Tensor, np.ndarray)) for v in x):
        return type(x)(_to_dtype(v, dtype, keep_integers) for v in x)
    x = as_tensor(x)
    if x.dtype == dtype or (keep_integers and not dtypes.is_floating(x.dtype)):
        return x
    return cast(x, dtype)


def reduce_weighted(values: Tensor, sample_weight, reduction: str, name: str, mask=None) -> Tensor:
    """Weight per-sample ``values`` by ``sample_weight`` (and ``mask``, Keras 3's
    ``apply_mask``) and apply ``reduction``."""
    if not dtypes.is_floating(values.dtype):
        values = cast(values, dtypes.floatx())
    if mask is not None:
        if not _mask_fits(tuple(mask.shape), tuple(values.shape)):
            raise ValueError(
                f"{name}: the predictions' mask of shape {tuple(mask.shape)} does not fit "
                f"the per-sample losses of shape {tuple(values.shape)}"
            )
        sample_weight = apply_mask(sample_weight, mask, values.dtype, reduction)
    weights = None if sample_weight is None else _weights(sample_weight, values, name)
    if weights is not None:
        values = values * weights
    if reduction == "none":
        return values
    if reduction == "sum":
        return reduce_sum(values)
    if values.size == 0:
        return zeros((), dtype=values.dtype, device=values.device)
    if reduction == "mean_with_sample_weight" and weights is not None:
        # Keras: divide_no_nan(sum(w * loss), sum(w)), with the weights as given
        total = reduce_sum(values)
        divisor = reduce_sum(weights)
        return where(divisor == 0.0, zeros_like(total), total / where(divisor == 0.0, 1.0, divisor))
    return reduce_mean(values)


def _mask_fits(mask_shape: tuple, values_shape: tuple) -> bool:
    """A mask fits per-sample losses that it leads (one value per masked step, or more), or
    losses of lower rank that broadcast over it: a function loss that already reduced to a
    scalar is weighted by the broadcast mask in Keras 3 (its masked mean is the scalar)."""
    if len(values_shape) >= len(mask_shape):
        return mask_shape == values_shape[: len(mask_shape)]
    try:
        return np.broadcast_shapes(mask_shape, values_shape) == mask_shape
    except ValueError:
        return False


def _weights(sample_weight, values: Tensor, name: str) -> Tensor:
    w = as_tensor(sample_weight, device=values._device)
    if w._device is not values._device:
        w = w.to(values._device)
    if w.dtype != values.dtype:
        w = cast(w, values.dtype)
    while w.ndim > values.ndim and w.shape[-1] == 1:
        w = reshape(w, tuple(w.shape[:-1]))
    while w.ndim < values.ndim:
        w = expand_dims(w, -1)
    try:
        np.broadcast_shapes(tuple(w.shape), tuple(values.shape))
    except ValueError:
        raise ValueError(
            f"{name}: sample_weight shape {tuple(np.shape(sample_weight))} does not "
            f"fit the per-sample losses of shape {tuple(values.shape)}"
        ) from None
    return w


class LossFunctionWrapper(Loss):
    """A Loss around a function ``fn(y_true, y_pred, **kwargs)`` returning per-sample values."""

    def __init__(
        self,
        fn,
        reduction: str = "sum_over_batch_size",
        name: str | None = None,
        dtype=None,
        **kwargs,
    ) -> None:
        super().__init__(
            reduction=reduction, name=name or getattr(fn, "__name__", "loss"), dtype=dtype
        )
        self.fn = fn
        self._fn_kwargs = kwargs

    def _own_function(self) -> bool:
        return super()._own_function() and getattr(self.fn, "__module__", "").startswith("gpuflow.")

    def call(self, y_true, y_pred) -> Tensor:
        # Keras 3: a function sees labels and predictions of the same rank ((N,) labels
        # with (N, 1) predictions become (N, 1)), never a broadcast (N, N)
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def __repr__(self) -> str:
        # Keras 3's repr of every loss built on a function (BinaryCrossentropy, ...)
        return f"<LossFunctionWrapper({self.fn}, kwargs={self._fn_kwargs})>"

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(self._fn_kwargs)
        if type(self) is LossFunctionWrapper:
            config["fn"] = getattr(self.fn, "__name__", repr(self.fn))
        return config


class CategoricalCrossentropy(LossFunctionWrapper):
    """Cross-entropy for one-hot labels; see :func:`categorical_crossentropy`."""

    def __init__(
        self,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str = "sum_over_batch_size",
        name: str = "categorical_crossentropy",
        dtype=None,
    ):
        _check_smoothing(self, label_smoothing)
        super().__init__(
            functions.categorical_crossentropy,
            reduction=reduction,
            name=name,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
            dtype=dtype,
        )


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """Cross-entropy for integer labels; see :func:`sparse_categorical_crossentropy`."""

    def __init__(
        self,
        from_logits: bool = False,
        ignore_class=None,
        reduction: str = "sum_over_batch_size",
        axis: int = -1,
        name: str = "sparse_categorical_crossentropy",
        dtype=None,
    ):
        super().__init__(
            functions.sparse_categorical_crossentropy,
            reduction=reduction,
            name=name,
            from_logits=from_logits,
            ignore_class=ignore_class,
            axis=axis,
            dtype=dtype,
        )


class BinaryCrossentropy(LossFunctionWrapper):
    """Binary cross-entropy; see :func:`binary_crossentropy`."""

    def __init__(
        self,
        from_logits: bool = False,
        label_smoothing: float = 0.0,
        axis: int = -1,
        reduction: str = "sum_over_batch_size",
        name: str = "binary_crossentropy",
        dtype=None,
    ):
        _check_smoothing(self, label_smoothing)
        super().__init__(
            functions.binary_crossentropy,
            reduction=reduction,
            name=name,
            from_logits=from_logits,
            label_smoothing=label_smoothing,
            axis=axis,
            dtype=dtype,
        )


class MeanSquaredError(LossFunctionWrapper):
    """Mean squared error over the last axis, then reduced over samples."""

    def __init__(
        self, reduction: str = "sum_over_batch_size", name: str = "mean_squared_error", dtype=None
    ):
        super().__init__(functions.mean_squared_error, reduction=reduction, name=name, dtype=dtype)


class MeanAbsoluteError(LossFunctionWrapper):
    """Mean absolute error over the last axis, then reduced over samples."""

    def __init__(
        self, reduction: str = "sum_over_batch_size", name: str = "mean_absolute_error", dtype=None
    ):
        super().__init__(functions.mean_absolute_error, reduction=reduction, name=name, dtype=dtype)


def _check_smoothing(loss, value) -> None:
    if not 0.0 <= float(value) <= 1.0:
        raise ValueError(
            f"{type(loss).__name__}: label_smoothing must be in [0, 1], received "
            f"label_smoothing={value}"
        )


def _snake(name: str) -> str:
    out = []
    for i, ch in enumerate(name):
        if (
            ch.isupper()
            and i
            and (not name[i - 1].isupper() or (i + 1 < len(name) and name[i + 1].islower()))
        ):
            out.append("_")
        out.append(ch.lower())
    return "".join(out)
