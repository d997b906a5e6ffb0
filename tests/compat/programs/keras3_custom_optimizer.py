# A Keras 3 style custom optimizer: build() with add_variable_from_reference,
# update_step() with assign / assign_sub, used with fit and in a custom loop, and checked
# against the same rule computed by hand.
import keras
import numpy as np
from keras import ops


class MomentumSGD(keras.optimizers.Optimizer):
    def __init__(self, learning_rate=0.1, momentum=0.9, name="momentum_sgd", **kwargs):
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.momentum = momentum

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self.velocities = [self.add_variable_from_reference(v, "velocity") for v in var_list]

    def update_step(self, gradient, variable, learning_rate):
        lr = ops.cast(learning_rate, variable.dtype)
        v = self.velocities[self._get_variable_index(variable)]
        self.assign(v, self.momentum * v + gradient)
        self.assign_sub(variable, lr * v)

    def get_config(self):
        config = super().get_config()
        config.update({"momentum": self.momentum})
        return config


keras.utils.set_random_seed(0)
opt = MomentumSGD(learning_rate=0.1, momentum=0.5)
w = keras.Variable(np.array([1.0, -2.0], dtype="float32"))
assert not opt.built
expected_w, expected_v = np.array([1.0, -2.0]), np.zeros(2)
for step in range(3):
    grad = np.array([0.5, 1.0 + step], dtype="float32")
    opt.apply_gradients([(keras.ops.convert_to_tensor(grad), w)])
    expected_v = 0.5 * expected_v + grad
    expected_w = expected_w - 0.1 * expected_v
    np.testing.assert_allclose(w.numpy(), expected_w, rtol=1e-6)
assert opt.built and int(opt.iterations.numpy()) == 3
assert len(opt.velocities) == 1
np.testing.assert_allclose(opt.velocities[0].numpy(), expected_v, rtol=1e-6)
assert opt.get_config()["momentum"] == 0.5

rng = np.random.default_rng(0)
x = rng.normal(size=(256, 4)).astype("float32")
y = x @ np.array([[1.0], [-2.0], [0.5], [3.0]], dtype="float32") + 1.0
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1)])
model.compile(optimizer=MomentumSGD(learning_rate=0.02, momentum=0.9), loss="mse")
history = model.fit(x, y, batch_size=32, epochs=20, verbose=0)
assert history.history["loss"][-1] < 1e-3, history.history["loss"][-3:]
np.testing.assert_allclose(model.layers[0].kernel.numpy()[:, 0], [1.0, -2.0, 0.5, 3.0], atol=0.02)
assert len(model.optimizer.velocities) == 2
