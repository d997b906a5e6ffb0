"""tf.experimental.ExtensionType: fields, checks, immutability, equality, specs, tf.nest,
tf.function and API dispatch. Expected behaviours are tensorflow-cpu 2.21's (checked there)."""

from __future__ import annotations

from typing import List, Mapping, Optional, Tuple, Union

import numpy as np
import pytest

import gpuflow as tf
from gpuflow import _api_dispatch


class Masked(tf.experimental.ExtensionType):
    values: tf.Tensor
    mask: tf.Tensor

    def __validate__(self):
        self.values.shape.assert_is_compatible_with(self.mask.shape)
        if self.mask.dtype != tf.bool:
            raise ValueError("mask must be bool")


class Fields(tf.experimental.ExtensionType):
    t: tf.Tensor
    f: float = 1.0
    i: int = 0
    s: str = "x"
    tup: Tuple[int, ...] = ()
    pair: Tuple[str, tf.Tensor] = ("a", 0.0)
    m: Mapping[str, tf.Tensor] = {}
    opt: Optional[tf.Tensor] = None
    u: Union[int, str] = 1
    shape: tf.TensorShape = tf.TensorShape([])
    dtype: tf.DType = tf.float32


@pytest.fixture(autouse=True)
def _no_leftover_dispatchers():
    yield
    _api_dispatch.TARGETS.clear()
    _api_dispatch._UNARY.clear()
    _api_dispatch._BINARY.clear()
    _api_dispatch._refresh()


def test_fields_are_converted():
    x = Fields(t=[1.0, 2.0], tup=[1, 2], pair=["b", [3]], m={"k": [1, 2]}, shape=[2, None],
               dtype="int32", opt=[4])  # fmt: skip
    assert isinstance(x.t, tf.Tensor) and x.t.dtype == tf.float32
    assert x.tup == (1, 2) and isinstance(x.pair[1], tf.Tensor)
    assert isinstance(x.m["k"], tf.Tensor) and list(x.m) == ["k"]
    assert tuple(x.shape) == (2, None) and x.dtype == tf.int32
    assert isinstance(x.opt, tf.Tensor) and x.u == 1 and x.s == "x"
    with pytest.raises(TypeError):
        x.m["new"] = 1  # an immutable mapping
    assert Fields(t=1.0, u="two").u == "two" and Fields(t=1.0, i=True).i is True


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"f": 1}, "f: expected 'float', got 'int'"),
        ({"s": 3}, "s: expected 'str', got 'int'"),
        ({"tup": [1.5]}, r"tup\[0\]: expected 'int', got 'float'"),
        ({"pair": ("a",)}, "pair: expected a tuple of length 2"),
        ({"u": 2.5}, "u: expected one of"),
        ({"m": [1]}, "m: expected 'Mapping'"),
        ({"t": object()}, "t: expected a Tensor, got 'object'"),
    ],
)
def test_bad_field_values_name_the_field(kwargs, message):
    args = {"t": 1.0, **kwargs}
    with pytest.raises(TypeError, match=message):
        Fields(**args)


def test_constructor_arguments_and_validation():
    with pytest.raises(TypeError, match="missing a required argument: 'mask'"):
        Masked(values=[1])
    with pytest.raises(TypeError, match="unexpected keyword argument 'other'"):
        Masked([1], [True], other=1)
    with pytest.raises(TypeError, match="too many positional"):
        Masked([1], [True], 3)
    with pytest.raises(ValueError, match="incompatible"):
        Masked([1, 2], [True])
    with pytest.raises(ValueError, match="mask must be bool"):
        Masked([1, 2], [1, 2])


def test_immutable_repr_eq_and_unhashable():
    m = Masked([1, 2], [True, False])
    with pytest.raises(AttributeError, match="Cannot mutate attribute `values`"):
        m.values = tf.constant([3, 4])
    with pytest.raises(AttributeError):
        del m.mask
    assert repr(m) == f"Masked(values={m.values!r}, mask={m.mask!r})"
    same, other = Masked([1, 2], [True, False]), Masked([1, 3], [True, False])
    assert isinstance(m == same, tf.Tensor) and bool(m == same) and not bool(m == other)
    assert bool(m != other) and not bool(m != same)
    assert (m == Masked([1, 2, 3], [True, True, True])) is False  # other spec: plain False
    assert (m == 3) is False
    with pytest.raises(TypeError, match="unhashable"):
        hash(m)


def test_custom_constructor_and_inheritance():
    class Scaled(tf.experimental.ExtensionType):
        values: tf.Tensor
        factor: int = 2

        def __init__(self, values, factor=2):
            self.values = tf.constant(values) * factor
            self.factor = factor

    s = Scaled([1, 2], 3)
    np.testing.assert_array_equal(s.values.numpy(), [3, 6])
    with pytest.raises(AttributeError):
        s.factor = 4

    class Labeled(Masked):
        label: str = "none"

    x = Labeled([1], [True], "a")
    assert list(Labeled._tf_extension_type_fields) == ["values", "mask", "label"]
    assert x.label == "a"
    with pytest.raises(ValueError, match="incompatible"):  # the parent's __validate__
        Labeled([1, 2], [True])


def test_spec_and_type_spec_from_value():
    m = Masked([1, 2], [True, False])
    spec = tf.type_spec_from_value(m)
    assert isinstance(spec, Masked.Spec) and spec.value_type is Masked
    assert spec == Masked.Spec(tf.TensorSpec([2], tf.int32), tf.TensorSpec([2], tf.bool))
    assert repr(spec) == (
        "Masked.Spec(values=TensorSpec(shape=(2,), dtype=tf.int32, name=None), "
        "mask=TensorSpec(shape=(2,), dtype=tf.bool, name=None))"
    )  # TensorFlow's repr
    relaxed = Masked.Spec(tf.TensorSpec([None], tf.int32), tf.TensorSpec([None], tf.bool))
    assert relaxed.is_compatible_with(m) and not spec.is_compatible_with(Masked([1], [True]))
    assert tf.type_spec_from_value(tf.constant([1.0])) == tf.TensorSpec([1], tf.float32)
    with pytest.raises(TypeError, match="unknown fields"):
        Masked.Spec(bogus=1)


def test_nest_flattens_only_with_expand_composites():
    m = Masked([1, 2], [True, False])
    nested = {"b": (m, Fields(t=2.0, s="kept")), "a": tf.constant(1)}
    assert tf.nest.flatten(nested)[1] is m
    flat = tf.nest.flatten(nested, expand_composites=True)
    assert [tuple(t.shape) for t in flat] == [(), (2,), (2,), (), ()]  # a, values, mask, t, pair[1]
    doubled = tf.nest.map_structure(lambda t: t * 2, nested, expand_composites=True)
    np.testing.assert_array_equal(doubled["b"][0].values.numpy(), [2, 4])
    assert doubled["b"][1].s == "kept" and float(doubled["b"][1].t) == 4.0
    tf.nest.assert_same_structure(nested, doubled, expand_composites=True)
    with pytest.raises(TypeError):
        tf.nest.assert_same_structure(m, Fields(t=1.0), expand_composites=True)


def test_function_traces_fields_once_per_spec():
    calls = []

    @tf.function
    def masked_sum(x):
        calls.append(1)
        return tf.reduce_sum(tf.where(x.mask, x.values, tf.zeros_like(x.values)))

    assert int(masked_sum(Masked([1, 2, 3], [True, False, True]))) == 4
    assert int(masked_sum(Masked([4, 5, 6], [True, True, False]))) == 9  # no stale constant
    assert len(calls) == 1
    assert int(masked_sum(Masked([1, 2], [True, True]))) == 3  # a new shape retraces
    assert len(calls) == 2

    @tf.function
    def scale(x):
        return Fields(t=x.t * 2.0, s=x.s + "!", m={"k": x.t})

    out = scale(Fields(t=[1.0, 2.0], s="a"))
    assert isinstance(out, Fields) and out.s == "a!"
    np.testing.assert_allclose(out.t.numpy(), [2.0, 4.0])
    np.testing.assert_allclose(scale(Fields(t=[3.0, 1.0], s="a")).m["k"].numpy(), [3.0, 1.0])


def test_function_replays_mapping_fields_by_key():
    @tf.function
    def pick(x):
        return x.m["b"] - x.m["a"]

    first = Fields(t=0.0, m={"b": [10.0], "a": [1.0]})  # keys not in sorted order
    assert float(pick(first)[0]) == 9.0
    assert float(pick(Fields(t=0.0, m={"b": [5.0], "a": [7.0]}))[0]) == -2.0  # replayed


def test_function_input_signature_accepts_specs():
    spec = Masked.Spec(tf.TensorSpec([None], tf.int32), tf.TensorSpec([None], tf.bool))

    @tf.function(input_signature=[spec])
    def count(x):
        return tf.reduce_sum(tf.cast(x.mask, tf.int32))

    assert int(count(Masked([1, 2, 3], [True, False, True]))) == 2
    with pytest.raises(TypeError, match="not compatible"):
        count(Masked([1.0], [True]))


def test_dispatch_for_api_by_annotation_and_signature():
    @tf.experimental.dispatch_for_api(tf.math.reduce_sum)
    def masked_sum(input_tensor: Masked, axis=None, keepdims=False, name=None):
        return tf.reduce_sum(tf.where(input_tensor.mask, input_tensor.values, 0), axis)

    m = Masked([1, 2, 3], [True, False, True])
    assert int(tf.math.reduce_sum(m)) == 4 and int(tf.reduce_sum(m)) == 4
    assert int(tf.reduce_sum(tf.constant([1, 2]))) == 3  # tensors take the op itself

    def concat(values, axis, name="concat"):
        return Masked(tf.concat([v.values for v in values], axis),
                      tf.concat([v.mask for v in values], axis))  # fmt: skip

    tf.experimental.dispatch_for_api(tf.concat, {"values": list[Masked]})(concat)
    joined = tf.concat([m, Masked([7], [False])], 0)
    np.testing.assert_array_equal(joined.values.numpy(), [1, 2, 3, 7])

    tf.experimental.unregister_dispatch_for(masked_sum)
    with pytest.raises((TypeError, ValueError)):
        tf.reduce_sum(m)
    with pytest.raises(ValueError, match="was not registered"):
        tf.experimental.unregister_dispatch_for(masked_sum)


def test_dispatch_for_api_checks_the_target():
    with pytest.raises(ValueError, match="same parameters"):
        tf.experimental.dispatch_for_api(tf.math.reduce_sum)(lambda x: x)
    with pytest.raises(ValueError, match="not parameters"):
        tf.experimental.dispatch_for_api(tf.math.add, {"z": Masked})
    with pytest.raises(ValueError, match="supports dispatch"):
        tf.experimental.dispatch_for_api(len)


def test_dispatch_target_may_leave_out_the_api_name_parameter():
    # TF's unregister_dispatch_for docstring: my_abs(x) for tf.abs(x, name=None)
    @tf.experimental.dispatch_for_api(tf.abs)
    def my_abs(x: Masked):
        return Masked(tf.abs(x.values), x.mask)

    m = Masked([-1.0, 2.0], [True, False])
    assert tf.abs(m).values.numpy().tolist() == [1.0, 2.0]
    assert tf.abs(m, name="a").values.numpy().tolist() == [1.0, 2.0]
    assert tf.abs(m, "a").values.numpy().tolist() == [1.0, 2.0]
    tf.experimental.unregister_dispatch_for(my_abs)  # the function as decorated
    with pytest.raises((TypeError, ValueError)):
        tf.abs(m)

    @tf.experimental.dispatch_for_api(tf.math.add, {"x": Masked})
    def any_add(*args, **kwargs):  # (*args, **kwargs) takes any signature, as TF
        return "added"

    assert tf.math.add(m, 1.0) == "added"
    tf.experimental.unregister_dispatch_for(any_add)


def test_binary_elementwise_assert_dispatch():
    # TF's dispatch_for_binary_elementwise_assert_apis docstring example
    @tf.experimental.dispatch_for_binary_elementwise_assert_apis(Masked, Masked)
    def handler(assert_func, x, y):
        merged = tf.logical_and(x.mask, y.mask)
        assert_func(tf.boolean_mask(x.values, merged), tf.boolean_mask(y.values, merged))

    a = Masked([1, 1, 0, 1, 1], [False, False, True, True, True])
    b = Masked([2, 2, 0, 2, 2], [True, True, True, False, False])
    tf.debugging.assert_equal(a, b)  # only position 2 is compared
    a = Masked([1, 1, 1, 1, 1], [True] * 5)
    b = Masked([0, 0, 0, 0, 2], [True] * 5)
    with pytest.raises(tf.errors.InvalidArgumentError, match="assert_greater"):
        tf.debugging.assert_greater(a, b)
    tf.debugging.assert_less(b, Masked([1, 1, 1, 1, 3], [True] * 5))
    tf.experimental.unregister_dispatch_for(handler)
    with pytest.raises(ValueError):
        tf.debugging.assert_equal(a, a)


def test_elementwise_dispatchers():
    seen = []

    @tf.experimental.dispatch_for_unary_elementwise_apis(Masked)
    def unary(api_func, x):
        seen.append(api_func)
        return Masked(api_func(x.values), x.mask)

    @tf.experimental.dispatch_for_binary_elementwise_apis(Union[Masked, tf.Tensor], Masked)
    def binary(api_func, x, y):
        xv = x.values if isinstance(x, Masked) else x
        return Masked(api_func(xv, y.values), y.mask)

    m = Masked([1.0, 4.0], [True, False])
    np.testing.assert_allclose(tf.math.sqrt(m).values.numpy(), [1.0, 2.0])
    np.testing.assert_allclose(tf.cast(m, tf.int32).values.numpy(), [1, 4])
    assert tf.cast(m, tf.int32).values.dtype == tf.int32  # the other arguments are bound
    np.testing.assert_allclose(tf.add(tf.constant([1.0, 1.0]), m).values.numpy(), [2.0, 5.0])
    np.testing.assert_allclose(tf.math.maximum(m, m).values.numpy(), [1.0, 4.0])
    assert len(seen) == 3  # sqrt, cast, cast
    with pytest.raises((TypeError, ValueError)):
        tf.add(m, tf.constant([1.0, 1.0]))  # (Masked, Tensor) matches no dispatcher


def test_a_nested_spec_class_of_the_users_becomes_the_spec():
    class Masked(tf.experimental.ExtensionType):
        values: tf.Tensor
        mask: tf.Tensor

        class Spec:
            def __init__(self, shape, dtype=tf.float32):
                self.values = tf.TensorSpec(shape, dtype)
                self.mask = tf.TensorSpec(shape, tf.bool)

            shape = property(lambda self: self.values.shape)
            dtype = property(lambda self: self.values.dtype)

    spec = Masked.Spec(shape=[None], dtype=tf.float32)
    assert spec.shape == [None] and spec.dtype == tf.float32
    assert type(spec).__name__ == "Masked.Spec"

    @tf.function(input_signature=[spec])
    def fill(mt):
        return tf.where(mt.mask, mt.values, 0.0)

    out = fill(Masked(tf.constant([1.0, 2.0]), tf.constant([True, False])))
    assert out.numpy().tolist() == [1.0, 0.0]
    value_spec = tf.type_spec_from_value(Masked(tf.constant([1.0]), tf.constant([True])))
    assert isinstance(value_spec, Masked.Spec) and value_spec.shape == [1]
    assert value_spec == tf.type_spec_from_value(Masked(tf.constant([3.0]), tf.constant([False])))


class _Masked(tf.experimental.ExtensionType):
    values: tf.Tensor
    mask: tf.Tensor

    def with_values(self, values):
        return _Masked(values, self.mask)


def test_dispatch_for_list_of_union_runs_the_op_on_plain_tensors():

    calls = []

    @tf.experimental.dispatch_for_api(tf.stack)
    def masked_stack(values: List[Union[_Masked, tf.Tensor]], axis=0):
        calls.append(len(values))
        values = [
            v if isinstance(v, _Masked) else _Masked(v, tf.ones_like(v, tf.bool)) for v in values
        ]
        return _Masked(
            tf.stack([v.values for v in values], axis), tf.stack([v.mask for v in values], axis)
        )

    try:
        x = _Masked(tf.constant([1, 2]), tf.constant([True, False]))
        out = tf.stack([x, tf.constant([3, 4])])
        assert calls == [2]  # the inner tf.stack calls on tensors ran the op itself
        assert out.values.numpy().tolist() == [[1, 2], [3, 4]]
        assert out.mask.numpy().tolist() == [[True, False], [True, True]]
        assert tf.stack([tf.constant(1), tf.constant(2)]).numpy().tolist() == [1, 2]
        assert calls == [2]
    finally:
        tf.experimental.unregister_dispatch_for(masked_stack)


def test_matmul_takes_tensorflows_grad_hints():
    a = tf.constant([[1.0, 2.0]])
    out = tf.matmul(a, a, transpose_b=True, grad_a=True, grad_b=False)
    assert out.numpy().tolist() == [[5.0]]


def test_concrete_function_for_an_extension_type_spec():
    @tf.function
    def mean(x):
        return (x.values + tf.cast(x.mask, tf.float32)) / 2

    value = _Masked(tf.constant([1.0, 3.0]), tf.constant([True, False]))
    spec = _Masked.Spec(tf.TensorSpec([2]), tf.TensorSpec([2], tf.bool))
    concrete = mean.get_concrete_function(spec)
    assert concrete(value).numpy().tolist() == [1.0, 1.5]


def test_cond_and_while_loop_carry_extension_types_in_a_function():
    @tf.function
    def f(x, flag):
        if flag:
            m = _Masked(x, tf.less(x, 0.0))
        else:
            m = _Masked(x, tf.greater(x, 0.0))
        for _ in tf.range(3 if flag else 1):
            m = m.with_values(m.values + 1.0)
        return m

    x = tf.constant([1.0, -2.0])
    on, off = f(x, tf.constant(True)), f(x, tf.constant(False))
    assert on.values.numpy().tolist() == [4.0, 1.0] and on.mask.numpy().tolist() == [False, True]
    assert off.values.numpy().tolist() == [2.0, -1.0] and off.mask.numpy().tolist() == [True, False]


class _Network(tf.experimental.BatchableExtensionType):
    shape: tf.TensorShape
    work: tf.Tensor

    def __init__(self, work):
        self.work = tf.convert_to_tensor(work)
        self.shape = self.work.shape[:-1]


def test_map_fn_over_a_batchable_extension_type():
    batch = _Network([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    seen = []

    def double(net):
        seen.append(tuple(net.shape))
        return _Network(net.work * 2.0)

    out = tf.map_fn(double, batch)
    assert seen == [(), (), ()]  # each element's batch shape
    assert isinstance(out, _Network) and tuple(out.shape) == (3,)
    assert out.work.numpy().tolist() == [[2.0, 4.0], [6.0, 8.0], [10.0, 12.0]]
    sums = tf.map_fn(lambda n: tf.reduce_sum(n.work), batch, fn_output_signature=tf.float32)
    assert sums.numpy().tolist() == [3.0, 7.0, 11.0]
