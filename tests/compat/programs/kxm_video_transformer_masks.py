# keras.io "Video Classification with Transformers": a positional layer whose compute_mask
# marks all-zero (padded) frames, a transformer layer receiving that mask as attention_mask,
# StringLookup labels without OOV or mask token, a weights-only ModelCheckpoint
import os
import tempfile
import warnings

import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

FRAMES, FEATURES = 6, 8

labels = keras.layers.StringLookup(
    num_oov_indices=0,
    vocabulary=np.unique(["tennis", "archery", "golf", "tennis"]),
    mask_token=None,
)
assert list(labels.get_vocabulary()) == ["archery", "golf", "tennis"]
np.testing.assert_array_equal(labels(np.array(["golf", "tennis"])[..., None]).numpy(), [[1], [2]])


class FramePositions(layers.Layer):
    def __init__(self, sequence_length, output_dim, **kwargs):
        super().__init__(**kwargs)
        self.table = layers.Embedding(input_dim=sequence_length, output_dim=output_dim)

    def call(self, frames):
        where = tf.range(start=0, limit=tf.shape(frames)[1], delta=1)
        return frames + self.table(where)

    def compute_mask(self, frames, mask=None):
        return keras.ops.any(keras.ops.cast(frames, "bool"), axis=-1)


class Encoder(layers.Layer):
    def __init__(self, embed_dim, dense_dim, **kwargs):
        super().__init__(**kwargs)
        self.attention = layers.MultiHeadAttention(num_heads=1, key_dim=embed_dim, dropout=0.3)
        self.ffn = keras.Sequential(
            [layers.Dense(dense_dim, activation=tf.nn.gelu), layers.Dense(embed_dim)]
        )
        self.norm1 = layers.LayerNormalization()
        self.norm2 = layers.LayerNormalization()

    def call(self, inputs, mask=None):
        if mask is not None:
            mask = mask[:, tf.newaxis, :]
        mixed = self.norm1(inputs + self.attention(inputs, inputs, attention_mask=mask))
        return self.norm2(mixed + self.ffn(mixed))


# the padding mask keeps padded frames out of the attention of real ones
encoder = Encoder(FEATURES, 4)
clip = np.random.default_rng(0).normal(size=(1, FRAMES, FEATURES)).astype("float32")
other = clip.copy()
other[:, 4:] = 5.0
keep = np.array([[True] * 4 + [False] * 2])
a = encoder(clip, mask=keep).numpy()
b = encoder(other, mask=keep).numpy()
np.testing.assert_allclose(a[:, :4], b[:, :4], rtol=1e-5, atol=1e-6)
assert not np.allclose(encoder(clip).numpy()[:, :4], encoder(other).numpy()[:, :4])

inputs = keras.Input(shape=(FRAMES, FEATURES))
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Encoder does not pass the mask on: Keras warns
    x = FramePositions(FRAMES, FEATURES, name="frame_position_embedding")(inputs)
    encoder = Encoder(FEATURES, 4, name="transformer_layer")
    x = encoder(x)
x = layers.Dropout(0.5)(layers.GlobalMaxPooling1D()(x))
model = keras.Model(inputs, layers.Dense(3, activation="softmax")(x))
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])

path = os.path.join(tempfile.mkdtemp(), "video_classifier.weights.h5")
checkpoint = keras.callbacks.ModelCheckpoint(path, save_weights_only=True, save_best_only=True)

rng = np.random.default_rng(1)
videos = rng.uniform(size=(10, FRAMES, FEATURES)).astype("float32")
videos[:, 4:] = 0.0  # shorter clips are zero-padded
targets = labels(np.array(["golf", "tennis", "archery", "golf", "tennis"] * 2)[..., None])
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    hist = model.fit(
        videos, targets, validation_split=0.2, epochs=2, callbacks=[checkpoint], verbose=0
    )
assert os.path.exists(path)
assert sorted(hist.history) == ["accuracy", "loss", "val_accuracy", "val_loss"]
model.load_weights(path)
loss, accuracy = model.evaluate(videos, targets, verbose=0)
assert 0.0 <= accuracy <= 1.0
probs = model.predict(videos[:1], verbose=0)[0]
np.testing.assert_allclose(probs.sum(), 1.0, rtol=1e-5)
order = np.argsort(probs)[::-1]
assert sorted(order.tolist()) == [0, 1, 2]
print("ok")
