"""Dataset.from_generator with an output_signature, batched and fed to fit."""

import numpy as np
import tensorflow as tf


def samples():
    rng = np.random.default_rng(7)
    for _ in range(64):
        features = rng.normal(size=4).astype("float32")
        yield features, int(features.sum() > 0)


ds = tf.data.Dataset.from_generator(
    samples,
    output_signature=(
        tf.TensorSpec(shape=(4,), dtype=tf.float32),
        tf.TensorSpec(shape=(), dtype=tf.int32),
    ),
)
spec_x, spec_y = ds.element_spec
assert spec_x.shape.as_list() == [4] and spec_y.dtype == tf.int32
assert int(ds.cardinality()) == tf.data.experimental.UNKNOWN_CARDINALITY

first_x, first_y = next(iter(ds))
assert first_x.dtype == tf.float32 and first_y.dtype == tf.int32
assert len(list(ds)) == 64 and len(list(ds)) == 64  # the generator is called again per pass

tf.keras.utils.set_random_seed(1)
model = tf.keras.Sequential([tf.keras.Input(shape=(4,)), tf.keras.layers.Dense(2)])
model.compile("adam", tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
history = model.fit(ds.batch(16), epochs=3, verbose=0)
assert len(history.history["loss"]) == 3


def ragged():
    for n in range(1, 4):
        yield np.arange(n, dtype="int64")


lengths = tf.data.Dataset.from_generator(
    ragged, output_signature=tf.TensorSpec(shape=(None,), dtype=tf.int64)
)
assert [len(v) for v in lengths.as_numpy_iterator()] == [1, 2, 3]
