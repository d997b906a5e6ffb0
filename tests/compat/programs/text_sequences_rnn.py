"""pad_sequences + Embedding(mask_zero=True) + LSTM / GRU on token-id sequences, as in the
"Working with RNNs" and "Masking and padding" guides."""

import numpy as np
import tensorflow as tf
from tensorflow import keras

raw_inputs = [
    [711, 632, 71],
    [73, 8, 3215, 55, 927],
    [83, 91, 1, 645, 1253, 927],
]
padded = keras.utils.pad_sequences(raw_inputs, padding="post")
assert padded.dtype == np.int32 and padded.shape == (3, 6)
assert padded.tolist()[0] == [711, 632, 71, 0, 0, 0]
pre = tf.keras.preprocessing.sequence.pad_sequences(raw_inputs, maxlen=4)
assert pre.tolist() == [[0, 711, 632, 71], [8, 3215, 55, 927], [1, 645, 1253, 927]]
post_cut = keras.utils.pad_sequences(raw_inputs, maxlen=2, truncating="post", value=-1)
assert post_cut.tolist() == [[711, 632], [73, 8], [83, 91]]

embedding = keras.layers.Embedding(input_dim=5000, output_dim=16, mask_zero=True)
mask = embedding.compute_mask(padded)
assert mask.numpy().tolist()[0] == [True, True, True, False, False, False]

# sequences made from text with TextVectorization, padded the same way
sentences = ["the cat sat", "the dog ran far away", "a bird", "cats and dogs ran"]
vectorize = keras.layers.TextVectorization(output_mode="int", ragged=True)
vectorize.adapt(sentences)
ids = vectorize(sentences)
sequences = [row for row in ids.to_list()]
batch = keras.utils.pad_sequences(sequences, maxlen=5)
assert batch.shape == (4, 5) and (batch[2, :3] == 0).all()

# a masked LSTM classifier: does the sequence contain token 7?
keras.utils.set_random_seed(1)
rng = np.random.default_rng(0)
lengths = rng.integers(2, 9, size=400)
seqs = [rng.integers(1, 7, size=n).tolist() for n in lengths]
labels = np.zeros(400, dtype="float32")
for i in range(0, 400, 2):
    seqs[i][rng.integers(0, lengths[i])] = 7
    labels[i] = 1.0
x = keras.utils.pad_sequences(seqs, maxlen=8)
model = keras.Sequential(
    [
        keras.Input(shape=(8,)),
        keras.layers.Embedding(8, 8, mask_zero=True),
        keras.layers.LSTM(16),
        keras.layers.Dense(1, activation="sigmoid"),
    ]
)
model.compile(
    optimizer=keras.optimizers.Adam(0.02), loss="binary_crossentropy", metrics=["accuracy"]
)
model.fit(x, labels, epochs=8, batch_size=32, verbose=0)
_, accuracy = model.evaluate(x, labels, verbose=0)
assert accuracy > 0.9, accuracy

# padding never changes a masked GRU's output: pre- and post-padded agree
gru = keras.Sequential([keras.layers.Embedding(8, 4, mask_zero=True), keras.layers.GRU(3)])
left = keras.utils.pad_sequences([[3, 5, 2]], maxlen=6, padding="pre")
right = keras.utils.pad_sequences([[3, 5, 2]], maxlen=6, padding="post")
np.testing.assert_allclose(gru(left).numpy(), gru(right).numpy(), rtol=1e-5, atol=1e-6)
print("ok")
