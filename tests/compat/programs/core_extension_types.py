"""The "Extension types" guide: a MaskedTensor with fields, validation, immutability,
equality, tf.function, tf.nest, and dispatch of TensorFlow ops to it."""

from typing import Mapping, Optional, Tuple, Union

import numpy as np
import tensorflow as tf


class MaskedTensor(tf.experimental.ExtensionType):
    """A tensor whose masked-out values are ignored."""

    values: tf.Tensor
    mask: tf.Tensor

    def __validate__(self):
        self.values.shape.assert_is_compatible_with(self.mask.shape)
        assert self.mask.dtype.is_bool, "mask.dtype must be bool"

    def with_default(self, default):
        return tf.where(self.mask, self.values, default)


mt = MaskedTensor(values=[1, 2, 3], mask=[True, False, True])
assert mt.values.dtype == tf.int32 and mt.mask.dtype == tf.bool
assert repr(mt).startswith("MaskedTensor(values=")
np.testing.assert_array_equal(mt.with_default(0), [1, 0, 3])

try:
    mt.values = tf.constant([4, 5, 6])
    raise SystemExit("assignment should fail")
except AttributeError as e:
    assert "Cannot mutate attribute `values`" in str(e)
try:
    MaskedTensor([1, 2], [True])
    raise SystemExit("validation should fail")
except ValueError:
    pass
try:
    MaskedTensor([1, 2], [1, 2])
    raise SystemExit("validation should fail")
except AssertionError as e:
    assert "mask.dtype must be bool" in str(e)
try:
    MaskedTensor(values=[1, 2])
    raise SystemExit("missing field should fail")
except TypeError as e:
    assert "mask" in str(e)

# Equality is elementwise-all for tensors; a different spec is simply unequal.
assert bool(mt == MaskedTensor([1, 2, 3], [True, False, True]))
assert not bool(mt == MaskedTensor([1, 2, 4], [True, False, True]))
assert bool(mt != MaskedTensor([1, 2, 4], [True, False, True]))
try:
    hash(mt)
    raise SystemExit("extension types are unhashable")
except TypeError:
    pass


# Python fields, defaults, tuples, mappings, Optional and Union fields, nesting.
class Config(tf.experimental.ExtensionType):
    scale: tf.Tensor
    name: str = "cfg"
    sizes: Tuple[int, ...] = ()
    extra: Mapping[str, int] = {}
    offset: Optional[tf.Tensor] = None
    factor: Union[int, float] = 1


c = Config(scale=2.0, sizes=[3, 4], extra={"a": 1})
assert c.name == "cfg" and c.sizes == (3, 4) and isinstance(c.sizes, tuple)
assert dict(c.extra) == {"a": 1} and c.offset is None and c.factor == 1
assert Config(scale=1.0, factor=2.5).factor == 2.5
assert isinstance(Config(scale=1.0, offset=[1, 2]).offset, tf.Tensor)
for bad, word in ((dict(name=3), "name"), (dict(sizes=[1.5]), "sizes[0]")):
    try:
        Config(scale=1.0, **bad)
        raise SystemExit(f"{bad} should fail")
    except TypeError as e:
        assert word in str(e), str(e)


class Pair(tf.experimental.ExtensionType):
    first: MaskedTensor
    weights: Tuple[tf.Tensor, ...]


pair = Pair(mt, (tf.constant(1.0), tf.constant(2.0)))
leaves = tf.nest.flatten(pair, expand_composites=True)
assert len(leaves) == 4 and all(isinstance(t, tf.Tensor) for t in leaves)
assert tf.nest.flatten(pair) == [pair]
rebuilt = tf.nest.map_structure(lambda t: t, pair, expand_composites=True)
assert isinstance(rebuilt, Pair) and isinstance(rebuilt.first, MaskedTensor)


# A custom constructor may set fields; methods and properties work as on any class.
class Scaled(tf.experimental.ExtensionType):
    values: tf.Tensor

    def __init__(self, values, factor=2):
        self.values = tf.convert_to_tensor(values) * factor

    @property
    def total(self):
        return tf.reduce_sum(self.values)


assert int(Scaled([1, 2]).total) == 6

# Specs.
spec = tf.type_spec_from_value(mt)
assert isinstance(spec, MaskedTensor.Spec)
assert spec == MaskedTensor.Spec(
    values=tf.TensorSpec([3], tf.int32), mask=tf.TensorSpec([3], tf.bool)
)


# tf.function traces extension types by their fields: new values, no retrace.
@tf.function
def masked_sum(x):
    return tf.reduce_sum(x.with_default(0))


assert int(masked_sum(mt)) == 4
assert int(masked_sum(MaskedTensor([4, 5, 6], [True, True, False]))) == 9
assert masked_sum.experimental_get_tracing_count() == 1


@tf.function
def double(x):
    return MaskedTensor(x.values * 2, x.mask)


doubled = double(mt)
assert isinstance(doubled, MaskedTensor)
np.testing.assert_array_equal(doubled.values, [2, 4, 6])


@tf.function(input_signature=[MaskedTensor.Spec(tf.TensorSpec([None], tf.int32),
                                                tf.TensorSpec([None], tf.bool))])  # fmt: skip
def count(x):
    return tf.reduce_sum(tf.cast(x.mask, tf.int32))


assert int(count(mt)) == 2 and int(count(MaskedTensor([1, 2], [True, True]))) == 2


# Dispatch: TensorFlow ops on MaskedTensors.
@tf.experimental.dispatch_for_api(tf.math.reduce_sum)
def masked_reduce_sum(input_tensor: MaskedTensor, axis=None, keepdims=False, name=None):
    return tf.math.reduce_sum(input_tensor.with_default(0), axis, keepdims)


assert int(tf.math.reduce_sum(mt)) == 4


@tf.experimental.dispatch_for_unary_elementwise_apis(MaskedTensor)
def masked_unary(api_func, x):
    return MaskedTensor(api_func(x.values), x.mask)


negated = tf.math.negative(mt)
assert isinstance(negated, MaskedTensor)
np.testing.assert_array_equal(negated.values, [-1, -2, -3])
squared = tf.math.square(MaskedTensor([1.0, 3.0], [True, False]))
np.testing.assert_allclose(squared.values, [1.0, 9.0])


@tf.experimental.dispatch_for_binary_elementwise_apis(
    Union[MaskedTensor, tf.Tensor], Union[MaskedTensor, tf.Tensor]
)
def masked_binary(api_func, x, y):
    x_values = x.values if isinstance(x, MaskedTensor) else x
    y_values = y.values if isinstance(y, MaskedTensor) else y
    x_mask = x.mask if isinstance(x, MaskedTensor) else tf.ones_like(x_values, tf.bool)
    y_mask = y.mask if isinstance(y, MaskedTensor) else tf.ones_like(y_values, tf.bool)
    return MaskedTensor(api_func(x_values, y_values), x_mask & y_mask)


total = tf.math.add(mt, MaskedTensor([10, 20, 30], [True, True, False]))
np.testing.assert_array_equal(total.values, [11, 22, 33])
np.testing.assert_array_equal(total.mask, [True, False, False])
mixed = tf.math.multiply(mt, tf.constant([2, 2, 2]))
np.testing.assert_array_equal(mixed.values, [2, 4, 6])

tf.experimental.unregister_dispatch_for(masked_reduce_sum)
try:
    tf.math.reduce_sum(mt)
    raise SystemExit("reduce_sum should no longer accept a MaskedTensor")
except (TypeError, ValueError):
    pass


class Batchable(tf.experimental.BatchableExtensionType):
    v: tf.Tensor


assert float(tf.reduce_sum(Batchable([1.0, 2.0]).v)) == 3.0
print("ok")
