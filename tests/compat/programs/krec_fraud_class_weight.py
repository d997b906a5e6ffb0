# keras.io "Imbalanced classification: credit card fraud detection", small: features
# standardized with training statistics, class weights 1/count per class, a Dense network
# with Dropout trained with class_weight and the confusion-matrix metrics (FalseNegatives,
# FalsePositives, TrueNegatives, TruePositives, Precision, Recall). The metrics are
# checked against NumPy on the predictions, and weighting catches more frauds than not.
import keras
import numpy as np

rng = np.random.default_rng(53)

n, dim = 3000, 12
y = (rng.random(n) < 0.04).astype("int64")
x = rng.normal(size=(n, dim))
x[y == 1, :4] += 1.6  # frauds drift on four features
x[:, 5] = x[:, 5] * 50 + 200  # an unscaled "amount" column
x = x.astype("float32")
num_val = 800
train_features, train_targets = x[:-num_val], y[:-num_val]
val_features, val_targets = x[-num_val:], y[-num_val:]

counts = np.bincount(train_targets)
assert counts[1] < 0.1 * counts[0], counts
weight_for_0 = 1.0 / counts[0]
weight_for_1 = 1.0 / counts[1]

mean = np.mean(train_features, axis=0)
train_features -= mean
val_features -= mean
std = np.std(train_features, axis=0)
train_features /= std
val_features /= std


def make_model():
    return keras.Sequential(
        [
            keras.Input(shape=train_features.shape[1:]),
            keras.layers.Dense(32, activation="relu"),
            keras.layers.Dense(32, activation="relu"),
            keras.layers.Dropout(0.3),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )


metrics = lambda: [  # noqa: E731
    keras.metrics.FalseNegatives(name="fn"),
    keras.metrics.FalsePositives(name="fp"),
    keras.metrics.TrueNegatives(name="tn"),
    keras.metrics.TruePositives(name="tp"),
    keras.metrics.Precision(name="precision"),
    keras.metrics.Recall(name="recall"),
]


def train(class_weight):
    keras.utils.set_random_seed(53)
    model = make_model()
    model.compile(
        optimizer=keras.optimizers.Adam(1e-2), loss="binary_crossentropy", metrics=metrics()
    )
    model.fit(
        train_features,
        train_targets,
        batch_size=256,
        epochs=12,
        verbose=0,
        validation_data=(val_features, val_targets),
        class_weight=class_weight,
    )
    return model


weighted = train({0: weight_for_0, 1: weight_for_1})
plain = train(None)

results = weighted.evaluate(val_features, val_targets, verbose=0, return_dict=True)
pred = (weighted.predict(val_features, verbose=0)[:, 0] > 0.5).astype(int)
tp = int(np.sum((pred == 1) & (val_targets == 1)))
fp = int(np.sum((pred == 1) & (val_targets == 0)))
fn = int(np.sum((pred == 0) & (val_targets == 1)))
tn = int(np.sum((pred == 0) & (val_targets == 0)))
assert (results["tp"], results["fp"], results["fn"], results["tn"]) == (tp, fp, fn, tn), results
assert tp + fp + fn + tn == num_val
np.testing.assert_allclose(results["recall"], tp / (tp + fn), rtol=1e-6)
np.testing.assert_allclose(results["precision"], tp / max(tp + fp, 1), rtol=1e-6)

plain_recall = plain.evaluate(val_features, val_targets, verbose=0, return_dict=True)["recall"]
assert results["recall"] > 0.7, results
assert results["recall"] > plain_recall + 0.1, (results["recall"], plain_recall)
print("recall weighted", results["recall"], "unweighted", plain_recall, "fp", fp)
