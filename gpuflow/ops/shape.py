"""Shape ops: reshape, transpose, expand_dims, squeeze, concat, stack, unstack, split,
broadcast_to, tile, identity, shape, size, rank, ensure_shape."""

from __future__ import annotations

import numpy as np

from .. import dtypes
from .._tracing import dynamic_sizes, host_call, tracing
from ..autodiff.function import Function
from ..tensor import Tensor, TensorShape, Variable
from ._common import (
    UnsupportedDtypeError,
    as_int,
    as_tensor,
    invalid_argument,
    invalid_type,
    normalize_axis,
    packed_size,
)
from .cast import cast


class Reshape(Function):
    keeps_strings = True  # also moves tf.string elements

    def __init__(self, shape) -> None:
        self.shape = shape

    def forward(self, x):
        try:
            return x.reshape(self.shape)
        except (TypeError, ValueError):
            # sizes a trace computes on each call (0-d arrays from a recorded tf.shape)
            return x.reshape(_sizes(self.shape))

    def backward(self, F, g):
        return (F.reshape(g, self._xs[0].shape),)


def _sizes(shape) -> tuple:
    """``shape`` (a tuple of ints and 0-d arrays, or a 1-d array) as a tuple of ints."""
    if hasattr(shape, "tolist"):
        return tuple(int(d) for d in shape.tolist())
    return tuple(int(d) if isinstance(d, (int, np.integer)) else int(d.item()) for d in shape)


def _traced_shape(shape):
    """For a reshape inside a trace that records sizes (``tracing.symbolic_shapes``): the
    shape with its traced parts as their arrays (set from each call's values on replay),
    and its current sizes; None when no part is traced."""
    if not tracing.symbolic_shapes or not dynamic_sizes(
        shape, *(shape if isinstance(shape, (list, tuple)) else ())
    ):
        return None
    if isinstance(shape, Tensor):
        return shape._data, _sizes(shape._data)
    items = [
        n._data if isinstance(n, Tensor) and n.ndim == 0 and n.dtype.kind in "iu" else n
        for n in shape
    ]
    return tuple(items), _sizes(items)


def _shape_list(shape, op):
    if isinstance(shape, Tensor):
        shape = shape.numpy().tolist()
    elif isinstance(shape, np.ndarray):
        shape = shape.tolist()
    if isinstance(shape, (int, np.integer)):
        shape = [shape]
    try:
        dims = list(shape)
    except TypeError:
        raise invalid_type(op, f"shape must be a list of integers, received {shape!r}") from None
    # scalar tensors among the sizes (``[tf.shape(x)[0], -1]``), as TensorFlow packs them
    dims = [packed_size(n) for n in dims]
    for n in dims:
        if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)) or n < -1:
            raise invalid_type(op, f"shape must be a list of integers >= -1, received {dims!r}")
    return tuple(int(n) for n in dims)


def reshape(tensor, shape, name=None) -> Tensor:
    """``tensor`` with a new shape of the same size (one dimension may be -1).

    Always a new tensor: reshaping a Variable copies its current value.
    """
    x = as_tensor(tensor)
    traced = _traced_shape(shape)
    shape = _shape_list(shape if traced is None else traced[1], "reshape")
    known = int(np.prod([n for n in shape if n != -1]))
    if shape.count(-1) > 1:
        first, second = [i for i, n in enumerate(shape) if n == -1][:2]
        problem = f"Only one input size may be -1, not both {first} and {second}"
    elif -1 not in shape and known != x.size:
        problem = f"the requested shape has {known}"
    elif -1 in shape and known == 0:
        problem = "the requested shape has zero sizes: the -1 cannot be inferred"
    elif -1 in shape and x.size % known:
        problem = f"the requested shape requires a multiple of {known}"
    else:
        problem = None
    if problem is not None:  # TensorFlow's words, with both shapes
        if not problem.startswith("Only"):
            problem = f"Input to reshape is a tensor with {x.size} values, but {problem}"
        raise invalid_argument("reshape", f"{problem} (shape {tuple(x.shape)} into {list(shape)})")
    if traced is not None:
        return Reshape(traced[0])(x)
    if shape == x._data.shape and not isinstance(x, Variable):
        return x
    return Reshape(shape)(x)


class Identity(Function):
    """A copy (for a Variable, a snapshot of its current value) with the gradient passed on."""

    keeps_strings = True  # also moves tf.string elements

    def forward(self, x):
        return x.copy()

    def backward(self, F, g):
        return (g,)


class StopGradient(Function):
    """``tf.stop_gradient`` inside ``gpuflow.function``: the input unchanged (a view), as a
    recorded step through which no gradient flows, so that ``tf.gradients`` (which runs the
    recorded steps again under a tape) stops there as TensorFlow's graph does."""

    keeps_strings = True

    def forward(self, x):
        return x.view()

    def backward(self, F, g):
        return (None,)


def identity(input, name=None) -> Tensor:  # noqa: A002 - TensorFlow's name
    """``input`` as a new tensor; for a Variable, a differentiable read of its value."""
    x = as_tensor(input)
    return Identity()(x)


class Transpose(Function):
    keeps_strings = True  # also moves tf.string elements

    def __init__(self, perm) -> None:
        self.perm = perm

    def forward(self, x):
        return x.transpose(self.perm)

    def backward(self, F, g):
        return (F.transpose(g, tuple(np.argsort(self.perm).tolist())),)


def transpose(a, perm=None, conjugate=False, name=None) -> Tensor:
    """Permute the axes (reverse them when ``perm`` is None); ``conjugate`` also conjugates
    a complex tensor (``tf.linalg.adjoint``'s transpose)."""
    x = as_tensor(a)
    if perm is None:
        perm = tuple(reversed(range(x.ndim)))
    else:
        if isinstance(perm, Tensor):
            perm = perm.numpy().tolist()
        perm = tuple(int(p) % max(x.ndim, 1) for p in perm)
    if sorted(perm) != list(range(x.ndim)):
        raise invalid_argument(
            "transpose",
            f"perm {list(perm)} is not a permutation of the "
            f"{x.ndim} axes of shape {tuple(x.shape)}",
        )
    if conjugate and x.dtype.is_complex:
        return _ConjugateTranspose(perm)(x)
    return Transpose(perm)(x)


class _ConjugateTranspose(Function):
    """``transpose(x, perm, conjugate=True)`` of a complex tensor (forward only: gradients
    through complex values are not supported, as for gpuflow's other complex ops)."""

    twice_differentiable = False

    def __init__(self, perm) -> None:
        self.perm = perm

    def forward(self, x):
        return self.xp.ascontiguousarray(self.xp.conj(self.xp.transpose(x, self.perm)))

    def backward(self, F, g):
        raise NotImplementedError(
            "transpose: gradients through complex values are not supported by gpuflow"
        )


def expand_dims(input, axis, name=None) -> Tensor:  # noqa: A002 - TensorFlow's name
    x = as_tensor(input)
    axis = as_int("expand_dims", "axis", axis)
    if not -x.ndim - 1 <= axis <= x.ndim:
        raise invalid_argument(
            "expand_dims", f"axis {axis} is out of range for a tensor of rank {x.ndim}"
        )
    axis = axis % (x.ndim + 1)
    shape = list(x.shape)
    shape.insert(axis, 1)
    return Reshape(tuple(shape))(x)


def squeeze(input, axis=None, name=None) -> Tensor:  # noqa: A002
    """``input`` without axes of size 1 (only those in ``axis`` when given)."""
    x = as_tensor(input)
    axes = normalize_axis(axis, x.ndim, "squeeze")
    if axes is None:
        axes = tuple(i for i, n in enumerate(x.shape) if n == 1)
    for a in axes:
        if x.shape[a] != 1:
            raise invalid_argument(
                "squeeze", f"axis {a} has size {x.shape[a]}, expected 1 (shape {tuple(x.shape)})"
            )
    return Reshape(tuple(n for i, n in enumerate(x.shape) if i not in axes))(x)


class Concat(Function):
    keeps_strings = True  # also moves tf.string elements

    def __init__(self, axis) -> None:
        self.axis = axis

    def forward(self, *xs):
        return self.xp.concatenate(xs, axis=self.axis)

    def backward(self, F, g):
        return tuple(F.split(g, [x.shape[self.axis] for x in self._xs], self.axis))


def concat(values, axis, name=None) -> Tensor:
    """Join tensors along an existing axis."""
    ragged = _first_ragged(values)
    if ragged is not None:  # tf.RaggedTensor inputs: gpuflow.ragged joins them
        return ragged._concat(values, axis)
    if _one_value(values):  # a single tensor or array: TensorFlow's concat of one value
        values = [values]
    xs = _same_dtype(_values(values, "concat"), "concat")
    if len(xs) == 1:  # as TensorFlow: the axis must be an int, its range is not checked
        as_int("concat", "axis", axis)
        return identity(xs[0])
    if xs[0].ndim == 0:
        raise invalid_argument("concat", "can't concatenate scalars (use tf.stack instead)")
    (ax,) = normalize_axis(as_int("concat", "axis", axis), xs[0].ndim, "concat")
    for x in xs[1:]:
        if x.ndim != xs[0].ndim or any(
            a != b for i, (a, b) in enumerate(zip(x.shape, xs[0].shape)) if i != ax
        ):
            raise invalid_argument(
                "concat",
                f"shapes {tuple(xs[0].shape)} and {tuple(x.shape)} differ outside axis {ax}",
            )
    return Concat(ax)(*xs)


def stack(values, axis=0, name=None) -> Tensor:
    """Join tensors of one shape along a new axis."""
    ragged = _first_ragged(values)
    if ragged is not None:
        return ragged._stack(values, axis)
    if _one_value(values):  # a tensor stacks its rows, as in TensorFlow; an array on axis 0
        if isinstance(values, np.ndarray) and axis != 0:
            raise ValueError(
                f"stack: values must be a sequence of tensors, received an ndarray of rank "
                f"{values.ndim} (TensorFlow stacks an array only on axis 0)"
            )
        values = unstack(as_tensor(values))
    xs = _same_dtype(_values(values, "stack"), "stack")
    for x in xs[1:]:
        if x.shape != xs[0].shape:
            raise invalid_argument(
                "stack",
                f"all shapes must match, received {tuple(xs[0].shape)} and {tuple(x.shape)}",
            )
    axis = as_int("stack", "axis", axis)
    if not -xs[0].ndim - 1 <= axis <= xs[0].ndim:
        raise invalid_argument(
            "stack", f"axis {axis} is out of range for tensors of rank {xs[0].ndim}"
        )
    return concat([expand_dims(x, axis) for x in xs], axis)


def _one_value(values) -> bool:
    return isinstance(values, (Tensor, np.ndarray)) and not getattr(
        values, "_is_ragged_tensor", False
    )


def _values(values, op):
    """``values`` as Tensors; as TensorFlow's list inputs, values that are not tensors
    (NumPy arrays, Python lists) convert to the dtype of the first tensor among them
    (``tf.stack([half_tensor, [2.0]])`` stays float16)."""
    if isinstance(values, Tensor) or not isinstance(values, (list, tuple)):
        raise invalid_type(
            op, f"values must be a list of tensors, received {type(values).__name__}"
        )
    first = next((v.dtype for v in values if isinstance(v, Tensor)), None)
    _one_tensor_dtype(values, first, op)
    return [v if isinstance(v, Tensor) else as_tensor(v, dtype=first) for v in values]


def _one_tensor_dtype(values, first, op):
    """As TensorFlow's ConcatV2 and Pack, tensors of two dtypes are refused
    (``tf.stack([x_float32, x_int32])``), unless ``tnp.experimental_enable_numpy_behavior``
    is on (then they promote)."""
    if dtypes.numpy_behavior.enabled:
        return
    for i, v in enumerate(values):
        if isinstance(v, Tensor) and v.dtype != first:
            kernel = "ConcatV2" if op == "concat" else "Pack"
            raise UnsupportedDtypeError(
                None,
                op,
                f"{op}: cannot compute {kernel} as input #{i}(zero-based) was expected to be a "
                f"{first.name} tensor but is a {v.dtype.name} tensor; TensorFlow does not "
                "convert tensor dtypes implicitly: cast the tensors to one dtype (tf.cast)",
            )


def _first_ragged(values):
    """The first RaggedTensor among ``values`` (they dispatch to gpuflow.ragged), or None."""
    if isinstance(values, (list, tuple)):
        for v in values:
            if getattr(v, "_is_ragged_tensor", False):
                return v
    return None


def _same_dtype(xs, op):
    if not xs:
        raise invalid_argument(op, "expected at least one tensor")
    common = dtypes.promote(*[x.dtype for x in xs])
    return [cast(x, common) if x.dtype != common else x for x in xs]


class Split(Function):
    """One piece of a split (each piece its own op, so each output has its own node)."""

    keeps_strings = True  # also moves tf.string elements

    def __init__(self, start, stop, axis) -> None:
        self.start, self.stop, self.axis = start, stop, axis

    def forward(self, x):
        index = (slice(None),) * self.axis + (slice(self.start, self.stop),)
        return x[index]

    def backward(self, F, g):
        x = self._xs[0]
        pads = [(0, 0)] * x.ndim
        pads[self.axis] = (self.start, x.shape[self.axis] - self.stop)
        return (F.pad(g, pads),)


def split(value, num_or_size_splits, axis=0, num=None, name=None) -> list:
    """Pieces of ``value`` along ``axis``: a count of equal pieces, or a list of sizes
    (one of which may be -1)."""
    x = as_tensor(value)
    if x.ndim == 0:
        raise invalid_argument("split", "cannot split a scalar")
    (ax,) = normalize_axis(as_int("split", "axis", axis), x.ndim, "split")
    n = x.shape[ax]
    if isinstance(num_or_size_splits, Tensor):
        num_or_size_splits = num_or_size_splits.numpy().tolist()
    if not isinstance(num_or_size_splits, (int, np.integer, list, tuple)):
        raise invalid_type(
            "split",
            f"num_or_size_splits must be an integer or a list of sizes, "
            f"received {num_or_size_splits!r}",
        )
    if isinstance(num_or_size_splits, (int, np.integer)):
        count = as_int("split", "num_or_size_splits", num_or_size_splits, minimum=1)
        if n % count:
            raise invalid_argument(
                "split", f"axis {ax} of size {n} does not divide into {count} equal pieces"
            )
        sizes = [n // count] * count
    else:
        sizes = [as_int("split", "num_or_size_splits", s, minimum=-1) for s in num_or_size_splits]
        if sizes.count(-1) > 1:
            raise invalid_argument("split", f"at most one size may be -1, received {sizes}")
        if -1 in sizes:
            sizes[sizes.index(-1)] = n - (sum(sizes) + 1)
        if sum(sizes) != n or min(sizes, default=0) < 0:
            raise invalid_argument(
                "split", f"sizes {list(num_or_size_splits)} do not add up to axis {ax} of size {n}"
            )
    out, start = [], 0
    for size in sizes:
        out.append(Split(start, start + size, ax)(x))
        start += size
    return out


def unstack(value, num=None, axis=0, name=None) -> list:
    """The slices of ``value`` along ``axis``, each without that axis."""
    x = as_tensor(value)
    if x.ndim == 0:
        raise invalid_argument("unstack", "cannot unstack a scalar")
    (ax,) = normalize_axis(axis, x.ndim, "unstack")
    if num is not None and num != x.shape[ax]:
        raise invalid_argument("unstack", f"num={num} but axis {ax} has size {x.shape[ax]}")
    rest = tuple(n for i, n in enumerate(x.shape) if i != ax)
    return [Reshape(rest)(piece) for piece in split(x, x.shape[ax], ax)] if x.shape[ax] else []


class BroadcastTo(Function):
    keeps_strings = True  # also moves tf.string elements

    def __init__(self, shape) -> None:
        self.shape = shape

    def forward(self, x):
        return self.xp.broadcast_to(x, self.shape)

    def backward(self, F, g):
        return (F.unbroadcast(g, self._xs[0].shape),)


def broadcast_to(input, shape, name=None) -> Tensor:  # noqa: A002
    x = as_tensor(input)
    shape = _shape_list(shape, "broadcast_to")
    try:
        out = np.broadcast_shapes(tuple(x.shape), shape)
    except ValueError:
        out = None
    if out != shape:
        raise invalid_argument(
            "broadcast_to", f"cannot broadcast shape {tuple(x.shape)} to {shape}"
        )
    return BroadcastTo(shape)(x)


class Tile(Function):
    keeps_strings = True  # also moves tf.string elements

    def __init__(self, multiples) -> None:
        self.multiples = multiples

    def forward(self, x):
        return self.xp.tile(x, self.multiples)

    def backward(self, F, g):
        split_shape = []
        for rep, n in zip(self.multiples, self._xs[0].shape):
            split_shape += [rep, n]
        axes = tuple(range(0, 2 * len(self.multiples), 2))
        return (F.sum(F.reshape(g, tuple(split_shape)), axes),)


def tile(input, multiples, name=None) -> Tensor:  # noqa: A002
    x = as_tensor(input)
    multiples = _shape_list(multiples, "tile")
    if len(multiples) != x.ndim or min(multiples, default=0) < 0:
        raise invalid_argument(
            "tile",
            f"expected {x.ndim} multiples >= 0 for shape "
            f"{tuple(x.shape)}, received {list(multiples)}",
        )
    return Tile(multiples)(x)


def shape(input, out_type="int32", name=None) -> Tensor:  # noqa: A002
    x = as_tensor(input)
    trace = tracing.trace
    if trace is not None and trace.is_traced(x):
        if trace.symbolic_shapes:
            return _shape_on_each_call(x, out_type)
        trace.read_sizes = True
    dims = tuple(x.shape)
    if any(d is None for d in dims):  # a Variable declared with free axes: its value's shape
        dims = x._data.shape
    return Tensor._wrap(
        x._device.asarray(np.array(dims, dtype=dtypes.as_dtype(out_type))), x._device
    )


@host_call(effect=False)
def _shape_on_each_call(x, out_type):
    """``tf.shape`` as a step of a trace that records sizes (``tracing.symbolic_shapes``)."""
    return Tensor._wrap(
        x._device.asarray(np.array(x._data.shape, dtype=dtypes.as_dtype(out_type))), x._device
    )


def size(input, out_type="int32", name=None) -> Tensor:  # noqa: A002
    x = as_tensor(input)
    return Tensor._wrap(
        x._device.asarray(np.array(x.size, dtype=dtypes.as_dtype(out_type))), x._device
    )


def rank(input, name=None) -> Tensor:  # noqa: A002
    x = as_tensor(input)
    return Tensor._wrap(x._device.asarray(np.array(x.ndim, dtype=np.int32)), x._device)


def ensure_shape(x, shape, name=None) -> Tensor:
    """``x`` unchanged when its shape fits ``shape`` (``None`` entries match any size)."""
    t = as_tensor(x)
    if isinstance(shape, Tensor):
        shape = shape.numpy().tolist()
    if isinstance(shape, TensorShape):  # an unknown rank fits any tensor
        shape = None if shape.rank is None else shape.as_list()
    if shape is not None and not isinstance(shape, (list, tuple)):
        raise invalid_type(
            "ensure_shape", f"shape must be a list of sizes (None: any), received {shape!r}"
        )
    dims = list(shape) if shape is not None else None
    trace = tracing.trace
    if dims is not None and trace is not None and trace.is_traced(t):
        return _ensure_traced_shape(trace, t, dims)
    if dims is not None and not _fits(dims, t.shape):
        raise invalid_argument(
            "ensure_shape", f"expected shape {dims}, received shape {tuple(t.shape)}"
        )
    return t


def _fits(dims, sizes) -> bool:
    return len(dims) == len(sizes) and all(
        d is None or n is None or d == n for d, n in zip(dims, sizes)
    )


def _ensure_traced_shape(trace, t, dims) -> Tensor:
    """Inside ``gpuflow.function``: the sizes are checked on each call (an EnsureShape
    step; a trace on stand-in sizes, for ``get_concrete_function``, checks the declared
    static shape instead: TF's ValueError), and the result's static shape takes the sizes
    ``dims`` gives (``(None, 3)`` from ``(None, None)``)."""
    static = tuple(t._static_shape().as_list())
    if trace.dry and not _fits(dims, static):
        raise ValueError(
            f"ensure_shape: the shape {list(static)} of the tensor is incompatible with the "
            f"expected shape {dims}"
        )
    out = EnsureShape(tuple(dims))(t)
    merged = tuple(d if d is not None else n for d, n in zip(dims, static))
    if None in merged:
        trace.static_shapes[id(out)] = (out, merged)
    return out


class EnsureShape(Function):
    """``tf.ensure_shape`` as a step of a compiled function: each call checks its sizes
    (a trace for ``get_concrete_function``, on stand-in sizes, does not); the gradient
    passes through."""

    keeps_strings = True

    def __init__(self, dims) -> None:
        self.dims = dims

    def forward(self, x):
        trace = tracing.trace
        if (trace is None or not trace.dry) and not _fits(self.dims, x.shape):
            raise invalid_argument(
                "ensure_shape", f"expected shape {list(self.dims)}, received shape {x.shape}"
            )
        return x.view()

    def backward(self, F, g):
        return (g,)
