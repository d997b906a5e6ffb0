# keras.io "Sequence to sequence learning for performing number addition": a CharacterTable
# one-hot encoding of "12+345" strings (reversed), an LSTM encoder, RepeatVector to the
# answer length, an LSTM decoder returning sequences and a TimeDistributed Dense softmax;
# trained on 2-digit additions, decoded back to strings.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(6)
rng = np.random.default_rng(6)
TRAINING_SIZE = 3000
DIGITS = 2
REVERSE = True
MAXLEN = DIGITS + 1 + DIGITS


class CharacterTable:
    def __init__(self, chars):
        self.chars = sorted(set(chars))
        self.char_indices = dict((c, i) for i, c in enumerate(self.chars))
        self.indices_char = dict((i, c) for i, c in enumerate(self.chars))

    def encode(self, C, num_rows):
        x = np.zeros((num_rows, len(self.chars)))
        for i, c in enumerate(C):
            x[i, self.char_indices[c]] = 1
        return x

    def decode(self, x, calc_argmax=True):
        if calc_argmax:
            x = x.argmax(axis=-1)
        return "".join(self.indices_char[x] for x in x)


chars = "0123456789+ "
ctable = CharacterTable(chars)
questions, expected, seen = [], [], set()
while len(questions) < TRAINING_SIZE:
    a, b = (int(rng.integers(0, 10**DIGITS)) for _ in range(2))
    if (a, b) in seen:
        continue
    seen.add((a, b))
    q = "{}+{}".format(a, b)
    query = q + " " * (MAXLEN - len(q))
    ans = str(a + b)
    ans += " " * (DIGITS + 1 - len(ans))
    if REVERSE:
        query = query[::-1]
    questions.append(query)
    expected.append(ans)

x = np.zeros((len(questions), MAXLEN, len(chars)), dtype=bool)
y = np.zeros((len(questions), DIGITS + 1, len(chars)), dtype=bool)
for i, sentence in enumerate(questions):
    x[i] = ctable.encode(sentence, MAXLEN)
for i, sentence in enumerate(expected):
    y[i] = ctable.encode(sentence, DIGITS + 1)
assert ctable.decode(x[0]) == questions[0]
split_at = len(x) - len(x) // 10
(x_train, x_val), (y_train, y_val) = (x[:split_at], x[split_at:]), (y[:split_at], y[split_at:])

num_layers = 1
UNITS = 32
model = keras.Sequential()
model.add(layers.Input((MAXLEN, len(chars))))
model.add(layers.LSTM(UNITS))
model.add(layers.RepeatVector(DIGITS + 1))
for _ in range(num_layers):
    model.add(layers.LSTM(UNITS, return_sequences=True))
model.add(layers.TimeDistributed(layers.Dense(len(chars), activation="softmax")))
model.compile(
    loss="categorical_crossentropy", optimizer=keras.optimizers.Adam(0.01), metrics=["accuracy"]
)
assert [tuple(layer.output.shape) for layer in model.layers] == [
    (None, UNITS),
    (None, 3, UNITS),
    (None, 3, UNITS),
    (None, 3, 12),
]
# TimeDistributed shares one Dense over the time steps
assert model.layers[-1].layer.kernel.shape == (UNITS, 12)
u = UNITS
assert model.count_params() == (4 * u * (12 + u + 1)) + (4 * u * (u + u + 1)) + u * 12 + 12

history = model.fit(
    x_train, y_train, batch_size=32, epochs=20, verbose=0, validation_data=(x_val, y_val)
)
val_acc = history.history["val_accuracy"][-1]
assert val_acc > 0.8, history.history["val_accuracy"]

preds = np.argmax(model.predict(x_val, verbose=0), axis=-1)
decoded = [ctable.decode(p, calc_argmax=False) for p in preds]
correct = [ctable.decode(row) for row in y_val]
exact = np.mean([d == c for d, c in zip(decoded, correct)])
per_char = np.mean(preds == y_val.argmax(-1))
np.testing.assert_allclose(per_char, val_acc, atol=1e-6)
assert exact > 0.5, exact
# the same per-character accuracy from TF ops on the model's probabilities
probs = model(x_val, training=False)
hits = tf.equal(tf.argmax(probs, axis=-1), tf.argmax(y_val, axis=-1))
np.testing.assert_allclose(float(tf.reduce_mean(tf.cast(hits, tf.float32))), per_char, atol=1e-6)
q = ctable.decode(x_val[0])[::-1].strip()
print(q, "=", decoded[0].strip(), "| exact", exact, "per char", per_char)
