"""disable_eager_execution is process-wide, as TensorFlow's: a call from one thread puts
every thread in TF 1 graph mode; a thread computing a graph's values runs ops eagerly."""

import threading

import numpy as np

import gpuflow as tf

v1 = tf.compat.v1


def _in_thread(fn):
    out = []
    thread = threading.Thread(target=lambda: out.append(fn()))
    thread.start()
    thread.join()
    return out[0]


def test_disable_from_another_thread_reaches_every_thread():
    try:
        _in_thread(v1.disable_eager_execution)
        assert not tf.executing_eagerly()
        assert _in_thread(tf.executing_eagerly) is False
        x = v1.placeholder(tf.float32, [2])
        y = x * 3.0
        with v1.Session() as sess:  # the run computes eagerly, graph mode stays on after it
            assert sess.run(y, {x: np.array([1.0, 2.0])}).tolist() == [3.0, 6.0]
        assert not tf.executing_eagerly()
    finally:
        _in_thread(v1.enable_eager_execution)
    assert tf.executing_eagerly() and _in_thread(tf.executing_eagerly)
    assert isinstance(tf.constant(1.0) * 2.0, tf.Tensor)
