"""``tf.py_function``, ``tf.numpy_function`` and ``tf.compat.v1.py_func`` in a TF 1 graph:
a node that calls the Python function at ``Session.run`` time with that run's values (the
function is not called while the graph is built, as TF's). Its outputs have the dtypes of
``Tout`` and an unknown shape, as TF's."""

from __future__ import annotations

from .. import dtypes
from ..tensor_shape import TensorShape
from .v1_graph import GraphTensor, OpNode


def graph_py_call(call, func, inp, Tout, name, op_type: str):  # noqa: N803 - TF's name
    """``call(func, inp, Tout)`` (the eager py_function or numpy_function) as a node of
    type ``op_type``: one GraphTensor for a dtype ``Tout``, a list for a list of them."""
    from .v1_record import probe_value

    inputs = list(inp) if isinstance(inp, (list, tuple)) else ([] if inp is None else [inp])
    node = OpNode(call, (func, inputs, Tout), {}, op_type, name)
    unknown = TensorShape(None)

    def output(dtype, path):
        dtype = dtypes.as_dtype(dtype)
        probe = probe_value(dtype, unknown, 2)
        return GraphTensor(node, path, (probe, probe), shape=unknown, dtype=dtype)

    if isinstance(Tout, (list, tuple)):
        return [output(t, (i,)) for i, t in enumerate(Tout)]
    return output(Tout, ())
