# keras.io "Knowledge Distillation" (Keras 3 version): a Distiller keras.Model overriding
# compile / compute_loss / call; student loss on hard labels plus a KLDivergence between
# temperature-softened teacher and student softmax outputs (x passed to compute_loss).
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(1)
rng = np.random.default_rng(1)
x = rng.normal(size=(512, 16)).astype("float32")
w = rng.normal(size=(16, 4)).astype("float32")
y = np.argmax(x @ w, axis=1).astype("int64")
x_train, y_train, x_test, y_test = x[:384], y[:384], x[384:], y[384:]


class Distiller(keras.Model):
    def __init__(self, student, teacher):
        super().__init__()
        self.teacher = teacher
        self.student = student

    def compile(
        self, optimizer, metrics, student_loss_fn, distillation_loss_fn, alpha=0.1, temperature=3
    ):
        super().compile(optimizer=optimizer, metrics=metrics)
        self.student_loss_fn = student_loss_fn
        self.distillation_loss_fn = distillation_loss_fn
        self.alpha = alpha
        self.temperature = temperature

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, allow_empty=False):
        teacher_pred = self.teacher(x, training=False)
        student_loss = self.student_loss_fn(y, y_pred)
        distillation_loss = self.distillation_loss_fn(
            tf.nn.softmax(teacher_pred / self.temperature, axis=1),
            tf.nn.softmax(y_pred / self.temperature, axis=1),
        ) * (self.temperature**2)
        return self.alpha * student_loss + (1 - self.alpha) * distillation_loss

    def call(self, x):
        return self.student(x)


teacher = keras.Sequential(
    [keras.Input(shape=(16,)), layers.Dense(64, activation="relu"), layers.Dense(4)],
    name="teacher",
)
student = keras.Sequential(
    [keras.Input(shape=(16,)), layers.Dense(8, activation="relu"), layers.Dense(4)],
    name="student",
)
student_scratch = keras.models.clone_model(student)
assert student_scratch.name == "student"
assert len(student_scratch.weights) == 4

teacher.compile(
    optimizer=keras.optimizers.Adam(0.01),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=[keras.metrics.SparseCategoricalAccuracy()],
)
teacher.fit(x_train, y_train, epochs=8, batch_size=32, verbose=0)
teacher_acc = teacher.evaluate(x_test, y_test, verbose=0)[1]
assert teacher_acc > 0.85, teacher_acc

teacher.trainable = False  # the teacher's logits reach the loss: freeze it
distiller = Distiller(student=student, teacher=teacher)
distiller.compile(
    optimizer=keras.optimizers.Adam(0.01),
    metrics=[keras.metrics.SparseCategoricalAccuracy()],
    student_loss_fn=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    distillation_loss_fn=keras.losses.KLDivergence(),
    alpha=0.1,
    temperature=3,
)
history = distiller.fit(x_train, y_train, epochs=12, batch_size=32, verbose=0)
assert set(history.history) == {"loss", "sparse_categorical_accuracy"}, history.history
losses = history.history["loss"]
assert losses[-1] < 0.5 * losses[0], losses
# only the student was trained
assert len(distiller.trainable_weights) == len(student.trainable_weights) == 4
assert len(distiller.weights) == 8
results = distiller.evaluate(x_test, y_test, verbose=0, return_dict=True)
assert results["sparse_categorical_accuracy"] > 0.75, results
assert set(results) == {"loss", "sparse_categorical_accuracy"}, results
assert results["loss"] > 0.0
# the distiller's call is the student's call
np.testing.assert_allclose(
    distiller.predict(x_test[:5], verbose=0),
    student.predict(x_test[:5], verbose=0),
    rtol=1e-5,
    atol=1e-6,
)
# the teacher was not trained by the distiller
np.testing.assert_allclose(teacher.evaluate(x_test, y_test, verbose=0)[1], teacher_acc)

# KLDivergence against a hand computation
p = np.array([[0.2, 0.3, 0.5]], "float32")
q = np.array([[0.25, 0.25, 0.5]], "float32")
kl = keras.losses.KLDivergence()(p, q)
np.testing.assert_allclose(float(kl), np.sum(p * np.log(p / q)), rtol=1e-5)

student_scratch.compile(
    optimizer=keras.optimizers.Adam(0.01),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=[keras.metrics.SparseCategoricalAccuracy()],
)
student_scratch.fit(x_train, y_train, epochs=8, batch_size=32, verbose=0)
scratch_acc = student_scratch.evaluate(x_test, y_test, verbose=0)[1]
assert scratch_acc > 0.6, scratch_acc
print("teacher", teacher_acc, "distilled", results, "scratch", scratch_acc)
