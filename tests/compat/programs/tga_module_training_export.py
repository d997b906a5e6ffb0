"""Introduction to modules and basic training loops: a tf.Module model with submodules and
a non-trainable variable, a tf.function training step, a checkpoint with delayed restore
and partial reads, and a SavedModel of the module served through its signature."""

import os

import numpy as np
import tensorflow as tf

tf.random.set_seed(11)
TRUE_W = np.array([[2.0], [-3.0]], np.float32)
TRUE_B = 0.5
xs = tf.random.stateless_normal([256, 2], seed=[1, 1])
ys = xs @ TRUE_W + TRUE_B + 0.01 * tf.random.stateless_normal([256, 1], seed=[2, 2])


class Linear(tf.Module):
    def __init__(self, units_in, units_out, name=None):
        super().__init__(name=name)
        self.w = tf.Variable(tf.zeros([units_in, units_out]), name="w")
        self.b = tf.Variable(tf.zeros([units_out]), name="b")

    def __call__(self, x):
        return x @ self.w + self.b


class Regressor(tf.Module):
    def __init__(self, name=None):
        super().__init__(name=name)
        self.linear = Linear(2, 1, name="linear")
        self.steps = tf.Variable(0, trainable=False, name="steps")

    @tf.function(input_signature=[tf.TensorSpec([None, 2], tf.float32)])
    def __call__(self, x):
        return self.linear(x)


model = Regressor(name="regressor")
assert [type(m).__name__ for m in model.submodules] == ["Linear"]
assert len(model.variables) == 3 and len(model.trainable_variables) == 2
assert sorted(v.name for v in model.trainable_variables) == ["b:0", "w:0"]


@tf.function
def train_step(x, y, learning_rate):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(model(x) - y))
    grads = tape.gradient(loss, model.trainable_variables)
    for v, g in zip(model.trainable_variables, grads):
        v.assign_sub(learning_rate * g)
    model.steps.assign_add(1)
    return loss


first_loss = None
for epoch in range(60):
    for i in range(0, 256, 64):
        loss = train_step(xs[i : i + 64], ys[i : i + 64], tf.constant(0.1))
        first_loss = first_loss if first_loss is not None else float(loss)
assert int(model.steps) == 240
assert float(loss) < 0.01 < first_loss
np.testing.assert_allclose(model.linear.w.numpy(), TRUE_W, atol=0.05)
np.testing.assert_allclose(model.linear.b.numpy(), [TRUE_B], atol=0.05)
assert train_step.experimental_get_tracing_count() == 1

# Checkpoint: write, then restore into a fresh model and into one built later.
ckpt_path = tf.train.Checkpoint(model=model).write(os.path.join("ckpt", "regressor"))
names = dict(tf.train.list_variables(ckpt_path))
assert names["model/linear/w/.ATTRIBUTES/VARIABLE_VALUE"] == [2, 1]
assert names["model/steps/.ATTRIBUTES/VARIABLE_VALUE"] == []
fresh = Regressor()
tf.train.Checkpoint(model=fresh).read(ckpt_path).assert_consumed()
np.testing.assert_array_equal(fresh.linear.w.numpy(), model.linear.w.numpy())
assert int(fresh.steps) == 240


class Later(tf.Module):
    pass


later = Later()
status = tf.train.Checkpoint(model=later).read(ckpt_path)
later.steps = tf.Variable(0, trainable=False)  # restored when it is attached
assert int(later.steps) == 240
status.expect_partial()
stored_w = tf.train.load_variable(ckpt_path, "model/linear/w/.ATTRIBUTES/VARIABLE_VALUE")
np.testing.assert_array_equal(stored_w, model.linear.w.numpy())

# SavedModel: the traced __call__ and its serving signature survive without the class.
tf.saved_model.save(model, "saved_regressor")
loaded = tf.saved_model.load("saved_regressor")
probe = tf.constant([[1.0, 1.0], [0.0, 2.0], [3.0, -1.0]])
np.testing.assert_allclose(loaded(probe).numpy(), model(probe).numpy(), rtol=1e-6)
serving = loaded.signatures["serving_default"]
out = serving(x=probe)
assert list(out) == ["output_0"]
np.testing.assert_allclose(out["output_0"].numpy(), model(probe).numpy(), rtol=1e-6)
# The loaded variables are live: assigning one changes what the function computes.
loaded.linear.b.assign([10.0])
np.testing.assert_allclose(
    loaded(probe).numpy(), (probe @ model.linear.w + 10.0).numpy(), rtol=1e-6
)
print("tga_module_training_export OK")
