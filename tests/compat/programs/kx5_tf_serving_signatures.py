# keras.io "Serving TensorFlow models with TFServing": a small keras.applications.MobileNet
# (weights=None) saved with tf.saved_model.save, the serving_default signature's input name
# read from structured_input_signature and called with keyword arguments, then a second export
# whose serving_default is a tf.function with a [None, None, None, 3] TensorSpec that scales,
# normalises and resizes raw images, runs the model, and maps the argmax to class names
# with tf.gather on a tf.string constant.
import os
import tempfile

import keras
import numpy as np
import tensorflow as tf

keras.utils.set_random_seed(3)
net = keras.applications.MobileNet(weights=None, input_shape=(32, 32, 3), alpha=0.25, classes=4)
class_names = tf.constant(["cat", "dog", "bird", "fish"], dtype=tf.string)


def to_model_input(image, size=(32, 32)):
    image = image / 255.0
    image = (image - 0.5) / 0.5
    return tf.image.resize(image, size)


def to_label(probs, names=class_names):
    return tf.gather(params=names, indices=tf.argmax(probs, axis=-1))


raw = np.random.default_rng(5).integers(0, 256, (2, 24, 40, 3)).astype("float32")
ready = to_model_input(raw)
assert ready.shape == (2, 32, 32, 3) and ready.dtype == tf.float32
assert -1.0 <= float(tf.reduce_min(ready)) and float(tf.reduce_max(ready)) <= 1.0
probs = net(ready)
assert probs.shape == (2, 4)
np.testing.assert_allclose(tf.reduce_sum(probs, axis=-1).numpy(), [1.0, 1.0], rtol=1e-5)
labels = to_label(probs)
assert labels.dtype == tf.string and labels.shape == (2,)

root = tempfile.mkdtemp()
plain_dir = os.path.join(root, "1")
tf.saved_model.save(net, export_dir=plain_dir)
assert {"variables", "assets", "fingerprint.pb"} <= set(os.listdir(plain_dir))
reloaded = tf.saved_model.load(plain_dir)
default = reloaded.signatures["serving_default"]
args, kwargs = default.structured_input_signature
assert args == () and list(kwargs) == ["inputs"]
spec = kwargs["inputs"]
assert spec.shape.as_list() == [None, 32, 32, 3] and spec.dtype == tf.float32
served = default(**{"inputs": tf.constant(ready)})
assert list(served) == ["output_0"]
np.testing.assert_allclose(served["output_0"].numpy(), probs.numpy(), atol=1e-5)


def with_processing(model):
    @tf.function(input_signature=[tf.TensorSpec([None, None, None, 3], tf.float32)])
    def serve(image):
        return {"label": to_label(model(to_model_input(image)))}

    return serve


signed_dir = os.path.join(root, "2")
tf.saved_model.save(
    net, export_dir=signed_dir, signatures={"serving_default": with_processing(net)}
)
signed = tf.saved_model.load(signed_dir).signatures["serving_default"]
in_args, in_kwargs = signed.structured_input_signature
assert list(in_kwargs) == ["image"]
assert in_kwargs["image"].shape.as_list() == [None, None, None, 3]
out_spec = signed.structured_outputs["label"]
assert out_spec.dtype == tf.string and out_spec.shape.as_list() == [None]
answer = signed(image=tf.constant(raw))["label"]
assert answer.dtype == tf.string and answer.shape == (2,)
assert answer.numpy().tolist() == labels.numpy().tolist()
assert set(answer.numpy().tolist()) <= {b"cat", b"dog", b"bird", b"fish"}
print("ok")
