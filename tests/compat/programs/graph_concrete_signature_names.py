"""Concrete functions: structured_input_signature names each TensorSpec after its
parameter (nested ones by position or key), binds keyword arguments and defaults, and
keeps the names an input_signature gives (TensorFlow 2.21)."""

import tensorflow as tf


@tf.function
def scale(x, factor=2.0, *, offset=None):
    out = x * factor
    return out if offset is None else out + offset


spec = tf.TensorSpec([None], tf.float32)
args, kwargs = scale.get_concrete_function(spec).structured_input_signature
assert args[0].name == "x" and args[0].shape.as_list() == [None]
assert args[1] == 2.0 and kwargs == {"offset": None}

cf = scale.get_concrete_function(spec, 3.0)
assert cf.structured_input_signature[0][1] == 3.0
assert cf(tf.constant([1.0, 2.0])).numpy().tolist() == [3.0, 6.0]


@tf.function
def combine(features, pairs, *extra, weight=None):
    total = features["a"] + pairs[0] * pairs[1]
    for e in extra:
        total += e
    return total * weight


cf = combine.get_concrete_function(
    {"a": spec}, [spec, spec], spec, weight=tf.TensorSpec([], tf.float32)
)
args, kwargs = cf.structured_input_signature
assert args[0]["a"].name == "features_a"
assert [s.name for s in args[1]] == ["pairs_0", "pairs_1"]
assert args[2].name == "extra_0"
assert kwargs["weight"].name == "weight" and kwargs["weight"].shape.as_list() == []
ones = tf.ones([3])
out = cf({"a": ones}, [ones, 2 * ones], ones, weight=tf.constant(0.5))
assert out.numpy().tolist() == [2.0, 2.0, 2.0]


@tf.function
def diff(a, b):
    return a - b


# keyword arguments move to their parameter's place; a spec's own name is kept
cf = diff.get_concrete_function(b=spec, a=tf.TensorSpec([None], tf.float32, name="first"))
args, kwargs = cf.structured_input_signature
assert [s.name for s in args] == ["first", "b"] and kwargs == {}
assert cf(a=tf.constant([5.0]), b=tf.constant([2.0])).numpy().tolist() == [3.0]
assert cf(tf.constant([5.0]), tf.constant([1.0])).numpy().tolist() == [4.0]


class Scaler(tf.Module):
    def __init__(self):
        self.w = tf.Variable(3.0)

    @tf.function(input_signature=[tf.TensorSpec([None, 2], tf.float32)])
    def __call__(self, inputs):
        return inputs * self.w


scaler = Scaler()
cf = scaler.__call__.get_concrete_function()
((inputs,), kwargs) = cf.structured_input_signature
assert inputs.name == "inputs" and inputs.shape.as_list() == [None, 2] and kwargs == {}
assert cf(tf.ones([1, 2])).numpy().tolist() == [[3.0, 3.0]]
print("graph_concrete_signature_names: ok")
