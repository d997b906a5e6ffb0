"""tf.experimental.dlpack: zero-copy exchange with NumPy and PyTorch."""

import numpy as np
import pytest

import gpuflow as tf


def test_round_trip_and_sharing():
    t = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    back = tf.experimental.dlpack.from_dlpack(tf.experimental.dlpack.to_dlpack(t))
    assert back.numpy().tolist() == [[1.0, 2.0], [3.0, 4.0]] and back.dtype == tf.float32
    array = np.arange(4.0)
    shared = tf.experimental.dlpack.from_dlpack(array)  # objects with __dlpack__ too
    array[0] = 9.0
    assert shared.numpy()[0] == 9.0  # no copy
    with pytest.raises(TypeError, match="to_dlpack: expected a Tensor"):
        tf.experimental.dlpack.to_dlpack([1, 2])
    with pytest.raises(TypeError, match="from_dlpack: expected a DLPack capsule"):
        tf.experimental.dlpack.from_dlpack("capsule")


def test_exchange_with_torch():
    torch = pytest.importorskip("torch")
    pt = torch.utils.dlpack.from_dlpack(tf.experimental.dlpack.to_dlpack(tf.range(5)))
    assert pt.tolist() == [0, 1, 2, 3, 4] and pt.dtype == torch.int32
    g = tf.experimental.dlpack.from_dlpack(torch.utils.dlpack.to_dlpack(torch.arange(3.0)))
    assert g.numpy().tolist() == [0.0, 1.0, 2.0] and g.dtype == tf.float32
