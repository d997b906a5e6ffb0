"""Keras 3 stateless APIs: Layer.stateless_call, keras.StatelessScope and the model state
tree (get_state_tree / set_state_tree), as backend-agnostic training code uses them."""

import keras
import numpy as np
from keras import ops

keras.utils.set_random_seed(5)
rng = np.random.RandomState(0)
x = rng.rand(8, 4).astype("float32")
y = rng.rand(8, 1).astype("float32")

inp = keras.Input((4,), name="features")
h = keras.layers.Dense(3, name="hidden")(inp)
h = keras.layers.BatchNormalization(name="norm")(h)
out = keras.layers.Dense(1, name="head")(h)
model = keras.Model(inp, out, name="net")

trainable = [ops.convert_to_tensor(v.numpy()) for v in model.trainable_variables]
non_trainable = [ops.convert_to_tensor(v.numpy()) for v in model.non_trainable_variables]
before = [v.numpy().copy() for v in model.non_trainable_variables]

# stateless_call in training mode: same output as a normal call, new BN statistics
# returned, the model's own variables untouched.
outputs, new_non_trainable = model.stateless_call(trainable, non_trainable, x, training=True)
assert len(new_non_trainable) == len(model.non_trainable_variables) == 2
for b, v in zip(before, model.non_trainable_variables):
    np.testing.assert_array_equal(b, v.numpy())
assert not np.allclose(ops.convert_to_numpy(new_non_trainable[0]), before[0])
np.testing.assert_allclose(outputs, model(x, training=True), rtol=1e-5, atol=1e-6)

# Other weights give another output; the model still holds its own.
doubled = [2.0 * t for t in trainable]
out2, _ = model.stateless_call(doubled, non_trainable, x)
expected_model = keras.models.clone_model(model)
for ref_var, value in zip(expected_model.trainable_variables, doubled):
    ref_var.assign(value)
for ref_var, value in zip(expected_model.non_trainable_variables, before):
    ref_var.assign(value)
np.testing.assert_allclose(out2, expected_model(x), rtol=1e-5, atol=1e-6)
np.testing.assert_allclose(model.trainable_variables[0].numpy(), ops.convert_to_numpy(trainable[0]))

# Attach the new state to the model.
for ref_var, value in zip(model.non_trainable_variables, new_non_trainable):
    ref_var.assign(value)
np.testing.assert_allclose(model.non_trainable_variables[0].numpy(), new_non_trainable[0])

# Wrong lists are refused with a clear message.
message = ""
try:
    model.stateless_call(trainable[:1], non_trainable, x)
except ValueError as err:
    message = str(err)
assert "trainable_variables" in message, message


# return_losses=True returns the losses added during the call.
class Penalized(keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], 2), initializer="ones")

    def call(self, inputs):
        self.add_loss(ops.sum(self.w))
        return ops.matmul(inputs, self.w)


layer = Penalized()
layer(x)
_, _, losses = layer.stateless_call([ops.zeros((4, 2))], [], x, return_losses=True)
assert len(losses) == 1
np.testing.assert_allclose(float(losses[0]), 0.0)

# An unbuilt layer cannot be called statelessly.
message = ""
try:
    keras.layers.Dense(2).stateless_call([], [], x)
except ValueError as err:
    message = str(err)
assert "built" in message, message

# StatelessScope: assignments inside are collected, not applied.
counter = keras.Variable(1.0, name="counter")
other = keras.Variable(np.zeros((2,), "float32"), name="other")
with keras.StatelessScope(state_mapping=[(counter, ops.convert_to_tensor(10.0))]) as scope:
    np.testing.assert_allclose(ops.convert_to_numpy(counter.value), 10.0)  # the mapped value
    counter.assign(counter.value + 1.0)
    other.assign(ops.ones((2,)))
np.testing.assert_allclose(counter.numpy(), 1.0)
np.testing.assert_allclose(other.numpy(), [0.0, 0.0])
np.testing.assert_allclose(scope.get_current_value(counter), 11.0)
np.testing.assert_allclose(scope.get_current_value(other), [1.0, 1.0])
assert scope.get_current_value(keras.Variable(3.0)) is None

message = ""
try:
    keras.StatelessScope(state_mapping=[(counter, ops.ones((3,)))])
except ValueError as err:
    message = str(err)
assert "shape" in message, message

# The state tree: variables nested by their paths.
model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse", metrics=["mae"])
model.fit(x, y, epochs=1, batch_size=4, verbose=0)
tree = model.get_state_tree()
assert sorted(tree) == [
    "metrics_variables",
    "non_trainable_variables",
    "optimizer_variables",
    "trainable_variables",
]
assert sorted(tree["trainable_variables"]) == ["head", "hidden", "norm"]
assert sorted(tree["trainable_variables"]["hidden"]) == ["bias", "kernel"]
assert sorted(tree["non_trainable_variables"]["norm"]) == ["moving_mean", "moving_variance"]
assert sorted(tree["metrics_variables"]["mean_absolute_error"]) == ["count", "total"]
adam = tree["optimizer_variables"]["adam"]
assert "iteration" in adam and "hidden_kernel_momentum" in adam, sorted(adam)
assert int(ops.convert_to_numpy(adam["iteration"])) == 2

as_numpy = model.get_state_tree(value_format="numpy_array")
kernel = as_numpy["trainable_variables"]["hidden"]["kernel"]
assert isinstance(kernel, np.ndarray)
np.testing.assert_array_equal(kernel, model.get_layer("hidden").kernel.numpy())

# set_state_tree writes values back (here: zero the head, restore the rest).
as_numpy["trainable_variables"]["head"]["kernel"] = np.zeros((3, 1), "float32")
as_numpy["trainable_variables"]["head"]["bias"] = np.full((1,), 0.5, "float32")
model.set_state_tree(as_numpy)
np.testing.assert_allclose(model.predict(x, verbose=0), np.full((8, 1), 0.5), rtol=1e-6)
np.testing.assert_array_equal(model.get_layer("hidden").kernel.numpy(), kernel)

message = ""
try:
    model.get_state_tree(value_format="list")
except ValueError as err:
    message = str(err)
assert "value_format" in message, message

print("keras3_stateless_state_tree: OK")
