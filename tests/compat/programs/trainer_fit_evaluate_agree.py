# fit and evaluate report the same loss for the same weights, even for a softmax output
# with extreme logits (the stable from-logits path is taken in both).
import numpy as np
import tensorflow as tf
from tensorflow import keras

model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(3, activation="softmax")])
model.layers[0].set_weights([np.eye(3, dtype="float32") * 40.0, np.zeros(3, "float32")])
model.compile(
    optimizer=keras.optimizers.SGD(learning_rate=0.0),
    loss="sparse_categorical_crossentropy",
    metrics=["accuracy"],
)
x = np.array([[2.0, -1.0, 0.0], [-1.0, 2.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0]], "float32")
y = np.array([1, 0, 2, 0])

fit_loss = model.fit(x, y, batch_size=4, epochs=1, verbose=0).history["loss"][0]
eval_loss, accuracy = model.evaluate(x, y, batch_size=4, verbose=0)
np.testing.assert_allclose(fit_loss, eval_loss, rtol=1e-6)
assert accuracy == 0.5

# the exact cross-entropy of the logits, far above the -log(1e-7) = 16.1 of clipping
logits = x @ (np.eye(3, dtype="float32") * 40.0)
exact = np.mean(
    np.log(np.exp(logits - logits.max(1, keepdims=True)).sum(1))
    + logits.max(1)
    - logits[np.arange(4), y]
)
np.testing.assert_allclose(eval_loss, exact, rtol=1e-4)

loss_fn = keras.losses.SparseCategoricalCrossentropy()
with tf.GradientTape() as tape:
    inside = loss_fn(y, model(x))
outside = loss_fn(y, model(x))
np.testing.assert_allclose(inside.numpy(), outside.numpy(), rtol=1e-6)
np.testing.assert_allclose(outside.numpy(), exact, rtol=1e-4)
