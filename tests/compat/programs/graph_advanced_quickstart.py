# The TF2 "advanced quickstart" pattern: a subclassed model, train_step / test_step in
# tf.function with GradientTape, optimizer.apply_gradients and keras metrics.
import numpy as np
import tensorflow as tf

tf.random.set_seed(0)
rng = np.random.default_rng(0)
centers = rng.normal(size=(3, 8)).astype("float32") * 3.0
labels = rng.integers(0, 3, size=600)
features = (centers[labels] + rng.normal(size=(600, 8))).astype("float32")
train_ds = [
    (tf.constant(features[i : i + 32]), tf.constant(labels[i : i + 32])) for i in range(0, 480, 32)
]
test_ds = [
    (tf.constant(features[i : i + 40]), tf.constant(labels[i : i + 40]))
    for i in range(480, 600, 40)
]


class MyModel(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.d1 = tf.keras.layers.Dense(32, activation="relu")
        self.d2 = tf.keras.layers.Dense(3)

    def call(self, x):
        return self.d2(self.d1(x))


model = MyModel()
loss_object = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
optimizer = tf.keras.optimizers.Adam(learning_rate=0.01)
train_loss = tf.keras.metrics.Mean(name="train_loss")
train_accuracy = tf.keras.metrics.SparseCategoricalAccuracy(name="train_accuracy")
test_loss = tf.keras.metrics.Mean(name="test_loss")
test_accuracy = tf.keras.metrics.SparseCategoricalAccuracy(name="test_accuracy")


@tf.function
def train_step(images, labels):
    with tf.GradientTape() as tape:
        predictions = model(images, training=True)
        loss = loss_object(labels, predictions)
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    train_loss(loss)
    train_accuracy(labels, predictions)


@tf.function
def test_step(images, labels):
    predictions = model(images, training=False)
    t_loss = loss_object(labels, predictions)
    test_loss(t_loss)
    test_accuracy(labels, predictions)


history = []
for epoch in range(3):
    train_loss.reset_state()
    train_accuracy.reset_state()
    test_loss.reset_state()
    test_accuracy.reset_state()
    for images, batch_labels in train_ds:
        train_step(images, batch_labels)
    for images, batch_labels in test_ds:
        test_step(images, batch_labels)
    history.append((float(train_loss.result()), float(test_accuracy.result())))
    if epoch == 0:
        traced = (
            train_step.experimental_get_tracing_count(),
            test_step.experimental_get_tracing_count(),
        )

assert history[-1][0] < history[0][0]
assert history[-1][1] > 0.9, history
# 480 = 15 batches of 32 and 120 = 3 batches of 40: one signature each, so no traces after
# the first epoch (TensorFlow may trace a step twice on the call that creates variables).
assert (
    train_step.experimental_get_tracing_count(),
    test_step.experimental_get_tracing_count(),
) == traced
assert test_step.experimental_get_tracing_count() == 1
print("ok")
