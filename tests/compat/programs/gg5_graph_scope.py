"""Graph tensors of a tf.function: what leaks out of a trace, what a concrete function
shows for None sizes, and a ragged result on every call."""

import tensorflow as tf

# A tensor stashed in a Python list while tracing belongs to the graph: it cannot be
# used once the function has been traced.
stash = []


@tf.function
def add_one(x):
    y = x + 1.0
    stash.append(y)
    return y


result = add_one(tf.constant([1.0, 2.0]))
assert result.numpy().tolist() == [2.0, 3.0]
assert (result * 2.0).numpy().tolist() == [4.0, 6.0]
assert len(stash) == 1
assert stash[0].shape == (2,) and stash[0].dtype == tf.float32
try:
    stash[0] * 2.0
except TypeError as err:
    assert "out of scope" in str(err)
else:
    raise AssertionError("a leaked graph tensor was usable")
try:
    stash[0].numpy()
except AttributeError:
    pass
else:
    raise AssertionError("a leaked graph tensor had a value")
assert add_one(tf.constant([5.0, 6.0])).numpy().tolist() == [6.0, 7.0]
assert len(stash) == 1  # no new trace


class Cache:
    pass


cache = Cache()


@tf.function
def remember(x):
    cache.last = tf.square(x)
    return x


@tf.function
def reuse(x):
    return x + cache.last


remember(tf.constant(3.0))
try:
    reuse(tf.constant(1.0))
except TypeError as err:
    assert "out of scope" in str(err)
else:
    raise AssertionError("a graph tensor of another function was usable")


# get_concrete_function with None sizes: the outputs keep them unknown
@tf.function
def stats(x):
    return {"scaled": x * 3.0, "row_sum": tf.reduce_sum(x, axis=1), "n": tf.size(x)}


concrete = stats.get_concrete_function(tf.TensorSpec([None, 3], tf.float32))
assert concrete.structured_outputs["scaled"].shape.as_list() == [None, 3]
assert concrete.structured_outputs["row_sum"].shape.as_list() == [None]
assert concrete.output_shapes["scaled"].as_list() == [None, 3]
assert sorted(t.shape.as_list() == [None] for t in concrete.outputs) == [False, False, True]
assert len(concrete.graph.outputs) == 3
out = concrete(tf.ones((4, 3)))
assert out["scaled"].shape == (4, 3) and int(out["n"]) == 12
assert out["row_sum"].numpy().tolist() == [3.0] * 4


# a RaggedTensor returned from a tf.function holds each call's values
@tf.function
def split_rows(values):
    return tf.RaggedTensor.from_row_lengths(values, [2, 1])


for row in ([1, 2, 3], [7, 8, 9]):
    ragged = split_rows(tf.constant(row))
    assert ragged.to_list() == [row[:2], row[2:]], ragged.to_list()


# tf.Variables as arguments: one trace per variable shape and dtype, not per variable
@tf.function
def shift(v, by):
    v.assign_add(by)
    return v * 1.0


first, second = tf.Variable([0.0, 1.0]), tf.Variable([5.0, 5.0])
shift(first, tf.constant([1.0, 1.0]))
shift(second, tf.constant([2.0, 3.0]))
assert shift(first, tf.constant([1.0, 0.0])).numpy().tolist() == [2.0, 2.0]
assert second.numpy().tolist() == [7.0, 8.0]
assert shift.experimental_get_tracing_count() == 1
shift(tf.Variable([1.0, 2.0, 3.0]), tf.constant([1.0, 1.0, 1.0]))
assert shift.experimental_get_tracing_count() == 2

print("gg5_graph_scope: ok")
