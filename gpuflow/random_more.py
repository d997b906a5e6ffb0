"""More of ``tf.random``: ``stateless_binomial``, ``create_rng_state`` and
``tf.random.experimental`` (stateless_split and stateless_fold_in, which are
``random_extra``'s split and fold_in, and stateless_shuffle).

Same seed, same numbers, as TensorFlow promises; the numbers themselves are gpuflow's
(NumPy's generators), not TensorFlow's Philox streams.
"""

from __future__ import annotations

import numpy as np

from . import dtypes
from ._tracing import host_call
from .backend import get_device
from .errors import invalid_argument
from .random import (
    _STATE_SIZE,
    Generator,
    _algorithm,
    _rng_state,
    _shape,
    _stateless,
    _wrap,
    get_global_generator,
    set_global_generator,
)
from .random import (
    Algorithm as _Algorithm,
)
from .random_extra import fold_in, split
from .tensor import Tensor


def _values(x):
    return np.asarray(x.numpy() if isinstance(x, Tensor) else x)


def _float(dtype, op: str):
    dt = dtypes.as_dtype(dtype, op)
    if not dt.is_floating:
        raise ValueError(f"{op}: dtype must be a floating point type, received {dt.name}")
    return dt


@host_call(effect=False, droppable=False)
def stateless_binomial(shape, seed, counts, probs, output_dtype=dtypes.int32, name=None):
    """Binomial samples of ``shape``, fixed by ``seed``: ``counts`` and ``probs`` broadcast
    together, and ``shape`` ends with their broadcast shape (TensorFlow's rule)."""
    op = "random.stateless_binomial"
    dt = dtypes.as_dtype(output_dtype, op)
    gen = _stateless(seed, op)
    out_shape = _shape(shape)
    n, p = _values(counts).astype(np.int64), _values(probs).astype(np.float64)
    try:
        params = np.broadcast_shapes(n.shape, p.shape)
    except ValueError:
        raise invalid_argument(
            op, f"counts of shape {n.shape} and probs of shape {p.shape} do not broadcast"
        ) from None
    if tuple(out_shape[len(out_shape) - len(params) :]) != params or len(params) > len(out_shape):
        raise invalid_argument(
            op,
            f"Shape passed in must end with broadcasted shape: shape {list(out_shape)}, "
            f"counts and probs broadcast to {list(params)}",
        )
    n, p = np.broadcast_to(n, out_shape), np.broadcast_to(p, out_shape)
    return _wrap(gen.binomial(n, p).astype(dt), get_device(None))


@host_call(effect=False, droppable=False)
def create_rng_state(seed, alg) -> Tensor:
    """The int64 state a ``Generator(state=..., alg=alg)`` starts from (3 words for
    Philox and auto_select, 2 for ThreeFry; ``alg`` a name, an id or
    ``tf.random.Algorithm``), as TensorFlow lays it out: a Python ``int`` split into
    64-bit words, low word first; any other integer seed (a NumPy integer, a tensor, an
    array of any shape) flattened, cut to the state's size or zero-padded on the left."""
    size = _STATE_SIZE[_algorithm(alg, "random.create_rng_state")]
    state = _rng_state(seed, size, "random.create_rng_state")
    return _wrap(state, get_device(None))


@host_call(effect=False, droppable=False)
def stateless_shuffle(value, seed, alg="auto_select", name=None) -> Tensor:
    """``value`` shuffled along its first axis, the order fixed by ``seed``."""
    from .ops.indexing import gather

    gen = _stateless(seed, "random.experimental.stateless_shuffle")
    x = value if isinstance(value, Tensor) else Tensor(value)
    if x.ndim == 0:
        return x  # nothing to shuffle: TensorFlow returns a scalar as it is
    return gather(x, gen.permutation(x.shape[0]).astype(np.int64))


def index_shuffle(index, seed, max_index) -> Tensor:
    """``tf.random.experimental.index_shuffle``: the position of ``index`` in the
    permutation of ``[0, max_index]`` that ``seed`` (two integers) fixes; TensorFlow's
    numbers (its raw op keyed by ``[498247692, *seed]``)."""
    from .index_shuffle import random_index_shuffle

    words = np.asarray(seed.numpy() if isinstance(seed, Tensor) else seed)
    if words.shape != (2,) or words.dtype.kind not in "iu":
        raise invalid_argument(
            "random.experimental.index_shuffle",
            f"seed must be two integers (shape [2]), received {words.tolist()!r}",
        )
    key = np.concatenate([[498247692], words.astype(np.int64)])
    return random_index_shuffle(index, key, max_index, rounds=4)


class experimental:  # noqa: N801 - tf.random.experimental namespace
    Algorithm = _Algorithm
    Generator = Generator
    create_rng_state = staticmethod(create_rng_state)
    get_global_generator = staticmethod(get_global_generator)
    set_global_generator = staticmethod(set_global_generator)
    stateless_split = staticmethod(split)  # TensorFlow's tf.random.split is this op
    stateless_fold_in = staticmethod(fold_in)
    stateless_shuffle = staticmethod(stateless_shuffle)
    index_shuffle = staticmethod(index_shuffle)
