# keras.io "Knowledge Distillation" (the TF 2 version): a Distiller keras.Model whose compile()
# takes student_loss_fn, distillation_loss_fn, alpha and temperature, a train_step that runs
# the frozen teacher forward, computes the student loss and the KL divergence of the
# temperature-softened softmaxes (scaled by T**2) under a GradientTape, applies gradients to
# the student's trainable variables only, updates the compiled metrics with
# self.compiled_metrics.update_state and returns {m.name: m.result()}, and a test_step.
# Convolutional teacher and student on synthetic 8x8 images of 4 classes.
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

keras.utils.set_random_seed(4)
rng = np.random.default_rng(4)
N, S, C = 400, 8, 4
prototypes = rng.random((C, S, S, 1)).astype("float32")
labels = rng.integers(0, C, N)
x = prototypes[labels] + 0.35 * rng.normal(size=(N, S, S, 1)).astype("float32")
x_train, y_train, x_test, y_test = x[:320], labels[:320], x[320:], labels[320:]


class Distiller(keras.Model):
    def __init__(self, student, teacher):
        super().__init__()
        self.teacher = teacher
        self.student = student

    def compile(
        self,
        optimizer,
        metrics,
        student_loss_fn,
        distillation_loss_fn,
        alpha=0.1,
        temperature=3,
    ):
        super().compile(optimizer=optimizer, metrics=metrics)
        self.student_loss_fn = student_loss_fn
        self.distillation_loss_fn = distillation_loss_fn
        self.alpha = alpha
        self.temperature = temperature
        self.student_loss_tracker = keras.metrics.Mean(name="student_loss")
        self.distillation_loss_tracker = keras.metrics.Mean(name="distillation_loss")

    @property
    def metrics(self):
        return [self.student_loss_tracker, self.distillation_loss_tracker, self.accuracy]

    def train_step(self, data):
        x, y = data
        teacher_predictions = self.teacher(x, training=False)
        with tf.GradientTape() as tape:
            student_predictions = self.student(x, training=True)
            student_loss = self.student_loss_fn(y, student_predictions)
            distillation_loss = self.distillation_loss_fn(
                tf.nn.softmax(teacher_predictions / self.temperature, axis=1),
                tf.nn.softmax(student_predictions / self.temperature, axis=1),
            ) * (self.temperature**2)
            loss = self.alpha * student_loss + (1 - self.alpha) * distillation_loss
        trainable_vars = self.student.trainable_variables
        gradients = tape.gradient(loss, trainable_vars)
        self.optimizer.apply_gradients(zip(gradients, trainable_vars))
        self.student_loss_tracker.update_state(student_loss)
        self.distillation_loss_tracker.update_state(distillation_loss)
        self.accuracy.update_state(y, student_predictions)
        return {m.name: m.result() for m in self.metrics}

    def test_step(self, data):
        x, y = data
        y_prediction = self.student(x, training=False)
        student_loss = self.student_loss_fn(y, y_prediction)
        self.student_loss_tracker.update_state(student_loss)
        self.accuracy.update_state(y, y_prediction)
        return {
            "student_loss": self.student_loss_tracker.result(),
            "accuracy": self.accuracy.result(),
        }

    def call(self, x):
        return self.student(x)


def conv_net(filters, name):
    return keras.Sequential(
        [
            keras.Input(shape=(S, S, 1)),
            layers.Conv2D(filters, 3, strides=2, padding="same"),
            layers.LeakyReLU(negative_slope=0.2),
            layers.Conv2D(filters, 3, padding="same"),
            layers.GlobalMaxPooling2D(),
            layers.Dense(C),
        ],
        name=name,
    )


teacher = conv_net(32, "teacher")
student = conv_net(8, "student")
student_scratch = keras.models.clone_model(student)

teacher.compile(
    optimizer=keras.optimizers.Adam(0.01),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=[keras.metrics.SparseCategoricalAccuracy()],
)
teacher.fit(x_train, y_train, epochs=8, batch_size=32, verbose=0)
teacher_acc = teacher.evaluate(x_test, y_test, verbose=0)[1]
assert teacher_acc > 0.9, teacher_acc
teacher_weights = [w.numpy().copy() for w in teacher.weights]

distiller = Distiller(student=student, teacher=teacher)
distiller.accuracy = keras.metrics.SparseCategoricalAccuracy(name="accuracy")
distiller.compile(
    optimizer=keras.optimizers.Adam(0.01),
    metrics=None,
    student_loss_fn=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    distillation_loss_fn=keras.losses.KLDivergence(),
    alpha=0.1,
    temperature=10,
)
history = distiller.fit(x_train, y_train, epochs=10, batch_size=32, verbose=0)
assert set(history.history) == {"student_loss", "distillation_loss", "accuracy"}, history.history
d = history.history["distillation_loss"]
assert d[-1] < 0.5 * d[0], d
# the teacher did not move; the student did
for before, after in zip(teacher_weights, teacher.weights):
    np.testing.assert_array_equal(before, after.numpy())
results = distiller.evaluate(x_test, y_test, verbose=0, return_dict=True)
assert set(results) == {"student_loss", "accuracy"}, results
print("distilled student", results)
assert results["accuracy"] > 0.85, results

# the student's predictions follow the teacher's, and its softened distribution is closer to
# the teacher's than a uniform guess is
t_logits = teacher.predict(x_test, verbose=0)
s_logits = distiller.predict(x_test, verbose=0)
np.testing.assert_allclose(s_logits, student.predict(x_test, verbose=0), rtol=1e-5, atol=1e-5)
assert (t_logits.argmax(1) == s_logits.argmax(1)).mean() > 0.85
t_soft = tf.nn.softmax(t_logits / 10.0).numpy()
kl = float(keras.losses.KLDivergence()(t_soft, tf.nn.softmax(s_logits / 10.0)))
uniform = float(keras.losses.KLDivergence()(t_soft, np.full_like(t_soft, 1.0 / C)))
print("KL to teacher", kl, "uniform", uniform)
assert kl < 0.5 * uniform, (kl, uniform)
