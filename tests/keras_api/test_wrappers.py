"""keras.wrappers: scikit-learn estimators around gpuflow models (Keras 3.15's classes)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import gpuflow as tf
from gpuflow.keras import wrappers
from gpuflow.keras.wrappers import _sklearn

keras = tf.keras


@pytest.fixture
def sklearn():
    return pytest.importorskip("sklearn")


def _blobs(n=120, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    centers = rng.normal(0, 4, (classes, 4))
    y = rng.integers(0, classes, n)
    return (centers[y] + rng.normal(0, 0.5, (n, 4))).astype("float32"), y


def _mlp(X, y, loss, units=8):
    n_out = y.shape[1] if len(y.shape) > 1 else 1
    activation = "softmax" if loss == "categorical_crossentropy" else None
    model = keras.Sequential(
        [
            keras.Input((X.shape[1],)),
            keras.layers.Dense(units, activation="relu"),
            keras.layers.Dense(n_out, activation=activation),
        ]
    )
    model.compile(loss=loss, optimizer=keras.optimizers.Adam(0.05))
    return model


def test_classifier_fits_predicts_labels_and_scores(sklearn):
    keras.utils.set_random_seed(0)
    X, y = _blobs()
    labels = np.array(["ant", "bee", "cat"])[y]
    clf = wrappers.SKLearnClassifier(
        model=_mlp,
        model_kwargs={"loss": "categorical_crossentropy"},
        fit_kwargs={"epochs": 30, "verbose": 0},
    )
    assert clf.fit(X, labels) is clf
    assert clf.classes_.tolist() == ["ant", "bee", "cat"]
    assert clf.model_.output_shape == (None, 3)  # one-hot targets: one unit per class
    raw = clf.decision_function(X)
    np.testing.assert_array_equal(clf.predict(X), clf.classes_[raw.argmax(axis=1)])
    assert clf.score(X, labels) > 0.9
    assert clf.epoch_ == list(range(30))
    assert not hasattr(clf, "predict_proba")  # Keras 3.15 defines none


def test_regressor_in_a_pipeline_and_1d_predictions(sklearn):
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    keras.utils.set_random_seed(1)
    rng = np.random.default_rng(1)
    X = rng.normal(size=(150, 3)).astype("float32")
    y = X @ np.array([1.0, -2.0, 0.5], "float32")
    reg = wrappers.SKLearnRegressor(model=_mlp, model_kwargs={"loss": "mse"})
    pipe = make_pipeline(StandardScaler(), reg).fit(
        X, y, sklearnregressor__epochs=60, sklearnregressor__verbose=0
    )
    pred = pipe.predict(X)
    assert pred.shape == (150,)
    assert pipe.score(X, y) > 0.9
    assert reg.fit_kwargs is None  # fit's keyword arguments are not stored


def test_transformer_gives_model_outputs(sklearn):
    keras.utils.set_random_seed(2)
    X, y = _blobs()
    tr = wrappers.SKLearnTransformer(
        model=_mlp, model_kwargs={"loss": "mse", "units": 5}, fit_kwargs={"verbose": 0}
    )
    out = tr.fit(X, y.astype("float32")).transform(X)
    np.testing.assert_allclose(out, tr.model_.predict(X, verbose=0), rtol=1e-6)
    assert tr.fit_transform(X, y.astype("float32")).shape == (120, 1)


def test_params_clone_and_set_params(sklearn):
    from sklearn.base import clone

    est = wrappers.SKLearnRegressor(
        model=_mlp, model_kwargs={"loss": "mse"}, fit_kwargs={"epochs": 2}
    )
    assert est.get_params() == {
        "model": _mlp,
        "warm_start": False,
        "model_kwargs": {"loss": "mse"},
        "fit_kwargs": {"epochs": 2},
    }
    copy = clone(est)
    assert type(copy) is wrappers.SKLearnRegressor and copy is not est
    assert copy.get_params()["fit_kwargs"] == {"epochs": 2}
    est.set_params(model_kwargs={"loss": "mae"})
    assert est.model_kwargs == {"loss": "mae"}


def test_model_instance_is_cloned_compiled_and_warm_start_reuses_it(sklearn):
    keras.utils.set_random_seed(3)
    X, y = _blobs(classes=2)
    model = _mlp(X, np.eye(2)[y], "categorical_crossentropy")
    cold = wrappers.SKLearnClassifier(model=model, fit_kwargs={"epochs": 1, "verbose": 0})
    cold.fit(X, y)
    assert cold.model_ is not model and cold.model_.compiled
    warm = wrappers.SKLearnClassifier(
        model=model, warm_start=True, fit_kwargs={"epochs": 1, "verbose": 0}
    )
    warm.fit(X, y)
    assert warm.model_ is model
    before = [w.copy() for w in model.get_weights()]
    warm.fit(X, y)
    assert warm.model_ is model
    assert any(not np.array_equal(a, b) for a, b in zip(before, model.get_weights()))


def test_errors(sklearn):
    X, y = _blobs()
    with pytest.raises(ValueError, match="Only binary and multiclass.*continuous"):
        wrappers.SKLearnClassifier(model=_mlp, model_kwargs={"loss": "mse"}).fit(X, X[:, 0])
    with pytest.raises(ValueError, match="only one class is present"):
        wrappers.SKLearnClassifier(model=_mlp).fit(X, np.zeros(120, int))
    uncompiled = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
    with pytest.raises(RuntimeError, match="needs to be compiled"):
        wrappers.SKLearnClassifier(model=uncompiled).fit(X, y)
    from sklearn.exceptions import NotFittedError

    with pytest.raises(NotFittedError):
        wrappers.SKLearnRegressor(model=_mlp).predict(X)


def test_without_sklearn_the_classes_raise_keras_import_error(monkeypatch):
    monkeypatch.setattr(_sklearn, "sklearn", None)
    for name in ("SKLearnClassifier", "SKLearnRegressor", "SKLearnTransformer"):
        with pytest.raises(ImportError, match=f"{name} requires `scikit-learn`"):
            getattr(wrappers, name)(model=_mlp)


def test_importing_keras_does_not_import_sklearn():
    code = "import sys, gpuflow.keras as k; k.wrappers; print('sklearn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
    with pytest.raises(AttributeError, match="has no attribute 'Nope'"):
        wrappers.Nope
