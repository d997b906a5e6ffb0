"""Random tensors with TensorFlow's seed rule (``gpuflow.random.set_seed``), stateless
random ops, and ``Generator``.

The rule, as ``tf.random``: with no seed at all the numbers differ from run to run. After
``set_seed(g)`` the same program draws the same numbers: ops without an op seed draw
from the devices' streams, restarted from ``g``; an op with ``seed=s`` draws from its own
stream of ``(g, s)`` (``g`` a fixed default when no global seed is set), which advances on
each call and restarts at the next ``set_seed``. Op-seeded draws are made on the host,
so they are the same on every device.
"""

from __future__ import annotations

import contextlib
import enum
import threading

import numpy as np

from . import dtypes
from ._graph_random import stateful_random
from ._tracing import host_call, tracing
from .backend import get_device, reseed
from .errors import InvalidArgumentError
from .tensor import Tensor

_DEFAULT_GLOBAL_SEED = 87654321  # TensorFlow's default graph seed


class _SeedState:
    """The global seed and the op-seeded streams: process-wide, as set_seed is a setting
    (each NumPy generator serializes its own draws with its lock)."""

    def __init__(self) -> None:
        self.global_seed = None
        self.streams: dict = {}


_state = _SeedState()


def set_seed(seed: int) -> None:
    """Set the global seed: the same program then draws the same numbers.

    Restarts every device's random stream and every op-seeded stream. It also takes
    precedence over the random state of a model loaded before it (see ``random_state``).
    """
    global _seed_calls
    seed = int(seed)
    _state.global_seed = seed
    _state.streams.clear()
    reseed(seed)
    _seed_calls += 1


_seed_calls = 0  # how often set_seed ran: a later call overrides a loaded model's state


def get_global_seed():
    """The global seed set by :func:`set_seed` (None when unset)."""
    return _state.global_seed


def host_rng() -> np.random.Generator:
    """The seeded NumPy generator for host-side randomness (shuffling, splits)."""
    return get_device("cpu").rng()


class _Private(threading.local):
    def __init__(self) -> None:
        self.streams = None  # a dict standing for _state.streams inside private_streams
        self.seed = None  # the global seed op-seeded draws use there (None: the global one)


_private = _Private()


@contextlib.contextmanager
def private_streams(streams: dict, global_seed=None):
    """Op-seeded draws inside take their streams from ``streams`` (a dict its owner keeps:
    a TF 1 Session's per-op random state, which a new Session starts afresh), made from
    ``global_seed`` (a TF 1 graph's seed) when given."""
    saved = _private.streams, _private.seed
    _private.streams, _private.seed = streams, global_seed
    try:
        yield
    finally:
        _private.streams, _private.seed = saved


def _stream(key, entropy: list) -> np.random.Generator:
    """The generator kept under ``key`` until the next set_seed (made from ``entropy``)."""
    streams = _state.streams if _private.streams is None else _private.streams
    rng = streams.get(key)
    if rng is None:
        rng = streams[key] = np.random.default_rng(entropy)
    return rng


def _op_stream(seed) -> np.random.Generator:
    """The stream of an op seed: advances on each call, restarts at the next set_seed."""
    global_seed = _private.seed if _private.seed is not None else _state.global_seed
    global_seed = _DEFAULT_GLOBAL_SEED if global_seed is None else global_seed
    return _stream((global_seed, int(seed)), [global_seed & 0xFFFFFFFF, int(seed) & 0xFFFFFFFF])


def _pair_stream(seed, seed2) -> np.random.Generator:
    """The stream of a raw random op's ``(seed, seed2)`` attributes: advances on each call,
    restarts at the next set_seed (TF keys a raw op's kernel, and its stream, by them)."""
    mask = 0xFFFFFFFFFFFFFFFF
    return _stream(("raw op", int(seed), int(seed2)), [int(seed) & mask, int(seed2) & mask, 1])


def raw_op_draw(op: str, shape, dtype, seed, seed2) -> Tensor:
    """``tf.raw_ops.RandomUniform`` (``op`` "RandomUniform": [0, 1)) and
    ``RandomStandardNormal``: both seeds 0 draw from the device's stream, as an unseeded
    op; otherwise from the pair's own stream, the same sequence in every run."""
    from .errors import InvalidArgumentError

    dt = dtypes.as_dtype(dtype, op)
    if not dt.is_floating:
        raise InvalidArgumentError(
            None,
            op,
            f"{op}: value for attr 'dtype' of {dt.name} is not in the list of allowed values: "
            "half, float, double",
        )
    shape = _shape(shape, op)
    if not seed and not seed2:
        dev, src = _source(None, None)
    else:
        dev, src = get_device(None), _HostDraws(_pair_stream(seed, seed2))
    if op == "RandomUniform":
        return _wrap(_below(src.xp, src.random_uniform(shape, 0.0, 1.0, dt), 1.0), dev)
    return _wrap(src.random_normal(shape, 0.0, 1.0, dt), dev)


class _HostDraws:
    """Host draws from one NumPy generator, with the Device methods the samplers use."""

    xp = np

    def __init__(self, rng) -> None:
        self._gen = rng

    def random_uniform(self, shape, low, high, dtype):
        values = self._gen.random(
            tuple(shape), dtype=np.float64 if dtype == np.float64 else np.float32
        )
        low, high = _host_value(low), _host_value(high)
        return np.asarray(values * (high - low) + low).astype(dtype, copy=False)

    def random_normal(self, shape, mean, stddev, dtype):
        values = self._gen.standard_normal(
            tuple(shape), dtype=np.float64 if dtype == np.float64 else np.float32
        )
        mean, stddev = _host_value(mean), _host_value(stddev)
        return np.asarray(values * stddev + mean).astype(dtype, copy=False)

    def integers(self, low, high, shape, dtype):
        return self._gen.integers(low, high, size=tuple(shape), dtype=dtype)


def _host_value(value):
    """A bound (minval, maxval, mean, stddev) given as a Tensor, as the NumPy value it holds
    (TF takes tensors, broadcast against the samples: ``stateless_uniform(..., minval=t)``)."""
    return value.numpy() if isinstance(value, Tensor) else value


def _source(device, seed):
    """``(device, sampler)``: the device's own stream, or an op seed's host stream."""
    dev = get_device(device)
    if seed is None:
        return dev, dev
    return dev, _HostDraws(_op_stream(seed))


def _float_dtype(dtype, op):
    dt = dtypes.floatx() if dtype is None else dtypes.as_dtype(dtype, op)
    if not dt.is_floating:
        raise TypeError(f"{op}: expected a float dtype, received {dt}")
    return dt


def _shape(shape, op="random"):
    from .ops._common import as_shape

    return as_shape(op, shape)


def _scalar(value, op, name):
    if isinstance(value, Tensor):
        if value.size != 1:
            raise ValueError(f"{op}: {name} must be a scalar, received shape {tuple(value.shape)}")
        return value.item()
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
        raise TypeError(f"{op}: {name} must be a number, received {value!r}")
    return value


def _bound(value, shape, op, name):
    """A scalar, or a Tensor broadcastable to the samples' ``shape`` (as TF's stateless ops)."""
    if not isinstance(value, Tensor) or value.size == 1:
        return _scalar(value, op, name)
    try:
        np.broadcast_shapes(tuple(value.shape), tuple(shape))
    except ValueError:
        raise ValueError(
            f"{op}: {name} of shape {tuple(value.shape)} does not broadcast to the shape "
            f"{tuple(shape)}"
        ) from None
    return value.numpy()


def _wrap(array, dev):
    return Tensor._wrap(dev.asarray(array) if not dev.owns(array) else array, dev)


def normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None, name=None, device=None) -> Tensor:
    """Samples of a normal distribution."""
    dt = _float_dtype(dtype, "random.normal")
    shape = _shape(shape, "random.normal")
    mean, stddev = (
        _scalar(mean, "random.normal", "mean"),
        _scalar(stddev, "random.normal", "stddev"),
    )
    dev, src = _source(device, seed)
    return _wrap(src.random_normal(shape, mean, stddev, dt), dev)


def uniform(shape, minval=0, maxval=None, dtype=None, seed=None, name=None, device=None) -> Tensor:
    """Samples of a uniform distribution on ``[minval, maxval)`` (``maxval`` defaults to 1
    for floats; integer dtypes need it)."""
    shape = _shape(shape, "random.uniform")
    dt = dtypes.floatx() if dtype is None else dtypes.as_dtype(dtype, "random.uniform")
    low = _scalar(minval, "random.uniform", "minval")
    if dt.is_integer:
        if maxval is None:
            raise ValueError("random.uniform: an integer dtype needs maxval")
        high = _scalar(maxval, "random.uniform", "maxval")
        if not high > low:
            raise InvalidArgumentError(
                None, None, f"random.uniform: maxval {high} must be greater than minval {low}"
            )
        dev = get_device(device)
        gen = _op_stream(seed) if seed is not None else host_rng()
        return _wrap(gen.integers(low, high, size=shape, dtype=dt), dev)
    if not dt.is_floating:
        raise TypeError(f"random.uniform: expected a float or integer dtype, received {dt}")
    high = 1.0 if maxval is None else _scalar(maxval, "random.uniform", "maxval")
    dev, src = _source(device, seed)
    return _wrap(_below(src.xp, src.random_uniform(shape, low, high, dt), high), dev)


def _below(xp, values, high):
    """Values that rounding (float16) lifted to ``high`` put back just below it: [low, high)."""
    top = np.nextafter(np.array(high, dtype=values.dtype), np.array(-np.inf, values.dtype))
    return xp.minimum(values, values.dtype.type(top))


def _truncated(src, shape, mean, stddev, dt):
    xp = src.xp if hasattr(src, "xp") else np
    values = src.random_normal(shape, 0.0, 1.0, dt)
    bad = xp.abs(values) > 2
    while bool(bad.any()):
        values = xp.where(bad, src.random_normal(shape, 0.0, 1.0, dt), values)
        bad = xp.abs(values) > 2
    return values * dt.type(stddev) + dt.type(mean)


def truncated_normal(
    shape, mean=0.0, stddev=1.0, dtype=None, seed=None, name=None, device=None
) -> Tensor:
    """Normal samples redrawn until within two standard deviations of the mean."""
    dt = _float_dtype(dtype, "random.truncated_normal")
    shape = _shape(shape, "random.truncated_normal")
    dev, src = _source(device, seed)
    return _wrap(_truncated(src, shape, mean, stddev, dt), dev)


def shuffle(value, seed=None, name=None) -> Tensor:
    """``value`` with its first axis randomly permuted. No gradient flows through it
    (TensorFlow's RandomShuffle is not differentiable: ``tape.gradient`` gives None)."""
    from .autodiff.tape import stop_gradient
    from .ops._common import as_tensor
    from .ops.indexing import gather

    x = as_tensor(value)
    if x.ndim == 0:
        raise ValueError("random.shuffle: expected a tensor of rank >= 1, received a scalar")
    rng = _op_stream(seed) if seed is not None else host_rng()
    return gather(stop_gradient(x), rng.permutation(x.shape[0]))


def _gumbel_sample(gen, logits, num_samples):
    noise = -np.log(-np.log(gen.random((logits.shape[0], num_samples, logits.shape[1]))))
    return np.argmax(logits[:, None, :] + noise, axis=-1)


def _categorical(op, logits, num_samples, dtype, gen):
    from .ops._common import as_int, as_tensor

    x = as_tensor(logits)
    if x.ndim != 2 or x.dtype.kind != "f":
        raise ValueError(
            f"{op}: logits must be a float tensor [batch, classes], received shape "
            f"{tuple(x.shape)} dtype {x.dtype.name}"
        )
    n = as_int(op, "num_samples", num_samples, minimum=0)
    out_type = dtypes.int64 if dtype is None else dtypes.as_dtype(dtype, op)
    samples = _gumbel_sample(gen, x.numpy().astype(np.float64), n).astype(out_type)
    return Tensor._wrap(x._device.asarray(samples), x._device)


def categorical(logits, num_samples, dtype=None, seed=None, name=None) -> Tensor:
    """``num_samples`` class indices per row, drawn with probabilities ``softmax(logits)``."""
    gen = _op_stream(seed) if seed is not None else host_rng()
    return _categorical("random.categorical", logits, num_samples, dtype, gen)


def _stateless(seed, op):
    from .ops._common import as_tensor

    values = (
        as_tensor(seed).numpy().reshape(-1)
        if isinstance(seed, Tensor)
        else np.asarray(seed).reshape(-1)
    )
    if values.shape != (2,) or values.dtype.kind not in "iu":
        from .errors import invalid_argument  # TF's InvalidArgumentError (also a ValueError)

        raise invalid_argument(op, f"seed must be two integers [a, b], received {seed!r}")
    return np.random.default_rng([int(v) & 0xFFFFFFFF for v in values])


def stateless_uniform(
    shape, seed, minval=0, maxval=None, dtype=None, name=None, alg=None, device=None
) -> Tensor:
    """Uniform samples fully determined by ``seed`` (two integers): same seed, same numbers."""
    shape = _shape(shape, "random.stateless_uniform")
    dt = dtypes.floatx() if dtype is None else dtypes.as_dtype(dtype, "random.stateless_uniform")
    gen = _stateless(seed, "random.stateless_uniform")
    dev = get_device(device)
    if dt.is_integer:
        if minval is None and maxval is None:  # the dtype's whole range, as TensorFlow
            info = np.iinfo(dt.as_numpy_dtype)
            values = gen.integers(info.min, info.max, size=shape, dtype=dt, endpoint=True)
            return _wrap(values, dev)
        if maxval is None or minval is None:
            raise ValueError(
                "random.stateless_uniform: an integer dtype needs both minval and maxval, "
                "or neither (the whole range)"
            )
        return _wrap(gen.integers(minval, maxval, size=shape, dtype=dt), dev)
    high = 1.0 if maxval is None else _bound(maxval, shape, "random.stateless_uniform", "maxval")
    low = _bound(minval, shape, "random.stateless_uniform", "minval")
    return _wrap(_HostDraws(gen).random_uniform(shape, low, high, dt), dev)


def stateless_normal(
    shape, seed, mean=0.0, stddev=1.0, dtype=None, name=None, alg=None, device=None
) -> Tensor:
    """Normal samples fully determined by ``seed`` (two integers)."""
    dt = _float_dtype(dtype, "random.stateless_normal")
    gen = _stateless(seed, "random.stateless_normal")
    return _wrap(_HostDraws(gen).random_normal(_shape(shape), mean, stddev, dt), get_device(device))


def stateless_truncated_normal(
    shape, seed, mean=0.0, stddev=1.0, dtype=None, name=None, alg=None, device=None
) -> Tensor:
    """Truncated normal samples fully determined by ``seed`` (two integers)."""
    dt = _float_dtype(dtype, "random.stateless_truncated_normal")
    gen = _stateless(seed, "random.stateless_truncated_normal")
    return _wrap(_truncated(_HostDraws(gen), _shape(shape), mean, stddev, dt), get_device(device))


def stateless_categorical(logits, num_samples, seed, dtype=None, name=None) -> Tensor:
    """Categorical samples fully determined by ``seed`` (two integers)."""
    return _categorical(
        "random.stateless_categorical",
        logits,
        num_samples,
        dtype,
        _stateless(seed, "random.stateless_categorical"),
    )


_MASK64 = 0xFFFFFFFFFFFFFFFF


class Algorithm(enum.Enum):
    """The random number algorithms (``tf.random.Algorithm``)."""

    PHILOX = 1
    THREEFRY = 2
    AUTO_SELECT = 3


# TensorFlow's algorithm ids (tf.random.Algorithm) and their state sizes in int64 words
_ALGORITHMS = {"philox": 1, "threefry": 2, "auto_select": 3}
_STATE_SIZE = {1: 3, 2: 2, 3: 3}


def _algorithm(alg, op: str) -> int:
    """TF's id of ``alg`` (a name, an id or ``tf.random.Algorithm``); None: Philox."""
    if alg is None:
        return 1
    value = getattr(alg, "value", alg)
    if isinstance(value, str):
        value = _ALGORITHMS.get(value.lower())
    if value not in _STATE_SIZE:
        raise ValueError(
            f"{op}: alg must be 'philox', 'threefry', 'auto_select' or their ids 1, 2, 3, "
            f"received {alg!r}"
        )
    return 1 if value == 3 else int(value)  # auto_select is Philox on every device here


def _seed_words(seed, size: int) -> np.ndarray:
    """``seed`` (an int, or int words) as ``size`` int64 words, as TF's create_rng_state."""
    values = seed.numpy() if isinstance(seed, Tensor) else np.asarray(seed)
    if values.ndim == 0:
        seed = int(values)
        words = [(seed >> (64 * i)) & _MASK64 for i in range(size)]
        return np.array(words, dtype=np.uint64).astype(np.int64)
    words = values.astype(np.int64).reshape(-1)[:size]
    return np.concatenate([words, np.zeros(size - len(words), np.int64)])


def _rng_state(seed, size: int, op: str) -> np.ndarray:
    """TensorFlow's ``create_rng_state`` rule: a Python ``int`` split into 64-bit words,
    low word first; any other integer seed (a NumPy integer, a tensor, an array of any
    shape) flattened, cut to ``size`` words or zero-padded on the left."""
    if isinstance(seed, int):
        words = [(seed >> (64 * i)) & _MASK64 for i in range(size)]
        return np.array(words, dtype=np.uint64).astype(np.int64)
    values = np.asarray(seed.numpy() if isinstance(seed, Tensor) else seed)
    if values.dtype.kind not in "iub":
        raise ValueError(
            f"{op}: seed must be an integer or integer array, received dtype {values.dtype} "
            f"{seed!r}"
        )
    state = values.astype(np.uint64 if values.dtype.kind == "u" else np.int64)
    state = state.astype(np.int64).reshape(-1)[:size]
    return np.pad(state, [(size - state.shape[0], 0)])


class Generator:
    """A random number generator with its own state, as ``tf.random.Generator``.

    The state is an int64 Variable (``generator.state``): the counter words of a Philox
    stream, then its key, as TensorFlow lays it out. Each draw starts at the counter and
    advances it, so equal states give equal numbers, ``reset`` repeats them, and a
    ``tf.train.Checkpoint`` of the generator saves where its stream stands.

    Create it with :meth:`from_seed` (reproducible), :meth:`from_non_deterministic_state`,
    :meth:`from_state` or :meth:`from_key_counter`.
    """

    def __init__(self, copy_from=None, state=None, alg=None) -> None:
        from .tensor import Variable

        if copy_from is not None:
            self._alg = copy_from._alg
            state = copy_from._state.numpy()
        else:
            self._alg = _algorithm(alg, "random.Generator")
        size = _STATE_SIZE[self._alg]
        if isinstance(state, Variable):  # shared, as TensorFlow's from_state(variable)
            if tuple(state.shape) != (size,) or state.dtype.name != "int64":
                raise ValueError(
                    f"random.Generator: the state must be an int64 vector of {size} words, "
                    f"received {state.dtype.name} of shape {tuple(state.shape)}"
                )
            self._state = state
            self._strategy = _creating_strategy()
            return
        if state is None:
            words = np.random.default_rng().integers(
                np.iinfo(np.int64).min, np.iinfo(np.int64).max, size=size, dtype=np.int64
            )
        else:
            words = _seed_words(state, size)
        self._state = Variable(words, trainable=False, name="StateVar", dtype="int64")
        self._strategy = _creating_strategy()

    # -- construction ------------------------------------------------------------------
    @classmethod
    def from_seed(cls, seed, alg=None) -> "Generator":
        """A generator whose numbers are determined by ``seed``: its state is
        ``create_rng_state(seed, alg)`` as in TensorFlow (a Python int's 64-bit words; an
        integer tensor or NumPy integer is the key, the last word)."""
        op = "random.Generator.from_seed"
        integer_tensor = isinstance(seed, Tensor) and seed.ndim == 0 and seed.dtype.kind in "iu"
        if not integer_tensor and (
            isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer))
        ):
            raise TypeError(f"{op}: seed must be an integer, received {seed!r}")
        size = _STATE_SIZE[_algorithm(alg, op)]
        return cls(state=_rng_state(seed, size, op), alg=alg)

    @classmethod
    def from_non_deterministic_state(cls, alg=None) -> "Generator":
        """A generator started from fresh entropy (different numbers on each run)."""
        return cls(alg=alg)

    @classmethod
    def from_state(cls, state, alg) -> "Generator":
        """A generator on ``state`` (int64 words; a Variable is shared, not copied)."""
        return cls(state=state, alg=alg)

    @classmethod
    def from_key_counter(cls, key, counter, alg) -> "Generator":
        """A generator whose stream has this ``key`` and starts at ``counter``."""
        return cls(state=_key_counter_words(key, counter, alg), alg=alg)

    # -- state --------------------------------------------------------------------------
    @property
    def state(self):
        """The state Variable (int64: the counter words, then the key)."""
        return self._state

    @property
    def algorithm(self) -> int:
        """TensorFlow's id of the algorithm (1: Philox, 2: ThreeFry)."""
        return self._alg

    @property
    def key(self) -> Tensor:
        """The stream's key (the last word of the state)."""
        return self._state[-1]

    def reset(self, state) -> None:
        """Restart the stream from ``state`` (int64 words)."""
        self._state.assign(_seed_words(state, _STATE_SIZE[self._alg]))

    def reset_from_seed(self, seed) -> None:
        """Restart the stream as ``from_seed(seed)`` starts it."""
        op = "random.Generator.reset_from_seed"
        self._state.assign(_rng_state(seed, _STATE_SIZE[self._alg], op))

    def reset_from_key_counter(self, key, counter) -> None:
        self._state.assign(_key_counter_words(key, counter, self._alg))

    def skip(self, delta) -> Tensor:
        """Advance the stream as ``normal([delta])`` would (without making the numbers);
        returns the state before the skip (int64), as TensorFlow's."""
        delta = int(delta.numpy() if isinstance(delta, Tensor) else delta)
        if delta < 0:
            raise ValueError(f"Generator.skip: delta must be >= 0, received {delta}")
        before = self._state.numpy()
        self._draw(lambda r: _HostDraws(r).random_normal((delta,), 0.0, 1.0, np.float32))
        return _wrap(before, get_device(None))

    def _checkpoint_children(self):
        return [("_state_var", self._state)]

    def _rng(self) -> np.random.Generator:
        """A NumPy Philox stream at the state's counter and key."""
        replica = self._replica_id()  # first: it may restore the replicas' start state
        words = self._state.numpy().astype(np.uint64)
        counter = np.zeros(4, np.uint64)
        counter[: len(words) - 1] = words[:-1]
        key = int(words[-1])
        if replica is not None:  # TF: key = hash(key, replica id), a stream per replica
            mixed = np.random.Philox(counter=[replica, 0, 0, 0], key=[key, 0]).random_raw(1)
            key = int(mixed[0])
        return np.random.Generator(np.random.Philox(counter=counter, key=[key, 0]))

    def _replica_id(self):
        """The replica id inside ``run`` of the strategy this generator was made under
        (its scope or its replica function), else None. That strategy's replicas each
        start from the state the first of them saw (the state is mirrored)."""
        from .distribute import context as distribute_context

        strategy = self._strategy
        if strategy is None or distribute_context.running() is not strategy:
            return None
        strategy._replica_start_state(self._state)
        replica = distribute_context.running_replica_id()
        return 0 if replica is None else replica

    def _advance(self, rng: np.random.Generator) -> None:
        """Store where ``rng`` stopped (its counter; buffered words are never reused)."""
        counter = np.asarray(rng.bit_generator.state["state"]["counter"], np.uint64)
        words = self._state.numpy()
        words[:-1] = counter[: len(words) - 1].astype(np.int64)
        self._state.assign(words)

    def _draw(self, fn):
        rng = self._rng()
        try:
            return fn(rng)
        finally:
            if not tracing.dry_call:  # a trace without effects leaves the stream as it was
                self._advance(rng)

    # -- draws ---------------------------------------------------------------------------
    def normal(self, shape, mean=0.0, stddev=1.0, dtype=None, name=None) -> Tensor:
        dt = _float_dtype(dtype, "Generator.normal")
        shape = _shape(shape)
        values = self._draw(lambda r: _HostDraws(r).random_normal(shape, mean, stddev, dt))
        return _wrap(values, get_device(None))

    def uniform(self, shape, minval=0, maxval=None, dtype=None, name=None) -> Tensor:
        dt = dtypes.floatx() if dtype is None else dtypes.as_dtype(dtype, "Generator.uniform")
        shape = _shape(shape)
        if dt.is_integer:
            if maxval is None:
                raise ValueError("Generator.uniform: an integer dtype needs maxval")
            values = self._draw(lambda r: r.integers(minval, maxval, size=shape, dtype=dt))
            return _wrap(values, get_device(None))
        high = 1.0 if maxval is None else maxval
        values = self._draw(lambda r: _HostDraws(r).random_uniform(shape, minval, high, dt))
        return _wrap(values, get_device(None))

    def truncated_normal(self, shape, mean=0.0, stddev=1.0, dtype=None, name=None) -> Tensor:
        dt = _float_dtype(dtype, "Generator.truncated_normal")
        shape = _shape(shape)
        values = self._draw(lambda r: _truncated(_HostDraws(r), shape, mean, stddev, dt))
        return _wrap(values, get_device(None))

    def make_seeds(self, count=1) -> Tensor:
        """``[2, count]`` int64 seeds for the stateless ops."""
        info = np.iinfo(np.int64)
        keys = self._draw(lambda r: r.integers(info.min, info.max, size=int(count), dtype=np.int64))
        # As TensorFlow: the two halves of a stateless seed are scrambled together, so
        # the second is zero.
        return _wrap(np.stack([keys, np.zeros_like(keys)]), get_device(None))

    def uniform_full_int(self, shape, dtype=dtypes.uint64, name=None) -> Tensor:
        """Integers uniform over the whole range of ``dtype``: int32 or int64 (gpuflow has
        no uint64 tensors, TensorFlow's default here: pass ``dtype=tf.int64``)."""
        dt = dtypes.as_dtype(dtype, "Generator.uniform_full_int")
        if dt.name not in ("int32", "int64"):
            raise ValueError(
                f"Generator.uniform_full_int: dtype must be int32 or int64, received {dt.name}"
            )
        info = np.iinfo(dt.as_numpy_dtype)
        shape = _shape(shape)
        values = self._draw(
            lambda r: r.integers(info.min, info.max, size=shape, dtype=dt, endpoint=True)
        )
        return _wrap(values, get_device(None))

    def binomial(self, shape, counts, probs, dtype=dtypes.int32, name=None) -> Tensor:
        """Binomial samples (``counts`` trials of probability ``probs``, broadcast to
        ``shape``)."""
        dt = dtypes.as_dtype(dtype, "Generator.binomial")
        n = np.asarray(counts.numpy() if isinstance(counts, Tensor) else counts)
        p = np.asarray(probs.numpy() if isinstance(probs, Tensor) else probs)
        shape = _shape(shape)
        params = np.broadcast_shapes(n.shape, p.shape)
        if params and tuple(shape[len(shape) - len(params) :]) != params:
            raise ValueError(
                f"Generator.binomial: shape {list(shape)} must end with the broadcast shape "
                f"of counts and probs {list(params)}"
            )
        values = self._draw(lambda r: r.binomial(n.astype(np.int64), p, size=shape))
        return _wrap(values.astype(dt), get_device(None))

    def split(self, count=1) -> list:
        """``count`` new independent generators (keyed by draws of this one, which
        advances)."""
        info = np.iinfo(np.int64)
        keys = self._draw(lambda r: r.integers(info.min, info.max, size=int(count), dtype=np.int64))
        size = _STATE_SIZE[self._alg]
        return [
            Generator(state=np.concatenate([np.zeros(size - 1, np.int64), [k]]), alg=self._alg)
            for k in keys
        ]


def _creating_strategy():
    """The strategy whose scope or replica function makes a generator here, or None
    (TF's ``Generator._distribution_strategy``)."""
    from .distribute import context as distribute_context

    return distribute_context.running() or distribute_context.current()


def _key_counter_words(key, counter, alg) -> np.ndarray:
    size = _STATE_SIZE[_algorithm(alg, "random.Generator.from_key_counter")]
    counter = np.asarray(counter.numpy() if isinstance(counter, Tensor) else counter, np.int64)
    key = int(key.numpy() if isinstance(key, Tensor) else key)
    if counter.shape != (size - 1,):
        raise ValueError(
            f"random.Generator.from_key_counter: counter must have {size - 1} words, "
            f"received shape {counter.shape}"
        )
    return np.concatenate([counter, np.array([key], np.uint64).astype(np.int64)])


_global_generator = None


def get_global_generator() -> Generator:
    """The global Generator (seeded from the global seed when one is set)."""
    global _global_generator
    if _global_generator is None:
        _global_generator = (
            Generator.from_seed(_state.global_seed)
            if _state.global_seed is not None
            else Generator.from_non_deterministic_state()
        )
    return _global_generator


def set_global_generator(generator: Generator) -> None:
    global _global_generator
    if not isinstance(generator, Generator):
        raise TypeError(
            f"random.set_global_generator: expected a Generator, received "
            f"{type(generator).__name__}"
        )
    _global_generator = generator


class _FixedSeedDraws:
    """Keras initializers' rule: a given ``seed`` gives the same numbers on every call
    (a fresh host stream per call); no seed draws from the device's stream."""

    @staticmethod
    def _src(device, seed):
        dev = get_device(device)
        return (dev, dev) if seed is None else (dev, _HostDraws(np.random.default_rng(seed)))

    def normal(self, shape, mean=0.0, stddev=1.0, dtype=None, seed=None, device=None):
        dev, src = self._src(device, seed)
        return _wrap(
            src.random_normal(_shape(shape), mean, stddev, _float_dtype(dtype, "initializer")), dev
        )

    def uniform(self, shape, minval=0, maxval=None, dtype=None, seed=None, device=None):
        dev, src = self._src(device, seed)
        high = 1.0 if maxval is None else maxval
        return _wrap(
            src.random_uniform(_shape(shape), minval, high, _float_dtype(dtype, "initializer")), dev
        )

    def truncated_normal(self, shape, mean=0.0, stddev=1.0, dtype=None, seed=None, device=None):
        dev, src = self._src(device, seed)
        return _wrap(
            _truncated(src, _shape(shape), mean, stddev, _float_dtype(dtype, "initializer")), dev
        )


#: used by gpuflow.initializers (Keras' seeded-initializer rule).
fixed_seed = _FixedSeedDraws()


# Inside gpuflow.function a draw is recorded as the random op itself (not its value), so
# every compiled step draws fresh values, as in TensorFlow.
for _name in (
    "normal",
    "uniform",
    "truncated_normal",
    "shuffle",
    "categorical",
    "stateless_uniform",
    "stateless_normal",
    "stateless_truncated_normal",
    "stateless_categorical",
):
    globals()[_name] = host_call(globals()[_name], effect=False, droppable=False)
# In a TF 1 graph a draw is a node of the graph, drawn anew on each Session.run
for _name in ("normal", "uniform", "truncated_normal", "shuffle", "categorical"):
    globals()[_name] = stateful_random(globals()[_name])
_GENERATOR_DRAWS = ("normal", "uniform", "truncated_normal", "make_seeds", "uniform_full_int")
for _name in (*_GENERATOR_DRAWS, "binomial"):
    setattr(Generator, _name, host_call(getattr(Generator, _name), effect=False, droppable=False))
del _name


# More of tf.random (stateless_binomial, create_rng_state, tf.random.experimental) lives in
# gpuflow/random_more.py, loaded on first use.
_MORE = ("stateless_binomial", "create_rng_state", "experimental")


def __getattr__(name: str):
    if name in _MORE:
        import importlib

        return getattr(importlib.import_module(".random_more", __package__), name)
    raise AttributeError(f"module 'gpuflow.random' has no attribute {name!r}")


def __dir__() -> list:
    return sorted(set(globals()) | set(_MORE))


# gamma, poisson, their stateless forms, split and fold_in: gpuflow/random_extra.py
from . import random_extra as _random_extra  # noqa: E402

_random_extra.bind(_op_stream, host_rng, _stateless)
from .random_extra import (  # noqa: E402,F401
    fold_in,
    gamma,
    poisson,
    split,
    stateless_gamma,
    stateless_parameterized_truncated_normal,
    stateless_poisson,
)

# the candidate samplers (also in tf.nn)
from .random_samplers import (  # noqa: E402,F401
    all_candidate_sampler,
    fixed_unigram_candidate_sampler,
    learned_unigram_candidate_sampler,
    log_uniform_candidate_sampler,
    uniform_candidate_sampler,
)
