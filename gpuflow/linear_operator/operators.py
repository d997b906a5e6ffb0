"""The concrete ``tf.linalg.LinearOperator*`` classes. Each gives its shape and dense
matrix; methods its structure makes cheap (a diagonal's solve and determinant, the
identity's matmul, a permutation's gather) are overridden, the rest use the dense
fallbacks of :class:`LinearOperator`."""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..ops import linalg as _la
from ..ops import linalg_decomp as _dec
from ..ops._common import as_tensor
from ..ops.creation import eye, zeros
from ..ops.math import abs as _abs
from ..ops.math import log
from ..ops.reduce import reduce_prod, reduce_sum
from ..ops.shape import broadcast_to, concat, reshape, split
from ..tensor import Tensor
from . import base as _base
from .base import LinearOperator, adjoint_of


def _conj(x):
    from ..ops.complex_ops import conj

    return conj(x) if x.dtype.is_complex else x


def _batch(*shapes):
    return tuple(np.broadcast_shapes(*[tuple(s) for s in shapes]))


def _float_or_complex(name, x):
    if x.dtype.kind not in "fc":
        raise TypeError(
            f"{name}: expected a float or complex tensor, received dtype {x.dtype.name}"
        )
    return x


def _params(local, skip=("self", "__class__")):
    return {k: v for k, v in local.items() if k not in skip}


class LinearOperatorFullMatrix(LinearOperator):
    """The operator of a dense ``matrix [..., M, N]``."""

    def __init__(
        self,
        matrix,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name="LinearOperatorFullMatrix",
    ) -> None:
        params = _params(locals())
        self._matrix = _float_or_complex(name, as_tensor(matrix))
        if self._matrix.ndim < 2:
            raise ValueError(
                f"{name}: matrix must have rank >= 2, received shape {tuple(self._matrix.shape)}"
            )
        super().__init__(
            self._matrix.dtype,
            is_non_singular=is_non_singular,
            is_self_adjoint=is_self_adjoint,
            is_positive_definite=is_positive_definite,
            is_square=is_square,
            name=name,
            parameters=params,
        )

    def _shape(self):
        return self._matrix.shape

    def _to_dense(self):
        return self._matrix


class LinearOperatorLowerTriangular(LinearOperator):
    """The lower triangle of ``tril [..., N, N]`` (the rest is ignored)."""

    def __init__(
        self,
        tril,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name="LinearOperatorLowerTriangular",
    ) -> None:
        params = _params(locals())
        if is_square is False:
            raise ValueError("Only square lower triangular operators supported at this time.")
        t = _float_or_complex(name, as_tensor(tril))
        if t.ndim < 2 or t.shape[-1] != t.shape[-2]:
            raise ValueError(f"{name}: tril must be [..., N, N], received {tuple(t.shape)}")
        self._tril = _la.band_part(t, -1, 0)
        super().__init__(
            t.dtype,
            is_non_singular=is_non_singular,
            is_self_adjoint=is_self_adjoint,
            is_positive_definite=is_positive_definite,
            is_square=True,
            name=name,
            parameters=params,
        )

    def _shape(self):
        return self._tril.shape

    def _to_dense(self):
        return self._tril

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        from ..ops.linalg_more import triangular_solve

        rhs = adjoint_of(rhs) if adjoint_arg else rhs
        if adjoint:
            return _dec.matrix_solve(adjoint_of(self._tril), rhs)
        return triangular_solve(self._tril, rhs, lower=True)

    def _determinant(self):
        return reduce_prod(self._diag_part(), axis=-1)

    def _log_abs_determinant(self):
        return reduce_sum(log(_abs(self._diag_part())), axis=-1)


class LinearOperatorDiag(LinearOperator):
    """``diag(diag)`` for ``diag [..., N]``."""

    def __init__(
        self,
        diag,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name="LinearOperatorDiag",
    ) -> None:
        params = _params(locals())
        d = _float_or_complex(name, as_tensor(diag))
        if d.ndim < 1:
            raise ValueError(f"{name}: diag must have rank >= 1, received a scalar")
        if not d.dtype.is_complex:
            if is_self_adjoint is False:
                raise ValueError("A real diagonal operator is always self adjoint.")
            is_self_adjoint = True
        if is_square is False:
            raise ValueError("Only square diagonal operators currently supported.")
        self._diag = d
        super().__init__(
            d.dtype,
            is_non_singular=is_non_singular,
            is_self_adjoint=is_self_adjoint,
            is_positive_definite=is_positive_definite,
            is_square=True,
            name=name,
            parameters=params,
        )

    @property
    def diag(self):
        return self._diag

    def _shape(self):
        return tuple(self._diag.shape) + (self._diag.shape[-1],)

    def _to_dense(self):
        return _la.diag(self._diag)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        d = _conj(self._diag) if adjoint else self._diag
        x = adjoint_of(x) if adjoint_arg else x
        return d[..., :, None] * x

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        d = _conj(self._diag) if adjoint else self._diag
        rhs = adjoint_of(rhs) if adjoint_arg else rhs
        return rhs / d[..., :, None]

    def _determinant(self):
        return reduce_prod(self._diag, axis=-1)

    def _log_abs_determinant(self):
        return reduce_sum(log(_abs(self._diag)), axis=-1)

    def _diag_part(self):
        return self._diag

    def _add_to_tensor(self, x):
        return x + _la.diag(self._diag)

    def _eigvals(self):
        from ..ops.complex_ops import real

        return real(self._diag) if self._diag.dtype.is_complex else self._diag

    def _linop_adjoint(self):
        return LinearOperatorDiag(_conj(self._diag), is_non_singular=self.is_non_singular)

    def _linop_inverse(self):
        return LinearOperatorDiag(
            1.0 / self._diag,
            is_non_singular=self.is_non_singular,
            is_self_adjoint=self.is_self_adjoint,
            is_positive_definite=self.is_positive_definite,
        )

    def _linop_matmul(self, left, right):
        if isinstance(left, LinearOperatorDiag) and isinstance(right, LinearOperatorDiag):
            return LinearOperatorDiag(left.diag * right.diag)
        return super()._linop_matmul(left, right)

    def _linop_cholesky(self):
        from ..ops.math import sqrt

        return LinearOperatorDiag(sqrt(self._diag), is_non_singular=True)


def _batch_list(batch_shape):
    if batch_shape is None:
        return ()
    values = batch_shape.numpy() if isinstance(batch_shape, Tensor) else batch_shape
    return tuple(int(v) for v in np.asarray(values).reshape(-1))


def _int(value, what):
    v = value.numpy() if isinstance(value, Tensor) else value
    if np.ndim(v) != 0 or int(v) != v or int(v) < 0:
        raise ValueError(f"Argument {what} must be a non-negative integer, received {value!r}")
    return int(v)


class LinearOperatorIdentity(LinearOperator):
    """The ``num_rows x num_rows`` identity (with an optional ``batch_shape``)."""

    def __init__(
        self,
        num_rows,
        batch_shape=None,
        dtype=None,
        is_non_singular=True,
        is_self_adjoint=True,
        is_positive_definite=True,
        is_square=True,
        assert_proper_shapes=False,
        name="LinearOperatorIdentity",
    ) -> None:
        params = _params(locals())
        for hint, what in (
            (is_non_singular, "non-singular"),
            (is_self_adjoint, "self-adjoint"),
            (is_positive_definite, "positive definite"),
            (is_square, "square"),
        ):
            if not hint:
                raise ValueError(f"An identity operator is always {what}.")
        self._num_rows = _int(num_rows, "num_rows")
        self._batch_shape_arg = _batch_list(batch_shape)
        super().__init__(
            dtype or dtypes.float32,
            is_non_singular=True,
            is_self_adjoint=True,
            is_positive_definite=True,
            is_square=True,
            name=name,
            parameters=params,
        )

    def _shape(self):
        return self._batch_shape_arg + (self._num_rows, self._num_rows)

    def _to_dense(self):
        return eye(self._num_rows, batch_shape=list(self._batch_shape_arg), dtype=self.dtype)

    def _broadcast(self, x):
        batch = _batch(self._batch_shape_arg, x.shape[:-2])
        return broadcast_to(x, batch + tuple(x.shape[-2:]))

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return self._broadcast(adjoint_of(x) if adjoint_arg else x)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        return self._matmul(rhs, adjoint_arg=adjoint_arg)

    def _ones(self):
        from ..ops.creation import ones

        return ones(self._batch_shape_arg, dtype=self.dtype)

    def _determinant(self):
        return self._ones()

    def _log_abs_determinant(self):
        return zeros(self._batch_shape_arg, dtype=self.dtype)

    def _diag_part(self):
        from ..ops.creation import ones

        return ones(self._batch_shape_arg + (self._num_rows,), dtype=self.dtype)

    def _linop_inverse(self):
        return self


class LinearOperatorScaledIdentity(LinearOperator):
    """``multiplier * I`` (``multiplier`` of shape ``batch_shape``)."""

    def __init__(
        self,
        num_rows,
        multiplier,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=True,
        assert_proper_shapes=False,
        name="LinearOperatorScaledIdentity",
    ) -> None:
        params = _params(locals())
        self._multiplier = _float_or_complex(name, as_tensor(multiplier))
        self._num_rows = _int(num_rows, "num_rows")
        if not self._multiplier.dtype.is_complex:
            if is_self_adjoint is False:
                raise ValueError("A real diagonal operator is always self adjoint.")
            is_self_adjoint = True
        if not is_square:
            raise ValueError("A ScaledIdentity operator is always square.")
        super().__init__(
            self._multiplier.dtype,
            is_non_singular=is_non_singular,
            is_self_adjoint=is_self_adjoint,
            is_positive_definite=is_positive_definite,
            is_square=True,
            name=name,
            parameters=params,
        )

    @property
    def multiplier(self):
        return self._multiplier

    def _shape(self):
        return tuple(self._multiplier.shape) + (self._num_rows, self._num_rows)

    def _m(self, adjoint):
        m = _conj(self._multiplier) if adjoint else self._multiplier
        return m[..., None, None]

    def _to_dense(self):
        return self._m(False) * eye(self._num_rows, dtype=self.dtype)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return self._m(adjoint) * (adjoint_of(x) if adjoint_arg else x)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        return (adjoint_of(rhs) if adjoint_arg else rhs) / self._m(adjoint)

    def _determinant(self):
        return self._multiplier**self._num_rows

    def _log_abs_determinant(self):
        return self._num_rows * log(_abs(self._multiplier))

    def _diag_part(self):
        from ..ops.creation import ones

        return self._multiplier[..., None] * ones([self._num_rows], dtype=self.dtype)

    def _linop_inverse(self):
        return LinearOperatorScaledIdentity(self._num_rows, 1.0 / self._multiplier)


class LinearOperatorZeros(LinearOperator):
    """The all-zero ``[..., num_rows, num_columns]`` operator."""

    def __init__(
        self,
        num_rows,
        num_columns=None,
        batch_shape=None,
        dtype=None,
        is_non_singular=False,
        is_self_adjoint=True,
        is_positive_definite=False,
        is_square=True,
        assert_proper_shapes=False,
        name="LinearOperatorZeros",
    ) -> None:
        params = _params(locals())
        if is_non_singular:
            raise ValueError("A Zeros operator is always singular.")
        if is_positive_definite:
            raise ValueError("A Zeros operator is never positive definite.")
        self._num_rows = _int(num_rows, "num_rows")
        self._num_columns = (
            self._num_rows if num_columns is None else _int(num_columns, "num_columns")
        )
        if is_square and self._num_rows != self._num_columns:
            raise ValueError(
                f"LinearOperatorZeros initialized as is_square=True, but got "
                f"num_rows({self._num_rows}) != num_columns({self._num_columns})"
            )
        self._batch_shape_arg = _batch_list(batch_shape)
        super().__init__(
            dtype or dtypes.float32,
            is_non_singular=False,
            is_self_adjoint=is_self_adjoint,
            is_positive_definite=False,
            is_square=is_square,
            name=name,
            parameters=params,
        )

    def _shape(self):
        return self._batch_shape_arg + (self._num_rows, self._num_columns)

    def _to_dense(self):
        return zeros(list(self.shape), dtype=self.dtype)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        x = adjoint_of(x) if adjoint_arg else x
        rows = self._num_columns if adjoint else self._num_rows
        batch = _batch(self._batch_shape_arg, x.shape[:-2])
        return zeros(list(batch) + [rows, x.shape[-1]], dtype=self.dtype) + 0 * reduce_sum(
            x, axis=[-2, -1], keepdims=True
        )

    def _determinant(self):
        return zeros(list(self._batch_shape_arg), dtype=self.dtype)

    def _log_abs_determinant(self):
        return log(self._determinant())

    def _diag_part(self):
        n = min(self._num_rows, self._num_columns)
        return zeros(list(self._batch_shape_arg) + [n], dtype=self.dtype)

    def _add_to_tensor(self, x):
        return x + self._to_dense()


class LinearOperatorComposition(LinearOperator):
    """``operators[0] @ operators[1] @ ...``."""

    def __init__(
        self,
        operators,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name=None,
    ) -> None:
        params = _params(locals())
        ops = list(operators)
        if not ops:
            raise ValueError(f"Expected a non-empty list of operators. Found: {operators}")
        _check_operators(ops, "LinearOperatorComposition")
        for left, right in zip(ops[:-1], ops[1:], strict=True):
            if left.domain_dimension != right.range_dimension:
                raise ValueError(
                    f"Dimensions {left.domain_dimension} and {right.range_dimension} are not "
                    f"compatible (operators {left.name} and {right.name})"
                )
        if all(o.is_non_singular for o in ops):
            if is_non_singular is False:
                raise ValueError(
                    "The composition of non-singular operators is always non-singular."
                )
            is_non_singular = True
        self._operators = ops
        super().__init__(
            ops[0].dtype,
            is_non_singular=is_non_singular,
            is_self_adjoint=is_self_adjoint,
            is_positive_definite=is_positive_definite,
            is_square=is_square,
            name=name or "_o_".join(o.name for o in ops),
            parameters=params,
        )

    @property
    def operators(self):
        return list(self._operators)

    def _shape(self):
        batch = _batch(*[o.batch_shape for o in self._operators])
        return batch + (self._operators[0].range_dimension, self._operators[-1].domain_dimension)

    def _to_dense(self):
        out = self._operators[-1].to_dense()
        for o in reversed(self._operators[:-1]):
            out = o.matmul(out)
        return out

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        if adjoint:
            out = self._operators[0].matmul(x, adjoint=True, adjoint_arg=adjoint_arg)
            for o in self._operators[1:]:
                out = o.matmul(out, adjoint=True)
            return out
        out = self._operators[-1].matmul(x, adjoint_arg=adjoint_arg)
        for o in reversed(self._operators[:-1]):
            out = o.matmul(out)
        return out

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        if any(not o.is_square for o in self._operators):
            return super()._solve(rhs, adjoint, adjoint_arg)
        if adjoint:
            out = self._operators[-1].solve(rhs, adjoint=True, adjoint_arg=adjoint_arg)
            for o in reversed(self._operators[:-1]):
                out = o.solve(out, adjoint=True)
            return out
        out = self._operators[0].solve(rhs, adjoint_arg=adjoint_arg)
        for o in self._operators[1:]:
            out = o.solve(out)
        return out

    def _determinant(self):
        if any(not o.is_square for o in self._operators):
            return super()._determinant()
        out = self._operators[0].determinant()
        for o in self._operators[1:]:
            out = out * o.determinant()
        return out

    def _log_abs_determinant(self):
        if any(not o.is_square for o in self._operators):
            return super()._log_abs_determinant()
        return sum(o.log_abs_determinant() for o in self._operators)


def _check_operators(ops, who):
    for o in ops:
        if not isinstance(o, LinearOperator):
            raise TypeError(f"{who}: expected LinearOperators, received {type(o).__name__}")
    kinds = {o.dtype for o in ops}
    if len(kinds) > 1:
        raise TypeError(
            f"{who}: expected all operators to have the same dtype, received "
            f"{[o.dtype.name for o in ops]}"
        )


class LinearOperatorInversion(LinearOperator):
    """``operator^-1``: matmul solves, solve multiplies."""

    def __init__(
        self,
        operator,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name=None,
    ) -> None:
        params = _params(locals())
        _check_operators([operator], "LinearOperatorInversion")
        if operator.is_non_singular is False or is_non_singular is False:
            raise ValueError(
                "operator and supplied hints must have is_non_singular equal to True or None"
            )
        if operator.is_square is False or is_square is False:
            raise ValueError(
                "operator and supplied hints must have is_square equal to True or None"
            )
        self._operator = operator
        super().__init__(
            operator.dtype,
            is_non_singular=True if operator.is_non_singular else is_non_singular,
            is_self_adjoint=operator.is_self_adjoint
            if is_self_adjoint is None
            else is_self_adjoint,
            is_positive_definite=operator.is_positive_definite
            if is_positive_definite is None
            else is_positive_definite,
            is_square=True,
            name=name or operator.name + "_inv",
            parameters=params,
        )

    @property
    def operator(self):
        return self._operator

    def _shape(self):
        return tuple(self._operator.shape)

    def _to_dense(self):
        return _dec.matrix_inverse(self._operator.to_dense())

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return self._operator.solve(x, adjoint=adjoint, adjoint_arg=adjoint_arg)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        return self._operator.matmul(rhs, adjoint=adjoint, adjoint_arg=adjoint_arg)

    def _determinant(self):
        return 1.0 / self._operator.determinant()

    def _log_abs_determinant(self):
        return -self._operator.log_abs_determinant()

    def _linop_inverse(self):
        return self._operator


class LinearOperatorAdjoint(LinearOperator):
    """``operator^H``."""

    def __init__(
        self,
        operator,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name=None,
    ) -> None:
        params = _params(locals())
        _check_operators([operator], "LinearOperatorAdjoint")
        self._operator = operator

        def pick(own, theirs):
            return theirs if own is None else own

        super().__init__(
            operator.dtype,
            is_non_singular=pick(is_non_singular, operator.is_non_singular),
            is_self_adjoint=pick(is_self_adjoint, operator.is_self_adjoint),
            is_positive_definite=pick(is_positive_definite, operator.is_positive_definite),
            is_square=pick(is_square, operator._is_square_set_or_implied_by_hints),
            name=name or operator.name + "_adjoint",
            parameters=params,
        )

    @property
    def operator(self):
        return self._operator

    def _shape(self):
        s = tuple(self._operator.shape)
        return s[:-2] + (s[-1], s[-2])

    def _to_dense(self):
        return adjoint_of(self._operator.to_dense())

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return self._operator.matmul(x, adjoint=not adjoint, adjoint_arg=adjoint_arg)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        return self._operator.solve(rhs, adjoint=not adjoint, adjoint_arg=adjoint_arg)

    def _determinant(self):
        return _conj(self._operator.determinant())

    def _log_abs_determinant(self):
        return self._operator.log_abs_determinant()

    def _linop_adjoint(self):
        return self._operator


class _BlockwiseArgs:
    """``matmul`` / ``matvec`` / ``solve`` / ``solvevec`` of a block operator also take a
    list with one tensor per diagonal block (as TensorFlow): the blocks are joined (their
    batch shapes broadcast), the operator applied, and the result split per block again."""

    def _block_dims(self) -> list:
        raise NotImplementedError

    def _is_blockwise(self, x, axis: int) -> bool:
        dims = self._block_dims()
        if not isinstance(x, (list, tuple)) or len(x) != len(dims):
            return False
        try:
            parts = [as_tensor(v) for v in x]
        except (TypeError, ValueError):
            return False
        return all(p.ndim >= -axis and p.shape[axis] == d for p, d in zip(parts, dims))

    def _joined(self, x, axis: int):
        parts = [as_tensor(v, dtype=self.dtype) for v in x]
        tails = {tuple(p.shape[axis:][1:]) for p in parts}
        if len(tails) != 1:
            raise ValueError(
                f"{self.name}: the blocks of a blockwise argument must agree after the block "
                f"axis, received shapes {[tuple(p.shape) for p in parts]}"
            )
        batch = _batch(*[p.shape[:axis] for p in parts])
        return concat([broadcast_to(p, batch + tuple(p.shape[axis:])) for p in parts], axis=axis)

    def _split_blocks(self, y, axis: int) -> list:
        return list(split(y, self._block_dims(), axis=axis))

    def matmul(self, x, adjoint=False, adjoint_arg=False, name="matmul"):
        axis = -1 if adjoint_arg else -2
        if self._is_blockwise(x, axis):
            y = super().matmul(self._joined(x, axis), adjoint, adjoint_arg)
            return self._split_blocks(y, -2)
        return super().matmul(x, adjoint, adjoint_arg)

    def matvec(self, x, adjoint=False, name="matvec"):
        if self._is_blockwise(x, -1):
            return self._split_blocks(super().matvec(self._joined(x, -1), adjoint), -1)
        return super().matvec(x, adjoint)

    def solve(self, rhs, adjoint=False, adjoint_arg=False, name="solve"):
        axis = -1 if adjoint_arg else -2
        if self._is_blockwise(rhs, axis):
            y = super().solve(self._joined(rhs, axis), adjoint, adjoint_arg)
            return self._split_blocks(y, -2)
        return super().solve(rhs, adjoint, adjoint_arg)

    def solvevec(self, rhs, adjoint=False, name="solve"):
        if self._is_blockwise(rhs, -1):
            return self._split_blocks(super().solvevec(self._joined(rhs, -1), adjoint), -1)
        return super().solvevec(rhs, adjoint)


class LinearOperatorBlockDiag(_BlockwiseArgs, LinearOperator):
    """The block-diagonal operator of square ``operators``."""

    def __init__(
        self,
        operators,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=True,
        name=None,
    ) -> None:
        params = _params(locals())
        ops = list(operators)
        if not ops:
            raise ValueError(f"Expected a non-empty list of operators. Found: {operators}")
        _check_operators(ops, "LinearOperatorBlockDiag")
        if not is_square:
            raise ValueError("A block diagonal operator is always square.")
        for o in ops:
            if o.is_square is False:
                raise ValueError(f"Expected square operators, {o.name} is {tuple(o.shape)}")
        if all(o.is_non_singular for o in ops):
            is_non_singular = True if is_non_singular is None else is_non_singular
        if all(o.is_self_adjoint for o in ops):
            is_self_adjoint = True if is_self_adjoint is None else is_self_adjoint
        if all(o.is_positive_definite for o in ops):
            is_positive_definite = True if is_positive_definite is None else is_positive_definite
        self._operators = ops
        super().__init__(
            ops[0].dtype,
            is_non_singular=is_non_singular,
            is_self_adjoint=is_self_adjoint,
            is_positive_definite=is_positive_definite,
            is_square=True,
            name=name or "_ds_".join(o.name for o in ops),
            parameters=params,
        )

    @property
    def operators(self):
        return list(self._operators)

    def _block_dims(self) -> list:
        return [o.domain_dimension for o in self._operators]

    def _shape(self):
        n = sum(o.domain_dimension for o in self._operators)
        return _batch(*[o.batch_shape for o in self._operators]) + (n, n)

    def _to_dense(self):
        batch = _batch(*[o.batch_shape for o in self._operators])
        n = self.domain_dimension
        rows, start = [], 0
        for o in self._operators:
            k = o.domain_dimension
            block = broadcast_to(o.to_dense(), batch + (k, k))
            left = zeros(list(batch) + [k, start], dtype=self.dtype)
            right = zeros(list(batch) + [k, n - start - k], dtype=self.dtype)
            rows.append(concat([left, block, right], axis=-1))
            start += k
        return concat(rows, axis=-2)

    def _blockwise(self, x, fn, adjoint_arg):
        x = adjoint_of(x) if adjoint_arg else x
        parts = split(x, [o.domain_dimension for o in self._operators], axis=-2)
        outs = [fn(o, p) for o, p in zip(self._operators, parts, strict=True)]
        batch = _batch(*[o.shape[:-2] for o in outs])
        return concat([broadcast_to(o, batch + tuple(o.shape[-2:])) for o in outs], axis=-2)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        return self._blockwise(x, lambda o, p: o.matmul(p, adjoint=adjoint), adjoint_arg)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        return self._blockwise(rhs, lambda o, p: o.solve(p, adjoint=adjoint), adjoint_arg)

    def _determinant(self):
        out = self._operators[0].determinant()
        for o in self._operators[1:]:
            out = out * o.determinant()
        return out

    def _log_abs_determinant(self):
        return sum(o.log_abs_determinant() for o in self._operators)

    def _diag_part(self):
        parts = [o.diag_part() for o in self._operators]
        batch = _batch(*[p.shape[:-1] for p in parts])
        return concat([broadcast_to(p, batch + (p.shape[-1],)) for p in parts], axis=-1)


def _kron(a, b):
    batch = _batch(a.shape[:-2], b.shape[:-2])
    (m, n), (p, q) = a.shape[-2:], b.shape[-2:]
    out = a[..., :, None, :, None] * b[..., None, :, None, :]
    return reshape(broadcast_to(out, batch + (m, p, n, q)), batch + (m * p, n * q))


class LinearOperatorKronecker(LinearOperator):
    """The Kronecker product ``operators[0] (x) operators[1] (x) ...``."""

    def __init__(
        self,
        operators,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name=None,
    ) -> None:
        params = _params(locals())
        ops = list(operators)
        if not ops:
            raise ValueError(f"Expected a non-empty list of operators. Found: {operators}")
        _check_operators(ops, "LinearOperatorKronecker")
        if all(o.is_non_singular for o in ops):
            is_non_singular = True if is_non_singular is None else is_non_singular
        if all(o.is_self_adjoint for o in ops):
            is_self_adjoint = True if is_self_adjoint is None else is_self_adjoint
        self._operators = ops
        super().__init__(
            ops[0].dtype,
            is_non_singular=is_non_singular,
            is_self_adjoint=is_self_adjoint,
            is_positive_definite=is_positive_definite,
            is_square=is_square,
            name=name or "_x_".join(o.name for o in ops),
            parameters=params,
        )

    @property
    def operators(self):
        return list(self._operators)

    def _shape(self):
        rows = int(np.prod([o.range_dimension for o in self._operators]))
        cols = int(np.prod([o.domain_dimension for o in self._operators]))
        return _batch(*[o.batch_shape for o in self._operators]) + (rows, cols)

    def _to_dense(self):
        out = self._operators[0].to_dense()
        for o in self._operators[1:]:
            out = _kron(out, o.to_dense())
        return out

    def _determinant(self):
        if any(not o.is_square for o in self._operators):
            return super()._determinant()
        n = self.domain_dimension
        out = None
        for o in self._operators:
            term = o.determinant() ** (n // o.domain_dimension)
            out = term if out is None else out * term
        return out

    def _log_abs_determinant(self):
        if any(not o.is_square for o in self._operators):
            return super()._log_abs_determinant()
        n = self.domain_dimension
        return sum(o.log_abs_determinant() * (n // o.domain_dimension) for o in self._operators)


class LinearOperatorLowRankUpdate(LinearOperator):
    """``base_operator + u @ diag(diag_update) @ v^H`` (``v`` defaults to ``u``, the
    diagonal to ones)."""

    def __init__(
        self,
        base_operator,
        u,
        diag_update=None,
        v=None,
        is_diag_update_positive=None,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name="LinearOperatorLowRankUpdate",
    ) -> None:
        params = _params(locals())
        _check_operators([base_operator], name)
        dt = base_operator.dtype
        self._base = base_operator
        self._u = as_tensor(u, dtype=dt)
        self._v = self._u if v is None else as_tensor(v, dtype=dt)
        self._diag_update = None if diag_update is None else as_tensor(diag_update, dtype=dt)
        self._is_diag_update_positive = is_diag_update_positive
        if self._u.shape[-2] != base_operator.range_dimension or (
            self._v.shape[-2] != base_operator.domain_dimension
        ):
            raise ValueError(
                f"{name}: u must be [..., {base_operator.range_dimension}, K] and v "
                f"[..., {base_operator.domain_dimension}, K], received {tuple(self._u.shape)} "
                f"and {tuple(self._v.shape)}"
            )
        if v is None and base_operator.is_self_adjoint and is_self_adjoint is None:
            if self._diag_update is None or not dt.is_complex:
                is_self_adjoint = True
        if (
            v is None
            and base_operator.is_positive_definite
            and (self._diag_update is None or is_diag_update_positive)
            and is_positive_definite is None
        ):
            is_positive_definite = True
        super().__init__(
            dt,
            is_non_singular=is_non_singular,
            is_self_adjoint=is_self_adjoint,
            is_positive_definite=is_positive_definite,
            is_square=is_square,
            name=name,
            parameters=params,
        )

    @property
    def base_operator(self):
        return self._base

    @property
    def u(self):
        return self._u

    @property
    def v(self):
        return self._v

    @property
    def diag_update(self):
        return self._diag_update

    @property
    def is_diag_update_positive(self):
        return self._is_diag_update_positive

    def _shape(self):
        return _batch(self._base.batch_shape, self._u.shape[:-2], self._v.shape[:-2]) + tuple(
            self._base.shape[-2:]
        )

    def _to_dense(self):
        u = self._u if self._diag_update is None else self._u * self._diag_update[..., None, :]
        return self._base.to_dense() + _la.matmul(u, adjoint_of(self._v))


class LinearOperatorToeplitz(LinearOperator):
    """The Toeplitz matrix with first column ``col`` and first row ``row`` (``row[0]`` is
    ignored: the diagonal is ``col[0]``)."""

    def __init__(
        self,
        col,
        row,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name="LinearOperatorToeplitz",
    ) -> None:
        params = _params(locals())
        self._col = _float_or_complex(name, as_tensor(col))
        self._row = as_tensor(row, dtype=self._col.dtype)
        if self._col.shape[-1] != self._row.shape[-1]:
            raise ValueError(
                f"{name}: col and row must have one length, received "
                f"{tuple(self._col.shape)} and {tuple(self._row.shape)}"
            )
        super().__init__(
            self._col.dtype,
            is_non_singular=is_non_singular,
            is_self_adjoint=is_self_adjoint,
            is_positive_definite=is_positive_definite,
            is_square=True if is_square is None else is_square,
            name=name,
            parameters=params,
        )

    @property
    def col(self):
        return self._col

    @property
    def row(self):
        return self._row

    def _shape(self):
        n = self._col.shape[-1]
        return _batch(self._col.shape[:-1], self._row.shape[:-1]) + (n, n)

    def _to_dense(self):
        from ..ops.indexing import gather
        from ..ops.rearrange import reverse

        n = self._col.shape[-1]
        batch = tuple(self.batch_shape)
        col = broadcast_to(self._col, batch + (n,))
        row = broadcast_to(self._row, batch + (n,))
        values = concat([reverse(row[..., 1:], [-1]), col], axis=-1)
        index = (n - 1) + np.arange(n)[:, None] - np.arange(n)[None, :]
        return gather(values, index, axis=-1, batch_dims=0)


class LinearOperatorCirculant(LinearOperator):
    """The circulant operator ``F^H diag(spectrum) F`` (``F`` the unitary DFT), that is
    convolution with ``ifft(spectrum)``; values in ``input_output_dtype``. The 2-D and 3-D
    subclasses are block circulant (their spectra end in 2 or 3 axes)."""

    _block_depth = 1
    _default_name = "LinearOperatorCirculant"

    def __init__(
        self,
        spectrum,
        input_output_dtype=dtypes.complex64,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=True,
        name=None,
    ) -> None:
        params = _params(locals())
        name = name or self._default_name
        s = as_tensor(spectrum)
        if s.dtype.kind not in "fc":
            raise TypeError(f"{name}: spectrum must be float or complex, received {s.dtype.name}")
        if s.ndim < self._block_depth:
            raise ValueError(
                f"{name}: spectrum must have rank >= {self._block_depth}, received "
                f"shape {tuple(s.shape)}"
            )
        self._spectrum = s
        super().__init__(
            dtypes.as_dtype(input_output_dtype),
            is_non_singular=is_non_singular,
            is_self_adjoint=is_self_adjoint,
            is_positive_definite=is_positive_definite,
            is_square=True,
            name=name,
            parameters=params,
        )

    @property
    def spectrum(self):
        return self._spectrum

    @property
    def block_depth(self):
        return self._block_depth

    def _block_shape(self):
        return tuple(self._spectrum.shape[-self._block_depth :])

    @property
    def block_shape(self):
        from ..tensor import TensorShape

        return TensorShape(self._block_shape())

    def block_shape_tensor(self):
        from .base import _const

        return _const(list(self._block_shape()))

    def _complex_spectrum(self):
        from ..ops.cast import cast

        wide = self._spectrum.dtype.name in ("float64", "complex128")
        return cast(self._spectrum, "complex128" if wide else "complex64")

    def _kernel(self):
        from ..ops import fft

        inverse = {1: fft.ifft, 2: fft.ifft2d, 3: fft.ifft3d}[self._block_depth]
        return inverse(self._complex_spectrum())

    def convolution_kernel(self, name="convolution_kernel"):
        return self._out(self._kernel())

    def _out(self, x):
        from ..ops.cast import cast
        from ..ops.complex_ops import real

        if self.dtype.is_complex:
            return cast(x, self.dtype)
        return cast(real(x), self.dtype)

    def _shape(self):
        size = int(np.prod(self._block_shape()))
        return tuple(self._spectrum.shape[: -self._block_depth]) + (size, size)

    def _to_dense(self):
        from ..ops.indexing import gather

        dims = self._block_shape()
        size = int(np.prod(dims))
        h = reshape(self._kernel(), tuple(self.batch_shape) + (size,))
        # entry (i, j) of a block circulant matrix: the kernel at (i - j) mod dims, per axis
        coords = np.stack(np.unravel_index(np.arange(size), dims), axis=-1)
        diff = (coords[:, None, :] - coords[None, :, :]) % np.asarray(dims)
        index = np.ravel_multi_index(tuple(np.moveaxis(diff, -1, 0)), dims)
        return self._out(gather(h, index, axis=-1))

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        # F^H diag(1 / spectrum) F: the DFT of each right-hand side, divided, transformed back
        from ..ops import fft
        from ..ops.cast import cast

        rhs = adjoint_of(rhs) if adjoint_arg else rhs
        spectrum = self._complex_spectrum()
        spectrum = _conj(spectrum) if adjoint else spectrum
        depth, dims = self._block_depth, self._block_shape()
        forward = {1: fft.fft, 2: fft.fft2d, 3: fft.fft3d}[depth]
        inverse = {1: fft.ifft, 2: fft.ifft2d, 3: fft.ifft3d}[depth]
        cols = _la.matrix_transpose(cast(rhs, spectrum.dtype))  # [..., K, size]
        lead = tuple(cols.shape[:-1])
        blocks = reshape(cols, lead + dims)
        spec = reshape(spectrum, tuple(self.batch_shape) + (1,) + dims)
        out = inverse(forward(blocks) / spec)
        return self._out(_la.matrix_transpose(reshape(out, lead + (cols.shape[-1],))))

    def _flat_spectrum(self):
        size = int(np.prod(self._block_shape()))
        return reshape(self._complex_spectrum(), tuple(self.batch_shape) + (size,))

    def _determinant(self):
        return self._out(reduce_prod(self._flat_spectrum(), axis=-1))

    def _log_abs_determinant(self):
        from ..ops.cast import cast

        mags = _abs(self._flat_spectrum())
        return cast(reduce_sum(log(mags), axis=-1), self.dtype.real_dtype)


class LinearOperatorCirculant2D(LinearOperatorCirculant):
    """Block circulant with circulant blocks: the operator of 2-D periodic convolution."""

    _block_depth = 2
    _default_name = "LinearOperatorCirculant2D"


class LinearOperatorCirculant3D(LinearOperatorCirculant):
    """The operator of 3-D periodic convolution (three levels of circulant blocks)."""

    _block_depth = 3
    _default_name = "LinearOperatorCirculant3D"


class LinearOperatorBlockLowerTriangular(_BlockwiseArgs, LinearOperator):
    """The block lower triangular operator of ``operators``, a list of rows: row ``i``
    holds ``i + 1`` operators, the last (on the diagonal) square."""

    def __init__(
        self,
        operators,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name="LinearOperatorBlockLowerTriangular",
    ) -> None:
        params = _params(locals())
        rows = [list(r) for r in operators]
        if not rows:
            raise ValueError(f"Expected a non-empty list of operators. Found: {operators}")
        for i, row in enumerate(rows):
            if len(row) != i + 1:
                raise ValueError(
                    f"Argument `operators[{i}]` must contain `{i + 1}` blocks. "
                    f"Received: {len(row)} blocks."
                )
        flat = [o for row in rows for o in row]
        _check_operators(flat, name)
        diag = [row[-1] for row in rows]
        for i, row in enumerate(rows):
            for j, o in enumerate(row):
                if o.range_dimension != diag[i].range_dimension or (
                    o.domain_dimension != diag[j].domain_dimension
                ):
                    raise ValueError(
                        f"{name}: block ({i}, {j}) has shape {tuple(o.shape[-2:])}, expected "
                        f"({diag[i].range_dimension}, {diag[j].domain_dimension})"
                    )
        if all(o.is_non_singular for o in diag):
            is_non_singular = True if is_non_singular is None else is_non_singular
        self._operators = rows
        super().__init__(
            flat[0].dtype,
            is_non_singular=is_non_singular,
            is_self_adjoint=is_self_adjoint,
            is_positive_definite=is_positive_definite,
            is_square=True if is_square is None else is_square,
            name=name,
            parameters=params,
        )

    @property
    def operators(self):
        return [list(r) for r in self._operators]

    def _block_dims(self) -> list:
        return [row[-1].domain_dimension for row in self._operators]

    def _shape(self):
        n = sum(row[-1].domain_dimension for row in self._operators)
        batch = _batch(*[o.batch_shape for row in self._operators for o in row])
        return batch + (n, n)

    def _to_dense(self):
        batch = tuple(self.batch_shape)
        n = self.domain_dimension
        out_rows = []
        for row in self._operators:
            blocks = [broadcast_to(o.to_dense(), batch + tuple(o.shape[-2:])) for o in row]
            used = sum(b.shape[-1] for b in blocks)
            rows_i = row[-1].range_dimension
            blocks.append(zeros(list(batch) + [rows_i, n - used], dtype=self.dtype))
            out_rows.append(concat(blocks, axis=-1))
        return concat(out_rows, axis=-2)

    def _determinant(self):
        out = self._operators[0][-1].determinant()
        for row in self._operators[1:]:
            out = out * row[-1].determinant()
        return out

    def _log_abs_determinant(self):
        return sum(row[-1].log_abs_determinant() for row in self._operators)


class LinearOperatorHouseholder(LinearOperator):
    """The reflection ``I - 2 v v^H / (v^H v)`` about the hyperplane orthogonal to
    ``reflection_axis`` ``v [..., N]``."""

    def __init__(
        self,
        reflection_axis,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name="LinearOperatorHouseholder",
    ) -> None:
        params = _params(locals())
        v = _float_or_complex(name, as_tensor(reflection_axis))
        if is_self_adjoint is False:
            raise ValueError("A Householder operator is always self adjoint.")
        if is_non_singular is False:
            raise ValueError("A Householder operator is always non-singular.")
        if is_positive_definite is True:
            raise ValueError("A Householder operator is always non-positive definite.")
        if is_square is False:
            raise ValueError("A Householder operator is always square.")
        self._v = v
        super().__init__(
            v.dtype,
            is_non_singular=True,
            is_self_adjoint=True,
            is_positive_definite=is_positive_definite,
            is_square=True,
            name=name,
            parameters=params,
        )

    @property
    def reflection_axis(self):
        return self._v

    def _shape(self):
        n = self._v.shape[-1]
        return tuple(self._v.shape) + (n,)

    def _to_dense(self):
        v = self._v[..., :, None]
        vv = _la.matmul(adjoint_of(v), v)
        n = self._v.shape[-1]
        return eye(n, dtype=self.dtype) - 2 * _la.matmul(v, adjoint_of(v)) / vv

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        return self._matmul(rhs, adjoint=adjoint, adjoint_arg=adjoint_arg)

    def _determinant(self):
        from ..ops.creation import ones

        return -ones(list(self.batch_shape), dtype=self.dtype)

    def _log_abs_determinant(self):
        return zeros(list(self.batch_shape), dtype=self.dtype.real_dtype)

    def _linop_inverse(self):
        return self


class LinearOperatorPermutation(LinearOperator):
    """The permutation matrix ``P`` with ``P[i, perm[i]] = 1`` (``P @ x = x[perm]``)."""

    def __init__(
        self,
        perm,
        dtype=dtypes.float32,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name="LinearOperatorPermutation",
    ) -> None:
        params = _params(locals())
        p = as_tensor(perm)
        if p.dtype.kind not in "iu":
            raise TypeError(f"{name}: perm must be integer, received {p.dtype.name}")
        if p.ndim < 1:
            raise ValueError(f"{name}: perm must have rank >= 1")
        host = p.numpy()
        if not np.array_equal(
            np.sort(host, axis=-1), np.broadcast_to(np.arange(host.shape[-1]), host.shape)
        ):
            raise ValueError(f"{name}: perm must be a permutation of 0..N-1 along its last axis")
        if is_non_singular is False:
            raise ValueError("A Permutation operator is always non-singular.")
        if is_square is False:
            raise ValueError("A Permutation operator is always square.")
        self._perm = p
        super().__init__(
            dtype,
            is_non_singular=True,
            is_self_adjoint=is_self_adjoint,
            is_positive_definite=is_positive_definite,
            is_square=True,
            name=name,
            parameters=params,
        )

    @property
    def perm(self):
        return self._perm

    def _shape(self):
        n = self._perm.shape[-1]
        return tuple(self._perm.shape) + (n,)

    def _to_dense(self):
        from ..ops.indexing import one_hot

        return one_hot(self._perm, self._perm.shape[-1], dtype=self.dtype)

    def _rows(self, x, perm):
        from ..ops.indexing import gather

        batch = _batch(perm.shape[:-1], x.shape[:-2])
        x = broadcast_to(x, batch + tuple(x.shape[-2:]))
        perm = broadcast_to(perm, batch + (perm.shape[-1],))
        return gather(x, perm, axis=-2, batch_dims=len(batch))

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        from ..ops.sorting import argsort

        x = adjoint_of(x) if adjoint_arg else x
        perm = argsort(self._perm, axis=-1, stable=True) if adjoint else self._perm
        return self._rows(x, perm)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        return self._matmul(rhs, adjoint=not adjoint, adjoint_arg=adjoint_arg)

    def _determinant(self):
        host = self._perm.numpy().reshape(-1, self._perm.shape[-1])
        signs = []
        for p in host:
            seen, sign = np.zeros(len(p), bool), 1.0
            for i in range(len(p)):  # each cycle of length L contributes (-1)^(L-1)
                length = 0
                while not seen[i]:
                    seen[i], i, length = True, p[i], length + 1
                if length:
                    sign *= (-1.0) ** (length - 1)
            signs.append(sign)
        from ..ops.creation import constant

        return constant(np.asarray(signs).reshape(tuple(self.batch_shape)), dtype=self.dtype)

    def _log_abs_determinant(self):
        return zeros(list(self.batch_shape), dtype=self.dtype.real_dtype)


class LinearOperatorTridiag(LinearOperator):
    """A tridiagonal operator from ``diagonals`` in ``tf.linalg.tridiagonal_solve``'s
    formats (``'compact'``, ``'sequence'``, ``'matrix'``)."""

    def __init__(
        self,
        diagonals,
        diagonals_format="compact",
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name="LinearOperatorTridiag",
    ) -> None:
        from ..ops.linalg_extra import _diagonals, _tridiagonal_dense

        params = _params(locals())
        if diagonals_format not in ("compact", "sequence", "matrix"):
            raise ValueError(f"Unknown diagonals_format: {diagonals_format}")
        sup, main, sub, mat = _diagonals(name, diagonals, diagonals_format)
        _float_or_complex(name, main)
        self._diagonals_arg = diagonals
        self._format = diagonals_format
        self._dense = mat if mat is not None else _tridiagonal_dense(name, sup, main, sub)
        super().__init__(
            main.dtype,
            is_non_singular=is_non_singular,
            is_self_adjoint=is_self_adjoint,
            is_positive_definite=is_positive_definite,
            is_square=True if is_square is None else is_square,
            name=name,
            parameters=params,
        )

    @property
    def diagonals(self):
        return self._diagonals_arg

    @property
    def diagonals_format(self):
        return self._format

    def _shape(self):
        return self._dense.shape

    def _to_dense(self):
        return self._dense


_base.WRAPPERS.update(
    adjoint=LinearOperatorAdjoint,
    inverse=LinearOperatorInversion,
    composition=LinearOperatorComposition,
    lower_triangular=LinearOperatorLowerTriangular,
)
