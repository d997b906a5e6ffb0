"""keras.wrappers.SKLearnClassifier as in the keras.io "scikit-learn wrappers" example: a
model-building function, a scikit-learn pipeline, cross-validation and label classes."""

import keras
import numpy as np
from keras.wrappers import SKLearnClassifier
from sklearn.datasets import make_classification
from sklearn.model_selection import KFold, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

keras.utils.set_random_seed(42)


def dynamic_model(X, y, loss, layers=(16,)):
    # input and output sizes come from the data the wrapper passes in
    inputs = keras.Input(shape=(X.shape[1],))
    hidden = inputs
    for units in layers:
        hidden = keras.layers.Dense(units, activation="relu")(hidden)
    n_outputs = y.shape[1] if len(y.shape) > 1 else 1
    outputs = keras.layers.Dense(n_outputs, activation="softmax")(hidden)
    model = keras.Model(inputs, outputs)
    model.compile(loss=loss, optimizer=keras.optimizers.Adam(learning_rate=0.02))
    return model


X, y = make_classification(
    n_samples=150, n_features=8, n_informative=5, n_classes=3, class_sep=2.0, random_state=0
)
X = X.astype("float32")
names = np.array(["setosa", "versicolor", "virginica"])[y]

clf = SKLearnClassifier(
    model=dynamic_model,
    model_kwargs={"loss": "categorical_crossentropy", "layers": [16]},
)
pipe = make_pipeline(StandardScaler(), clf)
pipe.fit(X, names, sklearnclassifier__epochs=25, sklearnclassifier__verbose=0)

# the wrapper one-hot encodes the labels: the model ends in one unit per class
fitted = pipe[-1]
assert list(fitted.classes_) == ["setosa", "versicolor", "virginica"], fitted.classes_
assert fitted.model_.output_shape == (None, 3), fitted.model_.output_shape
assert len(fitted.history_.history["loss"]) == 25
assert fitted.history_.history["loss"][-1] < fitted.history_.history["loss"][0]

predictions = pipe.predict(X[:10])
assert predictions.shape == (10,) and set(predictions) <= set(fitted.classes_)
raw = fitted.decision_function(StandardScaler().fit(X).transform(X[:10]))
assert raw.shape == (10, 3)
np.testing.assert_allclose(raw.sum(axis=1), 1.0, rtol=1e-5)  # softmax rows
np.testing.assert_array_equal(fitted.classes_[raw.argmax(axis=1)], predictions)

train_accuracy = pipe.score(X, names)
assert train_accuracy > 0.8, train_accuracy

# cross-validation clones the unfitted estimator for each fold
scores = cross_val_score(
    make_pipeline(
        StandardScaler(),
        SKLearnClassifier(model=dynamic_model, model_kwargs={"loss": "categorical_crossentropy"}),
    ),
    X,
    names,
    cv=KFold(n_splits=3, shuffle=True, random_state=0),
    params={"sklearnclassifier__epochs": 25, "sklearnclassifier__verbose": 0},
)
assert scores.shape == (3,)
assert scores.mean() > 0.7, scores
print("train accuracy", round(train_accuracy, 3), "cv", np.round(scores, 3))
