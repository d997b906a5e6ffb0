"""The "Using the SavedModel format" guide: a module without signatures, fine-tuned after
loading (tape.watched_variables + an optimizer), then saved with signatures made from
concrete functions of unknown rank and of shape [None]."""

import numpy as np
import tensorflow as tf


class CustomModule(tf.Module):
    def __init__(self):
        super().__init__()
        self.v = tf.Variable(1.0)

    @tf.function
    def __call__(self, x):
        return x * self.v

    @tf.function(input_signature=[tf.TensorSpec([], tf.float32)])
    def mutate(self, new_v):
        self.v.assign(new_v)


module = CustomModule()
module(tf.constant(0.0))
tf.saved_model.save(module, "module_no_signatures")
imported = tf.saved_model.load("module_no_signatures")
assert imported(tf.constant(3.0)).numpy() == 3
imported.mutate(tf.constant(2.0))
assert imported(tf.constant(3.0)).numpy() == 6

optimizer = tf.keras.optimizers.SGD(0.05)


def train_step():
    with tf.GradientTape() as tape:
        loss = (10.0 - imported(tf.constant(2.0))) ** 2
    variables = tape.watched_variables()
    grads = tape.gradient(loss, variables)
    optimizer.apply_gradients(zip(grads, variables))
    return loss


v, losses = 2.0, []
for _ in range(10):
    losses.append(float(train_step()))
    v = v - 0.05 * (-2 * 2.0 * (10.0 - 2.0 * v))  # the same SGD step by hand
    np.testing.assert_allclose(imported.v.numpy(), v, rtol=1e-5)
assert losses[0] == 36.0 and losses[-1] < 0.01 and abs(float(imported.v.numpy()) - 5.0) < 0.05

call = module.__call__.get_concrete_function(tf.TensorSpec(None, tf.float32))
tf.saved_model.save(module, "module_with_signature", signatures=call)
imported_with_signatures = tf.saved_model.load("module_with_signature")
assert list(imported_with_signatures.signatures.keys()) == ["serving_default"]
out = imported_with_signatures.signatures["serving_default"](
    x=tf.constant([[1.0, 2.0], [3.0, 4.0]])
)
np.testing.assert_allclose(out["output_0"].numpy(), [[1.0, 2.0], [3.0, 4.0]])

signatures = {
    "serving_default": call,
    "array_input": module.__call__.get_concrete_function(tf.TensorSpec([None], tf.float32)),
}
tf.saved_model.save(module, "module_with_multiple_signatures", signatures=signatures)
imported_multiple = tf.saved_model.load("module_with_multiple_signatures")
assert sorted(imported_multiple.signatures.keys()) == ["array_input", "serving_default"]
out = imported_multiple.signatures["array_input"](x=tf.constant([1.0, 2.0, 3.0]))
np.testing.assert_allclose(out["output_0"].numpy(), [1.0, 2.0, 3.0])
np.testing.assert_allclose(imported_multiple(tf.constant([[5.0]])).numpy(), [[5.0]])
print("saved_model_guide_finetune OK")
