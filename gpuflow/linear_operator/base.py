"""``tf.linalg.LinearOperator``: a matrix ``[..., M, N]`` known by what it does.

A subclass gives ``_shape()`` (a :class:`TensorShape`) and ``_to_dense()`` or
``_matmul(x, adjoint, adjoint_arg)``; every other method has a dense fallback here
(``solve`` through ``tf.linalg.solve``, ``determinant`` through ``tf.linalg.det``, ...),
which the structured operators in :mod:`.operators` override where their structure makes
it cheap (a diagonal's determinant is a product). Hints (``is_non_singular``,
``is_self_adjoint``, ``is_positive_definite``, ``is_square``) are checked for consistency
and refuse methods as TensorFlow does (no ``solve`` of an operator said to be singular).
Everything is built from differentiable gpuflow ops, so gradients flow to the tensors an
operator holds.
"""

from __future__ import annotations

import numpy as np

from .. import dtypes
from ..ops import linalg as _la
from ..ops import linalg_decomp as _dec
from ..ops._common import as_tensor
from ..tensor import Tensor, TensorShape

#: The operators the defaults below return (adjoint, inverse, composition, Cholesky
#: factor), filled in by ``operators.py`` when the package loads, so that this base
#: module does not import the module that builds on it.
WRAPPERS: dict = {}


def adjoint_of(x):
    """The conjugate transpose of the last two axes."""
    return _la.matrix_transpose(x, conjugate=True)


def _const(values, dtype="int32"):
    from ..ops.creation import constant

    return constant(np.asarray(values, dtype=dtype))


class LinearOperator:
    """Base class of the ``tf.linalg.LinearOperator*`` family (see the module notes)."""

    def __init__(
        self,
        dtype,
        graph_parents=None,
        is_non_singular=None,
        is_self_adjoint=None,
        is_positive_definite=None,
        is_square=None,
        name=None,
        parameters=None,
    ) -> None:
        if is_positive_definite:
            if is_non_singular is False:
                raise ValueError("A positive definite matrix is always non-singular.")
            is_non_singular = True
        if is_non_singular and is_square is False:
            raise ValueError("A non-singular matrix is always square.")
        if is_non_singular:
            is_square = True
        if is_self_adjoint:
            if is_square is False:
                raise ValueError("A self-adjoint matrix is always square.")
            is_square = True
        self._dtype = dtypes.as_dtype(dtype) if dtype is not None else None
        self._is_non_singular = is_non_singular
        self._is_self_adjoint = is_self_adjoint
        self._is_positive_definite = is_positive_definite
        self._is_square_set_or_implied_by_hints = is_square
        self._name = name or type(self).__name__
        self._parameters = dict(parameters or {})

    # ------------------------------------------------------------------ properties

    @property
    def dtype(self):
        return self._dtype

    @property
    def name(self):
        return self._name

    @property
    def variables(self):
        """The Variables this operator (and the operators it holds) reads, in order."""
        from ..tensor import Variable

        found, seen = [], set()

        def visit(value):
            if isinstance(value, Variable):
                if id(value) not in seen:
                    seen.add(id(value))
                    found.append(value)
            elif isinstance(value, LinearOperator):
                for item in vars(value).values():
                    visit(item)
            elif isinstance(value, (list, tuple)):
                for item in value:
                    visit(item)

        for item in vars(self).values():
            visit(item)
        return tuple(found)

    @property
    def trainable_variables(self):
        return tuple(v for v in self.variables if v.trainable)

    @property
    def graph_parents(self):
        """Deprecated in TensorFlow; always empty here."""
        return []

    @property
    def parameters(self):
        return dict(self._parameters)

    @property
    def is_non_singular(self):
        return self._is_non_singular

    @property
    def is_self_adjoint(self):
        return self._is_self_adjoint

    @property
    def is_positive_definite(self):
        return self._is_positive_definite

    @property
    def is_square(self):
        auto = self.domain_dimension == self.range_dimension
        if self._is_square_set_or_implied_by_hints is False and auto:
            raise ValueError("User set is_square hint to False, but the operator was square.")
        return auto

    @property
    def shape(self) -> TensorShape:
        return TensorShape(tuple(int(d) for d in self._shape()))

    def shape_tensor(self, name="shape_tensor") -> Tensor:
        return _const(list(self.shape))

    @property
    def batch_shape(self) -> TensorShape:
        return TensorShape(self.shape[:-2])

    def batch_shape_tensor(self, name="batch_shape_tensor") -> Tensor:
        return _const(list(self.batch_shape))

    @property
    def tensor_rank(self) -> int:
        return len(self.shape)

    def tensor_rank_tensor(self, name="tensor_rank_tensor") -> Tensor:
        return _const(self.tensor_rank)

    @property
    def domain_dimension(self) -> int:
        return self.shape[-1]

    def domain_dimension_tensor(self, name="domain_dimension_tensor") -> Tensor:
        return _const(self.domain_dimension)

    @property
    def range_dimension(self) -> int:
        return self.shape[-2]

    def range_dimension_tensor(self, name="range_dimension_tensor") -> Tensor:
        return _const(self.range_dimension)

    # ------------------------------------------------------------------ hooks

    def _shape(self):
        raise NotImplementedError(f"{type(self).__name__} must implement _shape")

    def _to_dense(self):
        from ..ops.creation import eye

        if type(self)._matmul is LinearOperator._matmul:
            raise NotImplementedError(f"{type(self).__name__} must implement _to_dense or _matmul")
        ident = eye(self.domain_dimension, batch_shape=list(self.batch_shape), dtype=self.dtype)
        return self._matmul(ident, adjoint=False, adjoint_arg=False)

    def _matmul(self, x, adjoint=False, adjoint_arg=False):
        if type(self)._to_dense is LinearOperator._to_dense:
            raise NotImplementedError(f"{type(self).__name__} must implement _to_dense or _matmul")
        a = self.to_dense()
        return _la.matmul(adjoint_of(a) if adjoint else a, adjoint_of(x) if adjoint_arg else x)

    def _solve(self, rhs, adjoint=False, adjoint_arg=False):
        a = self.to_dense()
        rhs = adjoint_of(rhs) if adjoint_arg else rhs
        return _dec.matrix_solve(adjoint_of(a) if adjoint else a, rhs)

    def _determinant(self):
        return _dec.det(self.to_dense())

    def _log_abs_determinant(self):
        return _dec.slogdet(self.to_dense())[1]

    def _diag_part(self):
        return _la.diag_part(self.to_dense())

    def _trace(self):
        from ..ops.reduce import reduce_sum

        return reduce_sum(self.diag_part(), axis=-1)

    def _add_to_tensor(self, x):
        return self.to_dense() + x

    def _eigvals(self):
        return _dec.eigvalsh(self.to_dense())

    def _cond(self):
        from ..ops.reduce import reduce_max, reduce_min

        s = _dec.svd(self.to_dense(), compute_uv=False)
        return reduce_max(s, axis=-1) / reduce_min(s, axis=-1)

    def _linop_adjoint(self):
        return WRAPPERS["adjoint"](self)

    def _linop_inverse(self):
        return WRAPPERS["inverse"](self)

    def _linop_matmul(self, left, right):
        return WRAPPERS["composition"]([left, right])

    def _linop_cholesky(self):
        return WRAPPERS["lower_triangular"](
            _dec.cholesky(self.to_dense()),
            is_non_singular=True,
            is_self_adjoint=False,
            is_square=True,
        )

    # ------------------------------------------------------------------ public

    def _arg(self, x):
        return as_tensor(x, dtype=self.dtype)

    def _check_dims(self, op_dim, arg_dim):
        if op_dim is not None and arg_dim is not None and op_dim != arg_dim:
            raise ValueError(f"Dimensions {op_dim} and {arg_dim} are not compatible")

    def to_dense(self, name="to_dense") -> Tensor:
        return self._to_dense()

    def matmul(self, x, adjoint=False, adjoint_arg=False, name="matmul"):
        """``A @ x`` (``A^H`` with ``adjoint``, ``x^H`` with ``adjoint_arg``); an operator
        ``x`` gives an operator."""
        if isinstance(x, LinearOperator):
            left = self.adjoint() if adjoint else self
            right = x.adjoint() if adjoint_arg else x
            self._check_dims(left.domain_dimension, right.range_dimension)
            return left._linop_matmul(left, right)
        x = self._arg(x)
        op_dim = self.range_dimension if adjoint else self.domain_dimension
        self._check_dims(op_dim, x.shape[-1] if adjoint_arg else x.shape[-2])
        return self._matmul(x, adjoint=adjoint, adjoint_arg=adjoint_arg)

    def __matmul__(self, other):
        return self.matmul(other)

    def matvec(self, x, adjoint=False, name="matvec") -> Tensor:
        x = self._arg(x)
        op_dim = self.range_dimension if adjoint else self.domain_dimension
        self._check_dims(op_dim, x.shape[-1])
        return self._matmul(x[..., None], adjoint=adjoint, adjoint_arg=False)[..., 0]

    def _check_solvable(self):
        if self.is_non_singular is False:
            raise NotImplementedError(
                "Exact solve not implemented for an operator that is expected to be singular."
            )
        if self.is_square is False:
            raise NotImplementedError(
                "Exact solve not implemented for an operator that is expected to not be square."
            )

    def solve(self, rhs, adjoint=False, adjoint_arg=False, name="solve"):
        """``X`` with ``A @ X = rhs`` (``A^H`` with ``adjoint``)."""
        self._check_solvable()
        if isinstance(rhs, LinearOperator):
            left = self.adjoint() if adjoint else self
            right = rhs.adjoint() if adjoint_arg else rhs
            return left.inverse().matmul(right)
        rhs = self._arg(rhs)
        op_dim = self.domain_dimension if adjoint else self.range_dimension
        self._check_dims(op_dim, rhs.shape[-1] if adjoint_arg else rhs.shape[-2])
        return self._solve(rhs, adjoint=adjoint, adjoint_arg=adjoint_arg)

    def solvevec(self, rhs, adjoint=False, name="solve") -> Tensor:
        self._check_solvable()
        rhs = self._arg(rhs)
        op_dim = self.domain_dimension if adjoint else self.range_dimension
        self._check_dims(op_dim, rhs.shape[-1])
        return self._solve(rhs[..., None], adjoint=adjoint, adjoint_arg=False)[..., 0]

    def _check_square(self, what):
        if self.is_square is False:
            raise NotImplementedError(
                f"{what} not implemented for an operator that is expected to not be square."
            )

    def determinant(self, name="det") -> Tensor:
        self._check_square("Determinant")
        return self._determinant()

    def log_abs_determinant(self, name="log_abs_det") -> Tensor:
        self._check_square("Determinant")
        return self._log_abs_determinant()

    def diag_part(self, name="diag_part") -> Tensor:
        return self._diag_part()

    def trace(self, name="trace") -> Tensor:
        return self._trace()

    def add_to_tensor(self, x, name="add_to_tensor") -> Tensor:
        return self._add_to_tensor(self._arg(x))

    def eigvals(self, name="eigvals") -> Tensor:
        if not self.is_self_adjoint:
            raise NotImplementedError("Only self-adjoint matrices are supported.")
        return self._eigvals()

    def cond(self, name="cond") -> Tensor:
        return self._cond()

    def adjoint(self, name="adjoint"):
        """The conjugate transpose as an operator (``self`` when self-adjoint)."""
        if self.is_self_adjoint is True:
            return self
        return self._linop_adjoint()

    H = property(adjoint, None)

    def inverse(self, name="inverse"):
        if self.is_square is False:
            raise ValueError(
                "Cannot take the Inverse: This operator represents a non square matrix."
            )
        if self.is_non_singular is False:
            raise ValueError("Cannot take the Inverse: This operator represents a singular matrix.")
        return self._linop_inverse()

    def cholesky(self, name="cholesky"):
        if not (self.is_self_adjoint and self.is_positive_definite):
            raise ValueError(
                "Cannot take the Cholesky decomposition: "
                "Not a positive definite self adjoint matrix."
            )
        return self._linop_cholesky()

    # ------------------------------------------------------------------ assertions

    def _fail(self, message):
        from ..errors import InvalidArgumentError

        raise InvalidArgumentError(None, self.name, f"{self.name}: {message}")

    def assert_non_singular(self, name="assert_non_singular"):
        s = _dec.svd(self.to_dense(), compute_uv=False).numpy()
        eps = np.finfo(np.dtype(self.dtype.real_dtype.name)).eps
        if np.any(s.min(axis=-1) <= eps * s.max(axis=-1) * max(self.shape[-2:]) * 10):
            self._fail("Singular operator: condition number too large.")

    def assert_positive_definite(self, name="assert_positive_definite"):
        dense = self.to_dense().numpy()
        sym = 0.5 * (dense + np.conj(np.swapaxes(dense, -1, -2)))
        if np.any(np.linalg.eigvalsh(sym) <= 0):
            self._fail("Operator is not positive definite.")

    def assert_self_adjoint(self, name="assert_self_adjoint"):
        dense = self.to_dense().numpy()
        if not np.allclose(dense, np.conj(np.swapaxes(dense, -1, -2))):
            self._fail("Matrix was not equal to its adjoint.")

    def __repr__(self) -> str:
        return (
            f"<tf.linalg.{type(self).__name__} '{self.name}' batch_shape={self.batch_shape} "
            f"dtype={self.dtype.name}>"
        )
