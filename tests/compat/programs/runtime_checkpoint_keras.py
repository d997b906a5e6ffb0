"""tf.train.Checkpoint of a compiled Keras model and its optimizer after fit."""

import numpy as np
import tensorflow as tf

tf.keras.utils.set_random_seed(0)
x = np.random.default_rng(0).normal(size=(32, 3)).astype("float32")
y = x.sum(axis=1, keepdims=True)


def build(units=4):
    model = tf.keras.Sequential(
        [
            tf.keras.Input((3,)),
            tf.keras.layers.Dense(units, activation="tanh"),
            tf.keras.layers.Dense(1),
        ]
    )
    model.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss="mse")
    return model


model = build()
model.fit(x, y, epochs=3, batch_size=8, verbose=0)
ckpt = tf.train.Checkpoint(model=model, optimizer=model.optimizer)
path = ckpt.write("./weights/model")
assert path == "./weights/model"
names = [name for name, shape in tf.train.list_variables(path)]
assert any("kernel" in n or "variables" in n for n in names), names

restored = build()
restored.optimizer.build(restored.trainable_variables)
status = tf.train.Checkpoint(model=restored, optimizer=restored.optimizer).read(path)
status.assert_existing_objects_matched()
np.testing.assert_allclose(
    restored.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6, atol=1e-6
)
assert int(restored.optimizer.iterations) == int(model.optimizer.iterations) == 12

# Numbered saves and the latest one.
first = ckpt.save("./numbered/ckpt")
second = ckpt.save("./numbered/ckpt")
assert first.endswith("ckpt-1") and second.endswith("ckpt-2")
assert tf.train.latest_checkpoint("./numbered").endswith("ckpt-2")
reader = tf.train.load_checkpoint("./numbered")
assert int(reader.get_tensor("save_counter/.ATTRIBUTES/VARIABLE_VALUE")) == 2

# A model of another shape is refused (a ValueError naming the shapes).
wrong = build(units=5)
try:
    tf.train.Checkpoint(model=wrong).read(path)
    refused = False
except ValueError as e:
    refused = "5" in str(e) and "4" in str(e)
assert refused
print("restored", len(restored.weights), "weights")
