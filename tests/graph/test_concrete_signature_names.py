"""ConcreteFunction.structured_input_signature names its specs and binds defaults as TF."""

import gpuflow as gf
from gpuflow import TensorSpec


def _spec(shape=(None,), dtype="float32", name=None):
    return TensorSpec(shape, dtype, name=name)


def test_specs_named_after_parameters_with_defaults_bound():
    @gf.function
    def f(x, y=1, *, z=None):
        return x

    args, kwargs = f.get_concrete_function(_spec()).structured_input_signature
    assert args == (_spec(name="x"), 1)
    assert args[0].name == "x"
    assert kwargs == {"z": None}


def test_nested_var_positional_and_keyword_names():
    @gf.function
    def f(x, pair, *rest, k=3, **kw):
        return x

    s = _spec()
    cf = f.get_concrete_function(s, [s, s], s, {"a": s}, k=_spec((), "int32"), extra=s)
    args, kwargs = cf.structured_input_signature
    assert [a.name for a in args[1]] == ["pair_0", "pair_1"]
    assert args[2].name == "rest_0" and args[3]["a"].name == "rest_1_a"
    assert kwargs["k"].name == "k" and kwargs["extra"].name == "extra"


def test_keyword_arguments_move_to_their_position_and_given_names_stay():
    @gf.function
    def g(x, y):
        return x + y

    cf = g.get_concrete_function(y=_spec(), x=_spec(name="given"))
    args, kwargs = cf.structured_input_signature
    assert [a.name for a in args] == ["given", "y"] and kwargs == {}
    # calls still bind by name and position
    out = cf(x=gf.constant([1.0]), y=gf.constant([2.0]))
    assert out.numpy().tolist() == [3.0]


def test_input_signature_method():
    class M(gf.Module):
        @gf.function(input_signature=[_spec()])
        def m(self, inp):
            return inp * 2.0

    cf = M().m.get_concrete_function()
    assert cf.structured_input_signature == ((_spec(name="inp"),), {})
    assert cf(gf.constant([1.0, 2.0])).numpy().tolist() == [2.0, 4.0]
