# MobileNetV3 and ConvNeXt from keras.applications without pretrained weights: parameter
# counts, layer names and shapes as Keras', the preprocessing inside the models, fine-tuning
# a frozen MobileNetV3Small base, and weights saved from one ConvNeXt loaded into another.
import os
import tempfile

import numpy as np
import tensorflow as tf
from tensorflow.keras.applications.convnext import ConvNeXtTiny
from tensorflow.keras.applications.mobilenet_v3 import preprocess_input

apps = tf.keras.applications
tf.keras.utils.set_random_seed(0)

small = apps.MobileNetV3Small(
    input_shape=(96, 96, 3), alpha=0.75, include_top=False, weights=None, pooling="avg"
)
assert small.name == "MobileNetV3Small"
assert small.output.shape == (None, 432)
names = [layer.name for layer in small.layers]
assert names[1:4] == ["rescaling", "conv", "conv_bn"]
assert "expanded_conv_3_squeeze_excite_mul" in names and names[-1] == "avg_pool"
assert small.get_layer("expanded_conv_depthwise_pad").output.shape == (None, 49, 49, 16)
large = apps.MobileNetV3Large(input_shape=(64, 64, 3), weights=None, minimalistic=True)
assert large.count_params() == 3948688
assert large.get_layer("logits").kernel.shape == (1, 1, 1280, 1000)

# The models rescale their inputs themselves: preprocess_input is the identity.
pixels = np.array([[[[0.0, 127.5, 255.0]]]], dtype="float32")
assert preprocess_input(pixels) is pixels
assert apps.convnext.preprocess_input(pixels) is pixels

# Fine-tune a new classifier on a frozen base.
rng = np.random.default_rng(0)
images = rng.uniform(0, 255, size=(16, 96, 96, 3)).astype("float32")
labels = (images[..., 0].mean(axis=(1, 2)) > 127.5).astype("int32")
small.trainable = False
inputs = tf.keras.Input((96, 96, 3))
outputs = tf.keras.layers.Dense(2, activation="softmax")(small(inputs, training=False))
model = tf.keras.Model(inputs, outputs)
model.compile(optimizer=tf.keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy")
history = model.fit(images, labels, epochs=3, batch_size=8, verbose=0)
assert len(history.history["loss"]) == 3 and np.isfinite(history.history["loss"]).all()
assert len(model.trainable_weights) == 2
probs = model.predict(images, verbose=0)
assert probs.shape == (16, 2) and np.allclose(probs.sum(axis=1), 1.0, atol=1e-5)

# ConvNeXt: LayerNorm-ed features, weights through a file into a second model.
features = ConvNeXtTiny(weights=None, include_top=False, input_shape=(32, 32, 3), pooling="avg")
assert features.count_params() == 27820128
layer_names = [layer.name for layer in features.layers]
assert layer_names[1:3] == ["convnext_tiny_prestem_normalization", "convnext_tiny_stem"]
assert features.get_layer("convnext_tiny_stage_2_block_8_layer_scale").weights[0].shape == (384,)
x = rng.uniform(0, 255, size=(2, 32, 32, 3)).astype("float32")
y = features.predict(x, verbose=0)
assert y.shape == (2, 768) and np.allclose(y.mean(axis=1), 0.0, atol=1e-4)
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "convnext.weights.h5")
    features.save_weights(path)
    again = ConvNeXtTiny(weights=path, include_top=False, input_shape=(32, 32, 3), pooling="avg")
np.testing.assert_allclose(again.predict(x, verbose=0), y, rtol=1e-4, atol=1e-4)
print("ok")
