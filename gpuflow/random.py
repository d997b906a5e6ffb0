"""Random tensors and the one seed that makes runs reproducible (``gpuflow.random.set_seed``)."""
from __future__ import annotations

import numpy as np

from . import dtypes
from .backend import get_device, reseed
from .tensor import Tensor


def set_seed(seed: int) -> None:
    """Seed every device's random stream (NumPy on the CPU, CuPy on GPUs).

    After ``set_seed(n)`` the same program draws the same numbers on the CPU. It also takes
    precedence over the random state of a model loaded before it (see ``random_state``).
    """
    global _seed_calls
    reseed(int(seed))
    _seed_calls += 1


_seed_calls = 0  # how often set_seed ran: a later call overrides a loaded model's state


def host_rng() -> np.random.Generator:
    """The seeded NumPy generator for host-side randomness (shuffling, splits)."""
    return get_device("cpu").rng()


def _draw(device, op_seed, draw):
    dev = get_device(device)
    if op_seed is None:
        return dev, draw(dev)
    # An op-level seed gives the same numbers on every device: draw on the host.
    cpu = get_device("cpu")
    saved = cpu._rng
    cpu._rng = np.random.default_rng(op_seed)
    try:
        return dev, dev.asarray(draw(cpu))
    finally:
        cpu._rng = saved


def _float_dtype(dtype, op):
    dt = dtypes.floatx() if dtype is None else dtypes.as_dtype(dtype, op)
    if not dtypes.is_floating(dt):
        raise TypeError(f"{op}: expected a float dtype, received {dt}")
    return dt


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None, device=None) -> Tensor:
    """Samples of a normal distribution."""
    dt = _float_dtype(dtype, "random.normal")
    dev, array = _draw(device, seed, lambda d: d.random_normal(_shape(shape), mean, stddev, dt))
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
    dev, array = _draw(device, seed, lambda d: d.random_uniform(_shape(shape), minval, high, dt))
    return Tensor._wrap(array, dev)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None, device=None) -> Tensor:
    """Normal samples redrawn until within two standard deviations of the mean."""
    dt = _float_dtype(dtype, "random.truncated_normal")

    def draw(d):
        xp = d.xp
        values = d.random_normal(_shape(shape), 0.0, 1.0, dt)
        bad = xp.abs(values) > 2
        while bool(bad.any()):
            values = xp.where(bad, d.random_normal(_shape(shape), 0.0, 1.0, dt), values)
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
