"""Tensors and Variables as dictionary keys: as TensorFlow 2's == compares values, tensors
are unhashable; tensor.ref() / variable.ref() give hashable references (TensorFlow 2.21)."""

import tensorflow as tf

x = tf.constant([1.0, 2.0])
y = tf.constant([1.0, 2.0])
v = tf.Variable(3.0, name="scale")

assert (x == y).numpy().tolist() == [True, True]  # elementwise, not identity
for value, kind in ((x, "Tensor"), (v, "Variable")):
    try:
        hash(value)
    except TypeError as error:
        assert f"{kind} is unhashable" in str(error), error
        assert ".ref() as the key" in str(error), error
    else:
        raise AssertionError(f"{kind} should be unhashable")
try:
    {x: "x"}
except TypeError:
    pass
else:
    raise AssertionError("a tensor should not be a dict key")

# references: equal only for the same object, and deref() gives it back
names = {x.ref(): "x", y.ref(): "y", v.ref(): "v"}
assert len(names) == 3
assert names[x.ref()] == "x" and names[v.ref()] == "v"
assert x.ref() == x.ref() and x.ref() != y.ref()
assert names[v.ref()] == "v" and next(iter(names)).deref() is x
assert v.ref().deref() is v

# a common use: per-variable state keyed by reference
w = tf.Variable([1.0, -1.0])
b = tf.Variable(0.5)
steps = {var.ref(): 0 for var in (w, b)}
for _ in range(3):
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(w * w) + b * b
    for var, grad in zip((w, b), tape.gradient(loss, [w, b])):
        var.assign_sub(0.25 * grad)
        steps[var.ref()] += 1
assert steps[w.ref()] == 3 and steps[b.ref()] == 3
assert abs(float(b) - 0.0625) < 1e-6 and abs(float(w[0]) - 0.125) < 1e-6

# sets of references deduplicate the same variable
unique = {w.ref(), w.ref(), b.ref()}
assert len(unique) == 2 and {id(r.deref()) for r in unique} == {id(w), id(b)}

# ragged tensors are unhashable too
try:
    hash(tf.ragged.constant([[1, 2], [3]]))
except TypeError as error:
    assert "RaggedTensor is unhashable" in str(error)
else:
    raise AssertionError("a RaggedTensor should be unhashable")
print("core_tensor_refs_as_keys: ok")
