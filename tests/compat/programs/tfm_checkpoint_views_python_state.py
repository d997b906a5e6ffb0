# The "Training checkpoints" guide, inspecting a checkpoint: tf.train.TrackableView over
# live objects, tf.train.CheckpointView over a saved one (children, match and diff against
# a model whose structure changed), and tf.train.experimental.PythonState saving a NumPy
# array next to the variables.
import io

import numpy as np
import tensorflow as tf


class NumpyState(tf.train.experimental.PythonState):
    def __init__(self, array):
        self.array = array

    def serialize(self):
        buffer = io.BytesIO()
        np.save(buffer, self.array, allow_pickle=False)
        return buffer.getvalue()

    def deserialize(self, string_value):
        self.array = np.load(io.BytesIO(string_value), allow_pickle=False)


class Net(tf.Module):
    def __init__(self, head_name="head"):
        super().__init__()
        self.scale = tf.Variable(2.0)
        head = tf.Module()
        head.kernel = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
        setattr(self, head_name, head)

    def __call__(self, x):
        head = getattr(self, "head", None) or getattr(self, "head2")
        return tf.matmul(x, head.kernel) * self.scale


net = Net()
view = tf.train.TrackableView(net)
assert view.root is net
children = view.children(net)
assert set(children) == {"scale", "head"}, children
assert children["scale"] is net.scale and children["head"] is net.head
assert tf.train.TrackableView.children(net.head) == {"kernel": net.head.kernel}
descendants = view.descendants()
assert descendants[0] is net and len(descendants) == 4
assert any(d is net.head.kernel for d in descendants)

# Save the model with a step counter and a NumPy state.
stats = NumpyState(np.array([0.5, 1.5, 2.5]))
ckpt = tf.train.Checkpoint(net=net, step=tf.Variable(7, dtype=tf.int64), stats=stats)
path = ckpt.save("./tf_ckpts/ckpt")

saved = tf.train.CheckpointView(path)
root_children = saved.children(0)
assert {"net", "step", "stats", "save_counter"} <= set(root_children), root_children
net_node = root_children["net"]
assert set(saved.children(net_node)) == {"scale", "head"}
head_node = saved.children(net_node)["head"]
assert set(saved.children(head_node)) == {"kernel"}
nodes = saved.descendants()
assert nodes[0] == 0 and len(set(nodes)) == len(nodes)
assert net_node in nodes and head_node in nodes

# Match the checkpoint against a fresh model of the same structure.
same = Net()
fresh_ckpt = tf.train.Checkpoint(net=same)
matched = saved.match(fresh_ckpt)
assert matched[0] is fresh_ckpt and matched[net_node] is same and matched[head_node] is same.head
assert matched[saved.children(head_node)["kernel"]] is same.head.kernel

# A model whose head was renamed: diff lists what only one side has.
renamed = Net(head_name="head2")
overlap, only_saved, only_live = saved.diff(tf.train.Checkpoint(net=renamed))
assert overlap[net_node] is renamed
assert head_node in only_saved and saved.children(head_node)["kernel"] in only_saved
assert any(obj is renamed.head2 for obj in only_live)
assert any(obj is renamed.head2.kernel for obj in only_live)
assert not any(obj is renamed.scale for obj in only_live)

# Restore everything, the Python state included.
net.scale.assign(0.0)
stats.array = np.zeros(1)
ckpt.step.assign(0)
ckpt.restore(path).assert_consumed()
np.testing.assert_allclose(stats.array, [0.5, 1.5, 2.5])
assert int(ckpt.step.numpy()) == 7 and float(net.scale.numpy()) == 2.0
x = tf.constant([[1.0, 1.0]])
np.testing.assert_allclose(net(x).numpy(), [[8.0, 12.0]])

restored_stats = NumpyState(None)
tf.train.Checkpoint(stats=restored_stats).restore(path).expect_partial()
np.testing.assert_allclose(restored_stats.array, [0.5, 1.5, 2.5])
print("checkpoint views and python state: ok")
