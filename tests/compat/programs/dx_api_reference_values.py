"""Small behaviours that TF's and Keras' API reference examples show: numpy_function's
arguments, tf.gradients through intermediates, IoU's confusion matrix, hue on int images,
the angle of complex numbers."""

import keras
import numpy as np
import tensorflow as tf

# tf.numpy_function run eagerly hands the function NumPy arrays (rank 0 included);
# Python numbers become arrays as NumPy makes them
received = []


def keep_args(*arrays):
    received.extend(arrays)
    return np.cosh(arrays[0])


result = tf.numpy_function(keep_args, [0.0, 3, tf.constant(2.5)], tf.float32)
assert all(type(a) is np.ndarray for a in received), [type(a) for a in received]
assert [a.dtype for a in received] == [np.float64, np.int64, np.float32]
assert result.dtype == tf.float64 and float(result) == 1.0


# tf.gradients inside tf.function: an intermediate among xs, with and without stops
@tf.function
def grads(a):
    b = a * a
    through = tf.gradients(a + b, [a, b])
    held = tf.gradients(a + b, [a, b], stop_gradients=[a, b])
    return through, held


(ga, gb), (ha, hb) = grads(tf.constant(3.0))
assert float(ga) == 7.0 and float(gb) == 1.0  # 1 + 2a through b
assert float(ha) == 1.0 and float(hb) == 1.0

# IoU metrics count in int64 and return the running confusion matrix
iou = keras.metrics.MeanIoU(num_classes=3)
assert iou.dtype == "int64"
cm = iou.update_state([0, 1, 2, 2], [0, 1, 1, 2])
assert cm.dtype == tf.int64 and cm.shape == (3, 3)
assert cm.numpy().tolist() == [[1, 0, 0], [0, 1, 0], [0, 1, 1]]
cm = iou.update_state([1], [1])
assert cm.numpy()[1, 1] == 2
np.testing.assert_allclose(float(iou.result()), (1 + 2 / 3 + 1 / 2) / 3, rtol=1e-5)
binary = keras.metrics.BinaryIoU(target_class_ids=[1], threshold=0.3)
cm = binary.update_state([1, 0, 1], [0.9, 0.4, 0.2])
assert cm.numpy().tolist() == [[0, 1], [1, 1]]
np.testing.assert_allclose(float(binary.result()), 1 / 3, rtol=1e-5)

# hue and saturation of an int32 image round as TensorFlow's fused kernels
pixels = tf.constant([[[1, 2, 3], [10, 11, 12]], [[30, 20, 10], [7, 7, 7]]])
rotated = tf.image.adjust_hue(pixels, 0.2)
assert rotated.dtype == tf.int32
assert rotated.numpy()[0, 0].tolist() == [2, 1, 3]
assert rotated.numpy()[1, 1].tolist() == [7, 7, 7]  # grey stays grey
faded = tf.image.adjust_saturation(pixels, 0.5)
assert faded.numpy()[0, 0].tolist() == [2, 2, 3]
u8 = tf.cast(pixels, tf.uint8)
assert tf.image.adjust_hue(u8, 0.5).numpy()[1, 0].tolist() == [10, 20, 30]

# keras.ops.angle of complex128 values is float32 (Keras computes it in complex64)
z = keras.ops.convert_to_tensor([[3 + 4j, -1 + 0j]])
assert z.dtype == tf.complex128
phase = keras.ops.angle(z)
assert phase.dtype == tf.float32
np.testing.assert_allclose(phase.numpy(), [[np.arctan2(4, 3), np.pi]], rtol=1e-6)


# as the Keras callbacks' examples: one label per row for ten outputs, one row a batch
stopper = keras.callbacks.EarlyStopping(monitor="loss", patience=2)
regressor = keras.Sequential([keras.layers.Dense(10)])
regressor.compile(keras.optimizers.SGD(0.001), loss="mse")
inputs = np.arange(60, dtype="float32").reshape(3, 20) / 60
history = regressor.fit(inputs, np.zeros(3), epochs=3, batch_size=1, callbacks=[stopper], verbose=0)
assert 1 <= len(history.history["loss"]) <= 3
assert np.isfinite(regressor.evaluate(inputs, np.ones(3), batch_size=1, verbose=0))
print("ok")
