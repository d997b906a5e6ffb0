"""Better performance with tf.function: input_signature with None sizes and
reduce_retracing trace once for every size; the concrete function's signature, output
shapes, keyword calls and printed signature (TensorFlow 2.21)."""

import contextlib
import io

import numpy as np
import tensorflow as tf

traces = []


@tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)], reduce_retracing=True)
def scaled_sum(x):
    traces.append(x.shape.as_list())
    print("Tracing with", x.shape)
    return tf.reduce_sum(x, axis=1) * tf.cast(tf.shape(x)[0], tf.float32)


out = io.StringIO()
with contextlib.redirect_stdout(out):
    for n in (1, 2, 5):
        np.testing.assert_allclose(scaled_sum(tf.ones([n, 3])).numpy(), [3.0 * n] * n)
assert out.getvalue() == "Tracing with (None, 3)\n", out.getvalue()
assert scaled_sum.experimental_get_tracing_count() == 1
assert traces[0] == [None, 3]

cf = scaled_sum.get_concrete_function()
(spec,), kwargs = cf.structured_input_signature
assert spec.shape.as_list() == [None, 3] and spec.dtype == tf.float32 and kwargs == {}
assert cf.output_shapes.as_list() == [None] and cf.output_dtypes == tf.float32
np.testing.assert_allclose(cf(tf.ones([4, 3])).numpy(), [12.0] * 4)
np.testing.assert_allclose(cf(x=tf.ones([2, 3])).numpy(), [6.0, 6.0])
assert cf.pretty_printed_signature(verbose=False) == (
    "(x: TensorSpec(shape=(None, 3), dtype=tf.float32, name=None)) -> "
    "TensorSpec(shape=(None,), dtype=tf.float32, name=None)"
)
assert scaled_sum.experimental_get_tracing_count() == 1
try:
    scaled_sum(tf.ones([2, 4]))
    raise AssertionError("a call that does not fit the signature must fail")
except (TypeError, ValueError):
    pass


# reduce_retracing: the second shape traces once more with the size unknown
@tf.function(reduce_retracing=True)
def g(x):
    print("Tracing with", x.shape)
    return x * 2


out = io.StringIO()
with contextlib.redirect_stdout(out):
    for n in (1, 2, 3, 4):
        np.testing.assert_allclose(g(tf.ones([n])).numpy(), [2.0] * n)
assert out.getvalue() == "Tracing with (1,)\nTracing with (None,)\n", out.getvalue()
assert g.experimental_get_tracing_count() == 2


# a concrete function asked for with unknown sizes serves later calls
@tf.function
def add(x, y=2):
    return {"sum": x + y, "pair": (x, x * y)}


acf = add.get_concrete_function(tf.TensorSpec([None], tf.float32))
np.testing.assert_allclose(add(tf.constant([1.0, 2.0, 3.0]))["sum"].numpy(), [3.0, 4.0, 5.0])
assert add.experimental_get_tracing_count() == 1
shapes = acf.output_shapes
assert shapes["sum"].as_list() == [None] and shapes["pair"][1].as_list() == [None]
text = acf.pretty_printed_signature()
assert text.splitlines()[:3] == [
    "Input Parameters:",
    "  x (POSITIONAL_OR_KEYWORD): TensorSpec(shape=(None,), dtype=tf.float32, name=None)",
    "  y (POSITIONAL_OR_KEYWORD): Literal[2]",
], text
assert text.splitlines()[4].startswith("  Dict[['sum', TensorSpec(shape=(None,)")
assert "['pair', Tuple[" in text and text.splitlines()[-2:] == ["Captures:", "  None"]


@tf.function(experimental_relax_shapes=True, jit_compile=True)
def h(x):
    return x + 1


for n in (2, 3, 4):
    h(tf.ones([n]))
assert h.experimental_get_tracing_count() == 2
assert h.python_function(tf.constant(1.0)).numpy() == 2.0


# the guide's collatz example: one trace, the input printed with its None size
@tf.function(input_signature=(tf.TensorSpec(shape=[None], dtype=tf.int32),))
def next_collatz(x):
    print("Tracing with", x)
    return tf.where(x % 2 == 0, x // 2, 3 * x + 1)


out = io.StringIO()
with contextlib.redirect_stdout(out):
    assert next_collatz(tf.constant([1, 2])).numpy().tolist() == [4, 1]
    assert next_collatz(tf.constant([1, 2, 3, 4, 5])).numpy().tolist() == [4, 1, 10, 2, 16]
assert out.getvalue() == 'Tracing with Tensor("x:0", shape=(None,), dtype=int32)\n', out.getvalue()
try:
    next_collatz(tf.constant([[1, 2], [3, 4]]))
    raise AssertionError("a rank-2 input must not fit [None]")
except TypeError:
    pass

spec = scaled_sum.function_spec
assert spec.arg_names == ["x"] and spec.fullargspec.args == ["x"]
assert spec.input_signature == (tf.TensorSpec([None, 3], tf.float32),)
assert add.function_spec.default_values == {"y": 2}
assert scaled_sum.pretty_printed_concrete_signatures(verbose=False).count("\n") == 0


@tf.function
def constants():
    return 3, 2.5, "s", True, None


for _ in range(2):  # Python values come back as tensors, traced or replayed
    i, x, s, b, n = constants()
    assert i.dtype == tf.int32 and int(i) == 3 and x.dtype == tf.float32
    assert s.numpy() == b"s" and b.dtype == tf.bool and n is None
print("signature with None sizes ok")
