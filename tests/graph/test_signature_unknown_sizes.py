"""tf.function with None sizes (input_signature, reduce_retracing, get_concrete_function
with TensorSpec([None])): one visible trace, ``x.shape`` with None inside it, TF 2.21's
signature texts. Checked against TensorFlow 2.21."""

import numpy as np
import pytest

import gpuflow as tf


def test_input_signature_with_none_traces_once_for_every_batch(capsys):
    seen = []

    @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)], reduce_retracing=True)
    def f(x):
        seen.append(tuple(x.shape))
        print("tracing", x.shape)
        return tf.reduce_sum(x, axis=1) * tf.cast(tf.shape(x)[0], tf.float32)

    for n in (1, 2, 5):
        np.testing.assert_allclose(f(tf.ones([n, 3])).numpy(), [3.0 * n] * n)
    assert f.experimental_get_tracing_count() == 1
    assert capsys.readouterr().out == "tracing (None, 3)\n"  # printed by one trace only
    assert seen[0] == (None, 3)
    cf = f.get_concrete_function()
    ((spec,), kwargs) = cf.structured_input_signature
    assert tuple(spec.shape) == (None, 3) and kwargs == {}
    assert tuple(cf.output_shapes) == (None,) and cf.output_dtypes == tf.float32
    np.testing.assert_allclose(cf(tf.ones([4, 3])).numpy(), [12.0] * 4)
    np.testing.assert_allclose(cf(x=tf.ones([2, 3])).numpy(), [6.0, 6.0])
    assert f.experimental_get_tracing_count() == 1


def test_reduce_retracing_second_trace_sees_none(capsys):
    @tf.function(reduce_retracing=True)
    def g(x):
        print("tracing", x.shape)
        return x * 2

    for n in (1, 2, 3, 4):
        np.testing.assert_allclose(g(tf.ones([n])).numpy(), [2.0] * n)
    assert g.experimental_get_tracing_count() == 2
    assert capsys.readouterr().out == "tracing (1,)\ntracing (None,)\n"


def test_concrete_function_with_none_serves_later_calls():
    @tf.function
    def f(x):
        return x + 1

    cf = f.get_concrete_function(tf.TensorSpec([None], tf.float32))
    np.testing.assert_allclose(f(tf.constant([1.0, 2.0, 3.0])).numpy(), [2.0, 3.0, 4.0])
    assert f.experimental_get_tracing_count() == 1
    assert tuple(cf.structured_input_signature[0][0].shape) == (None,)


def test_pretty_printed_signature_as_tensorflow():
    v = tf.Variable(1.0)

    @tf.function
    def f(x, flag=True, s="a"):
        return [x * v, None, 3, "z"]

    cf = f.get_concrete_function(tf.TensorSpec([2, None], tf.float32, name="inp"))
    spec = "TensorSpec(shape=(2, None), dtype=tf.float32, name="
    assert cf.pretty_printed_signature(verbose=False) == (
        f"(x: {spec}'inp'), flag: Literal[True], s: Literal['a']) -> List[{spec}None), "
        "Literal[None], TensorSpec(shape=(), dtype=tf.int32, name=None), "
        "TensorSpec(shape=(), dtype=tf.string, name=None)]"
    )
    lines = cf.pretty_printed_signature().split("\n")
    assert lines[:4] == [
        "Input Parameters:",
        f"  x (POSITIONAL_OR_KEYWORD): {spec}'inp')",
        "  flag (POSITIONAL_OR_KEYWORD): Literal[True]",
        "  s (POSITIONAL_OR_KEYWORD): Literal['a']",
    ]
    assert lines[5].startswith("  List[") and lines[6] == "Captures:"
    assert lines[7].endswith(": TensorSpec(shape=(), dtype=tf.resource, name=None)")
    assert repr(cf).startswith("<ConcreteFunction (x: ")

    @tf.function
    def h(p):
        return {"b": p, "a": (p, p)}

    h(tf.constant(1.0))
    h(tf.constant([1.0]))
    text = h.pretty_printed_concrete_signatures(verbose=False).split("\n")
    assert len(text) == 2 and text[0].endswith(
        "-> Dict[['b', TensorSpec(shape=(), dtype=tf.float32, name=None)], "
        "['a', Tuple[TensorSpec(shape=(), dtype=tf.float32, name=None), "
        "TensorSpec(shape=(), dtype=tf.float32, name=None)]]]"
    )
    assert "\n\nInput Parameters:" in h.pretty_printed_concrete_signatures()


def test_get_shape_shows_none_too():
    seen = []

    @tf.function(input_signature=[tf.TensorSpec([None, 2], tf.float32)])
    def f(x):
        seen.append((x.get_shape().as_list(), x.shape.as_list()))
        return tf.reshape(x, [-1])

    np.testing.assert_allclose(f(tf.ones([3, 2])).numpy(), [1.0] * 6)
    assert seen == [([None, 2], [None, 2])]


def test_one_signature_prints_once_and_function_spec():
    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def f(x, scale=2.0):
        return x * scale

    for n in (1, 2, 3):
        f(tf.ones([n]))
    assert f.pretty_printed_concrete_signatures(verbose=False) == (
        "(x: TensorSpec(shape=(None,), dtype=tf.float32, name=None), scale: Literal[2.0]) "
        "-> TensorSpec(shape=(None,), dtype=tf.float32, name=None)"
    )
    spec = f.function_spec
    assert spec.fullargspec.args == ["x", "scale"] and spec.fullargspec.defaults == (2.0,)
    assert spec.input_signature == (tf.TensorSpec([None], tf.float32),)
    assert spec.arg_names == ["x", "scale"] and spec.default_values == {"scale": 2.0}


def test_experimental_arguments_accepted_as_tensorflow():
    @tf.function(
        experimental_autograph_options=tf.autograph.experimental.Feature.EQUALITY_OPERATORS,
        experimental_implements="my_op",
        experimental_attributes={"api_implements": "x"},
        experimental_compile=True,
        experimental_follow_type_hints=True,
    )
    def g(x: tf.Tensor):
        return x + 1

    assert float(g(tf.constant(1.0))) == 2.0
    for v in (1.0, 2.0):
        g(v)  # follow_type_hints has no effect in TF 2.21 either: Python values retrace
    assert g.experimental_get_tracing_count() == 3
    with pytest.raises(ValueError, match="`a is not supported by tf.function as an attribute"):
        tf.function(lambda x: x, experimental_attributes={"a": 1})
    with pytest.raises(TypeError, match="experimental_autograph_options must be"):
        tf.function(lambda x: x, experimental_autograph_options="LISTS")
    assert [f.name for f in tf.autograph.experimental.Feature][:2] == ["ALL", "AUTO_CONTROL_DEPS"]


def test_printed_input_shows_none(capsys):
    @tf.function(input_signature=(tf.TensorSpec(shape=[None], dtype=tf.int32),))
    def next_collatz(x):
        print("Tracing with", x)
        return tf.where(x % 2 == 0, x // 2, 3 * x + 1)

    assert next_collatz(tf.constant([1, 2])).numpy().tolist() == [4, 1]
    assert next_collatz(tf.constant([1, 2, 3])).numpy().tolist() == [4, 1, 10]
    assert capsys.readouterr().out == 'Tracing with Tensor("x:0", shape=(None,), dtype=int32)\n'


def test_output_shapes_keep_known_sizes_that_match_the_batch():
    @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32)])
    def f(x):
        return tf.reduce_sum(x, axis=0), tf.reduce_sum(x, axis=1)

    f(tf.ones([3, 3]))  # the batch equals the feature size: that size stays known
    cf = f.get_concrete_function(tf.TensorSpec([None, 3], tf.float32))
    assert [s.as_list() for s in cf.output_shapes] == [[3], [None]]
