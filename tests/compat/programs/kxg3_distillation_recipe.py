# keras.io "Knowledge distillation recipes": a mixup + random-crop tf.data pipeline, a
# warmup-cosine LearningRateSchedule written with tf.cos / tf.where, AdamW with clipnorm
# driven by it, and a Distiller whose train_step only updates the student against a frozen
# teacher's softened predictions (KL divergence) and whose metrics property adds trackers.
import os

os.environ["KERAS_BACKEND"] = "tensorflow"

import keras
import numpy as np
import tensorflow as tf

rng = np.random.default_rng(4)
images = rng.integers(0, 255, (24, 20, 20, 3)).astype("uint8")
labels = rng.integers(0, 5, 24)


def crop_flip(image, label):
    image = tf.cast(image, tf.float32) / 255.0
    image = tf.image.resize(image, (16, 16))
    image = tf.image.random_crop(image, (12, 12, 3))
    return tf.image.random_flip_left_right(image), label


def center(image, label):
    image = tf.image.central_crop(tf.cast(image, tf.float32) / 255.0, central_fraction=0.875)
    return tf.image.resize(image, (12, 12)), label


def mix(batch, batch_labels):
    alpha = tf.random.uniform([], 0, 1)
    return alpha * batch + (1 - alpha) * tf.reverse(batch, axis=[0]), batch_labels


train = (
    tf.data.Dataset.from_tensor_slices((images, labels))
    .map(crop_flip, num_parallel_calls=tf.data.AUTOTUNE)
    .shuffle(32)
    .batch(8)
    .map(mix)
    .prefetch(tf.data.AUTOTUNE)
)
val = tf.data.Dataset.from_tensor_slices((images[:8], labels[:8])).map(center).batch(8)
batch, _ = next(iter(train))
assert batch.shape == (8, 12, 12, 3) and batch.dtype == tf.float32
assert float(tf.reduce_min(batch)) >= 0.0 and float(tf.reduce_max(batch)) <= 1.0


class WarmupCosine(keras.optimizers.schedules.LearningRateSchedule):
    def __init__(self, base, total, warmup_base, warmup):
        super().__init__()
        self.base, self.total, self.warmup_base, self.warmup = base, total, warmup_base, warmup
        self.pi = tf.constant(np.pi)

    def __call__(self, step):
        step_f = tf.cast(step, tf.float32)
        cosine = tf.cos(self.pi * (step_f - self.warmup) / float(self.total - self.warmup))
        lr = 0.5 * self.base * (1 + cosine)
        slope = (self.base - self.warmup_base) / self.warmup
        lr = tf.where(step < self.warmup, slope * step_f + self.warmup_base, lr)
        return tf.where(step > self.total, 0.0, lr, name="learning_rate")


schedule = WarmupCosine(base=0.004, total=20, warmup_base=0.0, warmup=4)
rates = [float(schedule(s)) for s in (0, 2, 4, 12, 20, 25)]
np.testing.assert_allclose(rates, [0.0, 0.002, 0.004, 0.002, 0.0, 0.0], atol=1e-7)
assert schedule(3).dtype == tf.float32


def small_net(name):
    return keras.Sequential(
        [
            keras.Input((12, 12, 3)),
            keras.layers.Conv2D(4, 3, activation="relu"),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(5),
        ],
        name=name,
    )


class Distiller(keras.Model):
    def __init__(self, student, teacher):
        super().__init__()
        self.student, self.teacher = student, teacher
        self.kl_tracker = keras.metrics.Mean(name="distillation_loss")
        self.acc = keras.metrics.SparseCategoricalAccuracy(name="acc")

    @property
    def metrics(self):
        found = super().metrics
        found.extend([self.kl_tracker, self.acc])
        return found

    def compile(self, optimizer, distillation_loss_fn, temperature=10):
        super().compile(optimizer=optimizer)
        self.kl, self.temperature = distillation_loss_fn, temperature

    def _soft(self, logits):
        return tf.nn.softmax(logits / self.temperature, axis=1)

    def train_step(self, data):
        x, _ = data
        teacher_logits = self.teacher(x, training=False)
        with tf.GradientTape() as tape:
            loss = self.kl(self._soft(teacher_logits), self._soft(self.student(x, training=True)))
        variables = self.student.trainable_variables
        self.optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
        self.kl_tracker.update_state(loss)
        return {"distillation_loss": self.kl_tracker.result()}

    def test_step(self, data):
        x, y = data
        student_logits = self.student(x, training=False)
        loss = self.kl(self._soft(self.teacher(x, training=False)), self._soft(student_logits))
        self.kl_tracker.update_state(loss)
        self.acc.update_state(y, student_logits)
        return {"distillation_loss": self.kl_tracker.result(), "acc": self.acc.result()}


teacher = small_net("teacher")
teacher.trainable = False
teacher_before = [w.numpy().copy() for w in teacher.weights]
student = small_net("student")
optimizer = keras.optimizers.AdamW(weight_decay=0.001, learning_rate=schedule, clipnorm=1.0)
distiller = Distiller(student, teacher)
distiller.compile(optimizer, keras.losses.KLDivergence(), temperature=10)
names = [m.name for m in distiller.metrics]
assert names[-2:] == ["distillation_loss", "acc"]
history = distiller.fit(train, validation_data=val, epochs=2, steps_per_epoch=3, verbose=0)
assert sorted(history.history) == ["distillation_loss", "val_acc", "val_distillation_loss"]
assert int(optimizer.iterations) == 6
np.testing.assert_allclose(float(optimizer.learning_rate), float(schedule(6)), rtol=1e-6)
for before, after in zip(teacher_before, teacher.weights):
    np.testing.assert_array_equal(before, after.numpy())  # the teacher stays frozen
student.compile(
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"]
)
loss, acc = student.evaluate(val, verbose=0)
assert np.isfinite(loss) and 0.0 <= acc <= 1.0
print("ok")
