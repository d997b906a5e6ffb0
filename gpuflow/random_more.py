"""More of ``tf.random``: gamma and poisson draws, the stateless binomial / gamma / poisson
ops, ``create_rng_state`` and ``tf.random.experimental`` (stateless_split,
stateless_fold_in, stateless_shuffle).

Same seed, same numbers, as TensorFlow promises; the numbers themselves are gpuflow's
(NumPy's generators), not TensorFlow's Philox streams.
"""

from __future__ import annotations

import numpy as np

from . import dtypes
from ._tracing import host_call
from .backend import get_device
from .random import (
    Generator,
    _op_stream,
    _shape,
    _stateless,
    _wrap,
    get_global_generator,
    host_rng,
    set_global_generator,
)
from .tensor import Tensor

_MASK64 = (1 << 64) - 1


def _values(x):
    return np.asarray(x.numpy() if isinstance(x, Tensor) else x)


def _float(dtype, op: str):
    dt = dtypes.as_dtype(dtype, op)
    if not dt.is_floating:
        raise ValueError(f"{op}: dtype must be a floating point type, received {dt.name}")
    return dt


def _seed_pair(seed, op: str) -> tuple:
    values = _values(seed).reshape(-1)
    if values.shape != (2,) or values.dtype.kind not in "iu":
        raise ValueError(f"{op}: seed must be two integers [a, b], received {seed!r}")
    return int(values[0]), int(values[1]), values.dtype


@host_call(effect=False, droppable=False)
def gamma(shape, alpha, beta=None, dtype=dtypes.float32, seed=None, name=None) -> Tensor:
    """Gamma(alpha, rate beta) samples of shape ``shape + broadcast(alpha, beta).shape``."""
    dt = _float(dtype, "random.gamma")
    a = _values(alpha).astype(np.float64)
    b = np.ones_like(a) if beta is None else _values(beta).astype(np.float64)
    params = np.broadcast_shapes(a.shape, b.shape)
    gen = _op_stream(seed) if seed is not None else host_rng()
    out = gen.gamma(np.broadcast_to(a, params), size=_shape(shape) + params) / b
    return _wrap(out.astype(dt), get_device(None))


@host_call(effect=False, droppable=False)
def poisson(shape, lam, dtype=dtypes.float32, seed=None, name=None) -> Tensor:
    """Poisson(lam) samples of shape ``shape + lam.shape``."""
    dt = dtypes.as_dtype(dtype, "random.poisson")
    rate = _values(lam).astype(np.float64)
    gen = _op_stream(seed) if seed is not None else host_rng()
    return _wrap(gen.poisson(rate, size=_shape(shape) + rate.shape).astype(dt), get_device(None))


@host_call(effect=False, droppable=False)
def stateless_binomial(shape, seed, counts, probs, output_dtype=dtypes.int32, name=None):
    """Binomial samples of ``shape`` (counts and probs broadcast to it), fixed by ``seed``."""
    dt = dtypes.as_dtype(output_dtype, "random.stateless_binomial")
    gen = _stateless(seed, "random.stateless_binomial")
    n = np.broadcast_to(_values(counts).astype(np.int64), _shape(shape))
    p = np.broadcast_to(_values(probs).astype(np.float64), _shape(shape))
    return _wrap(gen.binomial(n, p).astype(dt), get_device(None))


@host_call(effect=False, droppable=False)
def stateless_gamma(shape, seed, alpha, beta=None, dtype=dtypes.float32, name=None) -> Tensor:
    """Gamma samples of ``shape`` (alpha and beta broadcast to it), fixed by ``seed``."""
    dt = _float(dtype, "random.stateless_gamma")
    gen = _stateless(seed, "random.stateless_gamma")
    a = np.broadcast_to(_values(alpha).astype(np.float64), _shape(shape))
    out = gen.gamma(a)
    if beta is not None:
        out = out / np.broadcast_to(_values(beta).astype(np.float64), _shape(shape))
    return _wrap(out.astype(dt), get_device(None))


@host_call(effect=False, droppable=False)
def stateless_poisson(shape, seed, lam, dtype=dtypes.int32, name=None) -> Tensor:
    """Poisson samples of ``shape`` (lam broadcast to it), fixed by ``seed``."""
    dt = dtypes.as_dtype(dtype, "random.stateless_poisson")
    gen = _stateless(seed, "random.stateless_poisson")
    rate = np.broadcast_to(_values(lam).astype(np.float64), _shape(shape))
    return _wrap(gen.poisson(rate).astype(dt), get_device(None))


def create_rng_state(seed, alg) -> Tensor:
    """The int64 state a ``Generator(state=..., alg=alg)`` starts from: ``seed`` split into
    64-bit words (3 for "philox" / 1, 2 for "threefry" / 2), as TensorFlow lays it out."""
    size = {"philox": 3, 1: 3, "threefry": 2, 2: 2}.get(alg)
    if size is None:
        raise ValueError(f"random.create_rng_state: unsupported algorithm {alg!r}")
    seed = int(_values(seed))
    words = [(seed >> (64 * i)) & _MASK64 for i in range(size)]
    state = np.array(words, dtype=np.uint64).astype(np.int64)
    return _wrap(state, get_device(None))


def stateless_split(seed, num=2, alg="auto_select") -> Tensor:
    """``num`` new seeds ``[num, 2]`` derived from ``seed``, in ``seed``'s dtype."""
    a, b, dtype = _seed_pair(seed, "random.experimental.stateless_split")
    num = int(num)
    rng = np.random.default_rng([a & _MASK64, b & _MASK64, 0x5EED5])
    seeds = rng.integers(0, np.iinfo(np.int32).max, size=(num, 2))
    return _wrap(seeds.astype(dtype), get_device(None))


def stateless_fold_in(seed, data, alg="auto_select") -> Tensor:
    """A new seed ``[2]`` derived from ``seed`` and the integer ``data``."""
    a, b, dtype = _seed_pair(seed, "random.experimental.stateless_fold_in")
    value = int(_values(data))
    rng = np.random.default_rng([a & _MASK64, b & _MASK64, value & _MASK64, 0xF01D])
    return _wrap(rng.integers(0, np.iinfo(np.int32).max, size=2).astype(dtype), get_device(None))


@host_call(effect=False, droppable=False)
def stateless_shuffle(value, seed, alg="auto_select", name=None) -> Tensor:
    """``value`` shuffled along its first axis, the order fixed by ``seed``."""
    from .ops.indexing import gather

    gen = _stateless(seed, "random.experimental.stateless_shuffle")
    x = value if isinstance(value, Tensor) else Tensor(value)
    if x.ndim == 0:
        raise ValueError("random.experimental.stateless_shuffle: value must have rank >= 1")
    return gather(x, gen.permutation(x.shape[0]).astype(np.int64))


class experimental:  # noqa: N801 - tf.random.experimental namespace
    Generator = Generator
    create_rng_state = staticmethod(create_rng_state)
    get_global_generator = staticmethod(get_global_generator)
    set_global_generator = staticmethod(set_global_generator)
    stateless_split = staticmethod(stateless_split)
    stateless_fold_in = staticmethod(stateless_fold_in)
    stateless_shuffle = staticmethod(stateless_shuffle)
