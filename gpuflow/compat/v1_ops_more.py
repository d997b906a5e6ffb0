"""More ``tf.compat.v1`` functions with TF 1 signatures: sparse, string and parsing ops,
variable scatter updates on a ref (``tf.compat.v1.scatter_update(ref, indices, updates)``),
``setdiff1d``, and the TF 2 switches that are already on (resource variables, control
flow v2). ``v1.__getattr__`` reads ``OPS``."""

from __future__ import annotations

import collections
import sys

import numpy as np

from .v1_ops import _one

_tf = sys.modules["gpuflow"]  # imported by v1.__getattr__ once gpuflow is loaded

SparseTensorValue = collections.namedtuple(
    "SparseTensorValue", ["indices", "values", "dense_shape"]
)


def _sparse_reduce(name: str, output_is_sparse: bool):
    def reduce(sp_input, axis=None, keepdims=None, reduction_axes=None, keep_dims=None):
        axis = _one(name, "axis", axis, "reduction_axes", reduction_axes)
        keepdims = _one(name, "keepdims", keepdims, "keep_dims", keep_dims)
        fn = getattr(_tf.sparse, name.replace("sparse_", "").replace("_sparse", ""))
        return fn(sp_input, axis=axis, keepdims=keepdims, output_is_sparse=output_is_sparse)

    reduce.__name__ = name
    return reduce


def sparse_add(a, b, threshold=None, thresh=None):
    threshold = _one("sparse_add", "threshold", threshold, "thresh", thresh)
    return _tf.sparse.add(a, b, threshold=0 if threshold is None else threshold)


def sparse_concat(axis, sp_inputs, name=None, expand_nonconcat_dim=False, concat_dim=None,
                  expand_nonconcat_dims=None):  # fmt: skip
    axis = _one("sparse_concat", "axis", axis, "concat_dim", concat_dim)
    expand = _one("sparse_concat", "expand_nonconcat_dims", expand_nonconcat_dims,
                  "expand_nonconcat_dim", expand_nonconcat_dim or None)  # fmt: skip
    return _tf.sparse.concat(axis, sp_inputs, expand_nonconcat_dims=bool(expand), name=name)


def sparse_split(keyword_required=None, sp_input=None, num_split=None, axis=None, name=None,
                 split_dim=None):  # fmt: skip
    axis = _one("sparse_split", "axis", axis, "split_dim", split_dim)
    return _tf.sparse.split(sp_input=sp_input, num_split=num_split, axis=axis, name=name)


def _sparse_segment(kind: str):
    def segment(data, indices, segment_ids, name=None, num_segments=None, sparse_gradient=False):
        fn = getattr(_tf.sparse, f"segment_{kind}")
        return fn(data, indices, segment_ids, num_segments=num_segments, name=name)

    segment.__name__ = f"sparse_segment_{kind}"
    return segment


def sparse_matmul(a, b, transpose_a=False, transpose_b=False, a_is_sparse=False,
                  b_is_sparse=False, name=None):  # fmt: skip
    """A dense matmul (the sparsity flags are hints, as in TF)."""
    return _tf.matmul(a, b, transpose_a=transpose_a, transpose_b=transpose_b, name=name)


def confusion_matrix(labels, predictions, num_classes=None, dtype="int32", name=None,
                     weights=None):  # fmt: skip
    return _tf.math.confusion_matrix(labels, predictions, num_classes, weights, dtype, name)


def decode_raw(input_bytes=None, out_type=None, little_endian=True, name=None, bytes=None):  # noqa: A002
    input_bytes = _one("decode_raw", "input_bytes", input_bytes, "bytes", bytes)
    return _tf.io.decode_raw(input_bytes, out_type, little_endian=little_endian, name=name)


def parse_example(serialized, features, name=None, example_names=None):
    return _tf.io.parse_example(serialized, features, example_names=example_names, name=name)


def parse_single_example(serialized, features, name=None, example_names=None):
    return _tf.io.parse_single_example(serialized, features, example_names, name)


def reduce_join(inputs, axis=None, keep_dims=None, separator="", name=None,
                reduction_indices=None, keepdims=None):  # fmt: skip
    axis = _one("reduce_join", "axis", axis, "reduction_indices", reduction_indices)
    keepdims = _one("reduce_join", "keepdims", keepdims, "keep_dims", keep_dims)
    return _tf.strings.reduce_join(
        inputs, axis=axis, keepdims=bool(keepdims), separator=separator, name=name
    )


def string_to_hash_bucket(string_tensor=None, num_buckets=None, name=None, input=None):  # noqa: A002
    string_tensor = _one("string_to_hash_bucket", "input", input, "string_tensor", string_tensor)
    return _tf.strings.to_hash_bucket(string_tensor, num_buckets, name=name)


def setdiff1d(x, y, index_dtype="int32", name=None):
    """The values of ``x`` not in ``y`` (in ``x``'s order) and their indices in ``x``."""
    xs = _tf.convert_to_tensor(x)
    values = xs.numpy()
    keep = ~np.isin(values, _tf.convert_to_tensor(y, dtype=xs.dtype).numpy())
    out = collections.namedtuple("ListDiff", ["out", "idx"])
    return out(
        _tf.constant(values[keep], dtype=xs.dtype),
        _tf.constant(np.flatnonzero(keep), dtype=index_dtype),
    )


def _scatter(method: str):
    """``tf.compat.v1.scatter_<op>(ref, indices, updates)``: the variable's scatter update
    (an op of the graph for a TF 1 graph variable)."""

    def scatter(ref, indices, updates, use_locking=False, name=None):
        from .v1_graph import CallNode, GraphTensor
        from .v1_variables import GraphVariable

        if not isinstance(ref, GraphVariable):
            if method.startswith("scatter_nd"):
                return getattr(ref, method)(indices, updates, name=name)
            return getattr(ref, method)(_tf.IndexedSlices(updates, indices), name=name)

        def action(run):
            idx, upd = run.substitute(indices), run.substitute(updates)
            if method.startswith("scatter_nd"):
                getattr(ref._var, method)(idx, upd)
            else:
                getattr(ref._var, method)(_tf.IndexedSlices(upd, idx))
            return ref._var.read_value()

        node = CallNode(action, "Scatter", name or method, [ref, indices, updates])
        return GraphTensor(node, (), ref._probes, shape=tuple(ref.shape))

    scatter.__name__ = method
    return scatter


def _always(value: bool, name: str):
    def query() -> bool:
        return value

    query.__name__ = name
    return query


def _already_on(name: str):
    def switch() -> None:
        """TensorFlow 2's behaviour, gpuflow's only one: nothing to change."""

    switch.__name__ = name
    return switch


def executing_eagerly_outside_functions() -> bool:
    from .v1_graph import graph_mode

    return not graph_mode()


def no_regularizer(_):
    """No regularization (a ``regularizer`` for get_variable)."""
    return None


OPS = {
    "SparseTensorValue": SparseTensorValue,
    "sparse_add": sparse_add,
    "sparse_concat": sparse_concat,
    "sparse_split": sparse_split,
    "sparse_reduce_sum": _sparse_reduce("sparse_reduce_sum", False),
    "sparse_reduce_max": _sparse_reduce("sparse_reduce_max", False),
    "sparse_reduce_sum_sparse": _sparse_reduce("sparse_reduce_sum_sparse", True),
    "sparse_reduce_max_sparse": _sparse_reduce("sparse_reduce_max_sparse", True),
    "sparse_segment_sum": _sparse_segment("sum"),
    "sparse_segment_mean": _sparse_segment("mean"),
    "sparse_segment_sqrt_n": _sparse_segment("sqrt_n"),
    "sparse_matmul": sparse_matmul,
    "confusion_matrix": confusion_matrix,
    "decode_raw": decode_raw,
    "parse_example": parse_example,
    "parse_single_example": parse_single_example,
    "reduce_join": reduce_join,
    "string_to_hash_bucket": string_to_hash_bucket,
    "setdiff1d": setdiff1d,
    "resource_variables_enabled": _always(True, "resource_variables_enabled"),
    "control_flow_v2_enabled": _always(True, "control_flow_v2_enabled"),
    "enable_resource_variables": _already_on("enable_resource_variables"),
    "enable_control_flow_v2": _already_on("enable_control_flow_v2"),
    "enable_v2_tensorshape": _already_on("enable_v2_tensorshape"),
    "executing_eagerly_outside_functions": executing_eagerly_outside_functions,
    "no_regularizer": no_regularizer,
}
for _name in ("update", "add", "sub", "mul", "div", "min", "max", "nd_update", "nd_add", "nd_sub"):
    OPS[f"scatter_{_name}"] = _scatter(f"scatter_{_name}")
