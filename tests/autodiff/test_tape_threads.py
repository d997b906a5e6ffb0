"""A GradientTape records the ops of its own thread only."""

from __future__ import annotations

import numpy as np
from thread_helpers import run_together

import gpuflow as gf


def test_two_threads_each_record_their_own_tape():
    v = gf.Variable(np.float32(3.0))

    def taped(scale):
        def fn(barrier):
            with gf.GradientTape() as tape:
                barrier.wait()  # both tapes are open now
                y = v * v * scale
                barrier.wait()
            return float(tape.gradient(y, v).numpy())

        return fn

    def untaped(barrier):
        barrier.wait()
        y = v * v  # no tape on this thread: nothing may link it into a graph
        barrier.wait()
        return y._node is None

    assert run_together(taped(1.0), taped(2.0), untaped) == [6.0, 12.0, True]
