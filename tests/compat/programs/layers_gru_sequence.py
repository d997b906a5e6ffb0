# A GRU tags every step of a sequence (return_sequences + TimeDistributed Dense): is the
# running sum so far positive? Then a stateful GRU continues across batches.
import numpy as np
from tensorflow import keras

keras.utils.set_random_seed(2)
rng = np.random.default_rng(2)
x = rng.uniform(-1, 1, size=(256, 10, 1)).astype("float32")
tags = (np.cumsum(x, axis=1) > 0).astype("float32")

model = keras.Sequential(
    [
        keras.Input(shape=(10, 1)),
        keras.layers.GRU(16, return_sequences=True),
        keras.layers.TimeDistributed(keras.layers.Dense(1, activation="sigmoid")),
    ]
)
model.compile(
    optimizer=keras.optimizers.Adam(0.01), loss="binary_crossentropy", metrics=["accuracy"]
)
history = model.fit(x, tags, epochs=20, batch_size=32, verbose=0)
assert history.history["accuracy"][-1] > 0.9, history.history["accuracy"]
assert model.predict(x[:2], verbose=0).shape == (2, 10, 1)

gru = model.layers[0]
kernel, recurrent, bias = gru.get_weights()
assert kernel.shape == (1, 48) and recurrent.shape == (16, 48) and bias.shape == (2, 48)
assert gru.get_config()["reset_after"] is True

# A stateful GRU fed a sequence in two halves gives the outputs of one pass over all of it.
stateful = keras.layers.GRU(4, stateful=True)
whole = keras.layers.GRU(4)
stateful(x[:2, :5])
whole(x[:2])
whole.set_weights(stateful.get_weights())
stateful.reset_states()
stateful(x[:2, :5])
np.testing.assert_allclose(stateful(x[:2, 5:]).numpy(), whole(x[:2]).numpy(), rtol=1e-4, atol=1e-5)
