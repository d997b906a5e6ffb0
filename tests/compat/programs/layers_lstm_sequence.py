# An LSTM reads a sequence and predicts its running total, then a stacked LSTM
# (return_sequences) classifies whether a sequence's sum is positive.
import numpy as np
from tensorflow import keras

keras.utils.set_random_seed(1)
rng = np.random.default_rng(1)
x = rng.uniform(-1, 1, size=(256, 8, 1)).astype("float32")
total = x.sum(axis=1)

model = keras.Sequential([keras.Input(shape=(8, 1)), keras.layers.LSTM(16), keras.layers.Dense(1)])
model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
history = model.fit(x, total, epochs=25, batch_size=32, verbose=0)
assert history.history["loss"][-1] < 0.1 * history.history["loss"][0], history.history["loss"]

lstm = model.layers[0]
kernel, recurrent, bias = lstm.get_weights()
assert kernel.shape == (1, 64) and recurrent.shape == (16, 64) and bias.shape == (64,)


# The LSTM equations with Keras' gate order (i, f, c, o), in NumPy, give the layer's output.
def sigmoid(z):
    return 1 / (1 + np.exp(-z))


h = np.zeros((4, 16))
c = np.zeros((4, 16))
for t in range(8):
    z = x[:4, t] @ kernel + h @ recurrent + bias
    i, f, g, o = np.split(z, 4, axis=1)
    c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
    h = sigmoid(o) * np.tanh(c)
np.testing.assert_allclose(lstm(x[:4]).numpy(), h, rtol=1e-4, atol=1e-5)

classifier = keras.Sequential(
    [
        keras.Input(shape=(8, 1)),
        keras.layers.LSTM(8, return_sequences=True),
        keras.layers.LSTM(8),
        keras.layers.Dense(1, activation="sigmoid"),
    ]
)
classifier.compile(
    optimizer=keras.optimizers.Adam(0.01), loss="binary_crossentropy", metrics=["accuracy"]
)
labels = (total > 0).astype("float32")
classifier.fit(x, labels, epochs=20, batch_size=32, verbose=0)
assert classifier.evaluate(x, labels, verbose=0)[1] > 0.9

output, h_state, c_state = keras.layers.LSTM(5, return_state=True)(x[:3])
assert output.shape == (3, 5) and h_state.shape == (3, 5) and c_state.shape == (3, 5)
np.testing.assert_allclose(output.numpy(), h_state.numpy())
