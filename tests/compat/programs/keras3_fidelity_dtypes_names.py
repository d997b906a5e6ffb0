"""Keras 3 fidelity: dtypes print as strings, optimizers take snake-case names, and
optimizer variables carry Keras' names and paths."""

import numpy as np
import tensorflow as tf

tf.keras.backend.clear_session()  # automatic names count from here
inputs = tf.keras.Input((3,), name="x")
dense = tf.keras.layers.Dense(2, name="dense")
outputs = dense(inputs)
model = tf.keras.Model(inputs, outputs)

# KerasTensor dtypes are strings in Keras 3; both comparisons users write hold
for tensor in (inputs, outputs, model.inputs[0], model.outputs[0]):
    assert isinstance(tensor.dtype, str) and repr(tensor.dtype) == "'float32'", tensor.dtype
    assert tensor.dtype == "float32" and tensor.dtype == tf.float32
    assert tensor.dtype != "int32" and tensor.dtype != tf.int32
ints = tf.keras.Input((2,), dtype="int32")
assert ints.dtype == "int32" and ints.dtype == tf.int32
assert "dtype=int32" in repr(ints)
assert dense.dtype == "float32" and dense.compute_dtype == "float32"
assert dense.variable_dtype == "float32"
assert dense.kernel.dtype == "float32" and dense.kernel.dtype == tf.float32
mixed = tf.keras.layers.Dense(2, dtype="mixed_float16")
assert (mixed.compute_dtype, mixed.variable_dtype) == ("float16", "float32")

# default optimizer names: the class name in snake case, made unique
assert tf.keras.optimizers.Adam().name == "adam"
assert tf.keras.optimizers.Adam().name == "adam_1"
assert tf.keras.optimizers.RMSprop().name == "rm_sprop"
assert tf.keras.optimizers.AdamW().get_config()["name"] == "adam_w"
assert tf.keras.optimizers.SGD().get_config()["name"] == "sgd"
assert tf.keras.optimizers.SGD(name="my_sgd").name == "my_sgd"
assert tf.keras.optimizers.Nadam().name == "nadam"

# optimizer variables: names and paths as Keras builds them
opt = tf.keras.optimizers.Adam(name="opt")
opt.build(model.trainable_variables)
assert [v.path for v in opt.variables] == [
    "opt/iteration",
    "opt/learning_rate",
    "opt/dense_kernel_momentum",
    "opt/dense_kernel_velocity",
    "opt/dense_bias_momentum",
    "opt/dense_bias_velocity",
], [v.path for v in opt.variables]
assert [v.name for v in opt.variables][:3] == [
    "iteration",
    "learning_rate",
    "dense_kernel_momentum",
]
assert tuple(opt.variables[2].shape) == (3, 2)
sgd = tf.keras.optimizers.SGD(momentum=0.9, name="s")
sgd.build(model.trainable_variables)
assert [v.name for v in sgd.variables] == [
    "iteration",
    "learning_rate",
    "dense_kernel_momentum",
    "dense_bias_momentum",
]
rms = tf.keras.optimizers.RMSprop(momentum=0.5, centered=True, name="r")
rms.build([dense.kernel])
assert [v.name for v in rms.variables][2:] == [
    "dense_kernel_velocity",
    "dense_kernel_momentum",
    "dense_kernel_average_gradient",
]
ams = tf.keras.optimizers.Adam(amsgrad=True, name="a")
ams.build([dense.bias])
assert ams.variables[-1].path == "a/dense_bias_velocity_hat"

# after a training step the slots hold the state Keras' formulas give
model.compile(optimizer=tf.keras.optimizers.Adam(0.1, name="adam_fit"), loss="mse")
x = np.ones((4, 3), "float32")
y = np.zeros((4, 2), "float32")
model.fit(x, y, epochs=1, batch_size=4, verbose=0)
by_path = {v.path: v for v in model.optimizer.variables}
assert int(by_path["adam_fit/iteration"].numpy()) == 1
np.testing.assert_allclose(float(by_path["adam_fit/learning_rate"].numpy()), 0.1)
assert np.abs(by_path["adam_fit/dense_kernel_momentum"].numpy()).max() > 0
print("ok")
