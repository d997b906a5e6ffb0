"""``keras.wrappers`` (Keras 3): scikit-learn estimators around Keras models.

The classes load with their module on first access, so ``import gpuflow`` does not import
scikit-learn; without scikit-learn they exist and raise Keras's ImportError when built."""

__all__ = ["SKLearnClassifier", "SKLearnRegressor", "SKLearnTransformer"]


def __getattr__(name):
    if name in __all__:
        from . import sklearn_wrapper

        return getattr(sklearn_wrapper, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + __all__)
