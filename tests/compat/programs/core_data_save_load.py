# tf.data: save a preprocessed dataset and load it back (Dataset.save / Dataset.load).
import numpy as np
import tensorflow as tf

features = np.arange(12, dtype=np.float32).reshape(6, 2)
labels = np.arange(6) % 2
ds = tf.data.Dataset.from_tensor_slices(({"x": features}, labels)).map(
    lambda d, y: ({"x": d["x"] * 2.0}, y)
)
ds.save("preprocessed")
loaded = tf.data.Dataset.load("preprocessed")
assert loaded.element_spec == ds.element_spec
assert int(loaded.cardinality()) == 6
for (a, ya), (b, yb) in zip(ds.as_numpy_iterator(), loaded.as_numpy_iterator()):
    np.testing.assert_array_equal(a["x"], b["x"])
    assert ya == yb
batches = list(loaded.batch(4).as_numpy_iterator())
assert [len(y) for _, y in batches] == [4, 2]

# shards chosen by a function, compressed
tf.data.Dataset.range(10).save("sharded", compression="GZIP", shard_func=lambda x: x % 3)
values = sorted(int(v) for v in tf.data.Dataset.load("sharded", compression="GZIP"))
assert values == list(range(10))

try:
    tf.data.Dataset.load("does_not_exist")
    raise AssertionError("loading a missing dataset must fail")
except tf.errors.NotFoundError:
    pass
print("save/load ok")
