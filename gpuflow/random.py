"""Random tensors and the one seed that makes runs reproducible (``gpuflow.random.set_seed``).

``set_seed`` is a process-wide setting, as TensorFlow's global seed: it restarts every
device's stream, which all threads share (each device owns its stream, under a lock).
A draw with an op-level ``seed=`` uses a generator of its own and touches no shared state.
"""
from __future__ import annotations

import numpy as np

from . import dtypes
from .backend import get_device, reseed
from .tensor import Tensor


def set_seed(seed: int) -> None:
    """Seed every device's random stream (NumPy on the CPU, CuPy on GPUs).

    After ``set_seed(n)`` the same program draws the same numbers on the CPU.
    """
    reseed(int(seed))


def host_rng() -> np.random.Generator:
    """The seeded NumPy generator for host-side randomness (shuffling, splits)."""
    return get_device("cpu").rng()


def _draw(device, op_seed, draw):
    """``draw(device, rng)`` on ``device``'s own stream (``rng`` None), or, with an op seed,
    on the host from a generator of that seed alone (the same numbers on every device)."""
    dev = get_device(device)
    if op_seed is None:
        return dev, draw(dev, None)
    return dev, dev.asarray(draw(get_device("cpu"), np.random.default_rng(op_seed)))


def _float_dtype(dtype, op):
    dt = dtypes.floatx() if dtype is None else dtypes.as_dtype(dtype, op)
    if not dtypes.is_floating(dt):
        raise TypeError(f"{op}: expected a float dtype, received {dt}")
    return dt


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None, device=None) -> Tensor:
    """Samples of a normal distribution."""
    dt = _float_dtype(dtype, "random.normal")
    dev, array = _draw(device, seed,
                       lambda d, rng: d.random_normal(_shape(shape), mean, stddev, dt, rng))
    return Tensor._wrap(array, dev)


def uniform(shape, minval=0, maxval=None, dtype=None, seed=None, device=None) -> Tensor:
    """Samples of a uniform distribution on ``[minval, maxval)`` (``maxval`` defaults to 1)."""
    if dtype is not None and dtypes.is_integer(dtypes.as_dtype(dtype)):
        if maxval is None:
            raise ValueError("random.uniform: an integer dtype needs maxval")
        dev = get_device(device)
        rng = np.random.default_rng(seed) if seed is not None else get_device("cpu").rng()
        values = rng.integers(minval, maxval, size=_shape(shape), dtype=dtypes.as_dtype(dtype))
        return Tensor._wrap(dev.asarray(values), dev)
    dt = _float_dtype(dtype, "random.uniform")
    high = 1.0 if maxval is None else maxval
    dev, array = _draw(device, seed,
                       lambda d, rng: d.random_uniform(_shape(shape), minval, high, dt, rng))
    return Tensor._wrap(array, dev)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None, device=None) -> Tensor:
    """Normal samples redrawn until within two standard deviations of the mean."""
    dt = _float_dtype(dtype, "random.truncated_normal")

    def draw(d, rng):
        xp = d.xp
        values = d.random_normal(_shape(shape), 0.0, 1.0, dt, rng)
        bad = xp.abs(values) > 2
        while bool(bad.any()):
            values = xp.where(bad, d.random_normal(_shape(shape), 0.0, 1.0, dt, rng), values)
            bad = xp.abs(values) > 2
        return values * dt.type(stddev) + dt.type(mean)

    dev, array = _draw(device, seed, draw)
    return Tensor._wrap(array, dev)


def shuffle(value, seed=None) -> Tensor:
    """``value`` with its first axis randomly permuted."""
    from .ops._common import as_tensor
    from .ops.shape import gather

    x = as_tensor(value)
    rng = np.random.default_rng(seed) if seed is not None else host_rng()
    return gather(x, rng.permutation(x.shape[0]))


def _shape(shape):
    if isinstance(shape, Tensor):
        shape = shape.numpy().tolist()
    return (int(shape),) if isinstance(shape, (int, np.integer)) else tuple(int(n) for n in shape)
