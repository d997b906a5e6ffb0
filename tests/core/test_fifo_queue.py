"""tf.queue.FIFOQueue eagerly: order, components, blocking across threads, close."""

from __future__ import annotations

import threading

import numpy as np
import pytest

import gpuflow as tf


def test_elements_come_out_in_order_with_their_components():
    q = tf.queue.FIFOQueue(3, [tf.float32, tf.int32], shapes=[[2], []])
    assert q.dtypes == [tf.float32, tf.int32] and q.shapes == [[2], []] and q.names is None
    q.enqueue([[1.0, 2.0], 7])
    q.enqueue_many([[[3.0, 4.0], [5.0, 6.0]], [8, 9]])
    assert int(q.size()) == 3
    first = q.dequeue()
    assert first[0].numpy().tolist() == [1.0, 2.0] and int(first[1]) == 7
    rest = q.dequeue_many(2)
    assert rest[0].shape == (2, 2) and rest[1].numpy().tolist() == [8, 9]
    named = tf.queue.FIFOQueue(2, tf.string, names="text")
    named.enqueue({"text": "a"})
    assert named.dequeue()["text"].numpy() == b"a"
    single = tf.queue.FIFOQueue(5, tf.int32)
    single.enqueue(1)
    assert isinstance(single.dequeue(), tf.Tensor) and isinstance(q, tf.queue.QueueBase)


def test_close_and_errors():
    q = tf.queue.FIFOQueue(10, [tf.int32], shapes=[[]])
    q.enqueue_many([[1, 2, 3]])
    q.close()
    assert bool(q.is_closed())
    with pytest.raises(tf.errors.CancelledError, match="is closed"):
        q.enqueue(4)
    with pytest.raises(tf.errors.OutOfRangeError, match=r"requested 5, current size 3"):
        q.dequeue_many(5)
    assert q.dequeue_up_to(5).numpy().tolist() == [1, 2, 3]
    with pytest.raises(tf.errors.OutOfRangeError, match="insufficient elements"):
        q.dequeue()
    loose = tf.queue.FIFOQueue(3, tf.float32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="require the components to have"):
        loose.dequeue_many(1)
    with pytest.raises(ValueError, match=r"Shapes \(2,\) and \(3,\) are incompatible"):
        tf.queue.FIFOQueue(3, tf.float32, shapes=[[2]]).enqueue([1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="FIFOQueue.enqueue: cannot convert 'x'"):
        loose.enqueue("x")


def test_a_full_queue_waits_for_a_consumer_thread():
    q = tf.queue.FIFOQueue(2, tf.int64, shapes=[[]])
    got = []

    def consume():
        for _ in range(5):
            got.append(int(q.dequeue()))

    worker = threading.Thread(target=consume)
    worker.start()
    for i in range(5):
        q.enqueue(np.int64(i))  # blocks while two are waiting
    worker.join(timeout=10)
    assert got == [0, 1, 2, 3, 4] and not worker.is_alive()
