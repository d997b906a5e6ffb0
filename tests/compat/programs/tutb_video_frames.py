"""A tiny (2+1)D video classifier trained from a generator of synthetic frame stacks, in
the shape of the video classification tutorial: Conv3D split into spatial and temporal
kernels, a per-frame resize through reshape, model.build on a batch, and the evaluation
helpers that concat/stack predictions and labels."""

import keras
import numpy as np
import tensorflow as tf
from keras import layers

N_FRAMES, H, W, CLASSES = 4, 16, 16, 3


def frames(count, seed):
    def gen():
        rng = np.random.RandomState(seed)
        for i in range(count):
            label = i % CLASSES
            clip = rng.rand(N_FRAMES, H, W, 3).astype("float32") * 0.2
            clip[:, :, :, label] += 0.8  # the class shows in one colour channel
            yield clip, np.int16(label)

    return gen


spec = (
    tf.TensorSpec(shape=(None, None, None, 3), dtype=tf.float32),
    tf.TensorSpec(shape=(), dtype=tf.int16),
)
train_ds = tf.data.Dataset.from_generator(frames(12, 0), output_signature=spec).batch(4)
test_ds = tf.data.Dataset.from_generator(frames(6, 1), output_signature=spec).batch(4)
clip, label = next(iter(train_ds))
assert clip.shape == (4, N_FRAMES, H, W, 3) and label.dtype == tf.int16


class SplitConv(layers.Layer):
    def __init__(self, filters, kernel):
        super().__init__()
        self.seq = keras.Sequential(
            [
                layers.Conv3D(filters, (1, kernel[1], kernel[2]), padding="same"),
                layers.Conv3D(filters, (kernel[0], 1, 1), padding="same"),
            ]
        )

    def call(self, x):
        return self.seq(x)


class ShrinkFrames(layers.Layer):
    def __init__(self, height, width):
        super().__init__()
        self.height, self.width = height, width
        self.resize = layers.Resizing(height, width)

    def call(self, video):
        shape = tf.shape(video)
        flat = tf.reshape(video, tf.concat([[-1], shape[2:]], 0))
        flat = self.resize(flat)
        return tf.reshape(flat, [shape[0], shape[1], self.height, self.width, shape[4]])


inp = layers.Input(shape=(N_FRAMES, H, W, 3))
x = SplitConv(4, (3, 3, 3))(inp)
x = layers.LayerNormalization()(x)
x = layers.ReLU()(x)
x = ShrinkFrames(H // 2, W // 2)(x)
assert tuple(x.shape) == (None, N_FRAMES, H // 2, W // 2, 4)
x = layers.GlobalAveragePooling3D()(x)
out = layers.Dense(CLASSES)(x)
model = keras.Model(inp, out)

n_weights = len(model.weights)
model.build(clip)  # a functional model is already built: nothing changes
assert len(model.weights) == n_weights

model.compile(
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    optimizer=keras.optimizers.Adam(0.01),
    metrics=["accuracy"],
)
history = model.fit(train_ds, epochs=2, validation_data=test_ds, verbose=0)
assert set(history.history) >= {"loss", "accuracy", "val_loss", "val_accuracy"}
assert len(history.history["loss"]) == 2

actual = tf.stack([lab for _, lab in test_ds.unbatch()], axis=0)
predicted = model.predict(test_ds, verbose=0)
assert isinstance(predicted, np.ndarray) and predicted.shape == (6, CLASSES)
joined = tf.concat(predicted, axis=0)  # one array: returned as a tensor
assert joined.shape == (6, CLASSES) and joined.dtype == tf.float32
np.testing.assert_allclose(joined.numpy(), predicted)
guess = tf.argmax(joined, axis=1)
assert actual.dtype == tf.int16 and actual.numpy().tolist() == [0, 1, 2, 0, 1, 2]
cm = tf.math.confusion_matrix(actual, guess)
assert cm.shape == (CLASSES, CLASSES) and int(tf.reduce_sum(cm)) == 6

grid = np.arange(6, dtype="float32").reshape(2, 3)
np.testing.assert_array_equal(tf.stack(grid, axis=0).numpy(), grid)  # an array on axis 0
np.testing.assert_array_equal(tf.stack(tf.constant(grid), axis=1).numpy(), grid.T)  # rows
try:
    tf.stack(grid, axis=1)
except ValueError:
    pass
else:
    raise AssertionError("expected a ValueError")

print("tutb_video_frames OK")
