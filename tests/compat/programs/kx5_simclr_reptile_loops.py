# keras.io "Semi-supervised image classification using contrastive pretraining with SimCLR"
# and "Few-Shot learning with Reptile": a keras.Model whose compile() takes two optimizers
# and creates its own trackers, a metrics property, a train_step that unpacks a zip of an
# unlabeled and a labeled tf.data pipeline, applies the contrastive loss (l2-normalised
# projections, similarities over a temperature, sparse crossentropy both ways) with one
# optimizer and a linear probe's loss with the other, and a test_step reporting only the
# probe metrics; then Reptile's meta step: model.compile() with no arguments, an inner loop
# of GradientTape + SGD.apply_gradients on a repeated tf.data mini-task, and the weights
# moved part of the way with get_weights / set_weights; tf.argmax of predictions along axis 0.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(21)
rng = np.random.default_rng(21)
WIDTH = 8


def batches(n, size):
    x = rng.integers(0, 256, (n, 12, 12, 3)).astype("float32") / 255.0
    y = rng.integers(0, 4, n).astype("int64")
    return tf.data.Dataset.from_tensor_slices((x, y)).batch(size)


unlabeled, labeled = batches(12, 6), batches(4, 2)
train = tf.data.Dataset.zip((unlabeled, labeled))
spec = train.element_spec
assert spec[0][0].shape.as_list() == [None, 12, 12, 3] and spec[1][1].dtype == tf.int64


def encoder():
    return keras.Sequential(
        [
            layers.Conv2D(WIDTH, 3, strides=2, activation="relu"),
            layers.Flatten(),
            layers.Dense(WIDTH),
        ]
    )


class Contrastive(keras.Model):
    def __init__(self):
        super().__init__()
        self.encoder = encoder()
        self.head = keras.Sequential([keras.Input(shape=(WIDTH,)), layers.Dense(WIDTH)])
        self.probe = keras.Sequential([layers.Input(shape=(WIDTH,)), layers.Dense(4)])

    def compile(self, contrastive_optimizer, probe_optimizer, **kwargs):
        super().compile(**kwargs)
        self.contrastive_optimizer = contrastive_optimizer
        self.probe_optimizer = probe_optimizer
        self.probe_loss = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        self.c_loss = keras.metrics.Mean(name="c_loss")
        self.c_acc = keras.metrics.SparseCategoricalAccuracy(name="c_acc")
        self.p_loss = keras.metrics.Mean(name="p_loss")
        self.p_acc = keras.metrics.SparseCategoricalAccuracy(name="p_acc")

    @property
    def metrics(self):
        return [self.c_loss, self.c_acc, self.p_loss, self.p_acc]

    def contrastive_loss(self, a, b):
        a, b = tf.math.l2_normalize(a, axis=1), tf.math.l2_normalize(b, axis=1)
        sims = tf.matmul(a, b, transpose_b=True) / 0.1
        labels = tf.range(tf.shape(a)[0])
        self.c_acc.update_state(labels, sims)
        self.c_acc.update_state(labels, tf.transpose(sims))
        forward = keras.losses.sparse_categorical_crossentropy(labels, sims, from_logits=True)
        backward = keras.losses.sparse_categorical_crossentropy(
            labels, tf.transpose(sims), from_logits=True
        )
        return (forward + backward) / 2

    def train_step(self, data):
        (plain, _), (images, labels) = data
        both = tf.concat((plain, images), axis=0)
        noisy_1 = both + tf.random.normal(tf.shape(both), stddev=0.05)
        noisy_2 = both + tf.random.normal(tf.shape(both), stddev=0.05)
        with tf.GradientTape() as tape:
            loss = self.contrastive_loss(
                self.head(self.encoder(noisy_1, training=True)),
                self.head(self.encoder(noisy_2, training=True)),
            )
        # read after the first call: the encoder (no Input) creates its weights in it
        shared = self.encoder.trainable_weights + self.head.trainable_weights
        self.contrastive_optimizer.apply_gradients(zip(tape.gradient(loss, shared), shared))
        self.c_loss.update_state(loss)
        with tf.GradientTape() as tape:
            logits = self.probe(self.encoder(images, training=False), training=True)
            probe_loss = self.probe_loss(labels, logits)
        grads = tape.gradient(probe_loss, self.probe.trainable_weights)
        self.probe_optimizer.apply_gradients(zip(grads, self.probe.trainable_weights))
        self.p_loss.update_state(probe_loss)
        self.p_acc.update_state(labels, logits)
        return {m.name: m.result() for m in self.metrics}

    def test_step(self, data):
        images, labels = data
        logits = self.probe(self.encoder(images, training=False), training=False)
        self.p_loss.update_state(self.probe_loss(labels, logits))
        self.p_acc.update_state(labels, logits)
        return {m.name: m.result() for m in self.metrics[2:]}


model = Contrastive()
model.compile(
    contrastive_optimizer=keras.optimizers.Adam(), probe_optimizer=keras.optimizers.Adam()
)
history = model.fit(train, epochs=2, validation_data=labeled, verbose=0)
assert sorted(history.history) == ["c_acc", "c_loss", "p_acc", "p_loss", "val_p_acc", "val_p_loss"]
assert int(model.contrastive_optimizer.iterations) == 4
assert int(model.probe_optimizer.iterations) == 4
assert all(0.0 <= v <= 1.0 for v in history.history["c_acc"])
scores = model.evaluate(labeled, verbose=0, return_dict=True)
assert sorted(scores) == ["p_acc", "p_loss"]

# --- Reptile ---------------------------------------------------------------------------
inputs = layers.Input(shape=(12, 12, 3))
x = layers.ReLU()(
    layers.BatchNormalization()(layers.Conv2D(4, 3, strides=2, padding="same")(inputs))
)
learner = keras.Model(inputs, layers.Dense(3, activation="softmax")(layers.Flatten()(x)))
learner.compile()
sgd = keras.optimizers.SGD(learning_rate=0.01)
assert len(learner.get_weights()) == 2 + 4 + 2  # conv, batchnorm (with moving stats), dense

task = tf.data.Dataset.from_tensor_slices(
    (rng.uniform(size=(6, 12, 12, 3)).astype("float32"), np.repeat(np.arange(3), 2).astype("int32"))
)
task = task.shuffle(100).batch(3).repeat(2)
before = learner.get_weights()
for images, labels in task:
    with tf.GradientTape() as tape:
        loss = keras.losses.sparse_categorical_crossentropy(labels, learner(images))
    assert loss.shape == (3,)
    sgd.apply_gradients(
        zip(tape.gradient(loss, learner.trainable_weights), learner.trainable_weights)
    )
assert int(sgd.iterations) == 4
after = learner.get_weights()
step = 0.25
learner.set_weights([old + (new - old) * step for old, new in zip(before, after)])
for old, new, now in zip(before, after, learner.get_weights()):
    np.testing.assert_allclose(now, old + (new - old) * step, rtol=1e-5, atol=1e-7)
probs = learner.predict(rng.uniform(size=(3, 12, 12, 3)).astype("float32"), verbose=0)
picked = tf.argmax(probs).numpy()  # along axis 0: one row index per class
assert picked.shape == (3,) and picked.dtype == np.int64
assert ((picked >= 0) & (picked < 3)).all()


# The SimCLR train_step with the weight list read before the encoder's first call (the
# encoder has no Input, so its weights exist only after it): the optimizer, built on the
# projection head's weights alone, refuses the encoder's in the step that follows.
class EarlyRead(keras.Model):
    def __init__(self):
        super().__init__()
        self.encoder = encoder()
        self.head = keras.Sequential([keras.Input(shape=(WIDTH,)), layers.Dense(WIDTH)])

    def train_step(self, data):
        (plain, _), _ = data
        shared = self.encoder.trainable_weights + self.head.trainable_weights
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(self.head(self.encoder(plain)) ** 2)
        self.optimizer.apply_gradients(zip(tape.gradient(loss, shared), shared))
        return {"loss": loss}


early = EarlyRead()
early.compile(optimizer="adam")
try:
    early.fit(train, epochs=1, verbose=0)
    raise AssertionError("fit trained with a weight list missing the encoder's weights")
except ValueError as exc:
    assert "Unknown variable" in str(exc)
print("ok")
