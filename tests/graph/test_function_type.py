"""ConcreteFunction.function_type, inference_fn, flat calls and the dtype error of a
concrete call, as TensorFlow 2.21 (guide/function.ipynb)."""

import inspect

import pytest

import gpuflow as gf
from gpuflow import TensorSpec


def _double():
    @gf.function
    def double(a):
        return a + a

    return double.get_concrete_function(TensorSpec([], gf.string))


def test_function_type_prints_one_line_and_block():
    cf = _double()
    spec = "TensorSpec(shape=(), dtype=tf.string, name=None)"
    assert str(cf.function_type) == f"(a: {spec}) -> {spec}"
    assert repr(cf.function_type) == (
        f"Input Parameters:\n  a (POSITIONAL_OR_KEYWORD): {spec}\nOutput Type:\n  {spec}\n"
        "Captures:\n  None"
    )
    assert str(cf) == "ConcreteFunction " + repr(cf.function_type)


def test_function_type_parameters_keyword_only_and_literals():
    @gf.function
    def f(x, y=2, *, z=None):
        return x * y

    cf = f.get_concrete_function(TensorSpec([None, 3], gf.float32, name="xx"), 3)
    ft = cf.function_type
    assert list(ft.parameters) == ["x", "y", "z"]
    assert ft.parameters["z"].kind is inspect.Parameter.KEYWORD_ONLY
    assert ft.parameters["y"].type_constraint == 3
    assert ft.output == TensorSpec([None, 3], gf.float32)
    assert str(ft) == (
        "(x: TensorSpec(shape=(None, 3), dtype=tf.float32, name='xx'), y: Literal[3], *, "
        "z: Literal[None]) -> TensorSpec(shape=(None, 3), dtype=tf.float32, name=None)"
    )


def test_concrete_call_with_other_dtype_is_invalid_argument():
    cf = _double()
    assert cf(gf.constant("ab")).numpy() == b"abab"
    with pytest.raises(gf.errors.InvalidArgumentError, match="expected to be a string tensor"):
        cf(gf.constant(1))


def test_inference_fn_calls_the_trace_and_checks_types():
    atomic = _double().inference_fn
    assert atomic(gf.constant("a")).numpy() == b"aa"
    assert str(atomic.function_type).startswith("(a: TensorSpec(shape=(), dtype=tf.string")
    with pytest.raises(TypeError, match="Can not cast"):
        atomic(gf.constant(1))


def test_concrete_called_with_its_tensors_only():
    class Model(gf.Module):
        def __init__(self):  # no super().__init__(), as in the guide
            self.bias = 0.0
            self.weight = 2.0

    def evaluate(model, x):
        return model.weight * x + model.bias

    model, x = Model(), gf.constant(10.0)
    before = gf.function(evaluate).get_concrete_function(model, x)
    model.bias += 5.0
    after = gf.function(evaluate).get_concrete_function(model, x)
    assert float(before(x)) == 20.0  # the bias it was traced with
    assert float(after(x)) == 25.0
    assert repr(model).startswith("<")  # no _name: still printable


def test_concrete_call_converts_python_values_for_tensor_specs():
    @gf.function
    def f(a):
        return a * 2

    cf = f.get_concrete_function(TensorSpec([3], gf.float32))
    out = cf([1.0, 2.0, 3.0])
    assert out.dtype == gf.float32 and out.numpy().tolist() == [2.0, 4.0, 6.0]
    with pytest.raises(TypeError):
        cf(3.0)  # a scalar for a [3] trace
