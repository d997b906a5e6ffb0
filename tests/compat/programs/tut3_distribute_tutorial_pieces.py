"""Pieces of TF's distribute / DTensor tutorials and the segmentation tutorial, as a user
would write them: losses on float64 NumPy inputs, saving paths and arguments, Sequential
errors, stateless initializers with tensor bounds, the multi-worker cluster spec, and a
small U-Net trained with per-pixel sample weights; feature column descriptions."""

import os
import tempfile

import numpy as np
import tensorflow as tf

# -- losses convert their inputs to the loss dtype (floatx) first --------------------------
labels = np.array([0, 0])
logits = np.array([[-3.0, 0.0], [-3.0, 0.0]])  # float64 NumPy
per_sample = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction=None)
values = per_sample(labels, logits, [1, 10])
assert values.dtype == tf.float32, values.dtype
np.testing.assert_allclose(values.numpy(), [3.0485873, 30.485874], rtol=1e-6)
mse = tf.keras.losses.MeanSquaredError()
assert mse.dtype == "float32"
err = mse(np.array([0.0, 1.0]), np.array([1.0, 3.0]))
assert err.dtype == tf.float32 and abs(float(err) - 2.5) < 1e-6

# -- saving: a SavedModel-style folder or an unknown argument is a ValueError --------------
model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2)])
model.compile(optimizer="adam", loss="mse")
workdir = tempfile.mkdtemp()
folder = os.path.join(workdir, "tf_save")
os.makedirs(folder)
try:
    model.save(folder)
    raise AssertionError("saving to a folder should fail")
except ValueError as e:
    assert "Invalid filepath extension" in str(e), e
try:
    model.save(os.path.join(workdir, "m.keras"), options=None)
    raise AssertionError("an unknown argument should fail")
except ValueError as e:
    assert "not supported" in str(e) and "options" in str(e), e
keras_path = os.path.join(workdir, "m.keras")
model.save(keras_path)
restored = tf.keras.models.load_model(keras_path)
x = np.ones((2, 3), "float32")
np.testing.assert_allclose(restored.predict(x, verbose=0), model.predict(x, verbose=0))


# -- only Keras layers go into a Sequential model ------------------------------------------
class Plain(tf.Module):
    def __call__(self, x):
        return x


try:
    tf.keras.Sequential([tf.keras.layers.Dense(2), Plain()])
    raise AssertionError("a tf.Module is not a layer")
except ValueError as e:
    assert "Only instances of `keras.Layer`" in str(e), e

# -- stateless initializers with tensor bounds, eager and in a tf.function ----------------
limit = tf.sqrt(6.0) / tf.sqrt(tf.cast(7 + 5, tf.float32))
init = tf.function(tf.random.stateless_uniform)
w = init(shape=(7, 5), seed=(22, 23), minval=-limit, maxval=limit)
w_eager = tf.random.stateless_uniform((7, 5), seed=(22, 23), minval=-limit, maxval=limit)
assert w.shape == (7, 5) and w.dtype == tf.float32
np.testing.assert_array_equal(w.numpy(), w_eager.numpy())
assert np.all(np.abs(w.numpy()) <= limit.numpy())
bounds = tf.constant([0.0, 10.0, 20.0])
b = tf.random.stateless_uniform((4, 3), seed=(1, 2), minval=bounds, maxval=bounds + 1.0)
assert np.all((b.numpy() >= [0, 10, 20]) & (b.numpy() < [1, 11, 21]))
n = tf.random.stateless_normal((2,), seed=(3, 4), mean=tf.constant(2.0), stddev=tf.constant(0.0))
np.testing.assert_array_equal(n.numpy(), [2.0, 2.0])

# -- one worker without TF_CONFIG: an empty cluster spec, no chief job ---------------------
os.environ.pop("TF_CONFIG", None)
strategy = tf.distribute.MultiWorkerMirroredStrategy()
spec = strategy.cluster_resolver.cluster_spec()
assert spec.as_dict() == {} and "chief" not in spec.as_dict()
assert strategy.num_replicas_in_sync == 1

# -- a tiny U-Net trained on (image, mask, per-pixel weight) batches -----------------------
rng = np.random.default_rng(0)
images = rng.random((8, 16, 16, 3)).astype("float32")
masks = rng.integers(0, 3, (8, 16, 16, 1)).astype("float32")


def add_sample_weights(image, label):
    class_weights = tf.constant([2.0, 2.0, 1.0])
    class_weights = class_weights / tf.reduce_sum(class_weights)
    return image, label, tf.gather(class_weights, indices=tf.cast(label, tf.int32))


ds = tf.data.Dataset.from_tensor_slices((images, masks)).batch(4).map(add_sample_weights)
spec = ds.element_spec
assert len(spec) == 3 and spec[2].shape.as_list() == [None, 16, 16, 1]
assert spec[2].dtype == tf.float32

inputs = tf.keras.Input((16, 16, 3))
down1 = tf.keras.layers.Conv2D(4, 3, strides=2, padding="same", activation="relu")(inputs)
down2 = tf.keras.layers.Conv2D(4, 3, strides=2, padding="same", activation="relu")(down1)
up = tf.keras.layers.Conv2DTranspose(4, 3, strides=2, padding="same")(down2)
up = tf.keras.layers.Concatenate()([up, down1])
outputs = tf.keras.layers.Conv2DTranspose(3, 3, strides=2, padding="same")(up)
unet = tf.keras.Model(inputs, outputs)
assert unet.output_shape == (None, 16, 16, 3)
unet.compile(
    optimizer="adam",
    loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
history = unet.fit(ds, epochs=2, verbose=0)
assert sorted(history.history) == ["accuracy", "loss"] and len(history.history["loss"]) == 2
assert all(np.isfinite(history.history["loss"]))
pred_mask = tf.math.argmax(unet.predict(images[:1], verbose=0), axis=-1)[..., tf.newaxis]
assert pred_mask.shape == (1, 16, 16, 1) and pred_mask.dtype == tf.int64
# -- a Sequential fit on clips of unknown length and size takes other clips after -------
clip_signature = (
    tf.TensorSpec(shape=(None, None, None, 3), dtype=tf.float32),
    tf.TensorSpec(shape=(), dtype=tf.int16),
)


def clips():
    for i in range(4):
        yield np.random.default_rng(i).random((4, 8, 8, 3), dtype=np.float32), i % 3


clip_ds = tf.data.Dataset.from_generator(clips, output_signature=clip_signature).batch(2)
frame_input = tf.keras.Input(shape=(None, None, 3))
frame_net = tf.keras.Model(frame_input, tf.keras.layers.Conv2D(2, 3, strides=2)(frame_input))
video_model = tf.keras.Sequential(
    [
        tf.keras.layers.Rescaling(scale=255),
        tf.keras.layers.TimeDistributed(frame_net),
        tf.keras.layers.Dense(3),
        tf.keras.layers.GlobalAveragePooling3D(),
    ]
)
video_model.compile(
    optimizer="adam", loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
)
video_model.fit(clip_ds, epochs=1, verbose=0)
longer_clip = np.ones((1, 6, 12, 12, 3), "float32")
assert video_model.predict(longer_clip, verbose=0).shape == (1, 3)

# -- feature columns still describe features (the estimator guide's first cells) ----------
age = tf.feature_column.numeric_column("age")
klass = tf.feature_column.categorical_column_with_vocabulary_list("class", ["First", "Second"])
town = tf.feature_column.categorical_column_with_hash_bucket("embark_town", 32)
assert age.shape == (1,) and age.dtype == tf.float32 and klass.dtype == tf.string
assert town.num_buckets == 32 and klass.num_buckets == 2
assert tf.feature_column.bucketized_column(age, [18, 60]).name == "age_bucketized"
features = tf.feature_column.make_parse_example_spec([age, klass, town])
assert sorted(features) == ["age", "class", "embark_town"]
assert features["age"] == tf.io.FixedLenFeature((1,), tf.float32)
assert features["class"] == tf.io.VarLenFeature(tf.string)
try:
    tf.feature_column.categorical_column_with_hash_bucket("embark_town", 0)
    raise AssertionError("zero buckets should fail")
except ValueError as e:
    assert "hash_bucket_size must be at least 1" in str(e), e
print("ok")
