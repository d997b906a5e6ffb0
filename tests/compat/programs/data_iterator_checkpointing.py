"""Iterator checkpointing, as in the tf.data guide: tf.train.Checkpoint(iterator=...)
saves where an iterator is, and restoring it continues from there."""

import numpy as np
import tensorflow as tf

range_ds = tf.data.Dataset.range(20)
iterator = iter(range_ds)
ckpt = tf.train.Checkpoint(step=tf.Variable(0), iterator=iterator)
manager = tf.train.CheckpointManager(ckpt, "./my_ckpt", max_to_keep=3)

first = [int(next(iterator).numpy()) for _ in range(5)]
save_path = manager.save()
second = [int(next(iterator).numpy()) for _ in range(5)]
ckpt.restore(manager.latest_checkpoint)
third = [int(next(iterator).numpy()) for _ in range(5)]
assert first == [0, 1, 2, 3, 4], first
assert second == third == [5, 6, 7, 8, 9], (second, third)
assert save_path.endswith("ckpt-1"), save_path

# A shuffled, mapped, batched and repeated pipeline continues with the same batches.
ds = (
    tf.data.Dataset.range(40)
    .shuffle(10, seed=3)
    .map(lambda x: x * 2)
    .batch(4)
    .repeat(2)
    .prefetch(tf.data.AUTOTUNE)
)
it = iter(ds)
ckpt2 = tf.train.Checkpoint(iterator=it)
for _ in range(6):  # into the second epoch
    next(it)
path = ckpt2.save("./pipeline/ckpt")
expected = [next(it).numpy() for _ in range(8)]
ckpt2.restore(path)
restored = [next(it).numpy() for _ in range(8)]
for a, b in zip(expected, restored):
    np.testing.assert_array_equal(a, b)


# A Python generator's position cannot be saved: TensorFlow refuses it.
def gen():
    yield from range(5)


gen_it = iter(tf.data.Dataset.from_generator(gen, output_signature=tf.TensorSpec((), tf.int64)))
next(gen_it)
try:
    tf.train.Checkpoint(iterator=gen_it).save("./gen/ckpt")
except tf.errors.FailedPreconditionError:
    refused = True
else:
    refused = False
assert refused
print("iterator checkpointing ok")
