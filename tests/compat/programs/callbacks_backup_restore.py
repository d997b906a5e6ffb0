# A training job is interrupted after its third epoch; run again with the same
# BackupAndRestore callback it resumes at epoch 3 from the backed-up weights and
# optimizer state, and ends with the weights of a run that was never interrupted.
import json
import os

import numpy as np
import tensorflow as tf

rng = np.random.default_rng(0)
x = rng.normal(size=(64, 5)).astype("float32")
y = (x @ rng.normal(size=(5, 1)) + 0.5).astype("float32")


def make_model():
    tf.keras.utils.set_random_seed(7)
    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(5,)),
            tf.keras.layers.Dense(16, activation="relu"),
            tf.keras.layers.Dense(1),
        ]
    )
    model.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss="mse")
    return model


class Interrupt(tf.keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        if epoch == 2:
            raise RuntimeError("preempted")


class Epochs(tf.keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.seen = []

    def on_epoch_begin(self, epoch, logs=None):
        self.seen.append(epoch)


reference = make_model()
reference.fit(x, y, epochs=7, batch_size=16, shuffle=False, verbose=0)

backup = tf.keras.callbacks.BackupAndRestore(backup_dir="backup")
try:
    make_model().fit(
        x, y, epochs=7, batch_size=16, shuffle=False, verbose=0, callbacks=[backup, Interrupt()]
    )
    raise AssertionError("the first run should have been interrupted")
except RuntimeError as error:
    assert "preempted" in str(error)
assert sorted(os.listdir("backup")) == ["latest.weights.h5", "training_metadata.json"]
with open(os.path.join("backup", "training_metadata.json")) as f:
    assert json.load(f)["epoch"] == 3

model = make_model()
epochs = Epochs()
history = model.fit(
    x, y, epochs=7, batch_size=16, shuffle=False, verbose=0, callbacks=[backup, epochs]
)
assert epochs.seen == [3, 4, 5, 6], epochs.seen
assert history.epoch == [3, 4, 5, 6] and len(history.history["loss"]) == 4
assert int(model.optimizer.iterations.numpy()) == 7 * 4
for resumed, uninterrupted in zip(model.get_weights(), reference.get_weights()):
    np.testing.assert_allclose(resumed, uninterrupted, rtol=1e-5, atol=1e-6)
assert not os.path.exists("backup")  # deleted after the run completed

# save_freq in batches, keeping the backup (delete_checkpoint=False).
keep = tf.keras.callbacks.BackupAndRestore("kept", save_freq=2, delete_checkpoint=False)
make_model().fit(x, y, epochs=2, batch_size=16, verbose=0, callbacks=[keep])
with open(os.path.join("kept", "training_metadata.json")) as f:
    assert json.load(f) == {"epoch": 1, "batch": 3}
print("ok")
