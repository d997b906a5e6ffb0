"""The lecture MLP's training step reduced to its matrix products: the floor of any framework.

A training step of the lecture MLP (784-512-10) spends most of its time in five GEMMs:
``x @ w1`` and ``h @ w2`` forward, ``g @ w2.T``, ``h.T @ g`` and ``x.T @ dh`` backward (the
input's own gradient is not needed). A framework that calls the same BLAS can make the step
no faster than these five calls alone, so ``peer time / floor`` is the largest speed-up over
that peer any such framework could measure. When a goal asks for more than that, it asks
for more than the machine computes (with this BLAS and thread count), not for less
framework overhead.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

MLP_SHAPES = ((784, 512), (512, 10))


def mlp_step_gemms(batch: int, dtype: str = "float32", seed: int = 0) -> Callable[[], None]:
    """A callable running the MLP step's five GEMMs at ``batch`` into preallocated outputs
    (NumPy's ``matmul``: the BLAS that NumPy, and so gpuflow on the CPU, uses)."""
    rng = np.random.default_rng(seed)
    (n_in, n_hidden), (_, n_out) = MLP_SHAPES
    x = rng.random((batch, n_in)).astype(dtype)
    w1 = rng.random((n_in, n_hidden)).astype(dtype)
    w2 = rng.random((n_hidden, n_out)).astype(dtype)
    g = rng.random((batch, n_out)).astype(dtype)  # the logits' gradient
    h = np.empty((batch, n_hidden), dtype)
    logits = np.empty((batch, n_out), dtype)
    dh = np.empty((batch, n_hidden), dtype)
    dw1 = np.empty_like(w1)
    dw2 = np.empty_like(w2)

    def step() -> None:
        np.matmul(x, w1, out=h)
        np.matmul(h, w2, out=logits)
        np.matmul(g, w2.T, out=dh)
        np.matmul(h.T, g, out=dw2)
        np.matmul(x.T, dh, out=dw1)

    return step


def ceilings(times: dict, floor_key: str, peers: list) -> dict:
    """``{peer: times[peer] / times[floor_key]}``: the largest speed-up over each peer that a
    framework doing the step's GEMMs and nothing else would measure."""
    return {peer: times[peer] / times[floor_key] for peer in peers if peer in times}
