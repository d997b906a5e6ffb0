"""More of ``tf.random``: ``gamma``, ``poisson``, their stateless forms, and the stateless
seed derivations ``split`` and ``fold_in``.

The stateful ones follow gpuflow's seed rule (see ``gpuflow.random``): with ``seed=s`` they
draw from the op stream of ``(global seed, s)``, without one from the host's seeded stream.
The stateless ones are fully determined by their two-integer seed. The numbers (and the
seeds that ``split`` / ``fold_in`` derive) are reproducible within gpuflow but differ from
TensorFlow's, whose Philox streams gpuflow does not reproduce.
"""

from __future__ import annotations

import numpy as np

from . import dtypes
from ._tracing import host_call
from .backend import get_device
from .ops._common import as_shape, as_tensor, invalid_argument
from .tensor import Tensor


class _Seeding:
    """gpuflow.random's stream accessors, handed over by :func:`bind` when gpuflow.random
    loads (importing that module from here would be an import cycle)."""

    op_stream = host_rng = stateless = None


_seeding = _Seeding()


def bind(op_stream, host_rng, stateless) -> None:
    """Use gpuflow.random's op-seed streams, host stream and stateless-seed generators."""
    _seeding.op_stream, _seeding.host_rng, _seeding.stateless = op_stream, host_rng, stateless


def _stream(seed):
    return _seeding.op_stream(seed) if seed is not None else _seeding.host_rng()


def _shape(shape, op):
    return as_shape(op, shape)


def _wrap(array, dev):
    return Tensor._wrap(dev.asarray(array), dev)


def _seed_values(seed, op) -> tuple:
    """The two integers of a stateless seed and the dtype to give derived seeds."""
    t = as_tensor(seed)
    if t.shape != (2,) or not dtypes.is_integer(t.dtype):
        raise invalid_argument(op, f"seed must be a shape-[2] integer tensor, received {seed!r}")
    return [int(v) for v in t.numpy()], t.dtype


def _full_range(gen, shape, dtype):
    """Integers over the whole range of ``dtype``: ``stateless_uniform`` with neither
    minval nor maxval."""
    info = np.iinfo(np.dtype(dtype))
    return gen.integers(info.min, info.max, size=shape, dtype=np.dtype(dtype), endpoint=True)


def split(seed, num=2, alg="auto_select") -> Tensor:
    """``num`` new stateless seeds (shape ``[num, 2]``) derived from ``seed``: as
    TensorFlow, ``stateless_uniform([num, 2], seed)`` over the whole range of the seed's
    dtype."""
    _, dt = _seed_values(seed, "random.split")
    if isinstance(num, bool) or not isinstance(num, (int, np.integer)) or num < 0:
        raise ValueError(f"random.split: num must be a non-negative int, received {num!r}")
    gen = _seeding.stateless(seed, "random.split")
    return _wrap(_full_range(gen, (int(num), 2), dt.as_numpy_dtype), get_device(None))


def fold_in(seed, data, alg="auto_select") -> Tensor:
    """A new stateless seed (shape ``[2]``) derived from ``seed`` and the integer ``data``
    (e.g. a step or worker index): as TensorFlow, ``[stateless_uniform([], seed), data]``
    in the dtype of ``data``."""
    _seed_values(seed, "random.fold_in")
    d = as_tensor(data)
    if d.ndim != 0 or not dtypes.is_integer(d.dtype):
        raise ValueError(f"random.fold_in: data must be an integer scalar, received {data!r}")
    gen = _seeding.stateless(seed, "random.fold_in")
    dt = d.dtype.as_numpy_dtype
    seed1 = _full_range(gen, (), dt)
    return _wrap(np.array([seed1, d.numpy()], dtype=dt), get_device(None))


def _params(op, dt, *values):
    arrays = []
    for v in values:
        t = as_tensor(v)
        if t.dtype.kind not in "iuf":
            raise TypeError(f"{op}: parameters must be numbers, received dtype {t.dtype.name}")
        arrays.append(t.numpy().astype(np.float64))
    try:
        shape = np.broadcast_shapes(*(a.shape for a in arrays))
    except ValueError:
        raise ValueError(
            f"{op}: parameter shapes {[a.shape for a in arrays]} are not broadcastable"
        ) from None
    return [np.broadcast_to(a, shape) for a in arrays], shape


def _gamma(op, gen, shape, full, alpha, beta, dtype):
    dt = dtypes.as_dtype("float32" if dtype is None else dtype, op)
    if not dt.is_floating:
        raise TypeError(f"{op}: dtype must be a float type, received {dt}")
    (a, b), params = _params(op, dt, alpha, 1.0 if beta is None else beta)
    if (a <= 0).any() or (b <= 0).any():
        raise ValueError(f"{op}: alpha and beta must be positive")
    out_shape = shape + params if full else shape
    samples = gen.gamma(np.broadcast_to(a, out_shape), 1.0 / np.broadcast_to(b, out_shape))
    return _wrap(samples.astype(dt), get_device(None))


def _poisson(op, gen, shape, full, lam, dtype):
    dt = dtypes.as_dtype(dtype, op)
    if not (dt.is_floating or dt.is_integer):
        raise TypeError(f"{op}: dtype must be a float or integer type, received {dt}")
    (rate,), params = _params(op, dt, lam)
    if (rate < 0).any():
        raise ValueError(f"{op}: lam must be >= 0")
    out_shape = shape + params if full else shape
    return _wrap(gen.poisson(np.broadcast_to(rate, out_shape)).astype(dt), get_device(None))


def _check_suffix(op, shape, params):
    if tuple(shape[len(shape) - len(params) :]) != tuple(params) or len(params) > len(shape):
        raise invalid_argument(
            op,
            f"shape {list(shape)} must end with the broadcast shape of the parameters "
            f"{list(params)}",
        )


def gamma(shape, alpha, beta=None, dtype="float32", seed=None, name=None) -> Tensor:
    """Gamma samples of shape ``shape + broadcast(alpha, beta).shape``; ``beta`` is the
    rate (inverse scale), 1 by default."""
    gen = _stream(seed)
    return _gamma("random.gamma", gen, _shape(shape, "random.gamma"), True, alpha, beta, dtype)


def poisson(shape, lam, dtype="float32", seed=None, name=None) -> Tensor:
    """Poisson samples of shape ``shape + lam.shape``."""
    gen = _stream(seed)
    return _poisson("random.poisson", gen, _shape(shape, "random.poisson"), True, lam, dtype)


def stateless_gamma(shape, seed, alpha, beta=None, dtype="float32", name=None) -> Tensor:
    """Gamma samples fully determined by ``seed``; ``shape`` must end with the broadcast
    shape of ``alpha`` and ``beta``."""
    op = "random.stateless_gamma"
    shape = _shape(shape, op)
    _, params = _params(op, None, alpha, 1.0 if beta is None else beta)
    _check_suffix(op, shape, params)
    return _gamma(op, _seeding.stateless(seed, op), shape, False, alpha, beta, dtype)


def stateless_poisson(shape, seed, lam, dtype="int32", name=None) -> Tensor:
    """Poisson samples fully determined by ``seed``; ``shape`` must end with ``lam``'s."""
    op = "random.stateless_poisson"
    shape = _shape(shape, op)
    _, params = _params(op, None, lam)
    _check_suffix(op, shape, params)
    return _poisson(op, _seeding.stateless(seed, op), shape, False, lam, dtype)


# Inside gpuflow.function a draw is recorded as the op itself, as in gpuflow.random.
for _name in ("gamma", "poisson", "stateless_gamma", "stateless_poisson", "split", "fold_in"):
    globals()[_name] = host_call(globals()[_name], effect=False, droppable=False)
del _name


def _truncated_standard(gen, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Standard normal draws restricted to ``[a, b]`` (elementwise), by rejection: plain
    normal draws where that accepts often, a uniform proposal on narrow intervals, and an
    exponential proposal in one tail (Robert 1995), as TensorFlow's kernel chooses."""
    out = np.empty(a.shape)
    todo = np.ones(a.shape, bool)
    naive = (a <= 0) & (b >= 0) & (b - a >= 2.5)
    narrow = ~naive & (b - a <= np.maximum(0.5, 2.0 / np.maximum(np.abs(a), np.abs(b))))
    upper_tail = ~naive & ~narrow & (a > 0)
    while todo.any():
        z = np.empty(a.shape)
        ok = np.zeros(a.shape, bool)
        m = todo & naive
        z[m] = gen.standard_normal(int(m.sum()))
        ok[m] = (z[m] >= a[m]) & (z[m] <= b[m])
        m = todo & narrow
        lo, hi = a[m], b[m]
        z[m] = lo + (hi - lo) * gen.random(int(m.sum()))
        nearest = np.clip(0.0, lo, hi)
        ok[m] = gen.random(int(m.sum())) <= np.exp((nearest**2 - z[m] ** 2) / 2)
        for tail, sign in ((upper_tail, 1.0), (todo & ~naive & ~narrow & ~upper_tail, -1.0)):
            m = todo & tail
            lo = a[m] if sign > 0 else -b[m]
            hi = b[m] if sign > 0 else -a[m]
            rate = (lo + np.sqrt(lo**2 + 4)) / 2
            draw = lo + gen.exponential(1.0, int(m.sum())) / rate
            accept = gen.random(int(m.sum())) <= np.exp(-((draw - rate) ** 2) / 2)
            z[m] = sign * draw
            ok[m] = accept & (draw <= hi)
        done = todo & ok
        out[done] = z[done]
        todo &= ~ok
    return out


def stateless_parameterized_truncated_normal(
    shape, seed, means=0.0, stddevs=1.0, minvals=-2.0, maxvals=2.0, name=None
) -> Tensor:
    """Normal samples of mean ``means`` and deviation ``stddevs`` restricted to
    ``[minvals, maxvals]``, fully determined by ``seed``; the parameters broadcast to
    ``shape``. float32 unless a parameter is a float64 tensor."""
    op = "random.stateless_parameterized_truncated_normal"
    shape = _shape(shape, op)
    tensors = [as_tensor(v) for v in (means, stddevs, minvals, maxvals)]
    dt = dtypes.float64 if any(t.dtype == dtypes.float64 for t in tensors) else dtypes.float32
    arrays, params = _params(op, dt, *tensors)
    try:
        mean, std, low, high = (np.broadcast_to(x, shape) for x in arrays)
    except ValueError:
        raise invalid_argument(
            op,
            f"the parameters' broadcast shape {list(params)} does not broadcast to {list(shape)}",
        ) from None
    if (std <= 0).any() or (low >= high).any():
        raise invalid_argument(op, "stddevs must be > 0 and minvals < maxvals")
    gen = _seeding.stateless(seed, op)
    z = _truncated_standard(gen, (low - mean) / std, (high - mean) / std)
    values = np.clip(mean + std * z, low, high)
    return _wrap(values.astype(dt.as_numpy_dtype), get_device(None))
