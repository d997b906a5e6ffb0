# keras.io "A Vision Transformer without Attention" (ShiftViT), shrunk: a subclassed model
# whose call() has no `training` argument wraps a Resizing / RandomCrop / RandomFlip /
# Rescaling pipeline and shift blocks built from tf.image.crop_to_bounding_box and
# pad_to_bounding_box; a Keras-2-style train_step with compiled_loss / compiled_metrics; a
# warmup-cosine LearningRateSchedule; model.export read back through TFSMLayer. Also the
# Keras 3 rules about `training` that the example depends on: fit / evaluate / predict pass
# it only to a call() that names it, and an explicit training=None reaches call() as None.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(3)
rng = np.random.default_rng(3)
IMAGE, CROP, PATCH, DIM, CLASSES = 8, 12, 4, 16, 5


class ShiftBlock(layers.Layer):
    """Shifts the first four channel groups by one pixel (left, right, up, down)."""

    def __init__(self, num_div=4, **kwargs):
        super().__init__(**kwargs)
        self.num_div = num_div
        self.norm = layers.LayerNormalization(epsilon=1e-5)
        self.mlp = keras.Sequential([layers.Dense(2 * DIM, activation="gelu"), layers.Dense(DIM)])

    def shift(self, x, oh, ow, th, tw):
        h, w = x.shape[1], x.shape[2]
        crop = tf.image.crop_to_bounding_box(x, oh, ow, h - th, w - tw)
        return tf.image.pad_to_bounding_box(crop, oh, ow, h, w)

    def call(self, x):
        parts = tf.split(x, num_or_size_splits=x.shape[-1] // self.num_div, axis=-1)
        parts[0] = self.shift(parts[0], 0, 0, 0, 1)  # left
        parts[1] = self.shift(parts[1], 0, 1, 0, 1)  # right
        parts[2] = self.shift(parts[2], 0, 0, 1, 0)  # up
        parts[3] = self.shift(parts[3], 1, 0, 1, 0)  # down
        x = tf.concat(parts, axis=-1)
        return x + self.mlp(self.norm(x))


class ShiftViT(keras.Model):
    def __init__(self, augmentation, **kwargs):
        super().__init__(**kwargs)
        self.augmentation = augmentation
        self.project = layers.Conv2D(DIM, PATCH, strides=PATCH, padding="same")
        self.block = ShiftBlock()
        self.norm = layers.BatchNormalization()
        self.pool = layers.GlobalAveragePooling2D()
        self.classifier = layers.Dense(CLASSES)

    def forward(self, images, training):
        x = self.project(self.augmentation(images, training=training))
        x = self.norm(self.block(x), training=training)
        return self.classifier(self.pool(x))

    def train_step(self, data):
        images, labels = data
        with tf.GradientTape() as tape:
            logits = self.forward(images, training=True)
            loss = self.compiled_loss(labels, logits)
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        self.compiled_metrics.update_state(labels, logits)
        return {m.name: m.result() for m in self.metrics}

    def call(self, images):  # no `training`: Keras' steps call it as self(x)
        x = self.project(self.augmentation(images))
        x = self.norm(self.block(x))
        return self.classifier(self.pool(x))


class WarmUpCosine(keras.optimizers.schedules.LearningRateSchedule):
    def __init__(self, lr_start, lr_max, warmup_steps, total_steps):
        super().__init__()
        self.lr_start, self.lr_max = lr_start, lr_max
        self.warmup_steps, self.total_steps = warmup_steps, total_steps

    def __call__(self, step):
        step = tf.cast(step, tf.float32)
        cosine = tf.cos(np.pi * (step - self.warmup_steps) / (self.total_steps - self.warmup_steps))
        lr = 0.5 * self.lr_max * (1 + cosine)
        slope = (self.lr_max - self.lr_start) / self.warmup_steps
        lr = tf.where(step < self.warmup_steps, slope * step + self.lr_start, lr)
        return tf.where(step > self.total_steps, 0.0, lr)

    def get_config(self):
        return {
            "lr_start": self.lr_start,
            "lr_max": self.lr_max,
            "warmup_steps": self.warmup_steps,
            "total_steps": self.total_steps,
        }


schedule = WarmUpCosine(0.0, 1e-3, warmup_steps=2, total_steps=6)
np.testing.assert_allclose(
    [float(schedule(s)) for s in range(8)],
    [
        0.0,
        5e-4,
        1e-3,
        0.5 * 1e-3 * (1 + np.cos(np.pi / 4)),
        5e-4,
        0.5 * 1e-3 * (1 + np.cos(3 * np.pi / 4)),
        0.0,
        0.0,
    ],
    atol=1e-7,
)

# RandomCrop in Keras 3: a random crop when training, the images unchanged otherwise
crop = layers.RandomCrop(CROP, CROP)
big = rng.random((2, CROP + 4, CROP + 4, 3)).astype("float32")
assert tuple(crop(big, training=True).shape) == (2, CROP, CROP, 3)
assert tuple(crop(big, training=False).shape) == (2, CROP + 4, CROP + 4, 3)
assert tuple(crop(big).shape) == (2, CROP, CROP, 3)  # omitted: call's default (training)
assert tuple(crop(big, training=None).shape) == (2, CROP + 4, CROP + 4, 3)  # passed as None

augmentation = keras.Sequential(
    [
        layers.Resizing(CROP + 4, CROP + 4),
        layers.RandomCrop(CROP, CROP),
        layers.RandomFlip("horizontal"),
        layers.Rescaling(1 / 255.0),
    ]
)
# a Sequential does not hand None on: its layers take their own default (crop)
assert tuple(augmentation(big * 255, training=None).shape) == (2, CROP, CROP, 3)
assert tuple(augmentation(big * 255, training=False).shape) == (2, CROP + 4, CROP + 4, 3)

model = ShiftViT(augmentation)
images = rng.integers(0, 256, (16, IMAGE, IMAGE, 3)).astype("float32")
labels = rng.integers(0, CLASSES, (16, 1))
assert tuple(model(images[:4]).shape) == (4, CLASSES)
model.compile(
    optimizer=keras.optimizers.AdamW(learning_rate=schedule, weight_decay=1e-4),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=[
        keras.metrics.SparseCategoricalAccuracy(name="accuracy"),
        keras.metrics.SparseTopKCategoricalAccuracy(3, name="top-3-accuracy"),
    ],
)
moving_before = model.norm.moving_mean.numpy().copy()
history = model.fit(images, labels, batch_size=8, epochs=2, verbose=0)
assert sorted(history.history) == ["accuracy", "loss", "top-3-accuracy"]
assert int(model.optimizer.iterations.numpy()) == 4
# train_step passed training=True itself: BatchNormalization learned the batch statistics
assert not np.allclose(model.norm.moving_mean.numpy(), moving_before)

# evaluate / predict call self(x): call() has no `training`, so nothing is passed; the
# augmentation layers take their default (True), and Keras' call context carries that on
# to the layers called after them in the same call: BatchNormalization updates even here
moving = model.norm.moving_mean.numpy().copy()
loss, acc, top3 = model.evaluate(images, labels, batch_size=8, verbose=0)
assert np.isfinite(loss) and 0.0 <= acc <= top3 <= 1.0
assert not np.allclose(model.norm.moving_mean.numpy(), moving)
assert tuple(model.predict(images[:3], verbose=0).shape) == (3, CLASSES)


class Probe(layers.Layer):
    def call(self, x, training=None):
        self.seen = training
        return x


class Augment(layers.Layer):  # as Keras' augmentation layers: call's default is True
    def call(self, x, training=True):
        self.seen = training
        return x


class Chain(keras.Model):
    def __init__(self):
        super().__init__()
        self.before, self.augment, self.after = Probe(), Augment(), Probe()
        self.frozen, self.later = Probe(), Probe()
        self.head = layers.Dense(1)

    def call(self, x):
        x = self.after(self.augment(self.before(x)))
        x = self.later(self.frozen(x, training=False))  # the False stays for `later`
        return self.head(x)


chain = Chain()
chain.compile(optimizer="sgd", loss="mse")


def seen():
    return [chain.before.seen, chain.augment.seen, chain.after.seen, chain.later.seen]


chain(images[:2, 0, 0])
assert seen() == [None, True, True, False]
chain(images[:2, 0, 0], training=True)
assert seen() == [True, True, True, False]
chain.fit(images[:4, 0, 0], labels[:4], epochs=1, verbose=0)  # self(x), not training=True
assert seen() == [None, True, True, False]
chain.predict(images[:2, 0, 0], verbose=0)
assert seen() == [None, True, True, False]

# export: any batch size; the served model runs the augmentation as model(x) does
model.export("shiftvit_export", verbose=False)
served = keras.layers.TFSMLayer("shiftvit_export", call_endpoint="serve")
inputs = keras.Input((IMAGE, IMAGE, 3))
reloaded = keras.Model(inputs, served(inputs))
out = reloaded.predict(images[:3], verbose=0)
assert out.shape == (3, CLASSES) and out.dtype == np.float32
assert np.all(np.isfinite(out))

# an exported model serves its augmentation layers as model(x) runs them (training mode)
turn = keras.Sequential(
    [keras.Input((4, 4, 1)), layers.RandomRotation((0.25, 0.25)), layers.RandomZoom((-0.5, -0.5))]
)
turn.export("turn_export", verbose=False)
square = np.arange(32, dtype="float32").reshape(2, 4, 4, 1)
loaded = tf.saved_model.load("turn_export")
served = loaded.serve(square).numpy()
np.testing.assert_allclose(served, turn(square).numpy(), atol=1e-4)
assert not np.allclose(served, square)
print("ok")
