# Pieces the save_and_load and customization tutorials lean on: Python conversions of
# tensors (only 0-d ones become floats/ints), the shape argument of keras.Input, building a
# Sequential from a shape versus a batch, and the summary footer of a model loaded from .h5.
import io
import os
import tempfile
from contextlib import redirect_stdout

import numpy as np
import tensorflow as tf

# float() / int() need a 0-d tensor, even when a tensor holds one element
assert float(tf.constant(0.25)) == 0.25 and int(tf.constant(9)) == 9
for one_element in (tf.constant([[0.5]]), tf.constant([2.0]), tf.Variable([[1.0]])):
    for convert in (float, int):
        try:
            convert(one_element)
        except TypeError:
            pass
        else:
            raise AssertionError(f"{convert.__name__}() took shape {one_element.shape}")
    assert bool(one_element) is True  # truthiness takes a single element
assert float(tf.squeeze(tf.constant([[0.5]]))) == 0.5
try:
    bool(tf.keras.Variable(1.0))  # Keras 3 variables have no truth value at all
except TypeError:
    pass
else:
    raise AssertionError("bool() of a keras.Variable")
assert float(tf.constant([[0.5]])[0, 0]) == 0.5
try:
    bool(tf.constant([1.0, 2.0]))
except ValueError:
    pass
else:
    raise AssertionError("bool() of two values")
try:
    [10, 20, 30][tf.constant([1])]
except TypeError:
    pass
else:
    raise AssertionError("a shape-(1,) tensor used as a list index")
assert [10, 20, 30][tf.constant(2)] == 30

# keras.Input: a tuple or list of dimensions; a bare int is not a shape
assert tf.keras.Input(shape=(784,)).shape == (None, 784)
assert tf.keras.Input(shape=[28, 28]).shape == (None, 28, 28)
assert tf.keras.Input(shape=(None, 5)).shape == (None, None, 5)
assert tf.keras.Input(shape=tf.TensorShape([6])).shape == (None, 6)
for bad in (784, 3.5, ("3",), (-2,)):
    try:
        tf.keras.Input(shape=bad)
    except ValueError as err:
        assert "to a shape" in str(err), str(err)
    else:
        raise AssertionError(f"Input(shape={bad!r}) was accepted")

# Sequential.build wants a shape; given a batch of data it stays unbuilt until called
model = tf.keras.Sequential([tf.keras.layers.Dense(5, activation="relu"), tf.keras.layers.Dense(2)])
model.build(tf.zeros([3, 4]))
assert model.weights == [] and not model.layers[0].built
assert model(tf.ones([3, 4])).shape == (3, 2) and model.layers[0].kernel.shape == (4, 5)
built = tf.keras.Sequential([tf.keras.layers.Dense(5), tf.keras.layers.Dense(2)])
built.build((None, 4))
assert built.built and built.layers[0].kernel.shape == (4, 5)
assert built.count_params() == 4 * 5 + 5 + 5 * 2 + 2


# the .h5 round trip of a compiled model, and its summary footer
def footer(m):
    buf = io.StringIO()
    with redirect_stdout(buf):
        m.summary()
    return [line for line in buf.getvalue().splitlines() if "params:" in line]


net = tf.keras.Sequential(
    [tf.keras.Input((4,)), tf.keras.layers.Dense(3), tf.keras.layers.Dense(2)]
)
net.compile(
    optimizer="adam",
    loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=[tf.keras.metrics.SparseCategoricalAccuracy()],
)
assert footer(net) == [  # compiled, but the optimizer is not built before training
    " Total params: 23 (92.00 B)",
    " Trainable params: 23 (92.00 B)",
    " Non-trainable params: 0 (0.00 B)",
], footer(net)
x = np.random.default_rng(0).normal(size=(16, 4)).astype("float32")
y = (x[:, 0] > 0).astype("int32")
net.fit(x, y, epochs=1, batch_size=16, verbose=0)
assert footer(net)[-1] == " Optimizer params: 48 (196.00 B)", footer(net)
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "net.h5")
    net.save(path)
    assert os.path.exists(path)
    loaded = tf.keras.models.load_model(path)
    lines = footer(loaded)
    assert lines == [
        " Total params: 25 (104.00 B)",
        " Trainable params: 23 (92.00 B)",
        " Non-trainable params: 0 (0.00 B)",
        " Optimizer params: 2 (12.00 B)",
    ], lines
    np.testing.assert_allclose(loaded.predict(x, verbose=0), net.predict(x, verbose=0), rtol=1e-6)
    loss, acc = loaded.evaluate(x, y, verbose=0)
    assert 0.0 <= acc <= 1.0 and loss > 0


# add_weight as Keras 3 takes it: shape, initializer, dtype positionally; name by keyword
class Affine(tf.keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight((input_shape[-1], 2), "ones", name="w")
        self.b = self.add_weight(shape=(2,), initializer="zeros", name="b")
        self.steps = self.add_weight(shape=(), dtype="int64", trainable=False, name="steps")

    def call(self, x):
        return tf.matmul(x, self.w) + self.b


layer = Affine()
assert layer(tf.ones([1, 3])).numpy().tolist() == [[3.0, 3.0]]
assert [w.name for w in layer.weights] == ["w", "b", "steps"]
assert layer.steps.dtype == "int64" and int(layer.steps.numpy()) == 0


class OldStyle(tf.keras.layers.Layer):
    def build(self, input_shape):
        self.kernel = self.add_weight("kernel", shape=[int(input_shape[-1]), 4])

    def call(self, x):
        return tf.matmul(x, self.kernel)


try:
    OldStyle()(tf.ones([2, 3]))
except ValueError as err:
    assert "keyword" in str(err), str(err)
else:
    raise AssertionError("add_weight took a positional name")
print("ok")
