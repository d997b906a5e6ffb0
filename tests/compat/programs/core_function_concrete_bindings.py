"""The tf.function guide's concrete-function section as users write it: string traces
(a + a joins strings), concrete functions called by keyword or by position whatever way
they were traced, Python values bound at trace time, and a tf.Module whose variables are
made on the first call restored from a checkpoint written before it was built (the
"Introduction to modules" guide's deferred restoration)."""

import os
import tempfile

import numpy as np
import tensorflow as tf


@tf.function
def double(a):
    return a + a


assert double(tf.constant(1)).numpy() == 2
assert double(tf.constant(1.1)).numpy() == np.float32(2.2)
assert double(tf.constant("a")).numpy() == b"aa"
assert double(tf.constant(["x", "yz"])).numpy().tolist() == [b"xx", b"yzyz"]
assert (tf.constant("a") + tf.constant("b")).numpy() == b"ab"

double_strings = double.get_concrete_function(tf.TensorSpec(shape=[], dtype=tf.string))
assert double_strings(tf.constant("a")).numpy() == b"aa"
assert double_strings(a=tf.constant("b")).numpy() == b"bb"
try:
    double_strings(tf.constant(1))
    raise AssertionError("a concrete function takes only its traced dtype")
except (TypeError, tf.errors.InvalidArgumentError):
    pass


@tf.function
def pow(a, b):  # noqa: A001 - the guide's name
    return a**b


square = pow.get_concrete_function(a=tf.TensorSpec(None, tf.float32), b=2)
assert float(square(tf.constant(10.0))) == 100.0
assert float(square(a=tf.constant(3.0))) == 9.0
cube = pow.get_concrete_function(tf.TensorSpec([], tf.float32), 3)
assert float(cube(tf.constant(2.0))) == 8.0


# Deferred restoration: variables made on the first call take their saved values
class FlexibleDenseModule(tf.Module):
    def __init__(self, out_features, name=None):
        super().__init__(name=name)
        self.is_built = False
        self.out_features = out_features

    def __call__(self, x):
        if not self.is_built:
            self.w = tf.Variable(tf.random.normal([x.shape[-1], self.out_features]), name="w")
            self.b = tf.Variable(tf.random.normal([self.out_features]), name="b")
            self.is_built = True
        return tf.nn.relu(tf.matmul(x, self.w) + self.b)


class MySequentialModule(tf.Module):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.dense_1 = FlexibleDenseModule(out_features=3)
        self.dense_2 = FlexibleDenseModule(out_features=2)

    def __call__(self, x):
        return self.dense_2(self.dense_1(x))


x = tf.constant([[2.0, 2.0, 2.0], [1.0, -1.0, 0.5]])
my_model = MySequentialModule(name="the_model")
expected = my_model(x)
path = os.path.join(tempfile.mkdtemp(), "my_checkpoint")
tf.train.Checkpoint(model=my_model).write(path)
saved = sorted(name for name, _ in tf.train.list_variables(path))
assert saved == [
    "_CHECKPOINTABLE_OBJECT_GRAPH",
    "model/dense_1/b/.ATTRIBUTES/VARIABLE_VALUE",
    "model/dense_1/w/.ATTRIBUTES/VARIABLE_VALUE",
    "model/dense_2/b/.ATTRIBUTES/VARIABLE_VALUE",
    "model/dense_2/w/.ATTRIBUTES/VARIABLE_VALUE",
], saved

new_model = MySequentialModule()
tf.train.Checkpoint(model=new_model).restore(path)
assert not new_model.variables  # nothing built yet
np.testing.assert_array_equal(new_model(x), expected)
np.testing.assert_array_equal(new_model.dense_1.w, my_model.dense_1.w)
print("concrete bindings and deferred restoration: ok")
