"""Linear algebra: matmul, matvec, tensordot, einsum, trace, diag, band_part (in
``linalg_basic``-style ops here) and the decompositions in ``linalg_decomp.py``."""

from __future__ import annotations

import string

import numpy as np

from .. import dtypes
from ..autodiff.function import Function
from ..tensor import Tensor
from ._common import (
    as_int,
    as_tensor,
    int_list,
    invalid_argument,
    invalid_type,
    normalize_axis,
    pair_operands,
    unsupported_dtype,
)
from .creation import constant


def _swap_perm(ndim):
    return tuple(range(ndim - 2)) + (ndim - 1, ndim - 2)


def matrix_transpose(a, name=None, conjugate=False) -> Tensor:
    """Swap the last two axes (and conjugate complex values with ``conjugate``)."""
    from .shape import transpose

    x = as_tensor(a)
    if x.ndim < 2:
        raise invalid_argument(
            "matrix_transpose", f"expected rank >= 2, received shape {tuple(x.shape)}"
        )
    out = transpose(x, _swap_perm(x.ndim))
    if conjugate and x.dtype.is_complex:
        from .complex_ops import conj

        out = conj(out)
    return out


class MatMul(Function):
    complex_grads = True  # complex operands: TensorFlow's g @ adjoint(b), adjoint(a) @ g

    def forward(self, a, b):
        return self.device.kernels.matmul(a, b)

    def backward(self, F, g):
        a, b = F.inputs(self)
        if self._y.dtype.kind == "c":
            a, b = F.conj(a), F.conj(b)
        ga = gb = None
        if self.needs_grad[0]:
            ga = F.unbroadcast(F.matmul(g, F.transpose(b, _swap_perm(b.ndim))), a.shape)
        if self.needs_grad[1]:
            gb = F.unbroadcast(F.matmul(F.transpose(a, _swap_perm(a.ndim)), g), b.shape)
        return ga, gb


def matmul(
    a,
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
) -> Tensor:
    """Matrix product of tensors of rank >= 2 (leading axes broadcast); float16
    accumulates in float32. ``grad_a`` / ``grad_b`` (TensorFlow's hints that the op
    computes a gradient) change nothing here."""
    a, b = pair_operands(a, b, "matmul")
    if a.ndim < 2 or b.ndim < 2:
        raise invalid_argument(
            "matmul",
            f"expected tensors of rank >= 2, received shapes {tuple(a.shape)} and {tuple(b.shape)}",
        )
    if a.dtype == dtypes.bool_:
        raise unsupported_dtype("matmul", "expected number tensors, received dtype bool")
    if transpose_a or adjoint_a:
        a = matrix_transpose(a, conjugate=adjoint_a)
    if transpose_b or adjoint_b:
        b = matrix_transpose(b, conjugate=adjoint_b)
    if a.shape[-1] != b.shape[-2]:
        raise invalid_argument(
            "matmul",
            f"inner dimensions differ: shapes {tuple(a.shape)} and "
            f"{tuple(b.shape)} ({a.shape[-1]} != {b.shape[-2]})",
        )
    try:
        np.broadcast_shapes(tuple(a.shape[:-2]), tuple(b.shape[:-2]))
    except ValueError:
        raise invalid_argument(
            "matmul",
            f"batch dimensions of shapes {tuple(a.shape)} and {tuple(b.shape)} do not broadcast",
        ) from None
    return MatMul()(a, b)


def matvec(
    a, b, transpose_a=False, adjoint_a=False, a_is_sparse=False, b_is_sparse=False, name=None
) -> Tensor:
    """``a @ b`` for matrices ``a [..., M, N]`` and vectors ``b [..., N]``."""
    from .shape import expand_dims, squeeze

    b = as_tensor(b)
    if b.ndim < 1:
        raise invalid_argument("matvec", f"expected a vector b, received shape {tuple(b.shape)}")
    return squeeze(matmul(a, expand_dims(b, -1), transpose_a=transpose_a, adjoint_a=adjoint_a), -1)


def tensordot(a, b, axes, name=None) -> Tensor:
    """Sum of products over ``axes`` of ``a`` and ``b`` (an int N: the last N of a with the
    first N of b; or a pair of axis lists)."""
    from .shape import reshape, transpose

    a, b = pair_operands(a, b, "tensordot")
    if isinstance(axes, Tensor):
        axes = axes.numpy().tolist()
    if isinstance(axes, (int, np.integer)):
        n = as_int("tensordot", "axes", axes, minimum=0)
        if n > min(a.ndim, b.ndim):
            raise invalid_argument(
                "tensordot",
                f"axes={n} exceeds the rank of shapes {tuple(a.shape)} and {tuple(b.shape)}",
            )
        axes_a, axes_b = list(range(a.ndim - n, a.ndim)), list(range(n))
    else:
        try:
            axes_a, axes_b = (int_list("tensordot", "axes", x) for x in axes)
        except (TypeError, ValueError):
            raise invalid_argument(
                "tensordot", f"axes must be an int or a pair of axis lists, received {axes!r}"
            ) from None
        axes_a = list(normalize_axis(axes_a, a.ndim, "tensordot"))
        axes_b = list(normalize_axis(axes_b, b.ndim, "tensordot"))
    if len(axes_a) != len(axes_b) or any(a.shape[i] != b.shape[j] for i, j in zip(axes_a, axes_b)):
        raise invalid_argument(
            "tensordot",
            f"contracted axes {axes_a} of {tuple(a.shape)} and "
            f"{axes_b} of {tuple(b.shape)} differ in size",
        )
    free_a = [i for i in range(a.ndim) if i not in axes_a]
    free_b = [i for i in range(b.ndim) if i not in axes_b]
    k = int(np.prod([a.shape[i] for i in axes_a]))
    a2 = reshape(
        transpose(a, free_a + axes_a),
        (-1, k) if k else (int(np.prod([a.shape[i] for i in free_a])), 0),
    )
    b2 = reshape(
        transpose(b, axes_b + free_b),
        (k, -1) if k else (0, int(np.prod([b.shape[i] for i in free_b]))),
    )
    out = matmul(a2, b2)
    return reshape(out, [a.shape[i] for i in free_a] + [b.shape[i] for i in free_b])


class Einsum(Function):
    """One einsum; the gradient of each operand is an einsum of the others."""

    def __init__(self, inputs, output) -> None:
        self.in_specs, self.out_spec = inputs, output

    def forward(self, *xs):
        return _xp_einsum(self.xp, ",".join(self.in_specs) + "->" + self.out_spec, *xs)

    def backward(self, F, g):
        xs = F.inputs(self)
        grads = []
        for i, spec in enumerate(self.in_specs):
            if not self.needs_grad[i]:
                grads.append(None)
                continue
            # an index repeated within the operand ('ii'): the gradient of its distinct
            # letters ('i'), put back on the diagonal by deltas (TensorFlow's EinsumGrad)
            distinct = "".join(dict.fromkeys(spec))
            grad = self._grad_of(F, g, xs, i, distinct)
            if distinct != spec:
                grad = self._on_diagonal(F, grad, i, distinct, g)
            grads.append(grad)
        return tuple(grads)

    def _einsum(self, F, equation, *operands):
        return (
            einsum(equation, *operands) if F.tensors else _xp_einsum(self.xp, equation, *operands)
        )

    def _grad_of(self, F, g, xs, i, target):
        """The gradient of operand ``i`` over the (distinct) letters ``target``."""
        spec = self.in_specs[i]
        specs = [self.out_spec] + [s for j, s in enumerate(self.in_specs) if j != i]
        operands = [g] + [x for j, x in enumerate(xs) if j != i]
        # Letters of operand i found nowhere else were summed out in forward: they come
        # back by broadcasting over a ones tensor of their sizes.
        missing = "".join(c for c in target if c not in set("".join(specs)))
        if missing:
            ones = self.xp.ones(
                [self._xs[i].shape[spec.index(c)] for c in missing], dtype=self._y.dtype
            )
            operands.append(_const_like(ones, g) if F.tensors else ones)
            specs.append(missing)
        return self._einsum(F, ",".join(specs) + "->" + target, *operands)

    def _on_diagonal(self, F, grad, i, distinct, g):
        """``grad`` (over ``distinct``) spread to ``spec``'s shape, zero off the diagonal of
        each repeated letter."""
        spec, shape = self.in_specs[i], self._xs[i].shape
        used = set("".join(self.in_specs) + self.out_spec)
        fresh = iter(c for c in string.ascii_letters if c not in used)
        full, eye_specs, eyes, seen = [], [], [], set()
        for pos, c in enumerate(spec):
            if c in seen:
                n = next(fresh)
                full.append(n)
                eye_specs.append(c + n)
                eye = self.xp.eye(shape[pos], dtype=self._y.dtype)
                eyes.append(_const_like(eye, g) if F.tensors else eye)
            else:
                seen.add(c)
                full.append(c)
        equation = ",".join([distinct] + eye_specs) + "->" + "".join(full)
        return self._einsum(F, equation, grad, *eyes)


def _xp_einsum(xp, equation, *arrays):
    """``xp.einsum``; bfloat16 (no NumPy einsum loop) computed in float32 and rounded back."""
    if any(a.dtype == dtypes.bfloat16 for a in arrays):
        out = xp.einsum(equation, *[a.astype(np.float32) for a in arrays])
        return out.astype(dtypes.bfloat16._np)
    return xp.einsum(equation, *arrays)


def _const_like(array, like):
    return Tensor._wrap(array, like._device)


def einsum(equation, *inputs, **kwargs) -> Tensor:
    """Einstein summation, as ``numpy.einsum``, differentiable in every operand."""
    if not isinstance(equation, str):
        raise invalid_type("einsum", f"equation must be a string, received {equation!r}")
    xs = [as_tensor(x) for x in inputs]
    if not xs:
        raise invalid_argument("einsum", "expected at least one operand")
    common = dtypes.promote(*[x.dtype for x in xs])
    from .math import cast

    xs = [cast(x, common) for x in xs]
    eq = equation.replace(" ", "")
    if "..." in eq:  # written out with explicit letters (NumPy's broadcasting rules)
        from .einsum_ellipsis import expand
        from .shape import broadcast_to

        eq, targets = expand(eq, [tuple(x.shape) for x in xs])
        xs = [x if tuple(x.shape) == t else broadcast_to(x, t) for x, t in zip(xs, targets)]
    if "->" in eq:
        lhs, out = eq.split("->")
    else:
        lhs = eq
        letters = lhs.replace(",", "")
        out = "".join(sorted(c for c in set(letters) if letters.count(c) == 1))
    specs = lhs.split(",")
    if len(specs) != len(xs):
        raise invalid_argument(
            "einsum", f"the equation {equation!r} names {len(specs)} operands, received {len(xs)}"
        )
    for spec, x in zip(specs, xs):
        if len(spec) != x.ndim:
            raise invalid_argument(
                "einsum", f"operand spec {spec!r} does not match shape {tuple(x.shape)}"
            )
    try:
        np.einsum(
            eq if "->" in eq else lhs + "->" + out,
            *[np.empty(x.shape, dtype=np.float32) for x in xs],
        )
    except ValueError as exc:
        raise invalid_argument("einsum", f"{equation!r}: {exc}") from None
    return Einsum(specs, out)(*xs)


def trace(x, name=None) -> Tensor:
    """Sum of the main diagonal of the last two axes."""
    from .reduce import reduce_sum

    return reduce_sum(diag_part(x), axis=-1)


def diag_part(
    input,
    name=None,
    k=0,
    padding_value=0,
    align="RIGHT_LEFT",  # noqa: A002 - TF's name
) -> Tensor:
    """The ``k``-th diagonal of the last two axes (``k > 0`` above the main one), or for
    ``k = (low, high)`` the diagonals ``high`` down to ``low`` as ``[..., high - low + 1,
    max_len]``, shorter ones aligned as ``align`` says and filled with ``padding_value``
    (as ``tf.linalg.diag_part``)."""
    from .indexing import GetItem, gather
    from .shape import concat, reshape

    op = "diag_part"
    x = as_tensor(input)
    if x.ndim < 2:
        raise invalid_argument(op, f"expected rank >= 2, received shape {tuple(x.shape)}")
    low, high = _diag_range(k, op)
    rows, cols = x.shape[-2], x.shape[-1]
    if low == high == 0:
        n = min(rows, cols)
        idx = x._device.asarray(np.arange(n))
        return GetItem((Ellipsis, idx, idx))(x)
    index, length, count = _diag_cells(rows, cols, low, high, align, op)
    total = count * length
    source = np.full(total, rows * cols, dtype=np.int64)  # rows * cols: the padding value
    on_diagonal = index < total
    source[index[on_diagonal]] = np.flatnonzero(on_diagonal)
    batch = list(x.shape[:-2])
    fill = Tensor._wrap(
        x._device.xp.full(tuple(batch) + (1,), padding_value, dtype=x._data.dtype), x._device
    )
    flat = concat([reshape(x, batch + [rows * cols]), fill], axis=-1)
    values = gather(flat, source, axis=-1)
    return reshape(values, batch + ([length] if low == high else [count, length]))


def _diag_cells(rows, cols, low, high, align, op: str) -> tuple:
    """``(index map, max diagonal length, diagonal count)`` of diagonals ``low..high`` of
    a ``rows x cols`` matrix (``diag_part`` and ``set_diag``)."""
    if not (-rows < low and high < cols):
        raise invalid_argument(
            op,
            f"k=({low}, {high}) must lie in ({-rows}, {cols}) for matrices of shape "
            f"({rows}, {cols})",
        )
    length = min(rows + min(0, high), cols - max(0, low))
    return _diag_index_map(rows, cols, low, high, length, align, op), length, high - low + 1


def diag(
    diagonal, name=None, k=0, num_rows=-1, num_cols=-1, padding_value=0, align="RIGHT_LEFT"
) -> Tensor:
    """A (batch of) matrix with ``diagonal`` on its ``k``-th diagonal and ``padding_value``
    elsewhere, as ``tf.linalg.diag``: ``k`` an int, or a pair ``(low, high)`` with
    ``diagonal [..., high - low + 1, max_len]`` (row 0 the ``high`` diagonal; shorter
    diagonals aligned as ``align`` says: ``"RIGHT_LEFT"`` puts superdiagonals right and
    subdiagonals left). Without ``num_rows`` / ``num_cols`` the matrix is the smallest
    square that holds them."""
    from .indexing import gather
    from .shape import concat, reshape

    op = "diag"
    d = as_tensor(diagonal)
    low, high = _diag_range(k, op)
    ranged = low != high
    if d.ndim < (2 if ranged else 1):
        raise invalid_argument(
            op, f"expected a diagonal of rank >= {2 if ranged else 1}, received {tuple(d.shape)}"
        )
    count = high - low + 1
    if ranged and d.shape[-2] != count:
        raise invalid_argument(
            op, f"k=({low}, {high}) needs {count} diagonals, received shape {tuple(d.shape)}"
        )
    length = d.shape[-1]
    rows, cols = _diag_size(length, low, high, num_rows, num_cols, op)
    index = _diag_index_map(rows, cols, low, high, length, align, op)
    batch = list(d.shape[: d.ndim - (2 if ranged else 1)])
    flat = reshape(d, batch + [count * length])
    fill = Tensor._wrap(
        d._device.xp.full(tuple(batch) + (1,), padding_value, dtype=d._data.dtype), d._device
    )
    values = gather(concat([flat, fill], axis=-1), index.ravel(), axis=-1)
    return reshape(values, batch + [rows, cols])


def _diag_range(k, op: str) -> tuple:
    values = k.numpy().tolist() if isinstance(k, Tensor) else k
    if isinstance(values, (list, tuple)):
        if len(values) not in (1, 2):
            raise invalid_argument(op, f"k must be an int or a pair (low, high), received {k!r}")
        low, high = int(values[0]), int(values[-1])
    else:
        low = high = int(values)
    if low > high:
        raise invalid_argument(op, f"k=({low}, {high}): low must not exceed high")
    return low, high


def _diag_size(length, low, high, num_rows, num_cols, op: str) -> tuple:
    """TensorFlow's rule: the smallest sizes that hold the longest diagonal; square when
    neither is given."""
    min_rows, min_cols = length - min(high, 0), length + max(low, 0)
    rows, cols = int(num_rows), int(num_cols)
    if rows == -1 and cols == -1:
        rows = cols = max(min_rows, min_cols)
    rows = min_rows if rows == -1 else rows
    cols = min_cols if cols == -1 else cols
    if rows < min_rows and cols < min_cols:
        raise invalid_argument(
            op,
            f"num_rows={rows} and num_cols={cols} cannot hold diagonals of length {length} "
            f"for k=({low}, {high})",
        )
    return rows, cols


def _diag_index_map(rows, cols, low, high, length, align, op: str) -> np.ndarray:
    """For each output cell, its index in the flattened diagonals (``count * length``), or
    ``count * length`` (the padding value) off the diagonals."""
    aligns = {"RIGHT_LEFT", "LEFT_RIGHT", "LEFT_LEFT", "RIGHT_RIGHT"}
    if align not in aligns:
        raise invalid_argument(op, f"align must be one of {sorted(aligns)}, received {align!r}")
    super_right, sub_right = align.split("_")[0] == "RIGHT", align.split("_")[1] == "RIGHT"
    index = np.full((rows, cols), (high - low + 1) * length, dtype=np.int64)
    for offset in range(low, high + 1):
        first = max(0, -offset)
        size = min(rows - first, cols - max(0, offset), length)
        if size <= 0:
            continue
        right = super_right if offset >= 0 else sub_right
        shift = length - size if right and high != low else 0
        i = np.arange(first, first + size)
        index[i, i + offset] = (high - offset) * length + shift + np.arange(size)
    return index


def band_part(input, num_lower, num_upper, name=None) -> Tensor:  # noqa: A002
    """Zero everything outside a band: ``num_lower`` subdiagonals and ``num_upper``
    superdiagonals kept (-1: all)."""
    from .math import multiply

    x = as_tensor(input)
    if x.ndim < 2:
        raise invalid_argument("band_part", f"expected rank >= 2, received shape {tuple(x.shape)}")
    lower = as_int("band_part", "num_lower", num_lower, minimum=-1)
    upper = as_int("band_part", "num_upper", num_upper, minimum=-1)
    m, n = x.shape[-2], x.shape[-1]
    i, j = np.arange(m)[:, None], np.arange(n)[None, :]
    keep = ((lower < 0) | (i - j <= lower)) & ((upper < 0) | (j - i <= upper))
    # a constant of the shape alone (recorded as such inside gpuflow.function)
    return multiply(x, constant(keep.astype(x.dtype), device=x._device))
