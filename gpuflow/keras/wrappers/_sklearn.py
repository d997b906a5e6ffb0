"""scikit-learn, when installed, and the helpers the wrappers need from it (Keras 3's
``keras.src.wrappers.fixes`` / ``utils``): data validation across scikit-learn versions,
target types, and the 1D <-> 2D target reshaper."""

from __future__ import annotations

import numpy as np

try:
    import sklearn
    from sklearn.base import BaseEstimator, ClassifierMixin, RegressorMixin, TransformerMixin
except ImportError:
    sklearn = None

    class BaseEstimator:
        pass

    class ClassifierMixin:
        pass

    class RegressorMixin:
        pass

    class TransformerMixin:
        pass


def assert_sklearn_installed(symbol_name: str) -> None:
    if sklearn is None:
        raise ImportError(
            f"{symbol_name} requires `scikit-learn` to be installed. "
            "Run `pip install scikit-learn` to install it."
        )


def validate_data(estimator, *args, **kwargs):
    """``sklearn.utils.validation.validate_data`` (scikit-learn >= 1.6), else the
    estimator's ``_validate_data``."""
    try:
        from sklearn.utils.validation import validate_data as _validate
    except ImportError:
        return estimator._validate_data(*args, **kwargs)
    return _validate(estimator, *args, **kwargs)


def type_of_target(y) -> str:
    """scikit-learn's target type of ``y``; ValueError for an unknown one."""
    from sklearn.utils.multiclass import type_of_target as sk_type_of_target

    target_type = sk_type_of_target(y)
    if target_type == "unknown":
        raise ValueError(f"Unknown label type for data: {y!r}")
    return target_type


def routing_enabled() -> bool:
    """Whether scikit-learn's metadata routing is on."""
    return sklearn is not None and bool(sklearn.get_config().get("enable_metadata_routing"))


def check_model(model) -> None:
    if not model.compiled or not model.loss or not model.optimizer:
        raise RuntimeError("Given model needs to be compiled, and have a loss and an optimizer.")


class TargetReshaper(TransformerMixin, BaseEstimator):
    """Makes 1D targets 2D for fitting and squeezes predictions back (``ndim_``: the
    rank of the targets it was fit on)."""

    def fit(self, y):
        self.ndim_ = y.ndim
        return self

    def transform(self, y):
        return y.reshape(-1, 1) if y.ndim == 1 else y

    def inverse_transform(self, y):
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self)
        if self.ndim_ == 1 and y.ndim == 2:
            return np.squeeze(y, axis=1)
        return y
