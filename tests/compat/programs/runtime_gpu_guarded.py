"""The first lines of a GPU tutorial, run on a machine that may have no GPU."""

import numpy as np
import tensorflow as tf

gpus = tf.config.list_physical_devices("GPU")
print("Num GPUs Available:", len(gpus))
for gpu in gpus:
    tf.config.experimental.set_memory_growth(gpu, True)
    assert tf.config.experimental.get_memory_growth(gpu)

cpus = tf.config.list_physical_devices("CPU")
assert cpus and cpus[0].device_type == "CPU" and cpus[0].name == "/physical_device:CPU:0"
logical = tf.config.list_logical_devices()
assert logical[0].name == "/device:CPU:0"
assert len(tf.config.list_logical_devices("GPU")) == len(gpus)
assert tf.config.get_soft_device_placement()

# As in the tutorials: ask for the GPU; TensorFlow places on the CPU when there is none.
with tf.device("/GPU:0"):
    a = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    b = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    c = tf.matmul(a, b)
np.testing.assert_allclose(c.numpy(), [[22.0, 28.0], [49.0, 64.0]])
expected = "GPU:0" if gpus else "CPU:0"
assert c.device.endswith(expected), c.device
assert c.device.startswith("/job:localhost/replica:0/task:0/device:")

with tf.device("/job:localhost/replica:0/task:0/device:CPU:0"):
    d = tf.reduce_sum(tf.ones([3, 3]))
assert d.device.endswith("CPU:0") and float(d) == 9.0

with tf.device("cpu:0"):
    e = tf.constant(1.0) + 1.0
assert e.device.endswith("CPU:0")

name = tf.test.gpu_device_name()
assert name == ("/device:GPU:0" if gpus else ""), name
if not gpus:
    # Without soft placement, asking for a missing GPU is an error.
    tf.config.set_soft_device_placement(False)
    try:
        with tf.device("/GPU:0"):
            tf.constant([1.0]) + 1.0
        raised = False
    except tf.errors.InvalidArgumentError:
        raised = True
    assert raised
    tf.config.set_soft_device_placement(True)
print("ran on", c.device)
