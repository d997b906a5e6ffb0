"""tf.data with tf.function: a dataset's element_spec as the input_signature of a training
step, so that partial batches and variable lengths reuse one trace (TensorFlow 2.21)."""

import numpy as np
import tensorflow as tf

rng = np.random.default_rng(3)
lengths = [3, 1, 4, 2, 5, 2, 3]
texts = [rng.integers(1, 10, size=n) for n in lengths]
labels = np.array([n % 2 for n in lengths], np.float32)


def gen():
    for t, y in zip(texts, labels):
        yield t, y


ds = tf.data.Dataset.from_generator(
    gen,
    output_signature=(
        tf.TensorSpec([None], tf.int64),
        tf.TensorSpec([], tf.float32),
    ),
)
batches = ds.padded_batch(3).map(lambda x, y: (tf.cast(x, tf.int32), y))
spec = batches.element_spec
assert spec[0].shape.as_list() == [None, None] and spec[0].dtype == tf.int32
assert spec[1].shape.as_list() == [None]

embedding = tf.Variable(tf.random.stateless_normal([10, 4], seed=[1, 2]) * 0.1)
weights = tf.Variable(tf.zeros([4, 1]))
opt = tf.keras.optimizers.SGD(0.5)


@tf.function(input_signature=[spec])
def train_step(batch):
    ids, y = batch
    mask = tf.cast(ids > 0, tf.float32)[..., None]
    with tf.GradientTape() as tape:
        pooled = tf.reduce_sum(tf.gather(embedding, ids) * mask, 1) / tf.reduce_sum(mask, 1)
        logits = tf.squeeze(pooled @ weights, -1)
        loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(y, logits))
    grads = tape.gradient(loss, [embedding, weights])
    opt.apply_gradients(zip([tf.convert_to_tensor(g) for g in grads], [embedding, weights]))
    return loss, tf.shape(ids)


shapes = []
losses = []
for _ in range(20):
    for batch in batches:
        loss, shape = train_step(batch)
        shapes.append(tuple(shape.numpy()))
        losses.append(float(loss))
assert train_step.experimental_get_tracing_count() == 1
assert shapes[:3] == [(3, 4), (3, 5), (1, 3)], shapes[:3]
assert np.isfinite(losses).all()
assert np.mean(losses[-3:]) < np.mean(losses[:3]), (losses[:3], losses[-3:])
print("data_spec_as_signature: ok")
