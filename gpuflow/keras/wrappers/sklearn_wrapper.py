"""``keras.wrappers.SKLearnClassifier`` / ``SKLearnRegressor`` / ``SKLearnTransformer``:
scikit-learn estimators (fit, predict, score, transform, get_params / set_params,
``sklearn.base.clone``) around a compiled Keras model or a function that builds one."""

from __future__ import annotations

import copy

import numpy as np

from ...models import Model
from ...models.cloning import clone_model
from ._sklearn import (
    BaseEstimator,
    ClassifierMixin,
    RegressorMixin,
    TargetReshaper,
    TransformerMixin,
    assert_sklearn_installed,
    check_model,
    routing_enabled,
    sklearn,
    type_of_target,
    validate_data,
)


class SKLBase(BaseEstimator):
    """Base of the scikit-learn wrappers.

    Args:
        model: a compiled ``Model`` (cloned with ``keras.models.clone_model`` before each
            fit unless ``warm_start``), or a callable ``model(X=..., y=..., **model_kwargs)``
            that returns a compiled model.
        warm_start: if True, a later ``fit`` continues training the model of the previous
            one (and a given ``Model`` is trained itself, not a clone).
        model_kwargs: keyword arguments for ``model`` when it is a callable.
        fit_kwargs: keyword arguments for ``Model.fit``; those given to ``fit`` win.

    Attributes:
        model_: the fitted model.
        history_: the ``History`` that ``Model.fit`` returned.
    """

    def __init__(self, model, warm_start=False, model_kwargs=None, fit_kwargs=None):
        assert_sklearn_installed(self.__class__.__name__)
        self.model = model
        self.warm_start = warm_start
        self.model_kwargs = model_kwargs
        self.fit_kwargs = fit_kwargs

    def _more_tags(self):
        return {"non_deterministic": True}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = True
        return tags

    def __sklearn_clone__(self):
        """An unfitted copy with the same parameters (used by ``sklearn.base.clone``)."""
        model = self.model if callable(self.model) else copy.deepcopy(self.model)
        return type(self)(
            model=model,
            warm_start=self.warm_start,
            model_kwargs=self.model_kwargs,
            fit_kwargs=self.fit_kwargs,
        )

    @property
    def epoch_(self):
        """The epochs of the last fit (``history_.epoch``), 0 before any."""
        history = getattr(self, "history_", None)
        return history.epoch if history is not None else 0

    def set_fit_request(self, **kwargs):
        """Requests metadata for ``fit`` (scikit-learn metadata routing must be on)."""
        if not routing_enabled():
            raise RuntimeError(
                "This method is only available when metadata routing is "
                "enabled. You can enable it using "
                "sklearn.set_config(enable_metadata_routing=True)."
            )
        self._metadata_request = sklearn.utils.metadata_routing.MetadataRequest(
            owner=self.__class__.__name__
        )
        for param, alias in kwargs.items():
            self._metadata_request.score.add_request(param=param, alias=alias)
        return self

    def _get_model(self, X, y):
        if self.warm_start and hasattr(self, "model_"):
            return self.model_
        if isinstance(self.model, Model):
            return self.model if self.warm_start else clone_model(self.model)
        return self.model(X=X, y=y, **(self.model_kwargs or {}))

    def fit(self, X, y, **kwargs):
        """Fits the model to ``X`` (n_samples, n_features) and ``y``; ``kwargs`` go to
        ``Model.fit`` over ``fit_kwargs``. Returns self."""
        X, y = validate_data(self, X, y)
        y = self._process_target(y, reset=True)
        model = self._get_model(X, y)
        check_model(model)
        fit_kwargs = {**(self.fit_kwargs or {}), **kwargs}
        self.history_ = model.fit(X, y, **fit_kwargs)
        self.model_ = model
        return self

    def predict(self, X):
        """The model's predictions for ``X``, mapped back to the targets' form."""
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return self._reverse_process_target(self.model_.predict(X))

    def _process_target(self, y, reset=False):
        type_of_target(y)
        if reset:
            self._target_encoder = TargetReshaper().fit(y)
        return self._target_encoder.transform(y)

    def _reverse_process_target(self, y):
        return self._target_encoder.inverse_transform(y)


class SKLearnClassifier(ClassifierMixin, SKLBase):
    """A scikit-learn classifier around a Keras model (see ``SKLBase`` for the arguments).

    Targets are one-hot encoded for the model (binary and multiclass labels only), so the
    model ends in one unit per class, e.g. softmax with categorical crossentropy;
    ``predict`` gives labels, ``decision_function`` the model's output (Keras 3.15 defines
    no ``predict_proba``).

    Attributes:
        classes_: the class labels seen by ``fit``.
    """

    def decision_function(self, X):
        """The model's raw outputs for ``X``."""
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return self.model_.predict(X)

    def _process_target(self, y, reset=False):
        target_type = type_of_target(y)
        if target_type not in ["binary", "multiclass"]:
            raise ValueError(
                f"Only binary and multiclass target types are supported. Target type: {target_type}"
            )
        if reset:
            self._target_encoder = sklearn.pipeline.make_pipeline(
                TargetReshaper(),
                sklearn.preprocessing.OneHotEncoder(sparse_output=False),
            ).fit(y)
            self.classes_ = np.unique(y)
            if len(self.classes_) == 1:
                raise ValueError("Classifier can't train when only one class is present.")
        return self._target_encoder.transform(y)

    def _more_tags(self):
        return {"poor_score": True}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.poor_score = True
        return tags


class SKLearnRegressor(RegressorMixin, SKLBase):
    """A scikit-learn regressor around a Keras model (see ``SKLBase`` for the arguments);
    1D targets are fit as ``(n_samples, 1)`` and predictions come back 1D."""

    def _more_tags(self):
        return {"poor_score": True}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.regressor_tags.poor_score = True
        return tags


class SKLearnTransformer(TransformerMixin, SKLBase):
    """A scikit-learn transformer around a Keras model (see ``SKLBase`` for the
    arguments): ``transform(X)`` is the fitted model's output, e.g. an embedding."""

    def transform(self, X):
        """The fitted model's outputs for ``X``."""
        from sklearn.utils.validation import check_is_fitted

        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return self.model_.predict(X)

    def _more_tags(self):
        return {"preserves_dtype": []}

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.transformer_tags.preserves_dtype = []
        return tags
