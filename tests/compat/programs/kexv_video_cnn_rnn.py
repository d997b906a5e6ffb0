# keras.io "Video Classification with a CNN-RNN Architecture": a frame feature extractor
# applied to every frame with layers.TimeDistributed, variable-length videos padded to
# MAX_SEQ_LENGTH with a boolean frame mask passed to GRU layers (mask=...), Dropout and a
# softmax head over the sequence model; plus a class vocabulary from layers.StringLookup.
# Synthetic "videos": a bright dot moving left, right, up or down, 3 to 6 frames long.
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(71)
rng = np.random.default_rng(71)
S, MAX_SEQ_LENGTH, NUM_FEATURES = 8, 6, 8
tags = ["left", "right", "up", "down"]
label_processor = keras.layers.StringLookup(num_oov_indices=0, vocabulary=tags)
assert label_processor.get_vocabulary() == tags
moves = {"left": (0, -1), "right": (0, 1), "up": (-1, 0), "down": (1, 0)}


def make_video(tag):
    n = rng.integers(3, MAX_SEQ_LENGTH + 1)
    dr, dc = moves[tag]
    r, c = rng.integers(2, S - 2, 2)
    frames = rng.uniform(0, 0.1, size=(n, S, S, 1)).astype("float32")
    for t in range(n):
        frames[t, int(np.clip(r + dr * t, 0, S - 1)), int(np.clip(c + dc * t, 0, S - 1)), 0] = 1.0
    return frames


def prepare_all_videos(video_tags):
    num_samples = len(video_tags)
    labels = label_processor(np.array(video_tags)[..., None]).numpy()
    frame_masks = np.zeros(shape=(num_samples, MAX_SEQ_LENGTH), dtype="bool")
    frames_out = np.zeros(shape=(num_samples, MAX_SEQ_LENGTH, S, S, 1), dtype="float32")
    for idx, tag in enumerate(video_tags):
        frames = make_video(tag)
        length = min(MAX_SEQ_LENGTH, frames.shape[0])
        frames_out[idx, :length] = frames[:length]
        frame_masks[idx, :length] = 1
    return (frames_out, frame_masks), labels


train_tags = list(rng.choice(tags, 320))
test_tags = list(rng.choice(tags, 80))
(train_frames, train_masks), train_labels = prepare_all_videos(train_tags)
(test_frames, test_masks), test_labels = prepare_all_videos(test_tags)
assert train_labels.shape == (320, 1) and train_labels.dtype == np.int64
assert train_masks.sum(1).min() >= 3 and train_masks.sum(1).max() == MAX_SEQ_LENGTH

frame_features_input = keras.Input((MAX_SEQ_LENGTH, S, S, 1))
mask_input = keras.Input((MAX_SEQ_LENGTH,), dtype="bool")
cnn = keras.Sequential(
    [
        keras.Input((S, S, 1)),
        layers.Conv2D(8, 3, activation="relu", padding="same"),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        layers.Dense(NUM_FEATURES, activation="relu"),
    ],
    name="feature_extractor",
)
features = layers.TimeDistributed(cnn)(frame_features_input)
assert features.shape == (None, MAX_SEQ_LENGTH, NUM_FEATURES)
x = layers.GRU(16, return_sequences=True)(features, mask=mask_input)
x = layers.GRU(8)(x)
x = layers.Dropout(0.2)(x)
x = layers.Dense(8, activation="relu")(x)
output = layers.Dense(len(tags), activation="softmax")(x)
rnn_model = keras.Model([frame_features_input, mask_input], output)
rnn_model.compile(loss="sparse_categorical_crossentropy", optimizer=keras.optimizers.Adam(0.01),
                  metrics=["accuracy"])  # fmt: skip

# masked frames do not count: changing the padding leaves the prediction unchanged
short = np.flatnonzero(test_masks.sum(1) < MAX_SEQ_LENGTH)[:4]
assert len(short) == 4
p1 = rnn_model.predict([test_frames[short], test_masks[short]], verbose=0)
noisy = test_frames[short].copy()
for j, i in enumerate(short):
    n = test_masks[i].sum()
    noisy[j, n:] = rng.random((MAX_SEQ_LENGTH - n, S, S, 1))
p2 = rnn_model.predict([noisy, test_masks[short]], verbose=0)
np.testing.assert_allclose(p1, p2, atol=1e-5)

history = rnn_model.fit([train_frames, train_masks], train_labels, validation_split=0.2,
                        epochs=15, batch_size=32, verbose=0)  # fmt: skip
_, accuracy = rnn_model.evaluate([test_frames, test_masks], test_labels, verbose=0)
print("video test accuracy", accuracy)
assert accuracy > 0.85, history.history
probabilities = rnn_model.predict([test_frames[:1], test_masks[:1]], verbose=0)[0]
top = np.argsort(probabilities)[::-1]
assert label_processor.get_vocabulary()[top[0]] in tags
