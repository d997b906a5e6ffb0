"""tf.train.Checkpoint with tf.Module: CheckpointManager, restore-on-create, partial restores."""

import os

import numpy as np
import tensorflow as tf


class Dense(tf.Module):
    def __init__(self, n_in, n_out, name=None):
        super().__init__(name=name)
        self.w = tf.Variable(tf.random.stateless_normal([n_in, n_out], seed=[1, 2]), name="w")
        self.b = tf.Variable(tf.zeros([n_out]), name="b")

    def __call__(self, x):
        return x @ self.w + self.b


class Net(tf.Module):
    def __init__(self):
        super().__init__()
        self.l1 = Dense(3, 4)
        self.l2 = Dense(4, 1)
        self.steps = tf.Variable(0, dtype=tf.int64)

    def __call__(self, x):
        return self.l2(tf.nn.relu(self.l1(x)))


net = Net()
assert len(net.trainable_variables) == 5 and len(net.variables) == 5
opt_state = tf.Variable(1.5)
ckpt = tf.train.Checkpoint(model=net, extra=opt_state)
manager = tf.train.CheckpointManager(ckpt, "ckpts", max_to_keep=2)
assert manager.latest_checkpoint is None
paths = []
for step in range(3):
    net.steps.assign_add(1)
    net.l2.b.assign([float(step)])
    paths.append(manager.save(checkpoint_number=step * 10))
assert [os.path.basename(p) for p in paths] == ["ckpt-0", "ckpt-10", "ckpt-20"]
assert manager.checkpoints == paths[1:]  # max_to_keep=2 deleted the oldest
assert tf.train.latest_checkpoint("ckpts") == paths[-1]
assert not os.path.exists(paths[0] + ".index")
names = dict(tf.train.list_variables(paths[-1]))
assert any("steps" in n for n in names)
reader = tf.train.load_checkpoint(paths[1])
key = [n for n in names if n.startswith("model/l2/b")][0]
np.testing.assert_array_equal(reader.get_tensor(key), [1.0])

# Restore into a fresh model, all values come back; status checks pass.
fresh = Net()
fresh.l1.w.assign(tf.zeros([3, 4]))
status = tf.train.Checkpoint(model=fresh, extra=tf.Variable(0.0)).restore(manager.latest_checkpoint)
status.assert_consumed()
np.testing.assert_array_equal(fresh.l1.w, net.l1.w)
assert int(fresh.steps) == 3 and float(fresh.l2.b[0]) == 2.0
x = tf.ones([2, 3])
np.testing.assert_allclose(fresh(x), net(x))


# Restore-on-create: restoring before the variables exist defers the values to creation.
class Lazy(tf.Module):
    def __init__(self):
        super().__init__()
        self.l1 = None

    def build(self):
        self.l1 = Dense(3, 4)


lazy_net = Lazy()
lazy_ckpt = tf.train.Checkpoint(model=lazy_net)
deferred = lazy_ckpt.restore(paths[-1])
lazy_net.build()  # created after restore(): values load on creation
np.testing.assert_array_equal(lazy_net.l1.w, net.l1.w)
try:
    deferred.assert_consumed()  # l2, steps and extra are in the file but not restored
except AssertionError:
    pass
else:
    raise AssertionError("a partial restore should not be consumed")
deferred.assert_existing_objects_matched()
deferred.expect_partial()

# A restore into a mismatched shape raises.
wrong = Net()
wrong.l1 = Dense(3, 5)
try:
    tf.train.Checkpoint(model=wrong).restore(paths[-1])
except (ValueError, tf.errors.InvalidArgumentError):
    pass
else:
    raise AssertionError("a shape mismatch should raise")

# restore_or_initialize, checkpoint_interval and a manager that starts from existing files.
again = tf.train.CheckpointManager(tf.train.Checkpoint(model=Net()), "ckpts", max_to_keep=2)
assert again.latest_checkpoint == paths[-1]
assert again.restore_or_initialize() == paths[-1]
empty = tf.train.CheckpointManager(tf.train.Checkpoint(v=tf.Variable(1.0)), "none", 1)
assert empty.restore_or_initialize() is None
step = tf.Variable(0, dtype=tf.int64)
timed = tf.train.CheckpointManager(
    tf.train.Checkpoint(step=step),
    "timed",
    max_to_keep=5,
    step_counter=step,
    checkpoint_interval=2,
)
saved = []
for _ in range(5):
    step.assign_add(1)
    saved.append(timed.save())
assert [os.path.basename(p) for p in saved if p] == ["ckpt-1", "ckpt-2", "ckpt-3"]
assert saved[1] is None

# write()/read() without a manager, with a numbered prefix from save().
solo = tf.train.Checkpoint(v=tf.Variable([1.0, 2.0]))
p = solo.write("solo/weights")
assert p == "solo/weights"
solo.v.assign([0.0, 0.0])
solo.read(p).assert_consumed()
np.testing.assert_array_equal(solo.v, [1.0, 2.0])
assert os.path.basename(solo.save("solo/auto")) == "auto-1"
print("ok")
