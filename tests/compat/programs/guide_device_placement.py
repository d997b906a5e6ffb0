# The "Use a GPU" guide's API on any machine: listing devices, memory growth where GPUs
# are, device placement logging, explicit placement with tf.device, soft placement onto
# a device that is not there, the default MirroredStrategy, and the profiler's
# start / stop / Trace around a few steps.
import os

import numpy as np
import tensorflow as tf

cpus = tf.config.list_physical_devices("CPU")
assert len(cpus) >= 1 and cpus[0].device_type == "CPU"
logical_cpus = tf.config.list_logical_devices("CPU")
assert logical_cpus[0].name.endswith("CPU:0") and logical_cpus[0].device_type == "CPU"

gpus = tf.config.list_physical_devices("GPU")
print("Num GPUs Available: ", len(gpus))
if gpus:
    for gpu in gpus:
        tf.config.experimental.set_memory_growth(gpu, True)
        assert tf.config.experimental.get_memory_growth(gpu)

tf.debugging.set_log_device_placement(True)
a = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
b = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
c = tf.matmul(a, b)
tf.debugging.set_log_device_placement(False)
np.testing.assert_allclose(c.numpy(), [[22.0, 28.0], [49.0, 64.0]])

with tf.device("/CPU:0"):
    a = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    b = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
assert a.device.endswith("CPU:0"), a.device
c = tf.matmul(a, b)
np.testing.assert_allclose(c.numpy(), [[22.0, 28.0], [49.0, 64.0]])

tf.config.set_soft_device_placement(True)
assert tf.config.get_soft_device_placement()
with tf.device("/device:GPU:7"):  # no such device: placed where the op can run
    d = tf.matmul(a, b)
np.testing.assert_allclose(d.numpy(), c.numpy())

strategy = tf.distribute.MirroredStrategy()
assert strategy.num_replicas_in_sync == max(1, len(gpus))
with strategy.scope():
    inputs = tf.keras.layers.Input(shape=(1,))
    predictions = tf.keras.layers.Dense(1)(inputs)
    model = tf.keras.models.Model(inputs=inputs, outputs=predictions)
    model.compile(loss="mse", optimizer=tf.keras.optimizers.SGD(learning_rate=0.2))
x = np.linspace(-1, 1, 64).astype("float32")[:, None]
y = 3 * x + 1
history = model.fit(x, y, batch_size=16, epochs=25, verbose=0)
assert history.history["loss"][-1] < 1e-2, history.history["loss"][-3:]
np.testing.assert_allclose(model.layers[-1].kernel.numpy(), [[3.0]], atol=0.1)

logdir = os.path.join(os.getcwd(), "profile")
tf.profiler.experimental.start(logdir)
for step in range(3):
    with tf.profiler.experimental.Trace("train", step_num=step, _r=1):
        tf.matmul(a, b)
tf.profiler.experimental.stop()
with tf.profiler.experimental.Profile(logdir):
    tf.reduce_sum(tf.matmul(a, b))
assert os.path.isdir(logdir)
