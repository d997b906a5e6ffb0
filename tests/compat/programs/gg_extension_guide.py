"""Extension types as the extension-type guide uses them with tf.function and API
dispatch: a dispatcher for a list of MaskedTensor-or-Tensor that calls the same op on
plain tensors, a matmul dispatcher with TF's full signature, a concrete function asked
for with a Spec, and conditionals and tf.range loops over a MaskedTensor in a function."""

from typing import List, Union

import numpy as np
import tensorflow as tf


class Masked(tf.experimental.ExtensionType):
    values: tf.Tensor
    mask: tf.Tensor

    def with_values(self, values):
        return Masked(values, self.mask)

    def filled(self, default):
        return tf.where(self.mask, self.values, default)


def as_masked(x):
    return x if isinstance(x, Masked) else Masked(x, tf.ones_like(x, tf.bool))


@tf.experimental.dispatch_for_api(tf.stack)
def stack_masked(values: List[Union[Masked, tf.Tensor]], axis=0):
    values = [as_masked(v) for v in values]
    return Masked(
        tf.stack([v.values for v in values], axis), tf.stack([v.mask for v in values], axis)
    )


a = Masked(tf.constant([1, 2, 3]), tf.constant([True, False, True]))
stacked = tf.stack([a, tf.constant([7, 8, 9]), a])
assert isinstance(stacked, Masked)
assert stacked.values.numpy().tolist() == [[1, 2, 3], [7, 8, 9], [1, 2, 3]]
assert stacked.mask.numpy()[1].tolist() == [True, True, True]
plain = tf.stack([tf.constant(1), tf.constant(2)])  # no Masked argument: the op itself
assert not isinstance(plain, Masked) and plain.numpy().tolist() == [1, 2]
tf.experimental.unregister_dispatch_for(stack_masked)


@tf.experimental.dispatch_for_api(tf.matmul)
def matmul_masked(
    a: Masked,
    b,
    transpose_a=False,
    transpose_b=False,
    adjoint_a=False,
    adjoint_b=False,
    a_is_sparse=False,
    b_is_sparse=False,
    output_type=None,
    grad_a=False,
    grad_b=False,
    name=None,
):
    return tf.matmul(a.filled(0.0), b, transpose_a, transpose_b)


m = Masked(tf.constant([[1.0, 5.0]]), tf.constant([[True, False]]))
assert tf.matmul(m, tf.constant([[2.0], [3.0]])).numpy().tolist() == [[2.0]]
tf.experimental.unregister_dispatch_for(matmul_masked)


@tf.function
def score(x):
    return tf.reduce_sum(x.filled(0.0))


spec = Masked.Spec(tf.TensorSpec([3]), tf.TensorSpec([3], tf.bool))
concrete = score.get_concrete_function(spec)
value = Masked(tf.constant([1.0, 2.0, 4.0]), tf.constant([True, True, False]))
assert concrete(value).numpy() == 3.0


@tf.function
def shift(x, negative):
    if negative:
        m = Masked(x, tf.less(x, 0.0))
    else:
        m = Masked(x, tf.greater(x, 0.0))
    for _ in tf.range(4 if negative else 2):
        m = m.with_values(m.values + 0.5)
    return m


x = tf.constant([1.0, -2.0, 3.0])
left, right = shift(x, tf.constant(True)), shift(x, tf.constant(False))
assert left.values.numpy().tolist() == [3.0, 0.0, 5.0]
assert left.mask.numpy().tolist() == [False, True, False]
assert right.values.numpy().tolist() == [2.0, -1.0, 4.0]
assert right.mask.numpy().tolist() == [True, False, True]
print("ok")


# tf.map_fn over a BatchableExtensionType: each element has the batch shape removed.
class Graphs(tf.experimental.BatchableExtensionType):
    shape: tf.TensorShape
    weights: tf.Tensor

    def __init__(self, weights):
        self.weights = tf.convert_to_tensor(weights)
        self.shape = self.weights.shape[:-1]


batch = Graphs([[1.0, 2.0], [3.0, 5.0]])
assert batch.shape == [2]
shapes = []


def normalize(graph):
    shapes.append(graph.shape.as_list())
    return Graphs(graph.weights / tf.reduce_sum(graph.weights))


normalized = tf.map_fn(normalize, batch)
assert shapes[0] == [] and isinstance(normalized, Graphs) and normalized.shape == [2]
expected = [[1 / 3, 2 / 3], [0.375, 0.625]]
assert np.allclose(normalized.weights.numpy(), expected)
totals = tf.map_fn(lambda g: tf.reduce_max(g.weights), batch, fn_output_signature=tf.float32)
assert totals.numpy().tolist() == [2.0, 5.0]
print("ok (map_fn)")
