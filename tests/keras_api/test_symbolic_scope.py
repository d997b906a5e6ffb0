"""keras.SymbolicScope (Keras 3): the symbolic stage of layer calls on keras.Input tensors."""

from __future__ import annotations

import numpy as np

import gpuflow as gf
from gpuflow.symbolic_scope import get_symbolic_scope, in_symbolic_scope


def test_scope_nests_and_restores():
    assert not in_symbolic_scope() and get_symbolic_scope() is None
    with gf.keras.SymbolicScope() as outer:
        assert in_symbolic_scope() and get_symbolic_scope() is outer
        with gf.keras.SymbolicScope() as inner:
            assert get_symbolic_scope() is inner
        assert get_symbolic_scope() is outer
    assert not in_symbolic_scope()


def test_symbolic_calls_run_inside_the_scope():
    seen = []

    class Probe(gf.keras.layers.Layer):
        def call(self, x):
            seen.append(in_symbolic_scope())
            return x * 2.0

    inputs = gf.keras.Input((3,))
    model = gf.keras.Model(inputs, Probe()(inputs))
    assert seen and all(seen)
    seen.clear()
    out = model(np.ones((2, 3), "float32"))
    assert seen == [False]
    np.testing.assert_allclose(out.numpy(), 2.0)
