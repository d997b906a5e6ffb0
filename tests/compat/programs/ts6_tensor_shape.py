"""tf.TensorShape is its own class, not a tuple: printing, comparing, slicing, unknown ranks,
and handing a shape to ops, NumPy and Keras, as user code does."""

import pickle

import numpy as np
import tensorflow as tf

x = tf.reshape(tf.range(24, dtype=tf.float32), [2, 3, 4])
shape = x.shape

# printing: %-formatting takes the shape as one value, str is tuple-like, repr names the class
assert "input shape: %s" % shape == "input shape: (2, 3, 4)"
assert "%s / %r" % (shape[1:], shape[:1]) == "(3, 4) / TensorShape([2])"
assert f"{tf.TensorShape([None, 5])}" == "(None, 5)"
assert str(tf.TensorShape([7])) == "(7,)" and str(tf.TensorShape([])) == "()"
assert repr(shape) == "TensorShape([2, 3, 4])"
unknown = tf.TensorShape(None)
assert str(unknown) == "<unknown>" and repr(unknown) == "TensorShape(None)"
assert "rank unknown: %s" % unknown == "rank unknown: <unknown>"

# not a tuple, but comparable with lists, tuples and other shapes
assert type(shape).__name__ == "TensorShape"
assert isinstance(shape, tf.TensorShape)
assert not isinstance(shape, tuple) and not isinstance(shape, list)
assert shape == (2, 3, 4) and shape == [2, 3, 4] and (2, 3, 4) == shape
assert shape != [2, 3] and shape != "abc" and shape != None  # noqa: E711
partial = tf.TensorShape([None, 3])
assert partial == [None, 3] and partial != [2, 3]
assert unknown == tf.TensorShape(None) and unknown != [] and unknown != shape
assert tf.TensorShape([]) == () and tf.TensorShape([]) != unknown

# indexing: an int gives an int (None when unknown), a slice gives a TensorShape
assert shape[0] == 2 and type(shape[-1]) is int and partial[0] is None
tail = shape[1:]
assert isinstance(tail, tf.TensorShape) and tail == [3, 4]
assert shape[::-1] == [4, 3, 2]
assert unknown[0] is None and unknown[1:] == tf.TensorShape(None)
assert unknown[1:3] == [None, None]
try:
    shape[3]
    raise AssertionError("index 3 of a rank-3 shape should raise")
except IndexError:
    pass

# iteration and len; an unknown rank has neither
assert list(shape) == [2, 3, 4] and tuple(partial) == (None, 3) and len(shape) == 3
assert [d * 10 for d in shape] == [20, 30, 40] and 3 in shape and None in partial
assert sum(shape) == 9 and max(shape) == 4
for what in (len, list, lambda s: s.as_list()):
    try:
        what(unknown)
        raise AssertionError("an unknown rank has no length, items or list")
    except ValueError:
        pass

# truthiness: any known rank (even a scalar's) is True, an unknown one False
assert bool(tf.TensorShape([])) and bool(partial) and not unknown

# concatenation with + (either side) or concatenate(); an unknown side makes it unknown
assert shape[1:] + [5] == [3, 4, 5] and isinstance(shape[1:] + [5], tf.TensorShape)
assert (1,) + shape == [1, 2, 3, 4] and [9] + tf.TensorShape([8]) == [9, 8]
assert shape.concatenate(tf.TensorShape([None])) == [2, 3, 4, None]
assert (shape + unknown).rank is None and (unknown + shape).rank is None

# rank, dims, as_list, num_elements
assert shape.rank == 3 and shape.ndims == 3 and unknown.rank is None
assert [d.value for d in partial.dims] == [None, 3] and unknown.dims is None
assert shape.as_list() == [2, 3, 4] and partial.as_list() == [None, 3]
assert shape.num_elements() == 24 and partial.num_elements() is None
assert unknown.num_elements() is None and tf.TensorShape([]).num_elements() == 1
assert shape.is_fully_defined() and not partial.is_fully_defined()

# compatibility, merging, the most specific common shape, subtypes
assert partial.is_compatible_with([8, 3]) and not partial.is_compatible_with([8, 4])
assert not partial.is_compatible_with([3]) and unknown.is_compatible_with([1, 2, 3])
assert partial.merge_with([8, None]) == [8, 3] and unknown.merge_with(partial) == partial
try:
    partial.merge_with([8, 4])
    raise AssertionError("merging sizes 3 and 4 should raise")
except ValueError as e:
    assert "not compatible" in str(e)
assert tf.TensorShape([2, 3]).most_specific_compatible_shape([2, 5]) == [2, None]
assert tf.TensorShape([2, 3]).most_specific_compatible_shape([2]).rank is None
assert tf.TensorShape([8, 3]).is_subtype_of(partial) and not partial.is_subtype_of(shape[1:])
assert partial.is_subtype_of(unknown) and not unknown.is_subtype_of(partial)

# with_rank and friends
assert shape.with_rank(3) == shape and unknown.with_rank(2) == [None, None]
assert shape.with_rank_at_least(2) == shape and shape.with_rank_at_most(3) == shape
assert unknown.with_rank_at_least(4).rank is None
for check in (
    lambda: shape.with_rank(2),
    lambda: shape.with_rank_at_least(4),
    lambda: shape.with_rank_at_most(2),
    lambda: partial.assert_is_fully_defined(),
    lambda: shape.assert_is_compatible_with([2, 3, 5]),
):
    try:
        check()
        raise AssertionError("the check should raise")
    except ValueError:
        pass

# building shapes: one int is a rank-1 shape; negative or fractional sizes are refused
assert tf.TensorShape(6) == [6] and tf.TensorShape(shape) == shape
assert tf.TensorShape(np.array([2, 3])) == [2, 3]
try:
    tf.TensorShape([2, -1])
    raise AssertionError("a negative size should raise")
except ValueError:
    pass
try:
    tf.TensorShape([2.5])
    raise AssertionError("a fractional size should raise")
except TypeError:
    pass

# hashing and pickling
assert {shape: "a"}[tf.TensorShape([2, 3, 4])] == "a"
assert hash(partial) == hash(tf.TensorShape([None, 3]))
assert len({shape, tf.TensorShape((2, 3, 4)), partial}) == 2
for s in (shape, partial, unknown, tf.TensorShape([])):
    back = pickle.loads(pickle.dumps(s))
    assert isinstance(back, tf.TensorShape) and back == s and str(back) == str(s)

# a shape given to NumPy, to ops and to tf.constant
assert np.zeros(shape).shape == (2, 3, 4)
assert tf.zeros(shape[1:] + [2]).shape == [3, 4, 2]
assert tf.reshape(x, shape[::-1]).shape == (4, 3, 2)
assert tf.ones(tf.TensorShape([3]), tf.int32).numpy().tolist() == [1, 1, 1]
sizes = tf.constant(shape)
assert sizes.dtype == tf.int32 and sizes.numpy().tolist() == [2, 3, 4]
for convert in (tf.constant, tf.convert_to_tensor):
    try:
        convert(partial)
        raise AssertionError("a shape with an unknown size is not a tensor")
    except ValueError:
        pass
try:
    tf.convert_to_tensor(unknown)
    raise AssertionError("a shape of unknown rank is not a tensor")
except ValueError as e:
    assert "TensorShape" in str(e)
assert tf.TensorSpec(shape[1:]).shape == [3, 4]
assert tf.TensorSpec(partial, tf.int32).is_compatible_with(tf.zeros([5, 3], tf.int32))
assert tf.Variable(tf.zeros([2]), shape=unknown).shape.rank is None
v = tf.Variable(tf.zeros([2, 3]), shape=tf.TensorShape([None, 3]))
assert str(v.shape) == "(None, 3)" and v.shape == [None, 3]

# a shape as a leaf of a nested structure
assert tf.nest.flatten([shape, 1]) == [shape, 1]

# a variable declared with an unknown rank keeps showing it; ops use its current value
grow = tf.Variable(tf.zeros([2, 3]), shape=tf.TensorShape(None))
assert grow.shape.rank is None and "shape=<unknown>" in repr(grow)
assert tf.matmul(grow, tf.ones([3, 1])).shape == [2, 1]
assert tf.concat([grow, grow], 0).shape == [4, 3]
assert tf.shape(grow).numpy().tolist() == [2, 3]
grow.assign(tf.ones([4]))
assert str(grow.shape) == "<unknown>" and tf.reduce_sum(grow).numpy() == 4.0
