# keras.io "Bidirectional LSTM on IMDB", small and synthetic: reviews as Python lists of word
# indices of different lengths (as keras.datasets.imdb.load_data gives them), cut and padded
# by keras.utils.pad_sequences (default "pre" padding and truncating, then "post"), a model
# on Input(shape=(None,), dtype="int32"): Embedding, two stacked Bidirectional LSTMs (the
# first returning sequences), a sigmoid head; fit with validation_data, then checks of the
# wrapper's forward / backward layers and of the merged output sizes.
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(31)
rng = np.random.default_rng(31)
max_features, maxlen = 40, 16
positive, negative = list(range(2, 7)), list(range(7, 12))


def make_reviews(n):
    reviews, labels = [], []
    for _ in range(n):
        label = int(rng.integers(0, 2))
        length = int(rng.integers(6, 28))
        words = rng.integers(12, max_features, length)
        cues = positive if label else negative
        # the cue words sit near the end, so "pre" truncation keeps them
        slots = rng.choice(np.arange(max(0, length - 10), length), 3, replace=False)
        words[slots] = rng.choice(cues, 3)
        reviews.append([int(w) for w in words])
        labels.append(label)
    return reviews, np.array(labels)


x_train, y_train = make_reviews(600)
x_val, y_val = make_reviews(200)
assert len({len(r) for r in x_train}) > 10

# pad_sequences: "pre" padding / truncating keep the end of a long review.
padded = keras.utils.pad_sequences([[1, 2, 3], [4, 5, 6, 7, 8]], maxlen=4)
assert padded.dtype == np.int32
assert padded.tolist() == [[0, 1, 2, 3], [5, 6, 7, 8]]
post = keras.utils.pad_sequences(
    [[1, 2, 3], [4, 5, 6, 7, 8]], maxlen=4, padding="post", truncating="post", value=-1
)
assert post.tolist() == [[1, 2, 3, -1], [4, 5, 6, 7]]
assert keras.utils.pad_sequences([[1], [2, 3, 4]]).shape == (2, 3)  # maxlen: the longest

x_train = keras.utils.pad_sequences(x_train, maxlen=maxlen)
x_val = keras.utils.pad_sequences(x_val, maxlen=maxlen)
assert x_train.shape == (600, maxlen) and x_val.shape == (200, maxlen)

inputs = keras.Input(shape=(None,), dtype="int32")
x = layers.Embedding(max_features, 16)(inputs)
lstm = layers.LSTM(8, return_sequences=True)
first = layers.Bidirectional(lstm)
x = first(x)
assert tuple(x.shape) == (None, None, 16)
second = layers.Bidirectional(layers.LSTM(8))
x = second(x)
assert tuple(x.shape) == (None, 16)
outputs = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(inputs, outputs)
assert first.forward_layer.name == "forward_" + lstm.name
assert first.backward_layer.name == "backward_" + lstm.name
assert first.backward_layer.go_backwards and not first.forward_layer.go_backwards
# 2 directions x (kernel, recurrent_kernel, bias) per Bidirectional layer
assert len(first.trainable_weights) == 6 and len(second.trainable_weights) == 6
assert model.count_params() == (
    max_features * 16 + 2 * (4 * 8 * (16 + 8 + 1)) + 2 * (4 * 8 * (16 + 8 + 1)) + 17
)

model.compile("adam", "binary_crossentropy", metrics=["accuracy"])
history = model.fit(
    x_train, y_train, batch_size=32, epochs=6, validation_data=(x_val, y_val), verbose=0
)
assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
val_accuracy = history.history["val_accuracy"][-1]
assert val_accuracy > 0.85, history.history

# The forward half of the last output sees the whole review; reversing a review changes it.
probe = x_val[:4]
features = keras.Model(inputs, model.layers[2].output)(probe).numpy()
reversed_features = keras.Model(inputs, model.layers[2].output)(probe[:, ::-1].copy()).numpy()
assert features.shape == (4, maxlen, 16)
assert not np.allclose(features, reversed_features, atol=1e-4)
preds = model.predict(x_val, verbose=0)
assert preds.shape == (200, 1) and np.all((preds > 0) & (preds < 1))
assert abs(np.mean((preds[:, 0] > 0.5) == y_val) - val_accuracy) < 1e-6
print("bidirectional lstm ok", val_accuracy)
