# Dataset.from_generator with output_signature (the tf.data guide's "Consuming Python
# generators"): variable-length and ragged elements, args, dict elements, and the error
# TensorFlow raises while iterating when the generator yields what the signature forbids.
import numpy as np
import tensorflow as tf


def series(limit):
    for i in range(1, int(limit) + 1):
        yield i, np.linspace(0.0, 1.0, i).astype(np.float32)


ds = tf.data.Dataset.from_generator(
    series,
    args=[4],
    output_signature=(
        tf.TensorSpec(shape=(), dtype=tf.int32),
        tf.TensorSpec(shape=(None,), dtype=tf.float32),
    ),
)
assert ds.element_spec[1].shape.as_list() == [None]
assert int(ds.cardinality()) == tf.data.UNKNOWN_CARDINALITY
sizes = [(int(i), v.shape[0]) for i, v in ds]
assert sizes == [(1, 1), (2, 2), (3, 3), (4, 4)], sizes
padded = next(iter(ds.padded_batch(4, padding_values=(0, -1.0))))
assert padded[1].shape == (4, 4) and float(padded[1][0, 1]) == -1.0


def sentences():
    yield tf.ragged.constant([[1, 2], [3]])
    yield tf.ragged.constant([[4], [], [5, 6, 7]])


ragged = tf.data.Dataset.from_generator(
    sentences, output_signature=tf.RaggedTensorSpec(shape=(None, None), dtype=tf.int32)
)
assert [r.to_list() for r in ragged] == [[[1, 2], [3]], [[4], [], [5, 6, 7]]]
assert [r.row_lengths().numpy().tolist() for r in ragged] == [[2, 1], [1, 0, 3]]


def records():
    for name, score in [("ann", 0.5), ("bob", 0.75)]:
        yield {"name": name, "score": score}


table = tf.data.Dataset.from_generator(
    records,
    output_signature={
        "name": tf.TensorSpec((), tf.string),
        "score": tf.TensorSpec((), tf.float32),
    },
)
batch = next(iter(table.batch(2)))
assert batch["name"].numpy().tolist() == [b"ann", b"bob"]
np.testing.assert_allclose(batch["score"].numpy(), [0.5, 0.75])


# A yielded element of the wrong shape stops iteration with InvalidArgumentError.
def wrong_shape():
    yield np.zeros(3, np.float32)
    yield np.zeros(2, np.float32)


bad = iter(
    tf.data.Dataset.from_generator(
        wrong_shape, output_signature=tf.TensorSpec(shape=(3,), dtype=tf.float32)
    )
)
assert next(bad).shape == (3,)
try:
    next(bad)
    raise AssertionError("expected InvalidArgumentError")
except tf.errors.InvalidArgumentError as e:
    assert "generator" in str(e)


# An exception inside the generator also surfaces as TensorFlow's error class.
def failing():
    yield 1
    raise ValueError("bad record")


it = iter(tf.data.Dataset.from_generator(failing, output_signature=tf.TensorSpec((), tf.int64)))
assert int(next(it)) == 1
try:
    next(it)
    raise AssertionError("expected InvalidArgumentError")
except tf.errors.InvalidArgumentError as e:
    assert "bad record" in str(e)
print("generator elements:", sizes)
