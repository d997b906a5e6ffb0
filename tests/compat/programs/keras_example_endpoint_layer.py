# keras.io "Endpoint layer pattern": a LogisticEndpoint layer that takes the logits and
# the targets (and sample weights), adds its loss with self.add_loss and returns the
# probabilities; the model takes a dict of inputs, is compiled without a loss and fit with
# no separate targets. The same layer in a model used for inference only (no targets).
import numpy as np
import tensorflow as tf
from tensorflow import keras

keras.utils.set_random_seed(16)
rng = np.random.default_rng(16)


class LogisticEndpoint(keras.layers.Layer):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.loss_fn = keras.losses.BinaryCrossentropy(from_logits=True)

    def call(self, logits, targets=None, sample_weights=None):
        if targets is not None:
            # Compute the training-time loss value and add it to the layer using
            # `self.add_loss()`.
            loss = self.loss_fn(targets, logits, sample_weights)
            self.add_loss(loss)
        # Return the inference-time prediction tensor (for `.predict()`).
        return tf.nn.softmax(logits)


inputs = keras.Input((3,), name="inputs")
targets = keras.Input((10,), name="targets")
logits = keras.layers.Dense(10)(inputs)
sample_weights = keras.Input((1,), name="sample_weights")
preds = LogisticEndpoint()(logits, targets, sample_weights)
model = keras.Model([inputs, targets, sample_weights], preds)

w = rng.normal(size=(3, 10)).astype("float32")
x = rng.normal(size=(256, 3)).astype("float32")
y = (x @ w > 0).astype("float32")
sw = np.ones((256, 1), "float32")
data = {"inputs": x, "targets": y, "sample_weights": sw}

model.compile(keras.optimizers.Adam(0.05))
history = model.fit(data, epochs=15, batch_size=32, verbose=0)
losses = history.history["loss"]
assert set(history.history) == {"loss"}
assert losses[-1] < 0.5 * losses[0], losses

# the model's loss is the layer's: BinaryCrossentropy(from_logits=True) on the logits
dense = (
    model.layers[1]
    if isinstance(model.layers[1], keras.layers.Dense)
    else [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)][0]
)
z = dense(x).numpy()
bce = np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))
np.testing.assert_allclose(model.evaluate(data, verbose=0), bce, rtol=1e-4)

# zero sample weights switch the loss off for those samples
half = np.concatenate([np.ones((128, 1)), np.zeros((128, 1))]).astype("float32")
weighted = model.evaluate(
    {"inputs": x, "targets": y, "sample_weights": half}, verbose=0, batch_size=256
)
per_sample = np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))), axis=1)
np.testing.assert_allclose(weighted, per_sample[:128].sum() / 256, rtol=1e-4)

# predictions are softmax over the 10 logits
probs = model.predict(data, verbose=0)
assert probs.shape == (256, 10)
np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-5)

# inference model: the same layers without targets, so no loss is added
inference_model = keras.Model(inputs, LogisticEndpoint()(dense(inputs)))
out = inference_model(x[:4])
assert not inference_model.losses
np.testing.assert_allclose(out.numpy(), probs[:4], rtol=1e-5, atol=1e-6)
print("losses", losses[0], "->", losses[-1])
