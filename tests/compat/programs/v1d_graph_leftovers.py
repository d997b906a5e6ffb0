"""TF 1 graph code: a fixed-size constant broadcast against an unknown dimension, Python
functions run by Session.run, graph constants under name scopes, per-session variables."""

import numpy as np
import tensorflow as tf

v1 = tf.compat.v1
v1.disable_eager_execution()

# a constant of size 4 fixes the unknown dimension of the placeholder's product
signal = v1.placeholder(tf.float32, [None], name="signal")
weighted = signal * tf.constant([0.5, 2.0, 1.0, 1.0])
assert weighted.shape.as_list() == [4], weighted.shape
batch = v1.placeholder(tf.float32, [None, None])
shifted = batch - tf.constant([1.0, 2.0, 3.0])
assert shifted.shape.as_list() == [None, 3], shifted.shape

# Python functions are graph nodes, called at run time only
seen = []


def clip_and_log(values):
    seen.append(len(values))
    return np.clip(values, 0.0, 1.5).astype(np.float32)


clipped = v1.py_func(clip_and_log, [signal], tf.float32)
plus_one = tf.numpy_function(lambda v: (v + 1).astype(np.float32), [signal], tf.float32)
squared = tf.py_function(lambda v: tf.square(v), [signal], tf.float32)
assert seen == [] and clipped.shape.rank is None and clipped.dtype == tf.float32
assert clipped.op.type == "PyFunc" and squared.op.type == "EagerPyFunc"

# constants belong to the graph and take the name scope
with tf.name_scope("scale"):
    factor = tf.constant(10.0, name="factor")
assert factor.name == "scale/factor:0", factor.name
assert factor.op.type == "Const"

counter = tf.Variable(0.0, name="counter")
bump = counter.assign_add(factor)
init = v1.global_variables_initializer()

with v1.Session() as sess:
    got = sess.run(weighted, {signal: [2.0, 1.0, 3.0, 4.0]})
    assert got.tolist() == [1.0, 2.0, 3.0, 4.0], got
    assert sess.run(shifted, {batch: np.ones((2, 3))}).tolist() == [[0.0, -1.0, -2.0]] * 2
    a, b, c = sess.run([clipped, plus_one, squared], {signal: [-1.0, 0.5, 3.0]})
    assert a.tolist() == [0.0, 0.5, 1.5] and b.tolist() == [0.0, 1.5, 4.0]
    assert c.tolist() == [1.0, 0.25, 9.0]
    assert seen == [3]
    sess.run(init)
    sess.run(bump)
    sess.run(bump)
    assert sess.run(counter) == 20.0

    # another session on the same graph has its own, uninitialized variables
    other = v1.Session()
    try:
        other.run(counter)
        raise AssertionError("reading an uninitialized variable must fail")
    except tf.errors.FailedPreconditionError:
        pass
    other.run(init)
    other.run(bump)
    assert other.run(counter) == 10.0 and sess.run(counter) == 20.0
    other.close()

print("ok")
