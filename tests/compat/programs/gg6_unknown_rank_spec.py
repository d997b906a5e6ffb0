"""tf.function with an unknown-rank TensorSpec: how the signature and outputs print."""

import tensorflow as tf

spec = tf.TensorSpec(tf.TensorShape(None), tf.float32, name="values")
assert repr(spec) == "TensorSpec(shape=<unknown>, dtype=tf.float32, name='values')", repr(spec)
assert spec == tf.TensorSpec(None, tf.float32, name="values")


@tf.function(input_signature=[tf.TensorSpec(shape=None, dtype=tf.float32)])
def summarize(values):
    return tf.reduce_max(values), values * 0.5, tf.shape(values)


peak, halves, dims = summarize(tf.constant([[1.0, 4.0, 2.0], [3.0, 0.0, 8.0]]))
assert float(peak) == 8.0 and halves.shape == (2, 3) and dims.numpy().tolist() == [2, 3]
text = summarize.pretty_printed_concrete_signatures(verbose=False)
assert text == (
    "(values: TensorSpec(shape=<unknown>, dtype=tf.float32, name=None)) -> "
    "Tuple[TensorSpec(shape=(), dtype=tf.float32, name=None), "
    "TensorSpec(shape=<unknown>, dtype=tf.float32, name=None), "
    "TensorSpec(shape=(None,), dtype=tf.int32, name=None)]"
), text
concrete = summarize.get_concrete_function(tf.ones((4,)))
shapes = concrete.output_shapes
assert shapes[0].rank == 0 and shapes[1].rank is None and shapes[2].as_list() == [None], shapes
(arg,), _ = concrete.structured_input_signature
assert "shape=<unknown>" in repr(arg), repr(arg)
assert summarize.experimental_get_tracing_count() == 1
print("ok")
