# keras.io "Endpoint layer pattern", another angle: the endpoint layer takes (targets,
# logits) positionally, adds a weighted loss with add_loss and also owns a metric object
# (tracked by Keras 3 as a layer attribute), so fit/evaluate report it with no compiled
# loss or metrics; the loss/metric are also checked by hand in a custom GradientTape loop.
import keras
import numpy as np
import tensorflow as tf
from keras import ops

keras.utils.set_random_seed(31)
rng = np.random.default_rng(31)


class CategoricalEndpoint(keras.layers.Layer):
    def __init__(self, loss_weight=1.0, **kwargs):
        super().__init__(**kwargs)
        self.loss_weight = loss_weight
        self.loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        self.accuracy = keras.metrics.SparseCategoricalAccuracy(name="endpoint_accuracy")

    def call(self, targets, logits):
        self.add_loss(self.loss_weight * self.loss_fn(targets, logits))
        self.accuracy.update_state(targets, logits)
        return ops.softmax(logits)


features = keras.Input((5,), name="features")
labels = keras.Input((), dtype="int32", name="labels")
hidden = keras.layers.Dense(16, activation="relu")(features)
logits = keras.layers.Dense(3, name="logits")(hidden)
probs = CategoricalEndpoint(loss_weight=2.0, name="endpoint")(labels, logits)
model = keras.Model({"features": features, "labels": labels}, probs)

x = rng.normal(size=(300, 5)).astype("float32")
y = np.argmax(x[:, :3] + 0.3 * rng.normal(size=(300, 3)), axis=1).astype("int32")
data = {"features": x, "labels": y}

endpoint = model.get_layer("endpoint")
assert any(m is endpoint.accuracy for m in model.metrics), model.metrics

model.compile(optimizer=keras.optimizers.Adam(0.02))
hist = model.fit(data, epochs=12, batch_size=30, verbose=0)
assert "endpoint_accuracy" in hist.history, hist.history.keys()
assert hist.history["loss"][-1] < 0.5 * hist.history["loss"][0], hist.history["loss"]
assert hist.history["endpoint_accuracy"][-1] > 0.75, hist.history

# evaluate: the loss is loss_weight * crossentropy of the logits layer
results = model.evaluate(data, batch_size=300, verbose=0, return_dict=True)
logit_model = keras.Model(model.input["features"], model.get_layer("logits").output)
z = logit_model.predict(x, verbose=0)
z = z - z.max(axis=1, keepdims=True)
logp = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
ce = -np.mean(logp[np.arange(300), y])
np.testing.assert_allclose(results["loss"], 2.0 * ce, rtol=1e-4)
np.testing.assert_allclose(results["endpoint_accuracy"], np.mean(z.argmax(1) == y), atol=1e-6)

# the same graph in a hand-written loop: model.losses holds the layer's loss after a call
optimizer = keras.optimizers.SGD(0.05)
batch = {"features": x[:60], "labels": y[:60]}
with tf.GradientTape() as tape:
    out = model(batch, training=True)
    loss = tf.add_n(model.losses)
assert len(model.losses) == 1
grads = tape.gradient(loss, model.trainable_weights)
assert all(g is not None for g in grads)
optimizer.apply_gradients(zip(grads, model.trainable_weights))
np.testing.assert_allclose(out.numpy().sum(axis=1), 1.0, rtol=1e-5)
print("accuracy", hist.history["endpoint_accuracy"][-1])
