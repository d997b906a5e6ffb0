# A Bidirectional LSTM over padded, masked token sequences decides whether a marker token
# comes before or after the middle; merge modes shape the outputs as Keras documents.
import numpy as np
from tensorflow import keras

keras.utils.set_random_seed(6)
rng = np.random.default_rng(6)
n, length = 400, 10
ids = rng.integers(2, 8, size=(n, length))
position = rng.integers(0, length, size=n)
ids[np.arange(n), position] = 1  # the marker
labels = (position < length // 2).astype("float32")

model = keras.Sequential(
    [
        keras.Input(shape=(length,), dtype="int32"),
        keras.layers.Embedding(8, 8, mask_zero=True),
        keras.layers.Bidirectional(keras.layers.LSTM(8)),
        keras.layers.Dense(1, activation="sigmoid"),
    ]
)
model.compile(
    optimizer=keras.optimizers.Adam(0.02), loss="binary_crossentropy", metrics=["accuracy"]
)
model.fit(ids[:320], labels[:320], epochs=15, batch_size=32, verbose=0)
assert model.evaluate(ids[320:], labels[320:], verbose=0)[1] > 0.9

bi = model.layers[1]
assert len(bi.get_weights()) == 6 and bi.get_weights()[0].shape == (8, 32)
assert bi.forward_layer.go_backwards is False and bi.backward_layer.go_backwards is True

x = rng.standard_normal((2, 5, 3)).astype("float32")
assert keras.layers.Bidirectional(keras.layers.GRU(4, return_sequences=True))(x).shape == (2, 5, 8)
assert keras.layers.Bidirectional(keras.layers.GRU(4), merge_mode="sum")(x).shape == (2, 4)
both = keras.layers.Bidirectional(keras.layers.SimpleRNN(3), merge_mode=None)(x)
assert len(both) == 2 and both[0].shape == (2, 3)
layer = keras.layers.Bidirectional(
    keras.layers.SimpleRNN(3, return_sequences=True), merge_mode="ave"
)
out = layer(x)
forward = layer.forward_layer(x).numpy()
backward = layer.backward_layer(x).numpy()[:, ::-1]  # the backward pass, back in time order
np.testing.assert_allclose(out.numpy(), (forward + backward) / 2, rtol=1e-5, atol=1e-6)
