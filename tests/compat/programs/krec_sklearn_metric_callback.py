# keras.io "Evaluating and exporting scikit-learn metrics in a Keras callback": a callback
# that predicts on held-out data in on_epoch_end, computes metrics with NumPy (ROC AUC by
# the rank statistic, F1 at 0.5, a confusion matrix), writes them into the epoch's logs so
# History and later callbacks (EarlyStopping, CSVLogger) see them.
import csv

import numpy as np
from tensorflow import keras

keras.utils.set_random_seed(13)
rng = np.random.default_rng(13)


def roc_auc(y_true, scores):
    order = np.argsort(scores)
    ranks = np.empty(len(scores))
    ranks[order] = np.arange(1, len(scores) + 1)
    pos = y_true == 1
    n_pos, n_neg = pos.sum(), (~pos).sum()
    return (ranks[pos].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg)


def f1(y_true, y_pred):
    tp = np.sum((y_true == 1) & (y_pred == 1))
    fp = np.sum((y_true == 0) & (y_pred == 1))
    fn = np.sum((y_true == 1) & (y_pred == 0))
    return 2 * tp / max(2 * tp + fp + fn, 1)


class MetricsCallback(keras.callbacks.Callback):
    def __init__(self, x_val, y_val):
        super().__init__()
        self.x_val, self.y_val = x_val, y_val
        self.confusions = []

    def on_epoch_end(self, epoch, logs=None):
        scores = self.model.predict(self.x_val, verbose=0)[:, 0]
        pred = (scores > 0.5).astype(int)
        logs["val_auc_np"] = float(roc_auc(self.y_val, scores))
        logs["val_f1_np"] = float(f1(self.y_val, pred))
        cm = np.zeros((2, 2), int)
        np.add.at(cm, (self.y_val, pred), 1)
        self.confusions.append(cm)


n = 500
x = rng.normal(size=(n, 10)).astype("float32")
w = rng.normal(size=10)
y = (x @ w + 0.5 * rng.normal(size=n) > 0).astype(int)
x_train, y_train, x_val, y_val = x[:400], y[:400], x[400:], y[400:]

model = keras.Sequential(
    [keras.Input((10,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1, "sigmoid")]
)
model.compile(
    optimizer=keras.optimizers.Adam(0.01),
    loss="binary_crossentropy",
    metrics=[keras.metrics.AUC(name="auc")],
)
metrics_cb = MetricsCallback(x_val, y_val)
hist = model.fit(
    x_train,
    y_train,
    epochs=8,
    batch_size=32,
    validation_data=(x_val, y_val),
    callbacks=[
        metrics_cb,
        keras.callbacks.EarlyStopping(monitor="val_auc_np", mode="max", patience=20),
        keras.callbacks.CSVLogger("log.csv"),
    ],
    verbose=0,
)
h = hist.history
assert len(h["val_auc_np"]) == 8 and len(h["val_f1_np"]) == 8, h.keys()
assert h["val_auc_np"][-1] > 0.9, h["val_auc_np"]
assert h["val_f1_np"][-1] > 0.8, h["val_f1_np"]
# the NumPy AUC agrees with keras.metrics.AUC on the same validation data (within its
# threshold discretization)
assert abs(h["val_auc_np"][-1] - h["val_auc"][-1]) < 0.02, (h["val_auc_np"], h["val_auc"])
cm = metrics_cb.confusions[-1]
assert cm.sum() == 100 and np.trace(cm) > 80, cm

with open("log.csv") as f:
    rows = list(csv.DictReader(f))
assert len(rows) == 8 and "val_f1_np" in rows[0] and "val_auc_np" in rows[0], rows[0].keys()
np.testing.assert_allclose(float(rows[-1]["val_f1_np"]), h["val_f1_np"][-1], rtol=1e-6)
print("auc", h["val_auc_np"][-1], "f1", h["val_f1_np"][-1])
