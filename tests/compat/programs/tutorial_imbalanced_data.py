# The "Classification on imbalanced data" tutorial, small: an output bias initialised
# from the class ratio, the tutorial's metric list, class weights, early stopping on
# val_prc with restore_best_weights, and metrics checked against their definitions.
import numpy as np
import tensorflow as tf
from tensorflow import keras

keras.utils.set_random_seed(7)
rng = np.random.default_rng(7)
n = 2000
x = rng.standard_normal((n, 6)).astype("float32")
score = x[:, 0] + 0.7 * x[:, 1] - 0.5 * x[:, 2]
y = (score > 2.2).astype("float32")  # about 3% positives
neg, pos = np.bincount(y.astype(int))
assert pos < 0.06 * n

initial_bias = np.log([pos / neg])
METRICS = [
    keras.metrics.BinaryCrossentropy(name="cross entropy"),
    keras.metrics.MeanSquaredError(name="Brier score"),
    keras.metrics.TruePositives(name="tp"),
    keras.metrics.FalsePositives(name="fp"),
    keras.metrics.TrueNegatives(name="tn"),
    keras.metrics.FalseNegatives(name="fn"),
    keras.metrics.BinaryAccuracy(name="accuracy"),
    keras.metrics.Precision(name="precision"),
    keras.metrics.Recall(name="recall"),
    keras.metrics.AUC(name="auc"),
    keras.metrics.AUC(name="prc", curve="PR"),
]


def make_model(metrics=METRICS, output_bias=None):
    if output_bias is not None:
        output_bias = keras.initializers.Constant(output_bias)
    model = keras.Sequential(
        [
            keras.Input(shape=(x.shape[-1],)),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dropout(0.2),
            keras.layers.Dense(1, activation="sigmoid", bias_initializer=output_bias),
        ]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=1e-2),
        loss=keras.losses.BinaryCrossentropy(),
        metrics=metrics,
    )
    return model


model = make_model(output_bias=initial_bias)
np.testing.assert_allclose(model.layers[-1].bias.numpy(), initial_bias, rtol=1e-6)
# with the bias set, the first predictions are near the base rate
p0 = model.predict(x[:200], verbose=0)
assert abs(float(p0.mean()) - pos / n) < 0.05, p0.mean()

train_x, val_x = x[:1500], x[1500:]
train_y, val_y = y[:1500, None], y[1500:, None]  # [n, 1], as the model's output
early_stopping = keras.callbacks.EarlyStopping(
    monitor="val_prc", verbose=0, patience=3, mode="max", restore_best_weights=True
)
weight_for_0 = (1 / neg) * (n / 2.0)
weight_for_1 = (1 / pos) * (n / 2.0)
class_weight = {0: weight_for_0, 1: weight_for_1}
history = model.fit(
    train_x,
    train_y,
    batch_size=128,
    epochs=15,
    callbacks=[early_stopping],
    validation_data=(val_x, val_y),
    class_weight=class_weight,
    verbose=0,
)
keys = set(history.history)
for name in ("loss", "prc", "auc", "tp", "fp", "tn", "fn", "val_prc", "val_recall"):
    assert name in keys, (name, sorted(keys))
assert "val_cross entropy" in keys

results = model.evaluate(val_x, val_y, batch_size=500, verbose=0, return_dict=True)
val_y = val_y[:, 0]
pred = model.predict(val_x, batch_size=500, verbose=0)[:, 0]
hard = pred > 0.5
tp = float(np.sum(hard & (val_y == 1)))
fp = float(np.sum(hard & (val_y == 0)))
tn = float(np.sum(~hard & (val_y == 0)))
fn = float(np.sum(~hard & (val_y == 1)))
assert (results["tp"], results["fp"], results["tn"], results["fn"]) == (tp, fp, tn, fn)
assert tp + fp + tn + fn == len(val_y)
np.testing.assert_allclose(results["accuracy"], (tp + tn) / len(val_y), rtol=1e-6)
if tp + fp:
    np.testing.assert_allclose(results["precision"], tp / (tp + fp), rtol=1e-5)
np.testing.assert_allclose(results["recall"], tp / (tp + fn), rtol=1e-5)
np.testing.assert_allclose(results["Brier score"], np.mean((pred - val_y) ** 2), rtol=1e-4)
# class weights make the rare class matter: most positives are found
assert results["recall"] > 0.6, results
assert results["auc"] > 0.9 and results["prc"] > 0.3, results

# the confusion matrix the tutorial plots
cm = tf.math.confusion_matrix(val_y.astype(int), hard.astype(int)).numpy()
assert cm.tolist() == [[tn, fp], [fn, tp]]
