# A model compiled with a learning-rate schedule, AdamW and several metrics trains, and
# the history and evaluate() report every metric by name.
import numpy as np
import tensorflow as tf

rng = np.random.default_rng(0)
x = rng.normal(size=(256, 4)).astype("float32")
y = (x @ np.array([1.0, -2.0, 0.5, 0.0], "float32") > 0).astype("float32")[:, None]

tf.random.set_seed(0)
model = tf.keras.Sequential(
    [
        tf.keras.Input(shape=(4,)),
        tf.keras.layers.Dense(8, activation="relu"),
        tf.keras.layers.Dense(1, activation="sigmoid"),
    ]
)
schedule = tf.keras.optimizers.schedules.CosineDecay(0.05, decay_steps=64, alpha=0.1)
model.compile(
    optimizer=tf.keras.optimizers.AdamW(learning_rate=schedule, weight_decay=1e-4),
    loss=tf.keras.losses.BinaryFocalCrossentropy(gamma=1.0),
    metrics=[
        tf.keras.metrics.AUC(name="auc"),
        tf.keras.metrics.Precision(name="prec"),
        tf.keras.metrics.Recall(name="rec"),
        "accuracy",
    ],
)
history = model.fit(x, y, batch_size=32, epochs=8, verbose=0)
assert set(history.history) >= {"loss", "auc", "prec", "rec", "accuracy"}
assert history.history["loss"][-1] < history.history["loss"][0]
results = model.evaluate(x, y, verbose=0, return_dict=True)
assert results["auc"] > 0.9 and results["accuracy"] > 0.8, results
assert int(model.optimizer.iterations.numpy()) == 8 * 8
print("compile with schedule ok", results)
