# A ConvLSTM2D reads short sequences of 8x8 frames in which a bright square moves one
# pixel to the right per frame, and predicts the next frame; its outputs follow the
# ConvLSTM equations (Keras' gate order i, f, c, o), checked here in NumPy.
import numpy as np
import tensorflow as tf
from tensorflow import keras

keras.utils.set_random_seed(2)
rng = np.random.default_rng(2)


def movie(n, steps=5, size=8):
    frames = np.zeros((n, steps + 1, size, size, 1), "float32")
    for k in range(n):
        row, col = rng.integers(0, size - 2), rng.integers(0, size - steps - 2)
        for t in range(steps + 1):
            frames[k, t, row : row + 2, col + t : col + t + 2, 0] = 1.0
    return frames[:, :-1], frames[:, -1]


x, y = movie(64)
model = keras.Sequential(
    [
        keras.Input(shape=(5, 8, 8, 1)),
        keras.layers.ConvLSTM2D(8, 3, padding="same", return_sequences=True),
        keras.layers.ConvLSTM2D(8, 3, padding="same"),
        keras.layers.Conv2D(1, 3, padding="same", activation="sigmoid"),
    ]
)
model.compile(optimizer=keras.optimizers.Adam(0.01), loss="binary_crossentropy")
history = model.fit(x, y, epochs=10, batch_size=16, verbose=0)
losses = history.history["loss"]
assert losses[-1] < 0.5 * losses[0], losses

first = model.layers[0]
assert first.name == "conv_lstm2d" and first.count_params() == 4 * 8 * (9 * 1 + 9 * 8 + 1)
kernel, recurrent, bias = first.get_weights()
assert kernel.shape == (3, 3, 1, 32) and recurrent.shape == (3, 3, 8, 32) and bias.shape == (32,)
assert model.layers[1].output.shape == (None, 8, 8, 8)


def conv_same(a, k):  # [N, H, W, C] with [3, 3, C, F], zero padding 1
    padded = np.pad(a, ((0, 0), (1, 1), (1, 1), (0, 0)))
    out = np.zeros(a.shape[:3] + (k.shape[-1],))
    for i in range(3):
        for j in range(3):
            out += padded[:, i : i + a.shape[1], j : j + a.shape[2]] @ k[i, j]
    return out


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


h = c = np.zeros((3, 8, 8, 8))
for t in range(5):
    z = conv_same(x[:3, t], kernel) + conv_same(h, recurrent) + bias
    i, f, g, o = np.split(z, 4, axis=-1)
    c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
    h = sigmoid(o) * np.tanh(c)
sequence = first(x[:3]).numpy()
assert sequence.shape == (3, 5, 8, 8, 8)
np.testing.assert_allclose(sequence[:, -1], h, rtol=1e-4, atol=1e-5)

# return_state, go_backwards and strides in the 1-D and 3-D variants.
out, h1, c1 = keras.layers.ConvLSTM1D(4, 3, strides=2, return_state=True)(x[:2, :, :, 0])
assert out.shape == (2, 3, 4) and h1.shape == (2, 3, 4) and c1.shape == (2, 3, 4)
np.testing.assert_allclose(out.numpy(), h1.numpy())
backwards = keras.layers.ConvLSTM2D(2, 3, go_backwards=True, return_sequences=True)
assert backwards(x[:2]).shape == (2, 5, 6, 6, 2)
volume = tf.constant(rng.normal(size=(2, 3, 4, 4, 4, 1)).astype("float32"))
assert keras.layers.ConvLSTM3D(2, 2, padding="same")(volume).shape == (2, 4, 4, 4, 2)
print("ok", losses[0], losses[-1])
