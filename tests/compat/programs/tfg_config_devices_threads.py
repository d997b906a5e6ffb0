"""tf.config: physical/logical devices, visibility, threading and op determinism."""

import tensorflow as tf

# Threading settings are set before the first op runs (0 means "pick").
tf.config.threading.set_intra_op_parallelism_threads(2)
tf.config.threading.set_inter_op_parallelism_threads(1)
assert tf.config.threading.get_intra_op_parallelism_threads() == 2
assert tf.config.threading.get_inter_op_parallelism_threads() == 1

cpus = tf.config.list_physical_devices("CPU")
assert len(cpus) >= 1
assert cpus[0].device_type == "CPU" and cpus[0].name.endswith("CPU:0")
assert isinstance(tf.config.list_physical_devices(), list)
assert all(d.device_type in ("CPU", "GPU") for d in tf.config.list_physical_devices())
logical = tf.config.list_logical_devices("CPU")
assert len(logical) >= 1 and logical[0].name.endswith("CPU:0")
assert tf.config.get_visible_devices("CPU") == cpus

# Soft device placement and determinism switches.
tf.config.set_soft_device_placement(True)
assert tf.config.get_soft_device_placement()
tf.config.experimental.enable_op_determinism()
a = tf.random.stateless_normal([4], seed=[1, 2])
assert a.shape == (4,)
tf.config.run_functions_eagerly(True)
assert tf.config.functions_run_eagerly()
tf.config.run_functions_eagerly(False)
assert not tf.config.functions_run_eagerly()

# Placing ops on the CPU explicitly; the result lives there.
with tf.device("/CPU:0"):
    t = tf.constant([1.0, 2.0]) * 2
assert t.device.endswith("CPU:0")
assert tf.identity(t).numpy().tolist() == [2.0, 4.0]
with tf.device("CPU"):
    assert (tf.ones([2]) + 1).device.endswith("CPU:0")

# Hiding every GPU (a no-op on a CPU-only machine) leaves the CPU visible.
gpus = tf.config.list_physical_devices("GPU")
if gpus:
    for g in gpus:
        tf.config.experimental.set_memory_growth(g, True)
        assert tf.config.experimental.get_memory_growth(g)
tf.config.set_visible_devices([], "GPU")
assert tf.config.get_visible_devices("GPU") == []
assert tf.config.list_logical_devices("GPU") == []
assert tf.reduce_sum(tf.ones([3])).numpy() == 3.0
try:
    tf.config.set_visible_devices(cpus, "TPU")
except (ValueError, RuntimeError):
    pass
else:
    raise AssertionError("a device type that is not the devices' should raise")
print("ok")
