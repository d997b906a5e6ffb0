"""``tf.compat.v1`` functions whose TF 1 signature differs from TensorFlow 2's: the TF 1
argument names (``keep_dims``, ``reduction_indices``, ``dimension``, ``squeeze_dims``,
``dim``) and order, each calling the TF 2 function. ``v1.__getattr__`` reads ``OPS``."""

from __future__ import annotations

import sys

# imported by v1.__getattr__ once gpuflow is loaded (an import of gpuflow would be a cycle)
_tf = sys.modules["gpuflow"]


def _one(op: str, new_name: str, new, old_name: str, old):
    """The value of an argument given under its TF 2 name or its deprecated TF 1 name; both
    is TensorFlow's ValueError."""
    if new is not None and old is not None:
        raise ValueError(f"Cannot specify both '{old_name}' and '{new_name}'. ({op})")
    return new if new is not None else old


def _reduction(name: str, fn):
    def reduce(
        input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None
    ):
        axis = _one(name_, "axis", axis, "reduction_indices", reduction_indices)
        keepdims = _one(name_, "keepdims", keepdims, "keep_dims", keep_dims)
        return fn(input_tensor, axis=axis, keepdims=bool(keepdims), name=name)

    name_ = name
    reduce.__name__ = name
    return reduce


def _arg_reduction(name: str, fn):
    def arg(input, axis=None, name=None, dimension=None, output_type="int64"):
        axis = _one(name_, "axis", axis, "dimension", dimension)
        return fn(input, axis=0 if axis is None else axis, output_type=output_type, name=name)

    name_ = name
    arg.__name__ = name
    return arg


def _old_arg_reduction(name: str, fn):
    """``tf.compat.v1.arg_max(input, dimension)``: the raw op's argument names."""

    def arg(input, dimension, output_type="int64", name=None):
        return fn(input, axis=dimension, output_type=output_type, name=name)

    arg.__name__ = name
    return arg


def squeeze(input, axis=None, name=None, squeeze_dims=None):
    axis = _one("squeeze", "axis", axis, "squeeze_dims", squeeze_dims)
    return _tf.squeeze(input, axis=axis, name=name)


def expand_dims(input, axis=None, name=None, dim=None):
    axis = _one("expand_dims", "axis", axis, "dim", dim)
    if axis is None:
        raise ValueError("expand_dims: must specify either 'axis' or 'dim'")
    return _tf.expand_dims(input, axis, name=name)


def norm(tensor, ord="euclidean", axis=None, keepdims=None, name=None, keep_dims=None):
    keepdims = _one("norm", "keepdims", keepdims, "keep_dims", keep_dims)
    return _tf.norm(tensor, ord=ord, axis=axis, keepdims=bool(keepdims), name=name)


def count_nonzero(
    input_tensor=None,
    axis=None,
    keepdims=None,
    dtype="int64",
    name=None,
    reduction_indices=None,
    keep_dims=None,
    input=None,
):
    input_tensor = _one("count_nonzero", "input_tensor", input_tensor, "input", input)
    axis = _one("count_nonzero", "axis", axis, "reduction_indices", reduction_indices)
    keepdims = _one("count_nonzero", "keepdims", keepdims, "keep_dims", keep_dims)
    return _tf.math.count_nonzero(
        input_tensor, axis=axis, keepdims=bool(keepdims), dtype=dtype, name=name
    )


def space_to_depth(input, block_size, name=None, data_format="NHWC"):
    return _tf.nn.space_to_depth(input, block_size, data_format=data_format, name=name)


def depth_to_space(input, block_size, name=None, data_format="NHWC"):
    return _tf.nn.depth_to_space(input, block_size, data_format=data_format, name=name)


def floor_div(x, y, name=None):
    return _tf.math.floordiv(x, y, name=name)


def _cast_to(dtype: str, default_name: str):
    def to(x, name=default_name):
        return _tf.cast(x, dtype, name=name)

    to.__name__ = "to_" + dtype
    return to


def random_poisson(lam, shape, dtype="float32", seed=None, name=None):
    return _tf.random.poisson(shape, lam, dtype=dtype, seed=seed, name=name)


def extract_image_patches(
    images, ksizes=None, strides=None, rates=None, padding=None, name=None, sizes=None
):
    sizes = _one("extract_image_patches", "sizes", sizes, "ksizes", ksizes)
    return _tf.image.extract_patches(images, sizes, strides, rates, padding, name=name)


def string_to_number(string_tensor=None, out_type="float32", name=None, input=None):
    string_tensor = _one("string_to_number", "input", input, "string_tensor", string_tensor)
    return _tf.strings.to_number(string_tensor, out_type=out_type, name=name)


def substr(input, pos, len, name=None, unit="BYTE"):
    return _tf.strings.substr(input, pos, len, unit=unit, name=name)


def sparse_to_dense(
    sparse_indices, output_shape, sparse_values, default_value=0, validate_indices=True, name=None
):
    """A dense tensor of ``output_shape`` holding ``sparse_values`` at ``sparse_indices``."""
    indices = _tf.convert_to_tensor(sparse_indices)
    if indices.shape.rank == 0:
        indices = _tf.reshape(indices, [1, 1])
    elif indices.shape.rank == 1:
        indices = _tf.expand_dims(indices, 1)
    values = _tf.convert_to_tensor(sparse_values)
    count = _tf.shape(indices)[0]
    values = _tf.broadcast_to(values, [count]) if values.shape.rank == 0 else values
    dense = _tf.fill(output_shape, _tf.cast(default_value, values.dtype))
    return _tf.tensor_scatter_nd_update(dense, _tf.cast(indices, "int64"), values, name=name)


def batch_gather(params, indices, name=None):
    return _tf.gather(params, indices, batch_dims=len(indices.shape) - 1, name=name)


def clip_by_average_norm(t, clip_norm, name=None):
    """``t * clip_norm / max(clip_norm, l2norm(t) / size(t))``, as TF 1."""
    t = _tf.convert_to_tensor(t)
    size = _tf.cast(_tf.size(t), t.dtype)
    average = _tf.sqrt(_tf.reduce_sum(t * t)) / size
    clip = _tf.cast(clip_norm, t.dtype)
    return _tf.identity(t * clip / _tf.maximum(clip, average), name=name)


def verify_tensor_all_finite(t=None, msg=None, name=None, x=None, message=None):
    t = _one("verify_tensor_all_finite", "x", x, "t", t)
    msg = _one("verify_tensor_all_finite", "message", message, "msg", msg)
    return _tf.debugging.check_numerics(t, msg or "", name=name)


def py_func(func, inp, Tout, stateful=True, name=None):  # noqa: N803 - TensorFlow's name
    return _tf.numpy_function(func, inp, Tout, stateful=stateful, name=name)


def Print(input_, data, message=None, first_n=None, summarize=None, name=None):  # noqa: N802
    """``tf.compat.v1.Print``: prints ``message`` and ``data`` to stderr, returns ``input_``."""
    import sys

    _tf.print(message or "", *data, output_stream=sys.stderr, summarize=summarize or 3)
    return _tf.identity(input_, name=name)


def _assert_v1(name: str, fn, arity: int):
    """A TF 1 assert: ``data`` (printed with a failure) before ``summarize`` and ``message``."""

    if arity == 2:

        def check(x, y, data=None, summarize=None, message=None, name=None):
            return fn(x, y, message=_with_data(message, data), summarize=summarize, name=name)
    else:

        def check(x, data=None, summarize=None, message=None, name=None):
            return fn(x, message=_with_data(message, data), summarize=summarize, name=name)

    check.__name__ = name
    return check


def _with_data(message, data):
    if not data:
        return message
    parts = [message] if message else []
    for item in data:
        value = getattr(item, "numpy", None)
        parts.append(str(value() if callable(value) else item))
    return " ".join(parts)


def assert_rank_at_least(x, rank, data=None, summarize=None, message=None, name=None):
    return _tf.debugging.assert_rank_at_least(x, rank, message=_with_data(message, data), name=name)


def assert_rank_in(x, ranks, data=None, summarize=None, message=None, name=None):
    return _tf.debugging.assert_rank_in(x, ranks, message=_with_data(message, data), name=name)


def assert_scalar(tensor, name=None, message=None):
    return _tf.debugging.assert_scalar(tensor, message=message, name=name)


def assert_integer(x, message=None, name=None):
    return _tf.debugging.assert_integer(x, message=message, name=name)


def assert_type(tensor, tf_type, message=None, name=None):
    return _tf.debugging.assert_type(tensor, tf_type, message=message, name=name)


def assert_near(x, y, rtol=None, atol=None, data=None, summarize=None, message=None, name=None):
    return _tf.debugging.assert_near(
        x, y, rtol=rtol, atol=atol, message=_with_data(message, data), summarize=summarize,
        name=name,
    )  # fmt: skip


OPS = {
    "arg_max": _old_arg_reduction("arg_max", _tf.math.argmax),
    "arg_min": _old_arg_reduction("arg_min", _tf.math.argmin),
    "argmax": _arg_reduction("argmax", _tf.math.argmax),
    "argmin": _arg_reduction("argmin", _tf.math.argmin),
    "squeeze": squeeze,
    "expand_dims": expand_dims,
    "norm": norm,
    "count_nonzero": count_nonzero,
    "space_to_depth": space_to_depth,
    "depth_to_space": depth_to_space,
    "floor_div": floor_div,
    "to_complex64": _cast_to("complex64", "ToComplex64"),
    "to_complex128": _cast_to("complex128", "ToComplex128"),
    "to_bfloat16": _cast_to("bfloat16", "ToBFloat16"),
    "random_poisson": random_poisson,
    "extract_image_patches": extract_image_patches,
    "string_to_number": string_to_number,
    "substr": substr,
    "sparse_to_dense": sparse_to_dense,
    "batch_gather": batch_gather,
    "clip_by_average_norm": clip_by_average_norm,
    "verify_tensor_all_finite": verify_tensor_all_finite,
    "py_func": py_func,
    "Print": Print,
    "assert_rank_at_least": assert_rank_at_least,
    "assert_rank_in": assert_rank_in,
    "assert_scalar": assert_scalar,
    "assert_integer": assert_integer,
    "assert_type": assert_type,
    "assert_near": assert_near,
}
for _name in ("sum", "mean", "max", "min", "prod", "all", "any", "logsumexp"):
    OPS[f"reduce_{_name}"] = _reduction(f"reduce_{_name}", getattr(_tf, f"reduce_{_name}"))
for _name in (
    "assert_equal",
    "assert_none_equal",
    "assert_less",
    "assert_less_equal",
    "assert_greater",
    "assert_greater_equal",
):
    OPS[_name] = _assert_v1(_name, getattr(_tf.debugging, _name), 2)
for _name in ("assert_positive", "assert_negative", "assert_non_negative", "assert_non_positive"):
    OPS[_name] = _assert_v1(_name, getattr(_tf.debugging, _name), 1)
