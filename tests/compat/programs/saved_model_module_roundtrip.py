"""tf.saved_model round trip of a tf.Module (the "Introduction to modules" and "Using the
SavedModel format" guides): variables restored, tf.functions called after load, an
assignment seen by the next call, gradients through a loaded function."""

import numpy as np
import tensorflow as tf


class Dense(tf.Module):
    def __init__(self, in_features, out_features, name=None):
        super().__init__(name=name)
        self.w = tf.Variable(tf.random.normal([in_features, out_features], seed=1), name="w")
        self.b = tf.Variable(tf.zeros([out_features]), name="b")

    def __call__(self, x):
        y = tf.matmul(x, self.w) + self.b
        return tf.nn.relu(y)


class MySequentialModule(tf.Module):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.dense_1 = Dense(in_features=3, out_features=3)
        self.dense_2 = Dense(in_features=3, out_features=2)

    @tf.function
    def __call__(self, x):
        x = self.dense_1(x)
        return self.dense_2(x)


my_model = MySequentialModule(name="the_model")
out_2d = my_model([[2.0, 2.0, 2.0]])
out_3d = my_model([[[2.0, 2.0, 2.0], [2.0, 2.0, 2.0]]])
tf.saved_model.save(my_model, "the_saved_model")
assert tf.saved_model.contains_saved_model("the_saved_model")
assert not tf.saved_model.contains_saved_model("no_such_dir")

new_model = tf.saved_model.load("the_saved_model")
assert not isinstance(new_model, MySequentialModule)
np.testing.assert_allclose(new_model([[2.0, 2.0, 2.0]]).numpy(), out_2d.numpy(), rtol=1e-6)
np.testing.assert_allclose(
    new_model([[[2.0, 2.0, 2.0], [2.0, 2.0, 2.0]]]).numpy(), out_3d.numpy(), rtol=1e-6
)
np.testing.assert_array_equal(new_model.dense_1.w.numpy(), my_model.dense_1.w.numpy())
np.testing.assert_array_equal(new_model.dense_2.b.numpy(), np.zeros(2, "float32"))
try:  # only the traced argument structures were saved
    new_model([[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]])
    raise AssertionError("expected no matching function")
except ValueError as exc:
    assert "Could not find matching concrete function" in str(exc)


class CustomModule(tf.Module):
    def __init__(self):
        super().__init__()
        self.v = tf.Variable(1.0)
        self.w = tf.Variable([[1.0, 2.0], [3.0, -1.0]], name="w")
        self.counts = [tf.Variable(0, trainable=False)]

    @tf.function
    def __call__(self, x):
        return x * self.v

    @tf.function(input_signature=[tf.TensorSpec([None, 2], tf.float32)])
    def project(self, x):
        self.counts[0].assign_add(1)
        return tf.reduce_sum(tf.matmul(x, self.w) * self.v, axis=1)

    @tf.function(input_signature=[tf.TensorSpec([], tf.float32)])
    def mutate(self, new_v):
        self.v.assign(new_v)


module = CustomModule()
module(tf.constant(0.0))  # traced for a scalar
module.mutate(3.0)
tf.saved_model.save(module, "module_with_signature", options=tf.saved_model.SaveOptions())
imported = tf.saved_model.load("module_with_signature", options=tf.saved_model.LoadOptions())
assert imported.v.numpy() == 3.0
assert imported(tf.constant(2.0)).numpy() == 6.0
x = np.array([[1.0, 2.0], [0.5, -1.0], [2.0, 2.0]], "float32")
expected = (x @ np.array([[1.0, 2.0], [3.0, -1.0]], "float32")).sum(axis=1) * 3.0
np.testing.assert_allclose(imported.project(x).numpy(), expected, rtol=1e-6)
np.testing.assert_allclose(imported.project(x[:1]).numpy(), expected[:1], rtol=1e-6)
assert int(imported.counts[0].numpy()) == 2  # the loaded function's assign_add ran twice
assert int(module.counts[0].numpy()) == 0  # the original is independent

imported.mutate(tf.constant(0.5))  # a loaded function assigns a loaded variable
assert imported.v.numpy() == 0.5
assert imported(tf.constant(2.0)).numpy() == 1.0
imported.v.assign(-2.0)  # an assignment from outside is seen by the next call
assert imported(tf.constant(2.0)).numpy() == -4.0
assert module.v.numpy() == 3.0

with tf.GradientTape() as tape:
    loss = tf.reduce_sum(imported.project(x) ** 2)
grad_v, grad_w = tape.gradient(loss, [imported.v, imported.w])
w = np.array([[1.0, 2.0], [3.0, -1.0]], "float32")
s = (x @ w).sum(axis=1)
np.testing.assert_allclose(grad_v.numpy(), np.sum(2 * s * -2.0 * s), rtol=1e-5)
np.testing.assert_allclose(
    grad_w.numpy(), x.T @ np.repeat((2 * s * -2.0 * -2.0)[:, None], 2, axis=1), rtol=1e-5
)
print("saved_model_module_roundtrip OK")
