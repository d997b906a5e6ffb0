"""``keras.ops`` (Keras 3): backend-agnostic tensor ops with NumPy's names and signatures.

``from keras import ops`` gives ``ops.sum(x, axis=None, keepdims=False)``, ``ops.matmul``,
``ops.softmax``, ``ops.cond``, ... built on gpuflow's differentiable ops, with Keras's dtype
promotion (:mod:`._dtypes`). Called with symbolic tensors (``keras.Input``), an op
becomes a layer of the functional model, as in Keras.
"""

from __future__ import annotations

import functools

from ..._symbolic_dispatch import _symbolic
from . import (  # noqa: F401  (keras.ops.<submodule>)
    core,
    einops,
    image,
    linalg,
    math,
    math_fft,
    nn,
    nn_extra,
    numpy,
    numpy_creation,
    numpy_extra,
    numpy_math,
    numpy_more,
    numpy_nan,
    numpy_reduce,
    numpy_shape,
)
from ._dtypes import result_type  # noqa: F401

# Ops that take functions or answer questions about their argument: never layers.
_NOT_LAYERS = frozenset(
    {
        "cond",
        "switch",
        "while_loop",
        "fori_loop",
        "scan",
        "map",
        "vectorized_map",
        "custom_gradient",
        "convert_to_numpy",
        "is_tensor",
        "shape",
        "ndim",
        "dtype",
        "vectorize",
        "associative_scan",
        "jvp",
    }
)
_WRAPPERS: dict = {}


def _dispatching(fn, module: str, name: str):
    """``fn``, or on symbolic tensors the output of a layer that applies it."""

    @functools.wraps(fn)
    def op(*args, **kwargs):
        if _symbolic(args) or (kwargs and _symbolic(kwargs)):
            from ...layers.op_lambda import TFOpLambda

            return TFOpLambda(f"keras.ops.{module}", name)(*args, **kwargs)
        return fn(*args, **kwargs)

    op.__wrapped_op__ = fn
    return op


def _ops_of(module):
    """The public ops in ``module``'s namespace (its own and those it imports)."""
    for key, fn in list(vars(module).items()):
        if key.startswith("_") or not callable(fn) or isinstance(fn, type):
            continue
        if getattr(fn, "__module__", "").startswith(__name__):
            yield key, fn


def _wrap(module) -> None:
    """A dispatching wrapper for each op ``module`` defines."""
    short = module.__name__.rsplit(".", 1)[1]
    for key, fn in _ops_of(module):
        if fn.__module__ == module.__name__ and key not in _NOT_LAYERS and fn not in _WRAPPERS:
            _WRAPPERS[fn] = _dispatching(fn, short, key)


def _export(module) -> None:
    """``module``'s ops, the imported ones too, replaced by their wrappers (all made by
    :func:`_wrap` first: an op one module imports from another, ``argmax`` in numpy_math,
    is the wrapped one wherever it is found)."""
    for key, fn in _ops_of(module):
        wrapped = _WRAPPERS.get(fn, fn)
        setattr(module, key, wrapped)
        if module is not linalg and module is not image:
            globals().setdefault(key, wrapped)


# Modules that define ops first, then those that re-export them (math and numpy, which
# define a few ops of their own too).
_DEFINING = (
    numpy_math,
    numpy_more,
    numpy_nan,
    numpy_reduce,
    numpy_shape,
    numpy_creation,
    numpy_extra,
    math_fft,
    core,
    einops,
    nn,
    nn_extra,
    linalg,
    image,
)
for _module in (*_DEFINING, math, numpy):
    _wrap(_module)
for _module in _DEFINING:
    _export(_module)
for _module in (math, numpy):
    _export(_module)
# keras.ops.nn holds the ops of nn_extra too.
for _name, _fn in list(vars(nn_extra).items()):
    if _fn in _WRAPPERS.values():
        setattr(nn, _name, _fn)
# keras.ops also has these linalg names at the top level.
for _name in (
    "cholesky",
    "det",
    "eigh",
    "inv",
    "lstsq",
    "norm",
    "qr",
    "solve",
    "solve_triangular",
    "svd",
    "logdet",
    "slogdet",
    "pinv",
    "matrix_rank",
    "cholesky_inverse",
    "eig",
    "lu_factor",
    "jvp",
):
    globals()[_name] = getattr(linalg, _name)
del _module, _name, _fn
