"""tf.einsum equation forms and tf.nest structure utilities."""

import collections

import numpy as np
import tensorflow as tf

rng = np.random.default_rng(0)
a = rng.standard_normal((2, 3, 4)).astype(np.float32)
b = rng.standard_normal((2, 4, 5)).astype(np.float32)
m = rng.standard_normal((4, 4)).astype(np.float32)
v = rng.standard_normal(4).astype(np.float32)
for eq, ops in [
    ("bij,bjk->bik", (a, b)),
    ("...ij,...jk->...ik", (a, b)),
    ("ii->", (m,)),
    ("ii->i", (m,)),
    ("ij->ji", (m,)),
    ("i,j->ij", (v, v)),
    ("i,i->", (v, v)),
    ("bij->", (a,)),
    ("bij->bj", (a,)),
    ("ij,j->i", (m, v)),
    ("bij,jk->bik", (a, m)),
    ("b...j,j->b...", (a, v)),
]:
    got = tf.einsum(eq, *[tf.constant(x) for x in ops])
    np.testing.assert_allclose(got, np.einsum(eq, *ops), rtol=1e-5, atol=1e-5, err_msg=eq)
# Implicit output: labels in alphabetical order, repeated ones summed.
np.testing.assert_allclose(tf.einsum("ij,jk", m, m), m @ m, rtol=1e-5, atol=1e-5)
np.testing.assert_allclose(tf.einsum("ba", m), m.T)
# Broadcasting of size-1 batch axes with an ellipsis.
x1 = tf.ones([1, 3, 2])
x2 = tf.ones([4, 2, 5])
assert tf.einsum("...ij,...jk->...ik", x1, x2).shape == (4, 3, 5)
for bad in [("ij,jk->ik", (m, a)), ("ij->ik", (m,)), ("ij,jk->ik", (m,))]:
    try:
        tf.einsum(bad[0], *bad[1])
    except (ValueError, tf.errors.InvalidArgumentError):
        pass
    else:
        raise AssertionError(f"{bad[0]} should raise")
# Gradients through einsum.
w = tf.Variable(m)
with tf.GradientTape() as tape:
    y = tf.einsum("ij,j->", w, tf.constant(v))
np.testing.assert_allclose(tape.gradient(y, w), np.tile(v, (4, 1)), rtol=1e-6)

# tf.nest: dicts flatten in sorted key order, namedtuples and lists by position.
Point = collections.namedtuple("Point", ["x", "y"])
s = {"b": [1, 2], "a": Point(x=3, y=(4, 5)), "c": None}
flat = tf.nest.flatten(s)
assert flat == [3, 4, 5, 1, 2, None]
back = tf.nest.pack_sequence_as(s, [f * 10 if f is not None else None for f in flat])
assert back == {"b": [10, 20], "a": Point(x=30, y=(40, 50)), "c": None}
assert isinstance(back["a"], Point)
doubled = tf.nest.map_structure(lambda t: t * 2, {"p": (1, 2), "q": [3]})
assert doubled == {"p": (2, 4), "q": [6]}
summed = tf.nest.map_structure(lambda x, y: x + y, [1, (2, 3)], [10, (20, 30)])
assert summed == [11, (22, 33)]
tf.nest.assert_same_structure({"a": 1, "b": [2]}, {"b": [0], "a": 5})
try:
    tf.nest.assert_same_structure([1, [2]], [1, 2])
except (ValueError, TypeError):
    pass
else:
    raise AssertionError("different nesting should raise")
try:
    tf.nest.assert_same_structure((1, 2), [1, 2])
except TypeError:
    pass
else:
    raise AssertionError("tuple vs list should raise TypeError with check_types")
tf.nest.assert_same_structure((1, 2), [1, 2], check_types=False)
try:
    tf.nest.pack_sequence_as([1, [2, 3]], [1, 2])
except ValueError:
    pass
else:
    raise AssertionError("too few values should raise")
assert tf.nest.is_nested([1]) and tf.nest.is_nested({"a": 1}) and not tf.nest.is_nested("ab")
assert not tf.nest.is_nested(tf.constant([1, 2]))
assert tf.nest.flatten(7) == [7]

# Tensors and composite tensors inside structures.
st = tf.sparse.SparseTensor([[0, 0]], [1.0], [2, 2])
assert len(tf.nest.flatten({"s": st})) == 1
comps = tf.nest.flatten({"s": st}, expand_composites=True)
assert len(comps) == 3
rebuilt = tf.nest.pack_sequence_as({"s": st}, comps, expand_composites=True)
assert isinstance(rebuilt["s"], tf.sparse.SparseTensor)
rt = tf.ragged.constant([[1, 2], [3]])
parts = tf.nest.flatten(rt, expand_composites=True)
assert len(parts) == 2
np.testing.assert_array_equal(parts[0], [1, 2, 3])
mapped = tf.nest.map_structure(lambda t: t + 1, {"x": tf.constant([1, 2])})
np.testing.assert_array_equal(mapped["x"], [2, 3])
print("ok")
