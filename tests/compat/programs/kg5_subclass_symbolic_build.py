"""Keras 3 builds a subclassed model without build() by a symbolic run of call() before the
first real call: layers after a RandomCrop are built for the crop size it declares (which
training then feeds them), even when the first real call is at inference, where RandomCrop
passes the images through uncropped (keras.io's ShiftViT relies on it). Layers that create
sub-layers in __init__ have their weights as soon as a functional model is made."""

import numpy as np
import tensorflow as tf

keras = tf.keras
layers = keras.layers


class Residual(layers.Layer):
    """Sub-layers from __init__, no build()."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.inner = layers.Dense(units, activation="relu")
        self.outer = layers.Dense(units)

    def call(self, x):
        return x + self.outer(self.inner(x))


inp = keras.Input((6,))
out = layers.Dense(2)(Residual(6, name="res")(inp))
functional = keras.Model(inp, out)
assert functional.get_layer("res").built
assert len(functional.get_layer("res").weights) == 4
assert functional.count_params() == 2 * (6 * 6 + 6) + 6 * 2 + 2


class SizeKeeper(layers.Layer):
    """Keeps the spatial size it was built for and crops back to it in call."""

    def build(self, input_shape):
        self.height, self.width = input_shape[1], input_shape[2]
        self.mix = layers.Conv2D(4, 1)

    def call(self, x):
        x = tf.image.crop_to_bounding_box(x, 0, 0, self.height, self.width)
        return self.mix(x)


class Cropper(keras.Model):
    def __init__(self):
        super().__init__()
        self.augment = keras.Sequential([layers.Resizing(12, 12), layers.RandomCrop(8, 8)])
        self.keeper = SizeKeeper()
        self.pool = layers.GlobalAveragePooling2D()
        self.head = layers.Dense(3)

    def call(self, images):  # no training argument: the layers follow the call's context
        return self.head(self.pool(self.keeper(self.augment(images))))


images = np.random.default_rng(0).uniform(size=(4, 10, 10, 3)).astype("float32")
labels = np.array([0, 1, 2, 1])
model = Cropper()
first = model(images, training=False)  # RandomCrop leaves 12x12 images at inference
assert tuple(first.shape) == (4, 3)
assert (model.keeper.height, model.keeper.width) == (8, 8)  # from the symbolic run
assert tuple(model.keeper.mix.kernel.shape) == (1, 1, 3, 4)
model.compile(
    optimizer="adam",
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
)
history = model.fit(images, labels, batch_size=2, epochs=1, verbose=0)  # 8x8 crops
assert np.isfinite(history.history["loss"][0])
assert len(model.trainable_weights) == 4
print("ok")
