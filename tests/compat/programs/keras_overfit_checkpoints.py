# The "overfit and underfit" and "save and load" tutorials: an InverseTimeDecay schedule
# (plotted over many steps at once), regularized models, EarlyStopping on a metric's
# validation name, ModelCheckpoint with an epoch-numbered path and save_freq in batches.
import os

import numpy as np
import tensorflow as tf

rng = np.random.default_rng(0)
x = rng.random((256, 28)).astype("float32")
y = (x.sum(axis=1, keepdims=True) > 14).astype("float32")

lr_schedule = tf.keras.optimizers.schedules.InverseTimeDecay(
    0.001, decay_steps=100, decay_rate=1, staircase=False
)
step = np.linspace(0, 1000, 11)
lr = lr_schedule(step)
assert tuple(lr.shape) == (11,)
np.testing.assert_allclose(np.asarray(lr), 0.001 / (1 + step / 100), rtol=1e-5)


def make_model():
    model = tf.keras.Sequential(
        [
            tf.keras.Input(shape=(28,)),
            tf.keras.layers.Dense(
                16, activation="elu", kernel_regularizer=tf.keras.regularizers.l2(0.001)
            ),
            tf.keras.layers.Dropout(0.5),
            tf.keras.layers.Dense(1),
        ]
    )
    model.compile(
        optimizer=tf.keras.optimizers.Adam(lr_schedule),
        loss=tf.keras.losses.BinaryCrossentropy(from_logits=True),
        metrics=[
            tf.keras.metrics.BinaryCrossentropy(from_logits=True, name="binary_crossentropy"),
            "accuracy",
        ],
    )
    return model


model = make_model()
history = model.fit(
    x,
    y,
    epochs=3,
    batch_size=32,
    validation_split=0.2,
    callbacks=[tf.keras.callbacks.EarlyStopping(monitor="val_binary_crossentropy", patience=200)],
    verbose=0,
)
assert set(history.history) == {
    "accuracy",
    "binary_crossentropy",
    "loss",
    "val_accuracy",
    "val_binary_crossentropy",
    "val_loss",
}
assert len(history.history["loss"]) == 3

checkpoint_path = "training_1/cp.weights.h5"
model.fit(
    x,
    y,
    epochs=2,
    callbacks=[tf.keras.callbacks.ModelCheckpoint(checkpoint_path, save_weights_only=True)],
    verbose=0,
)
fresh = make_model()
fresh.load_weights(checkpoint_path)
for a, b in zip(fresh.get_weights(), model.get_weights()):
    np.testing.assert_array_equal(a, b)

checkpoint_path = "training_2/cp-{epoch:04d}.weights.h5"
every_five_epochs = tf.keras.callbacks.ModelCheckpoint(
    filepath=checkpoint_path, save_weights_only=True, save_freq=5 * 8
)
os.makedirs("training_2")
model.save_weights(checkpoint_path.format(epoch=0))
model.fit(x, y, epochs=10, batch_size=32, callbacks=[every_five_epochs], verbose=0)
assert sorted(os.listdir("training_2")) == [
    "cp-0000.weights.h5",
    "cp-0005.weights.h5",
    "cp-0010.weights.h5",
]
latest = make_model()
latest.load_weights("training_2/cp-0010.weights.h5")
np.testing.assert_allclose(latest.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-5)

model.save("my_model.keras")
restored = tf.keras.models.load_model("my_model.keras")
loss, bce, acc = restored.evaluate(x, y, verbose=0)
expected = model.evaluate(x, y, verbose=0)
np.testing.assert_allclose([loss, bce, acc], expected, rtol=1e-5)
print("ok")
