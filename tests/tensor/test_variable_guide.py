"""TensorFlow's "Introduction to Variables" and "Introduction to modules" guides: declared
variable shapes, unknown-rank TensorShapes, tf.name_scope in variable names, NumPy scalars
from scalar tensors, tf.fill of a tensor value."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf


def test_tensor_shape_of_unknown_rank():
    unknown = tf.TensorShape(None)
    assert unknown.rank is None and unknown.ndims is None and unknown.dims is None
    assert str(unknown) == "<unknown>" and unknown == tf.TensorShape(None)
    assert unknown.is_compatible_with([1, 2]) and unknown.is_compatible_with([])
    assert not unknown.is_fully_defined() and unknown.num_elements() is None
    with pytest.raises(ValueError, match="unknown TensorShape"):
        unknown.as_list()
    assert tf.TensorShape([None, 3]).merge_with([2, None]) == (2, 3)
    assert tf.TensorShape([2, 3]).num_elements() == 6
    assert tf.TensorShape([2]).concatenate([3]) == (2, 3)
    assert tf.TensorShape(None).with_rank(2) == (None, None)
    with pytest.raises(ValueError, match="not compatible"):  # merge_with's words, as TF's
        tf.TensorShape([2]).merge_with([3])
    assert tf.TensorShape(3) == [3]  # one size is a rank-1 shape, as in TensorFlow


def test_variable_with_a_declared_shape_takes_new_shapes():
    v = tf.Variable(tf.zeros([2]), shape=tf.TensorShape(None))
    assert v.shape.rank is None
    v.assign(tf.ones([3, 3]))
    assert v.numpy().shape == (3, 3)
    w = tf.Variable([1.0, 2.0], shape=[None])
    assert w.shape.as_list() == [None]
    w.assign([1.0, 2.0, 3.0])
    assert w.numpy().tolist() == [1.0, 2.0, 3.0]
    with pytest.raises(ValueError, match="not compatible with the variable's shape"):
        w.assign([[1.0]])
    with pytest.raises(ValueError, match="explicitly supplied `shape`"):
        tf.Variable([1.0, 2.0], shape=[3])
    fixed = tf.Variable(tf.zeros([2, 2]), validate_shape=False, shape=[2, 2])
    assert fixed.shape == (2, 2)
    with pytest.raises(ValueError, match="Shape mismatch"):
        fixed.assign(tf.ones([4]))


def test_name_scopes_prefix_variable_names():
    with tf.name_scope("outer") as scope:
        assert scope == "outer/"
        with tf.name_scope("inner"):
            v = tf.Variable(1.0, name="v")
            unnamed = tf.Variable(1.0)
    assert v.name == "outer/inner/v:0" and unnamed.name == "outer/inner/Variable:0"
    assert tf.Variable(1.0, name="v").name == "v:0"

    class Scoped(tf.Module):
        def __init__(self):
            super().__init__(name="scoped")
            with self.name_scope:
                self.w = tf.Variable(1.0, name="w")

    m = Scoped()
    assert m.name_scope.name == "scoped/" and m.w.name == "scoped/w:0"
    with tf.name_scope("a"), tf.name_scope("abs/"):  # a trailing "/" is a whole scope
        assert tf.Variable(0.0, name="x").name == "abs/x:0"
    with pytest.raises(ValueError, match="name_scope: the name must be a string"):
        tf.name_scope(3)


def test_scalar_tensors_give_numpy_scalars():
    value = tf.constant(2.5).numpy()
    assert isinstance(value, np.float32) and value == 2.5
    assert {tf.constant(1).numpy(), tf.constant(1).numpy()} == {1}  # hashable, as TF's
    assert isinstance(tf.Variable(1.0).numpy(), np.float32)
    assert tf.constant("s").numpy() == b"s"
    assert tf.constant(3.0).item() == 3.0 and isinstance(tf.constant(3.0).item(), float)
    assert np.asarray(tf.constant(4)).shape == ()
    assert tf.constant([1, 2]).numpy().shape == (2,)


def test_fill_with_a_tensor_value_is_an_op():
    s = tf.constant(1.5)
    with tf.GradientTape() as tape:
        tape.watch(s)
        total = tf.reduce_sum(tf.fill([2, 3], s))
    assert float(tape.gradient(total, s)) == 6.0

    @tf.function
    def filled(x):
        return tf.fill([2], x)

    assert filled(tf.constant(1.0)).numpy().tolist() == [1.0, 1.0]
    assert filled(tf.constant(4.0)).numpy().tolist() == [4.0, 4.0]
    assert tf.fill([2], tf.constant(3), dtype=tf.float32).dtype == tf.float32
