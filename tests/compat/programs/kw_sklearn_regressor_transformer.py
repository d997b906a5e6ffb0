"""keras.wrappers.SKLearnRegressor and SKLearnTransformer inside scikit-learn pipelines:
a Keras regressor scored with R^2, get_params / set_params / clone, and a Keras model
used as a feature-extraction step in front of a scikit-learn estimator."""

import keras
import numpy as np
from keras.wrappers import SKLearnRegressor, SKLearnTransformer
from sklearn.base import clone
from sklearn.linear_model import Ridge
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

keras.utils.set_random_seed(7)
rng = np.random.default_rng(7)
X = rng.uniform(-1, 1, size=(160, 3)).astype("float32")
y = (2.0 * X[:, 0] - X[:, 1] + 0.5 * X[:, 2] ** 2).astype("float32")


def regression_model(X, y, hidden=16, learning_rate=0.02):
    model = keras.Sequential(
        [
            keras.Input(shape=(X.shape[1],)),
            keras.layers.Dense(hidden, activation="tanh"),
            keras.layers.Dense(1),
        ]
    )
    model.compile(loss="mse", optimizer=keras.optimizers.Adam(learning_rate))
    return model


reg = SKLearnRegressor(
    model=regression_model,
    model_kwargs={"hidden": 16},
    fit_kwargs={"epochs": 60, "batch_size": 32, "verbose": 0},
)
params = reg.get_params()
assert sorted(params) == ["fit_kwargs", "model", "model_kwargs", "warm_start"], sorted(params)
assert params["model_kwargs"] == {"hidden": 16}

pipe = make_pipeline(StandardScaler(), reg).fit(X, y)
pred = pipe.predict(X)
assert pred.shape == (160,), pred.shape  # 1D targets give 1D predictions
r2 = pipe.score(X, y)
assert r2 > 0.9, r2
assert reg.model_.count_params() == 3 * 16 + 16 + 16 + 1

# set_params changes what the next fit builds; clone gives an unfitted copy
reg.set_params(model_kwargs={"hidden": 4})
copy = clone(reg)
assert not hasattr(copy, "model_")
assert copy.get_params()["model_kwargs"] == {"hidden": 4}
reg.fit(X, y, epochs=2, verbose=0)
assert reg.model_.layers[0].units == 4

# a Keras model as a scikit-learn transformer: its outputs become the next step's features
embedder = SKLearnTransformer(
    model=regression_model,
    model_kwargs={"hidden": 8},
    fit_kwargs={"epochs": 60, "verbose": 0},
)
chain = make_pipeline(StandardScaler(), embedder, Ridge(alpha=1e-3)).fit(X, y)
features = chain[:-1].transform(X)
assert features.shape == (160, 1), features.shape
np.testing.assert_allclose(
    features, embedder.model_.predict(StandardScaler().fit_transform(X), verbose=0), rtol=1e-5
)
chain_r2 = chain.score(X, y)
assert chain_r2 > 0.9, chain_r2
print("regressor R^2", round(r2, 3), "transformer + ridge R^2", round(chain_r2, 3))
