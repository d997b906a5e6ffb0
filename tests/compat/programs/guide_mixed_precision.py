# The mixed precision guide on the CPU: the global policy, layer dtypes (compute float16,
# variables float32), a float32 softmax output, LossScaleOptimizer in fit and in a custom
# training loop with scale_loss / get_unscaled_gradients, and a float32 predict.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers, mixed_precision

keras.utils.set_random_seed(0)
mixed_precision.set_global_policy("mixed_float16")
policy = mixed_precision.global_policy()
assert policy.name == "mixed_float16"
assert policy.compute_dtype == "float16" and policy.variable_dtype == "float32"

inputs = keras.Input(shape=(20,), name="digits")
dense1 = layers.Dense(32, activation="relu", name="dense_1")
x = dense1(inputs)
x = layers.Dense(32, activation="relu", name="dense_2")(x)
x = layers.Dense(4, name="dense_logits")(x)
assert x.dtype == "float16"
outputs = layers.Activation("softmax", dtype="float32", name="predictions")(x)
assert outputs.dtype == "float32"
model = keras.Model(inputs=inputs, outputs=outputs)
assert dense1.dtype_policy.name == "mixed_float16"
assert dense1.compute_dtype == "float16" and dense1.dtype == "float32"
assert dense1.kernel.dtype == "float32"

rng = np.random.default_rng(0)
x_train = rng.standard_normal((512, 20)).astype("float32")
y_train = (x_train[:, :4].argmax(axis=1)).astype("int64")
model.compile(
    loss="sparse_categorical_crossentropy",
    optimizer=keras.optimizers.RMSprop(learning_rate=0.01),
    metrics=["accuracy"],
)
assert isinstance(model.optimizer, mixed_precision.LossScaleOptimizer)
history = model.fit(x_train, y_train, batch_size=64, epochs=6, verbose=0)
assert history.history["loss"][-1] < history.history["loss"][0]
assert history.history["accuracy"][-1] > 0.7, history.history
pred = model.predict(x_train[:8], verbose=0)
assert pred.dtype == np.float32
np.testing.assert_allclose(pred.sum(axis=1), 1.0, rtol=1e-3)

# custom training loop: scale the loss, unscale the gradients
model2 = keras.Sequential(
    [keras.Input((20,)), layers.Dense(16, activation="relu"), layers.Dense(4, dtype="float32")]
)
optimizer = mixed_precision.LossScaleOptimizer(keras.optimizers.SGD(0.1))
assert float(optimizer.scale_loss(1.0)) == optimizer.initial_scale == 2.0**15
loss_object = keras.losses.SparseCategoricalCrossentropy(from_logits=True)


@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        predictions = model2(x)
        loss = loss_object(y, predictions)
        scaled_loss = optimizer.scale_loss(loss)
    scaled_gradients = tape.gradient(scaled_loss, model2.trainable_variables)
    optimizer.apply_gradients(zip(scaled_gradients, model2.trainable_variables))
    return loss


losses = [
    float(train_step(tf.constant(x_train[i : i + 64]), tf.constant(y_train[i : i + 64])))
    for i in range(0, 512, 64)
    for _ in range(3)
]
assert losses[-1] < losses[0], losses
assert model2.layers[0].kernel.dtype == "float32"
assert model2(x_train[:2]).dtype == "float32"

mixed_precision.set_global_policy("float32")
assert layers.Dense(2).compute_dtype == "float32"
