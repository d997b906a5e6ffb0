"""TensorFlow's SparseTensor dispatch for the unary ops that keep zeros zero:
``tf.math.abs(st)``, ``tf.math.square(st)``, ``tf.cast(st, tf.int32)`` apply to the values
and return a SparseTensor with the same indices and shape.

``gpuflow._symbolic_dispatch`` sends an op here when it failed on a SparseTensor argument.
The list is TensorFlow 2.21's: ops that would turn an implicit zero into something else
(``exp``, ``cos``, ``sigmoid``) refuse a SparseTensor there as here.
"""

from __future__ import annotations

from .sparse_tensor import SparseTensor

UNARY = frozenset(
    """abs negative sign square sqrt sin tan tanh asin atan asinh atanh erf bessel_i1e
    cast identity stop_gradient""".split()
)


def call(fn, name: str, args: tuple, kwargs: dict):
    """``fn`` applied to a SparseTensor's values, or NotImplemented for other calls."""
    if name in UNARY and args and isinstance(args[0], SparseTensor):
        st = args[0]
        return SparseTensor(st.indices, fn(st.values, *args[1:], **kwargs), st.dense_shape)
    return NotImplemented
