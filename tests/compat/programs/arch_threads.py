"""Two threads at once: each with its own GradientTape, device scope and layer names."""

import threading

import numpy as np
import tensorflow as tf
from tensorflow import keras

results = {}
barrier = threading.Barrier(2, timeout=30)


def worker(name, scale):
    with tf.device("/cpu:0"):
        v = tf.Variable(3.0)
        with tf.GradientTape() as tape:
            barrier.wait()  # both tapes are open at the same time
            y = v * v * scale
        grad = tape.gradient(y, v)
    layers = [keras.layers.Dense(2) for _ in range(2)]
    results[name] = (float(grad.numpy()), [layer.name for layer in layers])


threads = [threading.Thread(target=worker, args=(n, s)) for n, s in (("a", 1.0), ("b", 2.0))]
for t in threads:
    t.start()
for t in threads:
    t.join()

assert results["a"][0] == 6.0 and results["b"][0] == 12.0, results
# Automatic layer names are numbered per thread (Keras 3 keeps them in thread-local state).
assert results["a"][1] == ["dense", "dense_1"], results
assert results["b"][1] == ["dense", "dense_1"], results
np.testing.assert_allclose(keras.layers.Dense(1)(tf.ones((1, 3))).shape, (1, 1))
