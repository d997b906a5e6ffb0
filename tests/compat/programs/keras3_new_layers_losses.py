# Keras 3 names added in its later releases: ReversibleEmbedding (a tied-weights language
# model head), GroupQueryAttention, adaptive pooling, MelSpectrogram, the Circle loss,
# keras.utils.Config and the legacy keras.backend.rnn; each checked against its definition.
import numpy as np
import tensorflow as tf
from tensorflow import keras

rng = np.random.default_rng(0)
keras.utils.set_random_seed(0)

# ReversibleEmbedding: embed ids, then project hidden states back onto the vocabulary.
embedding = keras.layers.ReversibleEmbedding(20, 8, mask_zero=True)
ids = np.array([[3, 7, 0], [5, 0, 0]])
hidden = embedding(ids)
logits = embedding(hidden, reverse=True)
assert tuple(hidden.shape) == (2, 3, 8) and tuple(logits.shape) == (2, 3, 20)
table = embedding.embeddings.numpy()
np.testing.assert_allclose(logits.numpy(), hidden.numpy() @ table.T, rtol=1e-5, atol=1e-6)
inputs = keras.Input(shape=(6,), dtype="int32")
lm_head = keras.layers.ReversibleEmbedding(20, 8, tie_weights=False, logit_soft_cap=5.0)
outputs = lm_head(keras.layers.Dense(8, activation="tanh")(lm_head(inputs)), reverse=True)
language_model = keras.Model(inputs, outputs)
language_model.compile(
    optimizer=keras.optimizers.Adam(0.02),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
)
tokens = rng.integers(1, 20, (64, 6))
history = language_model.fit(tokens, tokens, epochs=8, verbose=0)
assert history.history["loss"][-1] < history.history["loss"][0]
assert float(tf.reduce_max(tf.abs(language_model(tokens[:4])))) <= 5.0  # the soft cap

# GroupQueryAttention: 4 query heads share 2 key/value heads.
query = rng.normal(size=(2, 5, 16)).astype("float32")
value = rng.normal(size=(2, 7, 16)).astype("float32")
gqa = keras.layers.GroupQueryAttention(head_dim=4, num_query_heads=4, num_key_value_heads=2)
out, scores = gqa(query, value, return_attention_scores=True)
assert tuple(out.shape) == (2, 5, 16) and tuple(scores.shape) == (2, 4, 5, 7)
np.testing.assert_allclose(scores.numpy().sum(axis=-1), 1.0, rtol=1e-5)
shapes = sorted(tuple(w.shape) for w in gqa.weights)
assert (16, 2, 4) in shapes and (16, 4, 4) in shapes and (4, 4, 16) in shapes
_, causal = gqa(query, query, return_attention_scores=True, use_causal_mask=True)
assert np.all(causal.numpy()[:, :, np.triu_indices(5, 1)[0], np.triu_indices(5, 1)[1]] < 1e-6)

# Adaptive pooling: bin i of L pooled to n covers [floor(i L / n), ceil((i + 1) L / n)).
x = np.arange(2 * 7 * 1, dtype="float32").reshape(2, 7, 1)
avg = keras.layers.AdaptiveAveragePooling1D(3)(x).numpy()[0, :, 0]
mx = keras.layers.AdaptiveMaxPooling1D(3)(x).numpy()[0, :, 0]
np.testing.assert_allclose(avg, [1.0, 3.0, 5.0])  # bins [0, 3), [2, 5), [4, 7)
np.testing.assert_allclose(mx, [2.0, 4.0, 6.0])
images = rng.normal(size=(2, 9, 7, 3)).astype("float32")
pooled = keras.layers.AdaptiveAveragePooling2D((3, 2))(images).numpy()
assert pooled.shape == (2, 3, 2, 3)
np.testing.assert_allclose(pooled[:, 0, 0], images[:, 0:3, 0:4].mean(axis=(1, 2)), rtol=1e-5)
image_inputs = keras.Input((None, None, 3))
head = keras.layers.Flatten()(keras.layers.AdaptiveMaxPooling2D(2)(image_inputs))
classifier = keras.Model(image_inputs, keras.layers.Dense(2)(head))
assert classifier(np.ones((1, 11, 13, 3), "float32")).shape == (1, 2)  # any input size

# MelSpectrogram: (batch, samples) -> (batch, mel bins, frames), decibels within top_db.
audio = np.sin(2 * np.pi * 440.0 * np.arange(8000) / 8000.0)[None].astype("float32")
mel = keras.layers.MelSpectrogram(
    fft_length=256, sequence_stride=128, num_mel_bins=32, sampling_rate=8000
)(audio)
assert tuple(mel.shape) == (1, 32, 63)
loudest = np.argmax(mel.numpy()[0].mean(axis=1))


def hz_to_mel(hz):  # the HTK mel scale of Keras' filter bank
    return 1127.0 * np.log(1.0 + hz / 700.0)


spacing = (hz_to_mel(4000.0) - hz_to_mel(20.0)) / 33  # 32 bands between 20 Hz and 4 kHz
expected_band = round((hz_to_mel(440.0) - hz_to_mel(20.0)) / spacing) - 1
assert loudest == expected_band == 7, (loudest, expected_band)
assert float(tf.reduce_max(mel) - tf.reduce_min(mel)) <= 80.0 + 1e-3

# Circle loss on unit-normalized embeddings: zero for a sample without a positive pair.
embeddings = rng.normal(size=(6, 4)).astype("float32")
embeddings /= np.linalg.norm(embeddings, axis=1, keepdims=True)
labels = np.array([0, 1, 0, 2, 1, 3])
per_sample = keras.losses.circle(labels, embeddings).numpy()
assert per_sample[3] == 0.0 and per_sample[5] == 0.0 and np.all(per_sample[[0, 1, 2, 4]] > 0)
mean = float(keras.losses.Circle()(labels, embeddings))
np.testing.assert_allclose(mean, per_sample.sum() / 4, rtol=1e-5)  # masked mean

# keras.utils.Config
config = keras.utils.Config(learning_rate=0.1)
config.seed = 7
assert config["seed"] == 7 and sorted(config.keys()) == ["learning_rate", "seed"]
config.freeze()
try:
    config.momentum = 0.9
    raise AssertionError("a frozen Config accepted a change")
except ValueError:
    pass


# keras.backend.rnn with a mask: masked steps repeat the previous output and keep the state.
def step(inputs, states):
    total = inputs + states[0]
    return total, [total]


sequence = tf.constant(np.arange(12, dtype="float32").reshape(2, 3, 2))
mask = tf.constant([[True, True, False], [True, False, False]])
last, outs, states = keras.backend.rnn(step, sequence, [tf.zeros((2, 2))], mask=mask)
np.testing.assert_allclose(last.numpy(), [[2.0, 4.0], [6.0, 7.0]])
np.testing.assert_allclose(outs.numpy()[1], [[6.0, 7.0]] * 3)
print("ok")
