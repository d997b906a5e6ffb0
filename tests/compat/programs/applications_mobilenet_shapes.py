# Keras' application models built without pretrained weights: their parameter counts,
# layer names and output shapes, transfer learning on a frozen MobileNetV2 base, and
# weights saved from one model loaded into a new one through weights=<path>.
import numpy as np
import tensorflow as tf

apps = tf.keras.applications

base = apps.MobileNetV2(
    input_shape=(96, 96, 3), alpha=0.35, include_top=False, weights=None, pooling="avg"
)
assert base.name == "mobilenetv2_0.35_96"
assert base.count_params() == 410208
assert base.output.shape == (None, 1280)
names = [layer.name for layer in base.layers]
assert names[1:4] == ["Conv1", "bn_Conv1", "Conv1_relu"]
assert "block_16_project_BN" in names and names[-2:] == ["out_relu", "global_average_pooling2d"]
assert base.get_layer("block_1_pad").output.shape == (None, 49, 49, 48)

full = apps.MobileNetV2(weights=None)
assert full.count_params() == 3538984 and full.output.shape == (None, 1000)
assert full.get_layer("predictions").kernel.shape == (1280, 1000)
assert apps.MobileNet(weights=None).count_params() == 4253864

# preprocess_input: MobileNet scales to [-1, 1]; ResNet50 is BGR minus ImageNet's mean.
pixels = np.array([[[[0.0, 127.5, 255.0]]]], dtype="float32")
np.testing.assert_allclose(apps.mobilenet_v2.preprocess_input(pixels.copy()), [[[[-1, 0, 1]]]])
np.testing.assert_allclose(
    apps.resnet50.preprocess_input(pixels.copy()),
    [[[[255.0 - 103.939, 127.5 - 116.779, 0.0 - 123.68]]]],
    rtol=1e-6,
)

# Transfer learning: a frozen base and a new classifier.
tf.keras.utils.set_random_seed(0)
rng = np.random.default_rng(0)
images = rng.uniform(0, 255, size=(8, 96, 96, 3)).astype("float32")
labels = (images.mean(axis=(1, 2, 3)) > 127.5).astype("int32")
base.trainable = False
inputs = tf.keras.Input((96, 96, 3))
x = apps.mobilenet_v2.preprocess_input(inputs)
outputs = tf.keras.layers.Dense(2, activation="softmax")(base(x, training=False))
model = tf.keras.Model(inputs, outputs)
assert len(model.trainable_weights) == 2
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
history = model.fit(images, labels, epochs=2, batch_size=4, verbose=0)
assert len(history.history["loss"]) == 2
assert model.predict(images[:3], verbose=0).shape == (3, 2)

# Weights written by save_weights come back through weights=<path>.
base.save_weights("mobilenet.weights.h5")
again = apps.MobileNetV2(
    input_shape=(96, 96, 3),
    alpha=0.35,
    include_top=False,
    weights="mobilenet.weights.h5",
    pooling="avg",
)
np.testing.assert_allclose(
    again.predict(images[:4], verbose=0), base.predict(images[:4], verbose=0), rtol=1e-4, atol=1e-5
)
print("ok")
