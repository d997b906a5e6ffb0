"""Lower-level TensorFlow APIs that migrated TF1 code still uses: tf.queue.FIFOQueue fed by
a producer thread, tf.RegisterGradient with gradient_override_map inside tf.function, and a
SavedModel of a tf.function that calls a tf.custom_gradient function (its forward values)."""

import os
import tempfile
import threading

import numpy as np
import tensorflow as tf

# FIFOQueue: a producer thread and this thread as the consumer
queue = tf.queue.FIFOQueue(capacity=4, dtypes=[tf.float32, tf.int32], shapes=[[3], []])
features = np.arange(30, dtype=np.float32).reshape(10, 3)


def producer():
    for i in range(10):
        queue.enqueue([features[i], i])  # waits while four elements are queued
    queue.close()


thread = threading.Thread(target=producer)
thread.start()
seen = []
while True:
    try:
        batch_x, batch_y = queue.dequeue_up_to(3)
    except tf.errors.OutOfRangeError:
        break
    assert batch_x.shape[1:] == [3] and batch_x.shape[0] == batch_y.shape[0]
    np.testing.assert_array_equal(batch_x.numpy(), features[batch_y.numpy()])
    seen.extend(batch_y.numpy().tolist())
thread.join()
assert seen == list(range(10)), seen
assert bool(queue.is_closed()) and int(queue.size()) == 0
try:
    queue.enqueue([features[0], 0])
    raise AssertionError("a closed queue takes no more elements")
except tf.errors.CancelledError:
    pass

named = tf.queue.FIFOQueue(2, [tf.string, tf.int64], names=["word", "count"])
named.enqueue({"word": "tensor", "count": np.int64(3)})
item = named.dequeue()
assert item["word"].numpy() == b"tensor" and int(item["count"]) == 3


# RegisterGradient + gradient_override_map (honoured inside tf.function)
@tf.RegisterGradient("ClippedSquareGrad")
def _clipped_square_grad(op, grad):
    assert op.type == "Square"
    return tf.clip_by_value(2.0 * op.inputs[0] * grad, -1.0, 1.0)


@tf.function
def clipped_square(x):
    with tf.compat.v1.get_default_graph().gradient_override_map({"Square": "ClippedSquareGrad"}):
        return tf.square(x)


x = tf.Variable([0.25, -3.0, 2.0])
with tf.GradientTape() as tape:
    y = tf.reduce_sum(clipped_square(x))
np.testing.assert_allclose(y.numpy(), 0.0625 + 9.0 + 4.0)
np.testing.assert_allclose(tape.gradient(y, x).numpy(), [0.5, -1.0, 1.0])
try:
    tf.RegisterGradient("ClippedSquareGrad")(lambda op, grad: grad)
    raise AssertionError("a gradient name registers once")
except KeyError:
    pass


# A SavedModel of a function that uses tf.custom_gradient keeps its forward computation
@tf.custom_gradient
def clip_gradients(y):
    def backward(dy):
        return tf.clip_by_norm(dy, 0.5)

    return y, backward


class MyModule(tf.Module):
    @tf.function(input_signature=[tf.TensorSpec(None)])
    def call_custom_grad(self, x):
        return clip_gradients(x * 3.0)


export_dir = os.path.join(tempfile.mkdtemp(), "saved_model")
tf.saved_model.save(MyModule(), export_dir)
loaded = tf.saved_model.load(export_dir)
assert float(loaded.call_custom_grad(tf.constant(2.0))) == 6.0
np.testing.assert_allclose(loaded.call_custom_grad(tf.constant([1.0, -2.0])).numpy(), [3.0, -6.0])
v = tf.Variable(2.0)
with tf.GradientTape() as tape:
    out = loaded.call_custom_grad(v * v)
assert tape.gradient(out, v) is not None  # TF: the saved clipped gradient; gpuflow: forward ops
print("queue, gradient registry and custom-gradient SavedModel: ok")
