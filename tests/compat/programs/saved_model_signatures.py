"""tf.saved_model signatures: the default serving signature, signatures= with concrete
functions and dicts of them, TensorFlow's output names (output_0, dict keys)."""

import numpy as np
import tensorflow as tf


class Scaler(tf.Module):
    def __init__(self):
        super().__init__()
        self.scale = tf.Variable([1.0, 2.0, 3.0])
        self.offset = tf.Variable(0.5)

    @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])
    def __call__(self, x):
        return x * self.scale + self.offset

    @tf.function
    def stats(self, x):
        y = x * self.scale
        return {"total": tf.reduce_sum(y, axis=-1), "peak": tf.reduce_max(y, axis=-1)}

    @tf.function
    def pair(self, x, y):
        return x + y, x * y


module = Scaler()
x = np.array([[1.0, 2.0, 3.0], [-1.0, 0.0, 4.0]], "float32")
scale = np.array([1.0, 2.0, 3.0], "float32")

# No signatures=: the one function with an input_signature serves as "serving_default".
tf.saved_model.save(module, "default_sig")
loaded = tf.saved_model.load("default_sig")
assert list(loaded.signatures.keys()) == ["serving_default"]
serve = loaded.signatures["serving_default"]
assert list(serve.structured_outputs) == ["output_0"]
assert serve.structured_outputs["output_0"].shape.as_list() == [None, 3]
out = serve(x=tf.constant(x))
assert list(out) == ["output_0"]
np.testing.assert_allclose(out["output_0"].numpy(), x * scale + 0.5, rtol=1e-6)
np.testing.assert_allclose(loaded(x[:1]).numpy(), x[:1] * scale + 0.5, rtol=1e-6)

# Explicit signatures: a dict of concrete functions, dict outputs keep their keys.
stats = module.stats.get_concrete_function(tf.TensorSpec([None, 3], tf.float32, name="x"))
pair = module.pair.get_concrete_function(
    tf.TensorSpec([None], tf.float32), tf.TensorSpec([None], tf.float32)
)
tf.saved_model.save(
    module, "explicit_sigs", signatures={"stats": stats, "pair": pair, "serving_default": stats}
)
loaded = tf.saved_model.load("explicit_sigs")
assert sorted(loaded.signatures.keys()) == ["pair", "serving_default", "stats"]
result = loaded.signatures["stats"](x=tf.constant(x))
assert sorted(result) == ["peak", "total"]
np.testing.assert_allclose(result["total"].numpy(), (x * scale).sum(-1), rtol=1e-6)
np.testing.assert_allclose(result["peak"].numpy(), (x * scale).max(-1), rtol=1e-6)
np.testing.assert_allclose(
    loaded.signatures["serving_default"](x=tf.constant(x[:1]))["total"].numpy(),
    (x[:1] * scale).sum(-1),
    rtol=1e-6,
)
a = tf.constant([1.0, 2.0, 3.0, 4.0])
b = tf.constant([2.0, 2.0, 0.5, -1.0])
both = loaded.signatures["pair"](x=a, y=b)
assert sorted(both) == ["output_0", "output_1"]
np.testing.assert_allclose(both["output_0"].numpy(), [3.0, 4.0, 3.5, 3.0])
np.testing.assert_allclose(both["output_1"].numpy(), [2.0, 4.0, 1.5, -4.0])
# The traced methods are attributes of the loaded object too.
np.testing.assert_allclose(loaded.stats(tf.constant(x))["total"].numpy(), (x * scale).sum(-1))
s, p = loaded.pair(a, b)
np.testing.assert_allclose(p.numpy(), [2.0, 4.0, 1.5, -4.0])

# A signature sees the loaded variables' current values.
loaded.scale.assign([0.0, 0.0, 1.0])
np.testing.assert_allclose(
    loaded.signatures["stats"](x=tf.constant(x))["total"].numpy(), x[:, 2], rtol=1e-6
)
print("saved_model_signatures OK")
