# Keras 3's built-in knowledge distillation API (keras.distillation, Keras 3.12+): a
# Distiller of a frozen teacher and a smaller student with LogitsDistillation (a
# KLDivergence instance on temperature-softened softmax outputs) and FeatureDistillation
# between two named hidden layers, weighted; compile(loss=...) is the student's label loss.
import numpy as np
import tensorflow as tf
from tensorflow import keras

keras.utils.set_random_seed(14)
rng = np.random.default_rng(14)
x = rng.normal(size=(512, 12)).astype("float32")
y = np.argmax(x @ rng.normal(size=(12, 4)), axis=1)
x_train, y_train, x_test, y_test = x[:384], y[:384], x[384:], y[384:]

teacher = keras.Sequential(
    [
        keras.Input((12,)),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(16, activation="relu", name="teacher_features"),
        keras.layers.Dense(4, name="teacher_logits"),
    ],
    name="teacher",
)
teacher.compile(
    optimizer=keras.optimizers.Adam(0.01),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
teacher.fit(x_train, y_train, epochs=10, batch_size=32, verbose=0)
teacher_acc = teacher.evaluate(x_test, y_test, verbose=0)[1]
assert teacher_acc > 0.85, teacher_acc

student = keras.Sequential(
    [
        keras.Input((12,)),
        keras.layers.Dense(16, activation="relu", name="student_features"),
        keras.layers.Dense(4, name="student_logits"),
    ],
    name="student",
)
distiller = keras.distillation.Distiller(
    teacher=teacher,
    student=student,
    distillation_losses=[
        keras.distillation.LogitsDistillation(temperature=3.0, loss=keras.losses.KLDivergence()),
        keras.distillation.FeatureDistillation(
            loss="mse", teacher_layer_name="teacher_features", student_layer_name="student_features"
        ),
    ],
    distillation_loss_weights=[1.0, 0.05],
    student_loss_weight=0.2,
)
assert teacher.trainable is False  # the Distiller freezes its teacher
assert len(distiller.trainable_weights) == len(student.trainable_weights) == 4
distiller.compile(
    optimizer=keras.optimizers.Adam(0.01),
    loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
teacher_weights = [w.copy() for w in teacher.get_weights()]
history = distiller.fit(x_train, y_train, epochs=12, batch_size=32, verbose=0)
logs = history.history
assert set(logs) == {"loss", "accuracy", "student_loss", "distillation_loss", "total_loss"}, logs
np.testing.assert_allclose(logs["loss"], logs["total_loss"], rtol=1e-5)
assert logs["distillation_loss"][-1] < 0.5 * logs["distillation_loss"][0], logs
for before, after in zip(teacher_weights, teacher.get_weights()):
    np.testing.assert_array_equal(before, after)
results = distiller.evaluate(x_test, y_test, verbose=0, return_dict=True)
assert results["accuracy"] > 0.8, results
# the distiller predicts with the student
np.testing.assert_allclose(
    distiller.predict(x_test[:6], verbose=0),
    student.predict(x_test[:6], verbose=0),
    rtol=1e-5,
    atol=1e-6,
)

# the total loss of one batch, from its parts
xb, yb = tf.constant(x_test[:32]), y_test[:32]
t_logits, s_logits = teacher(xb), student(xb)
sce = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(yb, s_logits)
kd = keras.losses.KLDivergence()(tf.nn.softmax(t_logits / 3.0), tf.nn.softmax(s_logits / 3.0))
t_feat = keras.Model(teacher.inputs, teacher.get_layer("teacher_features").output)(xb)
s_feat = keras.Model(student.inputs, student.get_layer("student_features").output)(xb)
feat = tf.reduce_mean(tf.square(t_feat - s_feat))
expected = 0.2 * float(sce) + 0.8 * (9.0 * float(kd) + 0.05 * float(feat))
total = distiller.compute_loss(x=xb, y=yb, y_pred=s_logits)
np.testing.assert_allclose(float(total), expected, rtol=1e-4)

# LogitsDistillation with a KLDivergence instance: softmax of logits / T, times T ** 2
t = np.array([[2.0, 0.0, -1.0]], "float32")
s = np.array([[0.0, 1.0, 0.0]], "float32")
p = np.exp(t / 2.0) / np.exp(t / 2.0).sum()
q = np.exp(s / 2.0) / np.exp(s / 2.0).sum()
value = keras.distillation.LogitsDistillation(2.0, keras.losses.KLDivergence()).compute_loss(t, s)
np.testing.assert_allclose(float(value), 4.0 * np.sum(p * np.log(p / q)), rtol=1e-5)
fd = keras.distillation.FeatureDistillation(loss="mae")
np.testing.assert_allclose(float(fd.compute_loss(t, s)), np.mean(np.abs(t - s)), rtol=1e-6)
config = distiller.get_config()
assert config["student_loss_weight"] == 0.2 and config["distillation_loss_weights"] == [1.0, 0.05]
print("teacher", teacher_acc, "distilled student", results)
