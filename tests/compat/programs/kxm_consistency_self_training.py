# keras.io "Consistency training with supervision": clean/noisy pipelines shuffled with one seed
# and zipped, random_flip/resize/random_crop, save_weights naming, a teacher/student Model whose
# train_step reads zipped batches and uses compiled_metrics
import os
import tempfile
import warnings

import numpy as np
import tensorflow as tf
from tensorflow.keras import layers

tf.random.set_seed(42)
BATCH, CROP, RESIZE = 4, 16, 20
rng = np.random.default_rng(1)
images = rng.integers(0, 256, (12, 16, 16, 3)).astype("uint8")
labels = rng.integers(0, 10, (12, 1))


def augment(image, label, noisy=True):
    image = tf.image.random_flip_left_right(image)
    image = tf.image.resize(image, [RESIZE, RESIZE])
    image = tf.image.random_crop(image, [CROP, CROP, 3])
    if noisy:
        image = image + tf.random.normal(tf.shape(image), stddev=5.0)
    return image, label


base = tf.data.Dataset.from_tensor_slices((images, labels))
clean = (
    base.shuffle(40, seed=42)
    .map(lambda x, y: augment(x, y, noisy=False), num_parallel_calls=tf.data.AUTOTUNE)
    .batch(BATCH)
    .prefetch(tf.data.AUTOTUNE)
)
noisy = base.shuffle(40, seed=42).map(augment, num_parallel_calls=tf.data.AUTOTUNE).batch(BATCH)
val = base.map(lambda x, y: (tf.image.resize(x, [CROP, CROP]), y)).batch(BATCH)
pairs = tf.data.Dataset.zip((clean, noisy))

(clean_x, clean_y), (noisy_x, noisy_y) = next(iter(pairs))
assert clean_x.shape == (BATCH, CROP, CROP, 3) and clean_x.dtype == tf.float32
assert noisy_y.dtype == tf.int64
# one shuffle seed: both pipelines see the examples in the same order
np.testing.assert_array_equal(clean_y.numpy(), noisy_y.numpy())


def make_model():
    return tf.keras.Sequential(
        [
            layers.Input((CROP, CROP, 3)),
            layers.Rescaling(scale=1.0 / 127.5, offset=-1),
            layers.Conv2D(4, 3, activation="relu"),
            layers.GlobalAveragePooling2D(),
            layers.Dense(10),
        ]
    )


init = make_model()
folder = tempfile.mkdtemp()
try:
    init.save_weights(os.path.join(folder, "teacher_init.h5"))
except ValueError as err:
    assert ".weights.h5" in str(err)
else:
    raise AssertionError("save_weights should refuse a plain .h5 name under Keras 3")
init.save_weights(os.path.join(folder, "teacher_init.weights.h5"))
teacher = make_model()
teacher.load_weights(os.path.join(folder, "teacher_init.weights.h5"))
assert all(np.array_equal(a, b) for a, b in zip(teacher.get_weights(), init.get_weights()))
teacher.compile(
    optimizer="adam",
    loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
hist = teacher.fit(
    clean,
    epochs=1,
    validation_data=val,
    verbose=0,
    callbacks=[tf.keras.callbacks.ReduceLROnPlateau(patience=3)],
)
assert sorted(hist.history) == ["accuracy", "learning_rate", "loss", "val_accuracy", "val_loss"]


class SelfTrainer(tf.keras.Model):
    def __init__(self, student, teacher):
        super().__init__()
        self.student = student
        self.teacher = teacher

    def compile(self, optimizer, metrics, student_loss_fn, distillation_loss_fn, temperature=3):
        super().compile(optimizer=optimizer, metrics=metrics)
        self.student_loss_fn = student_loss_fn
        self.distillation_loss_fn = distillation_loss_fn
        self.temperature = temperature

    def train_step(self, data):
        (clean_images, _), (noisy_images, y) = data
        teacher_logits = self.teacher(clean_images, training=False)
        with tf.GradientTape() as tape:
            student_logits = self.student(noisy_images, training=True)
            hard = self.student_loss_fn(y, student_logits)
            soft = self.distillation_loss_fn(
                tf.nn.softmax(teacher_logits / self.temperature, axis=1),
                tf.nn.softmax(student_logits / self.temperature, axis=1),
            )
            total = (hard + soft) / 2
        weights = self.student.trainable_variables
        self.optimizer.apply_gradients(zip(tape.gradient(total, weights), weights))
        self.compiled_metrics.update_state(y, tf.nn.softmax(student_logits, axis=1))
        logs = {m.name: m.result() for m in self.metrics}
        logs.update({"total_loss": total})
        return logs

    def test_step(self, data):
        x, y = data
        self.compiled_metrics.update_state(
            y, tf.nn.softmax(self.student(x, training=False), axis=1)
        )
        return {m.name: m.result() for m in self.metrics}


trainer = SelfTrainer(student=make_model(), teacher=teacher)
trainer.compile(
    optimizer="adam",
    metrics=["accuracy"],
    student_loss_fn=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    distillation_loss_fn=tf.keras.losses.KLDivergence(),
    temperature=10,
)
teacher_before = [w.copy() for w in teacher.get_weights()]
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    hist = trainer.fit(pairs, epochs=1, validation_data=val, verbose=0)
    result = trainer.evaluate(val, verbose=0, return_dict=True)
assert sorted(hist.history) == ["accuracy", "loss", "total_loss", "val_accuracy", "val_loss"]
assert hist.history["total_loss"][0] > 0
assert all(np.array_equal(a, b) for a, b in zip(teacher_before, teacher.get_weights()))
assert sorted(result) == ["accuracy", "loss"] and 0.0 <= result["accuracy"] <= 1.0
print("ok")
