# The Keras 3 guide "Transfer learning & fine-tuning": trainable vs non-trainable weights
# (Dense, BatchNormalization), trainable=False moving weights to non_trainable_weights and
# propagating to nested layers, a frozen base called with training=False so that its
# BatchNormalization stays in inference mode, a new head trained, then the base unfrozen,
# the model recompiled and fine-tuned at a very low learning rate. A small convolutional
# base "pretrained" on a source task stands in for Xception (no downloads).
import numpy as np
import tensorflow as tf
from tensorflow import keras

keras.utils.set_random_seed(13)
rng = np.random.default_rng(13)

# -- trainable attributes -------------------------------------------------------------
layer = keras.layers.Dense(3)
layer.build((None, 4))
assert len(layer.weights) == 2 and len(layer.trainable_weights) == 2
assert len(layer.non_trainable_weights) == 0
bn = keras.layers.BatchNormalization()
bn.build((None, 4))
assert len(bn.weights) == 4 and len(bn.trainable_weights) == 2
assert len(bn.non_trainable_weights) == 2
layer.trainable = False
assert len(layer.trainable_weights) == 0 and len(layer.non_trainable_weights) == 2

layer1 = keras.layers.Dense(3, activation="relu")
layer2 = keras.layers.Dense(3, activation="sigmoid")
model = keras.Sequential([keras.Input(shape=(3,)), layer1, layer2])
layer1.trainable = False
initial_layer1_weights_values = layer1.get_weights()
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.random((2, 3)), np.random.random((2, 3)), verbose=0)
final_layer1_weights_values = layer1.get_weights()
np.testing.assert_allclose(initial_layer1_weights_values[0], final_layer1_weights_values[0])
np.testing.assert_allclose(initial_layer1_weights_values[1], final_layer1_weights_values[1])

inner_model = keras.Sequential(
    [
        keras.Input(shape=(3,)),
        keras.layers.Dense(3, activation="relu"),
        keras.layers.Dense(3, activation="relu"),
    ]
)
model = keras.Sequential(
    [keras.Input(shape=(3,)), inner_model, keras.layers.Dense(3, activation="sigmoid")]
)
model.trainable = False
assert inner_model.trainable is False
assert inner_model.layers[0].trainable is False
assert len(model.trainable_weights) == 0 and len(model.non_trainable_weights) == 6

# -- a "pretrained" base ------------------------------------------------------------------
IMG = (16, 16, 3)


def make_images(n, kind):
    x = rng.random((n,) + IMG).astype("float32")
    y = rng.integers(0, 2, n)
    if kind == "source":  # source task: bright left half
        x[y == 1, :, :8] += 0.6
    else:  # target task: bright top half
        x[y == 1, :8] += 0.6
    return x, y


base_in = keras.Input(IMG)
h = keras.layers.Rescaling(scale=1 / 127.5, offset=-1)(base_in * 255.0)
h = keras.layers.Conv2D(8, 3, padding="same", use_bias=False)(h)
h = keras.layers.BatchNormalization()(h)
h = keras.layers.ReLU()(h)
h = keras.layers.Conv2D(8, 3, padding="same", strides=2, activation="relu")(h)
base_model = keras.Model(base_in, h, name="base")
pretrain = keras.Sequential(
    [base_model, keras.layers.GlobalAveragePooling2D(), keras.layers.Dense(2)]
)
pretrain.compile(
    optimizer=keras.optimizers.Adam(0.01),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
)
xs, ys = make_images(256, "source")
pretrain.fit(xs, ys, epochs=3, batch_size=32, verbose=0)

base_bn = [
    layer for layer in base_model.layers if isinstance(layer, keras.layers.BatchNormalization)
][0]
# -- freeze the base, new head --------------------------------------------------------
base_model.trainable = False
inputs = keras.Input(shape=IMG)
x = base_model(inputs, training=False)
x = keras.layers.GlobalAveragePooling2D()(x)
x = keras.layers.Dropout(0.2)(x)
outputs = keras.layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
assert len(model.trainable_weights) == 2  # only the new Dense
assert len(model.non_trainable_weights) == len(base_model.weights)

xt, yt = make_images(320, "target")
x_train, y_train, x_val, y_val = xt[:256], yt[:256], xt[256:], yt[256:]
model.compile(
    optimizer=keras.optimizers.Adam(0.02),
    loss=keras.losses.BinaryCrossentropy(from_logits=True),
    metrics=[keras.metrics.BinaryAccuracy()],
)
frozen_values = [w.numpy().copy() for w in base_model.weights]
moving_mean = base_bn.moving_mean.numpy().copy()
history = model.fit(
    x_train, y_train, epochs=10, batch_size=32, validation_data=(x_val, y_val), verbose=0
)
for before, w in zip(frozen_values, base_model.weights):
    np.testing.assert_array_equal(before, w.numpy())  # nothing in the base moved
top_acc = history.history["val_binary_accuracy"][-1]
assert top_acc > 0.8, history.history

# -- fine-tune the whole model at a low rate --------------------------------------------
base_model.trainable = True
assert len(base_model.trainable_weights) == 1 + 2 + 2  # conv kernel, BN gamma/beta, conv 2
# fit() calls the whole graph with training=True, and Keras 3 passes that to the base too:
# a BatchNormalization with trainable=False is what stays in inference mode
base_bn.trainable = False
assert len(base_model.trainable_weights) == 1 + 2
assert len(model.trainable_weights) == 2 + 3
model.compile(
    optimizer=keras.optimizers.Adam(1e-4),
    loss=keras.losses.BinaryCrossentropy(from_logits=True),
    metrics=[keras.metrics.BinaryAccuracy()],
)
assert np.isclose(float(model.optimizer.learning_rate), 1e-4)
first_conv = [layer for layer in base_model.layers if isinstance(layer, keras.layers.Conv2D)][0]
conv_kernel = first_conv.kernel.numpy().copy()
gamma = base_bn.gamma.numpy().copy()
history_ft = model.fit(
    x_train, y_train, epochs=3, batch_size=32, validation_data=(x_val, y_val), verbose=0
)
# the base's weights moved a little...
change = np.abs(first_conv.kernel.numpy() - conv_kernel).max()
assert 0 < change < 0.01, change
# ...but its frozen BatchNormalization ran in inference mode: its moving statistics and
# scale did not change
np.testing.assert_array_equal(base_bn.moving_mean.numpy(), moving_mean)
np.testing.assert_array_equal(base_bn.gamma.numpy(), gamma)
assert history_ft.history["val_binary_accuracy"][-1] >= top_acc - 0.05, history_ft.history

# training=True does not change a frozen BatchNormalization; a trainable one updates its
# statistics
base_model(tf.constant(x_train[:32]), training=True)
np.testing.assert_array_equal(base_bn.moving_mean.numpy(), moving_mean)
base_bn.trainable = True
base_model(tf.constant(x_train[:32]), training=True)
assert not np.allclose(base_bn.moving_mean.numpy(), moving_mean)
base_model(tf.constant(x_train[:32]), training=False)  # inference: no update
after = base_bn.moving_mean.numpy().copy()
base_model(tf.constant(x_train[:32]), training=False)
np.testing.assert_array_equal(base_bn.moving_mean.numpy(), after)
print("val accuracy: head", top_acc, "fine-tuned", history_ft.history["val_binary_accuracy"][-1])
