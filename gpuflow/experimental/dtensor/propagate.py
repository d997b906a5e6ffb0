"""Layouts of op results on DTensors, by TensorFlow's simple rules.

- elementwise ops (unary, binary with broadcasting, casts): the inputs' sharding, axis by
  axis (an axis sharded in either input stays sharded; a mesh dimension is used once);
- ``matmul``: rows as ``a``'s rows, columns as ``b``'s columns, batch axes as ``a``'s (a
  sharded contraction axis is summed over: it leaves no sharding);
- reductions (``reduce_*``, ``argmax``...): the kept axes keep their sharding, reduced
  axes vanish (``keepdims``: become unsharded);
- ``concat``: as elementwise, the joined axis unsharded; ``stack``, ``expand_dims``,
  ``one_hot``: a new unsharded axis; softmax cross-entropies: the logits' layout without
  the class axis;
- ``transpose``: the sharding permuted; ``reshape``: a sharded leading axis stays sharded
  when the new leading axis is a whole multiple of the old one;
- any other op: replicated on the inputs' mesh (the values are the op's global ones).
"""

from __future__ import annotations

import sys

from ...tensor import Tensor
from .layout import UNSHARDED, Layout

_REDUCTIONS = {
    "reduce_sum",
    "reduce_mean",
    "reduce_max",
    "reduce_min",
    "reduce_prod",
    "reduce_all",
    "reduce_any",
    "reduce_logsumexp",
    "reduce_std",
    "reduce_variance",
    "reduce_euclidean_norm",
}
_ARG_REDUCTIONS = {"argmax", "argmin"}
_ELEMENTWISE_EXTRA = {
    "cast",
    "identity",
    "stop_gradient",
    "relu",
    "relu6",
    "elu",
    "selu",
    "gelu",
    "silu",
    "swish",
    "leaky_relu",
    "sigmoid",
    "tanh",
    "softplus",
    "softsign",
    "clip_by_value",
    "where",
    "bias_add",
    "dropout",
    "softmax",
    "log_softmax",
    "zeros_like",
    "ones_like",
    "fill_like",
}
# ops whose result is their logits' layout without the last (class) axis
_DROP_LAST = {"sparse_softmax_cross_entropy_with_logits", "softmax_cross_entropy_with_logits"}


def layouts_in(value, out: list) -> list:
    """The layouts of the DTensors and DVariables in ``value`` (nested lists, tuples, dicts)."""
    layout = getattr(value, "_layout", None)
    if layout is not None and isinstance(value, Tensor):
        out.append(layout)
    elif isinstance(value, (list, tuple)):
        for v in value:
            layouts_in(v, out)
    elif isinstance(value, dict):
        for v in value.values():
            layouts_in(v, out)
    return out


_SMALL = 64  # integer/string tensors up to this size count as replicated, as in TF


def check_operands(name: str, args: tuple, kwargs: dict) -> None:
    """TensorFlow's refusals for an op on DTensors: DTensors on different meshes, or a
    plain tensor that is neither a scalar nor a small integer/string one (use
    ``copy_to_mesh``). Python numbers, lists and NumPy arrays are taken as constants."""
    from ...errors import InvalidArgumentError, UnimplementedError

    inputs = layouts_in(args, layouts_in(kwargs, []))
    if not inputs:
        return
    meshes = {lay.mesh for lay in inputs}
    if len(meshes) > 1:
        raise InvalidArgumentError(
            None,
            name,
            f"{name}: its DTensor inputs are on different meshes "
            f"({', '.join(sorted(repr(m.to_string()) for m in meshes))}); relayout or "
            "copy_to_mesh them onto one mesh",
        )
    if not _called_by_user():
        return  # gpuflow's own ops mix in plain intermediates (batch_normalization, ...)
    for index, value in enumerate(_flat(list(args) + list(kwargs.values()))):
        if not isinstance(value, Tensor) or getattr(value, "_layout", None) is not None:
            continue
        small = value.dtype.is_integer or value.dtype.name == "string"
        if value.ndim == 0 or (small and value.size <= _SMALL):
            continue
        raise UnimplementedError(
            None,
            name,
            f"The op/function {name} got a regular tensor for input {index} (shape "
            f"{list(value.shape)}) but was expecting a DTensor. Currently only scalars and "
            "small integer/string tensors are auto-broadcast to DTensors. For other "
            "tensors, please use copy_to_mesh to make a DTensor explicitly.",
        )


_PLUMBING = ("gpuflow.experimental.dtensor", "gpuflow._api_dispatch", "gpuflow._symbolic_dispatch")


def _called_by_user() -> bool:
    """Whether the op was called by code outside gpuflow (the first frame past this
    package and the op dispatch)."""
    frame = sys._getframe(1)
    while frame is not None:
        module = frame.f_globals.get("__name__", "")
        if not module.startswith(_PLUMBING):
            return not module.startswith("gpuflow.")
        frame = frame.f_back
    return True


def _flat(values: list) -> list:
    out = []
    for v in values:
        if isinstance(v, (list, tuple)):
            out.extend(_flat(list(v)))
        else:
            out.append(v)
    return out


def _aligned(layout, rank: int) -> list:
    """``layout``'s specs right-aligned to ``rank`` axes (broadcasting), None where absent."""
    specs = layout.sharding_specs if layout is not None else []
    specs = specs[-rank:] if rank else []
    return [None] * (rank - len(specs)) + specs


def merge(layouts: list, rank: int, mesh) -> Layout:
    """Elementwise: an axis sharded in any input stays sharded; each mesh dim used once."""
    specs, used = [], set()
    for axis in range(rank):
        chosen = UNSHARDED
        for lay in layouts:
            spec = _aligned(lay, rank)[axis]
            if spec not in (None, UNSHARDED) and spec not in used:
                chosen = spec
                break
        if chosen != UNSHARDED:
            used.add(chosen)
        specs.append(chosen)
    return Layout(specs, mesh)


def _layout_of(value):
    return getattr(value, "_layout", None) if isinstance(value, Tensor) else None


def _arg(args, kwargs, index, name, default=None):
    if name in kwargs:
        return kwargs[name]
    return args[index] if len(args) > index else default


def _matmul(args, kwargs, rank, mesh):
    a, b = _layout_of(_arg(args, kwargs, 0, "a")), _layout_of(_arg(args, kwargs, 1, "b"))
    ta = bool(_arg(args, kwargs, 2, "transpose_a", False) or kwargs.get("adjoint_a"))
    tb = bool(_arg(args, kwargs, 3, "transpose_b", False) or kwargs.get("adjoint_b"))
    a_specs = _aligned(a, rank) if a is not None else [None] * rank
    b_specs = _aligned(b, rank) if b is not None else [None] * rank
    if rank < 2:
        return Layout.replicated(mesh, rank)
    row = a_specs[-1] if ta else a_specs[-2]
    col = b_specs[-2] if tb else b_specs[-1]
    specs = [s if s is not None else UNSHARDED for s in a_specs[:-2]]
    specs += [row or UNSHARDED, col or UNSHARDED]
    seen = set()
    for i, s in enumerate(specs):  # a mesh dimension shards one axis at most
        if s != UNSHARDED and s in seen:
            specs[i] = UNSHARDED
        seen.add(s)
    return Layout(specs, mesh)


def _reduced(layout, args, kwargs, arg_reduction: bool):
    rank = layout.rank
    axis = _arg(args, kwargs, 1, "axis", 0 if arg_reduction else None)
    keep = bool(kwargs.get("keepdims", False)) or (
        not arg_reduction and len(args) > 2 and bool(args[2])
    )
    if axis is None:
        axes = set(range(rank))
    else:
        if isinstance(axis, Tensor):
            axis = axis.numpy().tolist()
        axes = {int(a) % rank for a in (axis if isinstance(axis, (list, tuple)) else [axis])}
    specs = []
    for i, spec in enumerate(layout.sharding_specs):
        if i in axes:
            if keep:
                specs.append(UNSHARDED)
        else:
            specs.append(spec)
    return Layout(specs, layout.mesh)


def result_layout(name: str, args: tuple, kwargs: dict, inputs: list, out: Tensor) -> Layout:
    """The layout of ``out``, the result of op ``name`` on ``args`` with ``inputs`` layouts."""
    from ...ragged.dispatch import BINARY, UNARY

    mesh = inputs[0].mesh
    rank = out.ndim
    first = _layout_of(args[0]) if args else None
    if name == "matmul" or name == "__matmul__":
        return _matmul(args, kwargs, rank, mesh)
    if first is not None and name in _REDUCTIONS | _ARG_REDUCTIONS:
        layout = _reduced(first, args, kwargs, name in _ARG_REDUCTIONS)
        return layout if layout.rank == rank else Layout.replicated(mesh, rank)
    if first is not None and name == "transpose":
        perm = _arg(args, kwargs, 1, "perm")
        specs = first.sharding_specs
        perm = list(range(rank))[::-1] if perm is None else [int(p) for p in perm]
        return Layout([specs[p] for p in perm], mesh)
    if first is not None and name == "reshape" and rank and first.rank:
        # row-major blocks of a sharded leading axis stay blocks of a leading axis that
        # grows by a whole factor ((4, 2) sharded on axis 0 -> (8,) sharded the same)
        before = args[0].shape[0]
        if out.shape[0] % before == 0:
            return Layout([first.sharding_specs[0]] + [UNSHARDED] * (rank - 1), mesh)
        return Layout.replicated(mesh, rank)
    if name in _DROP_LAST:
        logits = _layout_of(kwargs.get("logits"))
        if logits is not None and logits.rank == rank + 1:
            return Layout(logits.sharding_specs[:-1], mesh)
        return Layout.replicated(mesh, rank)
    if name in ("concat", "stack"):
        values = _arg(args, kwargs, 0, "values", [])
        axis = int(_arg(args, kwargs, 1, "axis", 0))
        parts = [_layout_of(v) for v in values]
        parts = [p for p in parts if p is not None]
        if name == "stack":  # the new axis is unsharded; the others as the inputs'
            axis = axis % rank
            inner = merge(parts, rank - 1, mesh).sharding_specs
            return Layout(inner[:axis] + [UNSHARDED] + inner[axis:], mesh)
        specs = merge(parts, rank, mesh).sharding_specs
        specs[axis % rank] = UNSHARDED  # the joined axis
        return Layout(specs, mesh)
    if first is not None and name in ("expand_dims", "one_hot"):
        if name == "one_hot":
            axis = kwargs.get("axis", args[4] if len(args) > 4 else -1)
        else:
            axis = _arg(args, kwargs, 1, "axis", 0)
        axis = -1 if axis is None else int(axis)
        axis = axis % rank
        specs = first.sharding_specs
        return Layout(specs[:axis] + [UNSHARDED] + specs[axis:], mesh)
    if name in UNARY or name in BINARY or name in _ELEMENTWISE_EXTRA:
        operands = [_layout_of(a) for a in args[:3]]
        return merge([lay for lay in operands if lay is not None] or inputs, rank, mesh)
    return Layout.replicated(mesh, rank)


def with_layouts(name: str, args: tuple, kwargs: dict, result):
    """``result`` with each plain Tensor in it made a DTensor (see :func:`result_layout`)."""
    from .tensor import DTensor

    inputs = layouts_in(args, layouts_in(kwargs, []))
    if not inputs:
        return result

    def convert(value):
        if isinstance(value, Tensor) and getattr(value, "_layout", None) is None:
            try:
                layout = result_layout(name, args, kwargs, inputs, value)
                return DTensor._of(value, layout)
            except ValueError:  # shard sizes that do not divide: replicated
                from .layout import Layout as _L

                return DTensor._of(value, _L.replicated(inputs[0].mesh, value.ndim))
        if isinstance(value, (list, tuple)) and not hasattr(value, "_fields"):
            return type(value)(convert(v) for v in value)
        if isinstance(value, tuple):  # a namedtuple (tf.nn.moments gives a plain tuple)
            return type(value)(*[convert(v) for v in value])
        return value

    return convert(result)


def gradients_with_layouts(sources: list, grads: list) -> list:
    """``GradientTape.gradient``'s results: the gradient of a DTensor or DVariable source
    has the source's layout (as TensorFlow's SPMD gradients)."""
    from .tensor import DTensor

    out = list(grads)
    for i, (src, g) in enumerate(zip(sources, grads)):
        layout = getattr(src, "_layout", None) if isinstance(src, Tensor) else None
        if layout is not None and isinstance(g, Tensor) and g.ndim == layout.rank:
            out[i] = DTensor._of(g, layout)
    return out if isinstance(grads, list) else type(grads)(out)
