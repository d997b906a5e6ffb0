"""Losses, as ``tf.keras.losses``: functions (per-sample values) and classes (reduced).

``get`` turns a name, function or Loss into a Loss; ``serialize``/``deserialize`` turn a
Loss into plain JSON-able config and back (for ``model.save``).
"""

from __future__ import annotations

import inspect

from ._checks import targets_validated  # noqa: F401  (used by the fit loop)
from .classes import (  # noqa: F401
    BinaryCrossentropy,
    CategoricalCrossentropy,
    Loss,
    LossFunctionWrapper,
    MeanAbsoluteError,
    MeanSquaredError,
    Reduction,
    SparseCategoricalCrossentropy,
    reduce_weighted,
)
from .focal import (
    BinaryFocalCrossentropy,
    CategoricalFocalCrossentropy,
    binary_focal_crossentropy,
    categorical_focal_crossentropy,
)
from .functions import (
    MAE,
    MSE,
    binary_crossentropy,
    categorical_crossentropy,
    mae,
    mean_absolute_error,
    mean_squared_error,
    mse,
    sparse_categorical_crossentropy,
)
from .margin import (
    CategoricalHinge,
    Hinge,
    SquaredHinge,
    categorical_hinge,
    hinge,
    squared_hinge,
)
from .regression import (
    KLD,
    MAPE,
    MSLE,
    CosineSimilarity,
    Huber,
    KLDivergence,
    LogCosh,
    MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError,
    Poisson,
    cosine_similarity,
    huber,
    kl_divergence,
    kld,
    kullback_leibler_divergence,
    log_cosh,
    logcosh,
    mape,
    mean_absolute_percentage_error,
    mean_squared_logarithmic_error,
    msle,
    poisson,
)

_CLASSES = {
    cls.__name__: cls
    for cls in (
        CategoricalCrossentropy,
        SparseCategoricalCrossentropy,
        BinaryCrossentropy,
        MeanSquaredError,
        MeanAbsoluteError,
        LossFunctionWrapper,
        Huber,
        LogCosh,
        KLDivergence,
        Poisson,
        CosineSimilarity,
        Hinge,
        SquaredHinge,
        CategoricalHinge,
        MeanAbsolutePercentageError,
        MeanSquaredLogarithmicError,
        BinaryFocalCrossentropy,
        CategoricalFocalCrossentropy,
    )
}
_FUNCTIONS = {
    "categorical_crossentropy": categorical_crossentropy,
    "sparse_categorical_crossentropy": sparse_categorical_crossentropy,
    "binary_crossentropy": binary_crossentropy,
    "bce": binary_crossentropy,
    "BCE": binary_crossentropy,
    "mean_squared_error": mean_squared_error,
    "mse": mse,
    "MSE": MSE,
    "mean_absolute_error": mean_absolute_error,
    "mae": mae,
    "MAE": MAE,
    "huber": huber,
    "log_cosh": log_cosh,
    "logcosh": logcosh,
    "kl_divergence": kl_divergence,
    "kld": kld,
    "KLD": KLD,
    "kullback_leibler_divergence": kullback_leibler_divergence,
    "poisson": poisson,
    "cosine_similarity": cosine_similarity,
    "hinge": hinge,
    "squared_hinge": squared_hinge,
    "categorical_hinge": categorical_hinge,
    "mean_absolute_percentage_error": mean_absolute_percentage_error,
    "mape": mape,
    "MAPE": MAPE,
    "mean_squared_logarithmic_error": mean_squared_logarithmic_error,
    "msle": msle,
    "MSLE": MSLE,
    "binary_focal_crossentropy": binary_focal_crossentropy,
    "categorical_focal_crossentropy": categorical_focal_crossentropy,
}
# Each built-in function, by identity, to the class that wraps it.
_CLASS_OF = {
    categorical_crossentropy: CategoricalCrossentropy,
    sparse_categorical_crossentropy: SparseCategoricalCrossentropy,
    binary_crossentropy: BinaryCrossentropy,
    mean_squared_error: MeanSquaredError,
    mean_absolute_error: MeanAbsoluteError,
    huber: Huber,
    log_cosh: LogCosh,
    kl_divergence: KLDivergence,
    poisson: Poisson,
    cosine_similarity: CosineSimilarity,
    hinge: Hinge,
    squared_hinge: SquaredHinge,
    categorical_hinge: CategoricalHinge,
    mean_absolute_percentage_error: MeanAbsolutePercentageError,
    mean_squared_logarithmic_error: MeanSquaredLogarithmicError,
    binary_focal_crossentropy: BinaryFocalCrossentropy,
    categorical_focal_crossentropy: CategoricalFocalCrossentropy,
}


def _names() -> list[str]:
    return sorted(set(_FUNCTIONS) | (set(_CLASSES) - {"LossFunctionWrapper"}))


def as_loss(identifier):
    """A Loss instance (what ``compile`` uses) from a name, function, Loss class or
    instance, or serialized config.

    Args:
        identifier: a snake_case function name (``"categorical_crossentropy"``, ``"mse"``),
            a class name (``"CategoricalCrossentropy"``), a function ``fn(y_true, y_pred)``
            returning per-sample values (wrapped), a Loss, a Loss subclass, a dict from
            :func:`serialize`, or None (returned as None).

    Raises:
        ValueError: for an unknown name (listing the valid ones) or anything else, as Keras.
    """
    if identifier is None or isinstance(identifier, Loss):
        return identifier
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, str):
        if identifier in _FUNCTIONS:
            return _CLASS_OF[_FUNCTIONS[identifier]]()
        if identifier in _CLASSES and identifier != "LossFunctionWrapper":
            return _CLASSES[identifier]()
        raise ValueError(
            f"Could not interpret loss identifier: {identifier} (an unknown name; expected "
            f"one of: {', '.join(_names())})"
        )
    if inspect.isclass(identifier) and issubclass(identifier, Loss):
        return identifier()
    if callable(identifier):
        cls = _CLASS_OF.get(identifier)
        return cls() if cls is not None else LossFunctionWrapper(identifier)
    raise ValueError(  # Keras 3's type and words
        f"Could not interpret loss identifier: {identifier} (expected a loss name, function "
        f"or Loss, received {type(identifier).__name__})"
    )


def get(identifier):
    """As Keras 3's ``losses.get``: a function's name (``"mse"``, ``"categorical_crossentropy"``)
    gives that function (per-sample values); a class name, or a Loss class, an instance; a
    Loss or any other callable is returned as it is; a dict from :func:`serialize` is
    deserialized; None gives None. :func:`as_loss` always gives a Loss (for ``compile``).

    Raises:
        ValueError: for an unknown name (listing the valid ones) or anything else, as Keras.
    """
    if isinstance(identifier, str) and identifier in _FUNCTIONS:
        return _FUNCTIONS[identifier]
    if isinstance(identifier, (str, dict)) or inspect.isclass(identifier) or identifier is None:
        return as_loss(identifier)
    if callable(identifier):
        return identifier
    return as_loss(identifier)


def serialize(loss) -> dict:
    """Keras 3's ``{"module", "class_name", "config", "registered_name"}`` for a Loss (or
    anything :func:`as_loss` accepts)."""
    from ..saving.object_registration import function_config, keras_object_config

    if inspect.isfunction(loss):  # a loss function stays a function, as Keras 3 saves it
        return function_config(loss)
    return keras_object_config(as_loss(loss), "keras.losses")


def deserialize(config, custom_objects: dict | None = None) -> Loss:
    """The Loss described by :func:`serialize`'s output (or a name).

    Args:
        config: a dict with ``class_name`` and ``config``, or a name.
        custom_objects: names to user Loss classes or loss functions.

    Raises:
        ValueError: for an unknown class or function name, saying to pass ``custom_objects``.
    """
    from ..saving.object_registration import is_function_config, locate_function

    custom_objects = custom_objects or {}
    if isinstance(config, str):
        return get(custom_objects.get(config, config))
    if is_function_config(config):
        return locate_function(config["config"], custom_objects, _FUNCTIONS, "losses.deserialize")
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(
            f"losses.deserialize: expected a dict with 'class_name' and 'config', "
            f"received {config!r}"
        )
    name, params = config["class_name"], dict(config.get("config") or {})
    if name == "LossFunctionWrapper":
        fn_name = params.pop("fn", None)
        fn = custom_objects.get(fn_name) or _FUNCTIONS.get(fn_name)
        if fn is None:
            raise ValueError(
                f"losses.deserialize: unknown loss function {fn_name!r}; pass it as "
                f"custom_objects={{{fn_name!r}: fn}}"
            )
        return LossFunctionWrapper(fn, **params)
    cls = custom_objects.get(name) or _CLASSES.get(name)
    if cls is None:
        raise ValueError(
            f"losses.deserialize: unknown loss class {name!r}; expected one of "
            f"{', '.join(sorted(_CLASSES))}, or pass custom_objects={{{name!r}: cls}}"
        )
    return cls.from_config(params) if hasattr(cls, "from_config") else cls(**params)


# Dice, Tversky, CategoricalGeneralizedCrossEntropy (gpuflow/losses/overlap.py).
from .overlap import (  # noqa: E402,F401
    CategoricalGeneralizedCrossEntropy,
    Dice,
    Tversky,
    categorical_generalized_cross_entropy,
    dice,
    tversky,
)

for _cls, _fn in (
    (Dice, dice),
    (Tversky, tversky),
    (CategoricalGeneralizedCrossEntropy, categorical_generalized_cross_entropy),
):
    _CLASSES[_cls.__name__] = _cls
    _FUNCTIONS[_fn.__name__] = _fn
    _CLASS_OF[_fn] = _cls

# CTC (gpuflow/losses/ctc.py).
from .ctc import CTC, ctc  # noqa: E402,F401

_CLASSES["CTC"] = CTC
_FUNCTIONS["ctc"] = ctc
_CLASS_OF[ctc] = CTC

# Circle (gpuflow/losses/circle.py).
from .circle import Circle, circle  # noqa: E402,F401

_CLASSES["Circle"] = Circle
_FUNCTIONS["circle"] = circle
_CLASS_OF[circle] = Circle
