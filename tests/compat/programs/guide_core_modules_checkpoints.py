"""TensorFlow guide "Introduction to modules": tf.Module variables and submodules, name scopes,
checkpoints (tf.train.Checkpoint, CheckpointManager max_to_keep) and a SavedModel round
trip of a Module with tf.function(input_signature)."""

import os
import tempfile

import numpy as np
import tensorflow as tf


class SimpleModule(tf.Module):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.a_variable = tf.Variable(5.0, name="train_me")
        self.non_trainable_variable = tf.Variable(5.0, trainable=False, name="do_not_train_me")

    def __call__(self, x):
        return self.a_variable * x + self.non_trainable_variable


simple_module = SimpleModule(name="simple")
assert float(simple_module(tf.constant(5.0))) == 30.0
assert len(simple_module.trainable_variables) == 1 and len(simple_module.variables) == 2
assert simple_module.name == "simple"


class Dense(tf.Module):
    def __init__(self, in_features, out_features, name=None):
        super().__init__(name=name)
        self.w = tf.Variable(tf.random.normal([in_features, out_features]), name="w")
        self.b = tf.Variable(tf.zeros([out_features]), name="b")

    def __call__(self, x):
        y = tf.matmul(x, self.w) + self.b
        return tf.nn.relu(y)


class SequentialModule(tf.Module):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.dense_1 = Dense(in_features=3, out_features=3)
        self.dense_2 = Dense(in_features=3, out_features=2)

    def __call__(self, x):
        x = self.dense_1(x)
        return self.dense_2(x)


my_model = SequentialModule(name="the_model")
out = my_model(tf.constant([[2.0, 2.0, 2.0]]))
assert out.shape == (1, 2)
assert len(my_model.submodules) == 2
assert len(my_model.variables) == 4 and len(my_model.trainable_variables) == 4
names = sorted(v.name for v in my_model.variables)
assert names == ["b:0", "b:0", "w:0", "w:0"], names


# name_scope
class ScopedDense(tf.Module):
    def __init__(self, name=None):
        super().__init__(name=name)
        with self.name_scope:
            self.w = tf.Variable(tf.ones([2, 2]), name="w")

    @tf.Module.with_name_scope
    def __call__(self, x):
        return tf.matmul(x, self.w)


sd = ScopedDense(name="scoped")
assert sd.name_scope.name == "scoped/"
assert sd.w.name == "scoped/w:0", sd.w.name
assert sd(tf.ones([1, 2])).numpy().tolist() == [[2.0, 2.0]]
with tf.name_scope("outer"):
    v = tf.Variable(1.0, name="v")
assert v.name == "outer/v:0", v.name


# lazily-created variables
class FlexibleDenseModule(tf.Module):
    def __init__(self, out_features, name=None):
        super().__init__(name=name)
        self.is_built = False
        self.out_features = out_features

    def __call__(self, x):
        if not self.is_built:
            self.w = tf.Variable(tf.random.normal([x.shape[-1], self.out_features]), name="w")
            self.b = tf.Variable(tf.zeros([self.out_features]), name="b")
            self.is_built = True
        y = tf.matmul(x, self.w) + self.b
        return tf.nn.relu(y)


fd = FlexibleDenseModule(3)
assert fd(tf.ones([2, 5])).shape == (2, 3) and fd.w.shape == (5, 3)


# list and dict of submodules are tracked
class Container(tf.Module):
    def __init__(self):
        super().__init__()
        self.layers = [Dense(2, 2), Dense(2, 1)]
        self.extra = {"d": Dense(1, 1)}


c = Container()
assert len(c.variables) == 6 and len(c.submodules) == 3

# checkpoints
tmp = tempfile.mkdtemp()
chkp_path = os.path.join(tmp, "my_checkpoint")
checkpoint = tf.train.Checkpoint(model=my_model)
saved = checkpoint.write(chkp_path)
assert saved == chkp_path
listed = dict(tf.train.list_variables(chkp_path))
assert any(k.startswith("model/dense_1/w") for k in listed), listed
w_before = my_model.dense_1.w.numpy()
my_model.dense_1.w.assign(tf.zeros_like(my_model.dense_1.w))
new_model = SequentialModule()
new_checkpoint = tf.train.Checkpoint(model=new_model)
new_checkpoint.restore(chkp_path)
assert np.array_equal(new_model.dense_1.w.numpy(), w_before)
reader = tf.train.load_checkpoint(chkp_path)
assert np.array_equal(reader.get_tensor("model/dense_1/w/.ATTRIBUTES/VARIABLE_VALUE"), w_before)

# CheckpointManager with max_to_keep
counter = tf.Variable(0)
ckpt = tf.train.Checkpoint(step=counter, model=new_model)
manager = tf.train.CheckpointManager(ckpt, os.path.join(tmp, "managed"), max_to_keep=2)
paths = []
for i in range(4):
    counter.assign_add(1)
    paths.append(manager.save())
assert len(manager.checkpoints) == 2 and manager.checkpoints == paths[-2:]
assert manager.latest_checkpoint == paths[-1]
assert tf.train.latest_checkpoint(os.path.join(tmp, "managed")) == paths[-1]
counter.assign(100)
ckpt.restore(manager.latest_checkpoint)
assert int(counter) == 4
numbered = manager.save(checkpoint_number=10)
assert numbered.endswith("-10")


# SavedModel of a Module with tf.function(input_signature)
class MySequentialModule(tf.Module):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.dense_1 = Dense(in_features=3, out_features=3)
        self.dense_2 = Dense(in_features=3, out_features=2)

    @tf.function(input_signature=[tf.TensorSpec(shape=[None, 3], dtype=tf.float32)])
    def __call__(self, x):
        x = self.dense_1(x)
        return self.dense_2(x)

    @tf.function(input_signature=[tf.TensorSpec(shape=[], dtype=tf.float32)])
    def scale(self, s):
        self.dense_2.b.assign_add(tf.fill([2], s))
        return self.dense_2.b


m = MySequentialModule(name="the_model")
x = tf.constant([[2.0, 2.0, 2.0], [1.0, 0.0, -1.0]])
expected = m(x).numpy()
export = os.path.join(tmp, "the_saved_model")
tf.saved_model.save(m, export)
assert tf.saved_model.contains_saved_model(export)
loaded = tf.saved_model.load(export)
assert np.allclose(loaded(x).numpy(), expected)
assert loaded(tf.ones([5, 3])).shape == (5, 2)
out_b = loaded.scale(tf.constant(1.5))
assert np.allclose(out_b.numpy(), m.dense_2.b.numpy() + 1.5)
try:
    loaded(tf.ones([2, 4]))
    raise SystemExit("expected a signature mismatch")
except (TypeError, ValueError):
    pass
print("OK")
