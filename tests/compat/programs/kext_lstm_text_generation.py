# keras.io "Character-level text generation with LSTM", small: overlapping maxlen-character
# windows one-hot encoded into *bool* arrays, a Sequential LSTM + Dense softmax trained with
# RMSprop on categorical_crossentropy, and the example's temperature sampling (log / divide /
# exp / renormalise, then np.random.multinomial) to generate text from a seed.
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(8)
np.random.seed(8)

text = "the cat sat on the mat. the dog ran to the log. " * 5
chars = sorted(list(set(text)))
char_indices = dict((c, i) for i, c in enumerate(chars))
indices_char = dict((i, c) for i, c in enumerate(chars))

maxlen = 8
step = 1
sentences = []
next_chars = []
for i in range(0, len(text) - maxlen, step):
    sentences.append(text[i : i + maxlen])
    next_chars.append(text[i + maxlen])

x = np.zeros((len(sentences), maxlen, len(chars)), dtype="bool")
y = np.zeros((len(sentences), len(chars)), dtype="bool")
for i, sentence in enumerate(sentences):
    for t, char in enumerate(sentence):
        x[i, t, char_indices[char]] = 1
    y[i, char_indices[next_chars[i]]] = 1
assert x.dtype == bool and x.sum() == len(sentences) * maxlen

model = keras.Sequential(
    [
        keras.Input(shape=(maxlen, len(chars))),
        layers.LSTM(48),
        layers.Dense(len(chars), activation="softmax"),
    ]
)
optimizer = keras.optimizers.RMSprop(learning_rate=0.01)
model.compile(loss="categorical_crossentropy", optimizer=optimizer)


def sample(preds, temperature=1.0):
    # helper function to sample an index from a probability array
    preds = np.asarray(preds).astype("float64")
    preds = np.log(preds) / temperature
    exp_preds = np.exp(preds)
    preds = exp_preds / np.sum(exp_preds)
    probas = np.random.multinomial(1, preds, 1)
    return np.argmax(probas)


history = model.fit(x, y, batch_size=32, epochs=25, verbose=0)
losses = history.history["loss"]
assert losses[-1] < 0.15 * losses[0], losses

start_index = 3
sentence = text[start_index : start_index + maxlen]
generated = {}
for diversity in [0.2, 1.0]:
    out = ""
    window = sentence
    for i in range(24):
        x_pred = np.zeros((1, maxlen, len(chars)))
        for t, char in enumerate(window):
            x_pred[0, t, char_indices[char]] = 1.0
        preds = model.predict(x_pred, verbose=0)[0]
        next_index = sample(preds, diversity)
        next_char = indices_char[next_index]
        window = window[1:] + next_char
        out += next_char
    generated[diversity] = out
# the corpus is predictable from 8 characters: at a low temperature the model continues it
assert generated[0.2] == text[start_index + maxlen : start_index + maxlen + 24], generated

# the temperature sharpens (< 1) or flattens (> 1) the same distribution
p = model.predict(x[:1], verbose=0)[0].astype("float64")
assert abs(p.sum() - 1) < 1e-4
cold = np.exp(np.log(p) / 0.2)
cold /= cold.sum()
hot = np.exp(np.log(p) / 5.0)
hot /= hot.sum()
assert cold.max() >= p.max() >= hot.max()
assert int(np.argmax(cold)) == int(np.argmax(p)) == int(np.argmax(hot))
# bool and float32 inputs give the same predictions
np.testing.assert_allclose(
    model.predict(x[:4], verbose=0), model.predict(x[:4].astype("float32"), verbose=0), rtol=1e-6
)
print("lstm text gen ok", round(losses[0], 3), round(losses[-1], 4), generated)
