"""Control flow as eager Python, as TensorFlow 2 runs it eagerly: case, switch_case, map_fn,
vectorized_map, scan, foldl, foldr, no_op, identity_n. Each is a plain composition of
differentiable ops, so gradients (of any order) flow through the branch or iterations that
ran. ``cond`` and ``while_loop`` live in :mod:`gpuflow.graph.control_flow`: eager the same
way, and recordable inside ``gpuflow.function``."""

from __future__ import annotations

import numpy as np

from .. import nest
from ..tensor import Tensor
from ._common import as_tensor, invalid_argument, invalid_type


def _truth(pred, op: str) -> bool:
    if isinstance(pred, Tensor):
        if pred.size != 1:
            raise invalid_argument(op, f"pred must be a scalar, received shape {tuple(pred.shape)}")
        return bool(pred.item())
    if not isinstance(pred, (bool, int)):
        raise invalid_type(op, f"pred must be a bool or a scalar tensor, received {pred!r}")
    return bool(pred)


def case(pred_fn_pairs, default=None, exclusive=False, strict=False, name=None):
    """The function of the first true predicate (``default`` when none is)."""
    pairs = (
        list(pred_fn_pairs.items())
        if isinstance(pred_fn_pairs, dict)
        else list(pred_fn_pairs)
        if isinstance(pred_fn_pairs, (list, tuple))
        else None
    )
    if pairs is None or not all(
        isinstance(p, (list, tuple)) and len(p) == 2 and callable(p[1]) for p in pairs
    ):
        raise invalid_type("case", "pred_fn_pairs must be a list of (predicate, callable) pairs")
    chosen = [fn for pred, fn in pairs if _truth(pred, "case")]
    if exclusive and len(chosen) > 1:
        raise invalid_argument("case", f"{len(chosen)} predicates are true with exclusive=True")
    if chosen:
        return chosen[0]()
    if default is None:
        raise invalid_argument("case", "no predicate is true and no default was given")
    return default()


def switch_case(branch_index, branch_fns, default=None, name=None):
    """``branch_fns[branch_index]()`` (``default``, else the last branch, when out of range)."""
    if not isinstance(branch_fns, (list, tuple, dict)) or not branch_fns:
        raise invalid_type(
            "switch_case", "branch_fns must be a non-empty list or dict of callables"
        )
    fns = dict(branch_fns) if isinstance(branch_fns, dict) else dict(enumerate(branch_fns))
    if not all(callable(fn) for fn in fns.values()):
        raise invalid_type("switch_case", "branch_fns must hold callables")
    index = (
        int(as_tensor(branch_index).item())
        if isinstance(branch_index, Tensor)
        else int(branch_index)
    )
    if index in fns:
        return fns[index]()
    if default is not None:
        return default()
    return fns[max(fns)]()


def _callable(fn, op):
    if not callable(fn):
        raise invalid_type(op, f"fn must be a callable, received {type(fn).__name__}")


def _is_ragged(value) -> bool:
    return type(value).__name__ == "RaggedTensor" and hasattr(value, "nrows_int")


class _SparseRows:
    """A SparseTensor's rows as ``map_fn`` slices them: row ``i`` is a SparseTensor of one
    rank less (TensorFlow passes ``fn`` such rows)."""

    def __init__(self, st) -> None:
        self.st = st
        self.ndim = len(st.shape)
        self.shape = tuple(st.shape)
        self._indices = np.asarray(st.indices.numpy())

    def __getitem__(self, i: int):
        from ..sparse.sparse_tensor import SparseTensor
        from .indexing import gather

        rows = np.nonzero(self._indices[:, 0] == i)[0]
        return SparseTensor(
            self._indices[rows, 1:], gather(self.st.values, rows), list(self.shape[1:])
        )


class _ExtensionRows:
    """A (Batchable)ExtensionType's rows as ``map_fn`` slices them: row ``i`` is the same
    type built from row ``i`` of each of its tensor components (TF's default batch
    encoder: unstack every nested tensor)."""

    def __init__(self, value) -> None:
        self.value = value
        self.parts = [
            as_tensor(c) for c in nest.flatten(value, expand_composites=nest.EXTENSION_TYPES)
        ]
        if not self.parts or any(p.ndim == 0 for p in self.parts):
            raise invalid_argument(
                "map_fn",
                f"{type(value).__name__} elems must have tensor fields of rank >= 1 (a batch)",
            )
        self.ndim = self.parts[0].ndim
        self.shape = (self.parts[0].shape[0],)

    def __getitem__(self, i: int):
        from .extension_batching import element

        return element(self.value, i)  # a TensorShape field loses its batch axis too


def _leaf(e):
    if _is_ragged(e):
        return e
    if type(e).__name__ == "SparseTensor":
        return _SparseRows(e)
    if hasattr(type(e), "_gpuflow_components"):  # an ExtensionType
        return _ExtensionRows(e)
    return as_tensor(e)


def _unstack_elems(elems, op):
    flat = [_leaf(e) for e in nest.flatten(elems)]
    if not flat or any(t.ndim == 0 for t in flat):
        raise invalid_argument(op, "elems must be tensors of rank >= 1")
    n = flat[0].nrows_int() if _is_ragged(flat[0]) else flat[0].shape[0]
    if any((t.nrows_int() if _is_ragged(t) else t.shape[0]) != n for t in flat):
        raise invalid_argument(op, "all elems must have the same first dimension")
    return flat, n


def _sparse_stack(outputs: list):
    """SparseTensors of one rank stacked along a new first axis; the dense shape is the
    largest of theirs in each axis (as TensorFlow's map_fn)."""
    from ..sparse.sparse_tensor import SparseTensor
    from .shape import concat

    if not all(type(o).__name__ == "SparseTensor" for o in outputs):
        kinds = sorted({type(o).__name__ for o in outputs})
        raise invalid_argument(
            "map_fn", f"fn_output_signature is a SparseTensorSpec but fn returned {kinds}"
        )
    ranks = {len(o.shape) for o in outputs}
    if len(ranks) != 1:
        raise invalid_argument("map_fn", f"fn returned SparseTensors of ranks {sorted(ranks)}")
    inner = np.max([list(o.shape) for o in outputs], axis=0).astype(np.int64).tolist()
    indices = [
        np.concatenate(
            [np.full((o.indices.shape[0], 1), i, np.int64), np.asarray(o.indices.numpy())], 1
        )
        for i, o in enumerate(outputs)
    ]
    values = concat([o.values for o in outputs], 0)
    return SparseTensor(np.concatenate(indices, 0), values, [len(outputs)] + inner)


def map_fn(
    fn,
    elems,
    dtype=None,
    parallel_iterations=None,
    back_prop=True,
    swap_memory=False,
    infer_shape=True,
    name=None,
    fn_output_signature=None,
):
    """``fn`` applied to each slice of ``elems`` along axis 0, results stacked.

    The rows of a RaggedTensor ``elems`` are its slices; as in TensorFlow the results then
    stack into a RaggedTensor unless ``fn_output_signature`` (or ``dtype``) says a dense
    tensor, and a ``tf.RaggedTensorSpec`` signature stacks any results into one.
    """
    from ..extension_type import ExtensionType
    from ..tensor_spec import RaggedTensorSpec
    from ..type_specs import SparseTensorSpec
    from . import extension_batching
    from .shape import stack

    _callable(fn, "map_fn")
    flat, n = _unstack_elems(elems, "map_fn")
    outputs = []
    for i in range(n):
        item = (
            nest.pack_sequence_as(elems, [t[i] for t in flat])
            if nest.is_nested(elems)
            else flat[0][i]
        )
        outputs.append(fn(item))
    if not outputs:
        raise invalid_argument("map_fn", "elems has no elements along axis 0")
    first = outputs[0]
    if isinstance(first, ExtensionType):
        return extension_batching.stack_elements(outputs)
    if nest.is_nested(first):
        columns = [
            stack([nest.flatten(o)[j] for o in outputs]) for j in range(len(nest.flatten(first)))
        ]
        return nest.pack_sequence_as(first, columns)
    signature = fn_output_signature if fn_output_signature is not None else dtype
    if isinstance(signature, SparseTensorSpec):
        return _sparse_stack(outputs)
    if isinstance(signature, RaggedTensorSpec) or (
        signature is None and not nest.is_nested(elems) and _is_ragged(flat[0])
    ):
        from ..ragged.join import ragged_stack

        if any(getattr(o, "ndim", 0) == 0 for o in outputs):
            raise invalid_argument(
                "map_fn",
                "fn returned a scalar where a RaggedTensor result needs rows of rank >= 1; "
                "pass fn_output_signature (a dtype or tf.TensorSpec) for a dense result",
            )
        return ragged_stack(outputs)
    return stack(outputs)


def vectorized_map(fn, elems, fallback_to_while_loop=True, warn=True):
    """As :func:`map_fn` (computed slice by slice)."""
    _callable(fn, "vectorized_map")
    return map_fn(fn, elems)


def scan(
    fn,
    elems,
    initializer=None,
    parallel_iterations=10,
    back_prop=True,
    swap_memory=False,
    infer_shape=True,
    reverse=False,
    name=None,
):
    """Accumulate ``acc = fn(acc, x)`` over the slices of ``elems``; every ``acc`` stacked."""
    from .shape import stack

    _callable(fn, "scan")
    flat, n = _unstack_elems(elems, "scan")
    order = range(n - 1, -1, -1) if reverse else range(n)
    items = [
        nest.pack_sequence_as(elems, [t[i] for t in flat]) if nest.is_nested(elems) else flat[0][i]
        for i in order
    ]
    if initializer is None:
        acc, items = items[0], items[1:]
        results = [acc]
    else:
        acc, results = initializer, []
    for item in items:
        acc = fn(acc, item)
        results.append(acc)
    if reverse:
        results = results[::-1]
    if nest.is_nested(acc):
        columns = [
            stack([nest.flatten(r)[j] for r in results]) for j in range(len(nest.flatten(acc)))
        ]
        return nest.pack_sequence_as(acc, columns)
    return stack(results)


def foldl(
    fn,
    elems,
    initializer=None,
    parallel_iterations=10,
    back_prop=True,
    swap_memory=False,
    name=None,
):
    """``fn(...fn(fn(initializer, e0), e1)..., en)`` over the slices of ``elems``."""
    _callable(fn, "foldl")
    flat, n = _unstack_elems(elems, "foldl")
    items = [flat[0][i] for i in range(n)]
    acc = items.pop(0) if initializer is None else initializer
    for item in items:
        acc = fn(acc, item)
    return acc


def foldr(
    fn,
    elems,
    initializer=None,
    parallel_iterations=10,
    back_prop=True,
    swap_memory=False,
    name=None,
):
    """As :func:`foldl`, from the last slice to the first."""
    _callable(fn, "foldr")
    flat, n = _unstack_elems(elems, "foldr")
    items = [flat[0][i] for i in range(n - 1, -1, -1)]
    acc = items.pop(0) if initializer is None else initializer
    for item in items:
        acc = fn(acc, item)
    return acc


def no_op(name=None):
    """Does nothing (eagerly there is nothing to group)."""
    return None


def identity_n(input, name=None):  # noqa: A002 - TensorFlow's name
    """``tf.identity`` of each tensor of a list."""
    from .shape import identity

    if not isinstance(input, (list, tuple)):
        raise invalid_type(
            "identity_n", f"input must be a list of tensors, received {type(input).__name__}"
        )
    return [identity(t) for t in input]
