"""Details the TensorFlow tutorials show: the decoder of an autoencoder built inside fit,
model.metrics, a checkpoint restored into a model not built yet (custom training), JPEG
pixels and image folders loaded as Keras 3 does (image classification), and a built
augmentation stack refusing an unbatched image (data augmentation)."""

import base64
import os
import tempfile
import warnings

import numpy as np
import tensorflow as tf

keras = tf.keras


# --- an autoencoder whose decoder has no Input: built on the trace, batch unknown ---
class Denoiser(keras.Model):
    def __init__(self):
        super().__init__()
        self.encoder = keras.Sequential([keras.Input((6,)), keras.layers.Dense(3)])
        self.decoder = keras.Sequential([keras.layers.Dense(4), keras.layers.Dense(6)])

    def call(self, x):
        return self.decoder(self.encoder(x))


noisy = np.random.default_rng(0).normal(size=(20, 6)).astype("float32")
auto = Denoiser()
auto.compile(optimizer="adam", loss="mse", metrics=["mae"])
auto.fit(noisy, noisy, epochs=1, batch_size=8, verbose=0)  # 20 rows: the last batch is short
assert tuple(auto.decoder.inputs[0].shape) == (None, 3), auto.decoder.inputs[0].shape
assert tuple(auto.decoder.layers[0].output.shape) == (None, 4)
even = Denoiser()
even.compile(optimizer="adam", loss="mse")
even.fit(noisy, noisy, epochs=1, batch_size=5, verbose=0)  # every batch full: it stays
assert tuple(even.decoder.inputs[0].shape) == (5, 3)
assert [repr(m) for m in auto.metrics] == [
    "<Mean name=loss>",
    "<CompileMetrics name=compile_metrics>",
], [repr(m) for m in auto.metrics]
assert str(keras.metrics.MeanAbsoluteError()) == "<MeanAbsoluteError name=mean_absolute_error>"


# --- restore before build: the layers take the saved values when the model builds ---
def make_classifier():
    return keras.Sequential([keras.layers.Dense(5, activation="relu"), keras.layers.Dense(3)])


trained = make_classifier()
batch = np.linspace(-1, 1, 8, dtype="float32").reshape(2, 4)
wanted = trained(batch).numpy()
folder = tempfile.mkdtemp()
saved = tf.train.Checkpoint(model=trained).save(os.path.join(folder, "ckpt"))
fresh = make_classifier()
tf.train.Checkpoint(model=fresh).restore(tf.train.latest_checkpoint(folder))


@tf.function
def evaluate(x):
    return fresh(x, training=False)


np.testing.assert_allclose(evaluate(batch).numpy(), wanted, rtol=1e-6)

# --- JPEG pixels as TensorFlow's decoder gives them (17x9, chroma 4:2:0) ---
jpeg = base64.b64decode(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAUDBAQEAwUEBAQFBQUGBwwIBwcHBw8LCwkMEQ8SEhEPERETFhwX"
    "ExQaFRERGCEYGh0dHx8fExciJCIeJBweHx7/2wBDAQUFBQcGBw4ICA4eFBEUHh4eHh4eHh4eHh4eHh4eHh4e"
    "Hh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh7/wAARCAARAAkDASIAAhEBAxEB/8QAHwAAAQUBAQEB"
    "AQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKB"
    "kaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1"
    "dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl"
    "5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcF"
    "BAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5"
    "OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0"
    "tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwBNP1Xbp2na"
    "fqFjq7zXSZlkMwNu0rN5AAEm4EDBYK4GzbGpbYNlN/4Tax/6Fe5/8KFP8aqeI5JrW/voY76W3VLJJlWBdq3+"
    "N29A+7NuCHmCtnG2OR9y7tx1vM8Wf9Nv/AD/AOxrlr4vA0oqdelGXM39qpBXvd2stXqk3fotFLmOfEYbCV6c"
    "OdRsr2a5tb2drd46X73uJ8Qv+Q5d/wDYb1H/ANNoriqKKy4q+Gh6S/Q9zgX+Ni/WP/tx/9k="
)
pixels = tf.io.decode_jpeg(jpeg)
assert pixels.dtype == tf.uint8 and pixels.shape == (17, 9, 3)
as_int = pixels.numpy().astype(np.int64)
assert as_int.sum() == 56490 and as_int[8, 4].tolist() == [176, 203, 186], as_int.sum()
accurate = tf.io.decode_jpeg(jpeg, dct_method="INTEGER_ACCURATE").numpy().astype(np.int64)
assert accurate.sum() == 56837 and accurate[-1, -1].tolist() == [130, 92, 53]
plain = tf.io.decode_jpeg(jpeg, fancy_upscaling=False).numpy().astype(np.int64)
assert plain.sum() == 56584 and plain[8, 4].tolist() == [166, 209, 179]
np.testing.assert_array_equal(tf.io.decode_image(jpeg).numpy(), pixels.numpy())

# --- image folders: decode_image, then a float resize (fractions kept) ---
root = tempfile.mkdtemp()
for name in ("cats", "dogs"):
    os.makedirs(os.path.join(root, name))
    art = tf.cast(
        tf.random.stateless_uniform((6, 5, 3), (1, len(name)), 0, 256, tf.int32), tf.uint8
    )
    tf.io.write_file(os.path.join(root, name, "x.png"), tf.io.encode_png(art))
images = keras.utils.image_dataset_from_directory(
    root, image_size=(10, 8), batch_size=2, shuffle=False, verbose=False
)
x, y = next(iter(images))
assert x.shape == (2, 10, 8, 3) and x.dtype == tf.float32 and y.numpy().tolist() == [0, 1]
first = tf.io.decode_image(tf.io.read_file(os.path.join(root, "cats", "x.png")), channels=3)
np.testing.assert_allclose(x[0].numpy(), tf.image.resize(first, (10, 8)).numpy(), atol=1e-4)
assert np.any(x.numpy() % 1 != 0)
# --- a stack built on a batch refuses one unbatched image (data augmentation tutorial) ---
flip = keras.Sequential([keras.layers.RandomFlip("horizontal")])
assert flip(tf.zeros((1, 8, 8, 3))).shape == (1, 8, 8, 3)
assert flip(tf.zeros((3, 12, 12, 3))).shape == (3, 12, 12, 3)  # other sizes still run
try:
    flip(tf.zeros((8, 8, 3)))
    raise AssertionError("an unbatched image was accepted")
except ValueError as err:
    assert "Invalid input shape" in str(err), err


# --- save_and_load: a weights file carries the optimizer for a run that resumes ---
def make_regressor():
    net = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)])
    net.compile(optimizer="adam", loss="mse")
    return net


xs = np.random.default_rng(1).normal(size=(16, 4)).astype("float32")
ys = xs[:, :2] * 3
first = make_regressor()
first.fit(xs, ys, epochs=3, verbose=0)
weights_path = os.path.join(tempfile.mkdtemp(), "run.weights.h5")
first.save_weights(weights_path)
resumed = make_regressor()
resumed.fit(xs, ys, epochs=1, verbose=0)
resumed.load_weights(weights_path)
assert int(resumed.optimizer.iterations.numpy()) == 3
np.testing.assert_array_equal(
    resumed.optimizer.variables[-1].numpy(), first.optimizer.variables[-1].numpy()
)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    make_regressor().load_weights(weights_path)
assert any("Skipping variable loading for optimizer" in str(w.message) for w in caught)
print("ok")
