"""Transfer learning & fine-tuning: the `trainable` attribute's semantics, BatchNormalization
in inference mode when frozen, recursive freezing, and recompiling after unfreezing."""

import keras
import numpy as np
from keras import layers

keras.utils.set_random_seed(4)
rng = np.random.RandomState(0)

# Layers & models have three weight attributes.
layer = layers.Dense(3)
layer.build((None, 4))
assert len(layer.weights) == 2 and len(layer.trainable_weights) == 2
assert len(layer.non_trainable_weights) == 0

bn = layers.BatchNormalization()
bn.build((None, 4))
assert len(bn.weights) == 4 and len(bn.trainable_weights) == 2
assert len(bn.non_trainable_weights) == 2

# Setting trainable to False moves all the layer's weights to non-trainable.
layer.trainable = False
assert len(layer.trainable_weights) == 0 and len(layer.non_trainable_weights) == 2

# Trainable weights of a frozen layer are not updated during training.
layer1 = layers.Dense(3, activation="relu")
layer2 = layers.Dense(3, activation="sigmoid")
model = keras.Sequential([keras.Input(shape=(3,)), layer1, layer2])
layer1.trainable = False
initial_layer1_weights_values = layer1.get_weights()
model.compile(optimizer="adam", loss="mse")
model.fit(rng.random((8, 3)), rng.random((8, 3)), verbose=0)
for before, after in zip(initial_layer1_weights_values, layer1.get_weights()):
    np.testing.assert_array_equal(before, after)

# Recursive setting of trainable: an inner model frozen freezes all its layers.
inner_model = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(3), layers.Dense(3)])
model = keras.Sequential([keras.Input(shape=(3,)), inner_model, layers.Dense(3)])
model.layers[0].trainable = False
assert inner_model.layers[0].trainable is False and inner_model.layers[1].trainable is False
assert len(model.trainable_weights) == 2

# A frozen BatchNormalization runs in inference mode, even when called with training=True:
# it uses (and does not update) its moving statistics.
bn = layers.BatchNormalization(momentum=0.5)
x = (rng.rand(16, 4) * 5 + 3).astype("float32")
bn(x, training=True)  # builds it and moves the statistics once
moving_mean = bn.moving_mean.numpy().copy()
assert not np.allclose(moving_mean, 0.0)
bn.trainable = False
out = bn(x, training=True)
np.testing.assert_array_equal(bn.moving_mean.numpy(), moving_mean)
expected = (x - moving_mean) / np.sqrt(bn.moving_variance.numpy() + bn.epsilon)
np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-4)
bn.trainable = True
out_train = bn(x, training=True)
np.testing.assert_allclose(np.mean(out_train, axis=0), np.zeros(4), atol=1e-4)

# The typical workflow: a frozen base model called with training=False, a new head.
base_model = keras.Sequential(
    [keras.Input((8,)), layers.Dense(6), layers.BatchNormalization(), layers.Activation("relu")],
    name="base",
)
base_model.trainable = False
inputs = keras.Input(shape=(8,))
h = base_model(inputs, training=False)
outputs = layers.Dense(1)(h)
model = keras.Model(inputs, outputs)
assert len(model.trainable_weights) == 2
assert len(model.non_trainable_weights) == len(base_model.weights) == 6
data = rng.rand(32, 8).astype("float32")
target = data.sum(1, keepdims=True)
base_before = [w.copy() for w in base_model.get_weights()]
model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
model.fit(data, target, epochs=2, batch_size=8, verbose=0)
for before, after in zip(base_before, base_model.get_weights()):
    np.testing.assert_array_equal(before, after)

# Fine-tuning: unfreeze, recompile (so the change is taken into account), train at a low
# rate. (In Keras 3.15 fit's training=True reaches the base model's layers although the
# graph recorded training=False, so the moving statistics move too.)
base_model.trainable = True
assert len(model.trainable_weights) == 2 + 4
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
model.fit(data, target, epochs=1, batch_size=8, verbose=0)
after = base_model.get_weights()
assert not np.allclose(after[0], base_before[0])  # dense kernel learns
assert not np.allclose(after[2], base_before[2])  # gamma learns
assert not np.allclose(after[4], base_before[4])  # moving mean updated

# trainable is part of the config and survives saving.
frozen = layers.Dense(2, trainable=False)
assert frozen.get_config()["trainable"] is False
model = keras.Sequential([keras.Input((3,)), frozen])
model.save("frozen.keras")
loaded = keras.models.load_model("frozen.keras")
assert loaded.layers[0].trainable is False and loaded.trainable_weights == []

print("guide_transfer_freezing_semantics: OK")
