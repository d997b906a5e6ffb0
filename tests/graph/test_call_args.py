"""tf.function traces once for the ways of passing the same arguments (call_args)."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as tf
from gpuflow.graph.call_args import call_signature, canonical_call


def test_positional_keyword_and_default_calls_share_one_trace():
    @tf.function
    def scale(x, training=True, *, factor=2.0):
        return x * factor if training else x

    x = tf.constant([1.0, 2.0])
    scale(x)
    scale(x, True)
    scale(x, training=True)
    scale(x=x, factor=2.0)
    assert scale.experimental_get_tracing_count() == 1
    assert scale(x, False).numpy().tolist() == [1.0, 2.0]
    assert scale(x, factor=3.0).numpy().tolist() == [3.0, 6.0]
    assert scale.experimental_get_tracing_count() == 3


def test_canonical_call_forms():
    def f(a, b=1, *rest, c=None, **more):
        return a

    sig = call_signature(f)
    assert canonical_call(sig, (5,), {"b": 1}) == ((5,), {})
    assert canonical_call(sig, (), {"a": 5, "b": 2}) == ((5, 2), {})
    assert canonical_call(sig, (5, 1, 7), {}) == ((5, 1, 7), {})  # *rest keeps b in place
    assert canonical_call(sig, (5,), {"c": None, "d": 4}) == ((5,), {"d": 4})
    assert canonical_call(sig, (5,), {"b": 1.0}) == ((5, 1.0), {})  # 1.0 is not the int 1
    assert canonical_call(sig, (), {"zzz": 1}) == ((), {"zzz": 1})  # unbound: left to Python
    assert canonical_call(call_signature(len), ([1],), {}) == (([1],), {})


def test_equal_python_numbers_share_a_trace_and_numpy_numbers_are_tensors():
    seen = []

    @tf.function
    def f(x):
        seen.append(type(x).__name__)
        return x * 2

    f(1), f(1.0), f(True)  # equal values: one trace, as TensorFlow
    f(2)
    f(np.int64(2)), f(np.int64(3))  # NumPy numbers trace as int64 tensors
    assert f.experimental_get_tracing_count() == 3
    assert seen[:2] == ["int", "int"] and seen[2] == "Tensor"
    assert f(np.float32(1.5)).dtype == tf.float32


def test_input_signature_converts_numpy_arrays_to_its_dtype():
    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def f(x):
        return x * 2

    out = f(np.array([1.5, 2.0]))  # float64 array, float32 signature
    assert out.dtype == tf.float32 and out.numpy().tolist() == [3.0, 4.0]
    assert f(np.array([1, 2])).numpy().tolist() == [2.0, 4.0]
    assert f.experimental_get_tracing_count() == 1


def test_input_signature_parameters_left_out_take_their_defaults():
    # the deepdream tutorial's TiledGradients: a 3-spec signature called with 2 arguments
    class Scale(tf.Module):
        @tf.function(
            input_signature=(tf.TensorSpec([None], tf.float32), tf.TensorSpec([], tf.int32))
        )
        def __call__(self, x, k=3):
            return x * tf.cast(k, tf.float32), k

    scale = Scale()
    y, k = scale(tf.constant([1.0, 2.0]))
    assert y.numpy().tolist() == [3.0, 6.0] and k.dtype == tf.int32 and int(k) == 3
    assert scale(tf.constant([1.0]), 5)[0].numpy().tolist() == [5.0]

    @tf.function(input_signature=(tf.TensorSpec([], tf.float32), tf.TensorSpec([], tf.float32)))
    def add(a, b):
        return a + b

    with pytest.raises(TypeError, match="input_signature has 2"):
        add(tf.constant(1.0))
