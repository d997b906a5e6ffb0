"""tf.types.experimental: the isinstance checks TensorFlow code makes."""

from __future__ import annotations

import numpy as np

import gpuflow as tf

E = tf.types.experimental


def test_tensor_like_is_tensorflows_union():
    for value in (tf.constant(1.0), tf.Variable(1.0), np.ones(2), np.float32(1), 1, 2.5, "a"):
        assert isinstance(value, E.TensorLike), value
    for value in ([1.0], (1, 2), b"x", 1j, True):
        assert isinstance(value, E.TensorLike), value
    assert not isinstance(None, E.TensorLike)
    assert not isinstance(tf.ragged.constant([[1], []]), E.TensorLike)

    class Proto:
        def __tf_tensor__(self, dtype=None, name=None):
            return tf.constant([1.0])

    assert isinstance(Proto(), E.TensorLike) and isinstance(Proto(), E.TensorProtocol)


def test_function_types(tmp_path):
    f = tf.function(lambda x: x * 2)
    c = f.get_concrete_function(tf.TensorSpec([None]))
    assert isinstance(f, E.PolymorphicFunction) and isinstance(f, E.GenericFunction)
    assert isinstance(f, E.Callable) and not isinstance(f, E.ConcreteFunction)
    assert isinstance(c, E.ConcreteFunction) and isinstance(c, E.Callable)
    assert not isinstance(lambda: 1, E.Callable)

    class M(tf.Module):
        @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
        def g(self, x):
            return x + 1

    tf.saved_model.save(M(), str(tmp_path / "m"))
    loaded = tf.saved_model.load(str(tmp_path / "m"))
    assert isinstance(loaded.g, E.PolymorphicFunction)
    assert isinstance(loaded.signatures["serving_default"], E.ConcreteFunction)
