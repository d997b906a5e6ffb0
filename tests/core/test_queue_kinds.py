"""tf.queue.PaddingFIFOQueue, RandomShuffleQueue and PriorityQueue eagerly."""

from __future__ import annotations

import threading

import pytest

import gpuflow as tf


def test_padding_fifo_queue_pads_each_batch_to_its_largest_element():
    q = tf.queue.PaddingFIFOQueue(5, [tf.int32, tf.string], shapes=[[None], []])
    q.enqueue(([1, 2, 3], "a"))
    q.enqueue(([4], "b"))
    q.enqueue(([5, 6], "c"))
    ids, words = q.dequeue_many(2)
    assert ids.numpy().tolist() == [[1, 2, 3], [4, 0, 0]]
    assert words.numpy().tolist() == [b"a", b"b"]
    assert q.dequeue()[0].numpy().tolist() == [5, 6]
    text = tf.queue.PaddingFIFOQueue(3, tf.string, shapes=[[None]])
    text.enqueue((["x"],))
    text.enqueue((["y", "z"],))
    assert text.dequeue_many(2).numpy().tolist() == [[b"x", b""], [b"y", b"z"]]
    with pytest.raises(ValueError, match="Shapes must be provided for all components"):
        tf.queue.PaddingFIFOQueue(3, [tf.int32, tf.int32], shapes=[[None]])
    with pytest.raises(ValueError, match="incompatible"):
        q.enqueue(([[1]], "d"))


def test_fifo_queues_need_fully_defined_shapes():
    with pytest.raises(ValueError, match="All shapes must be fully defined"):
        tf.queue.FIFOQueue(3, tf.float32, shapes=[[None, 2]])
    with pytest.raises(ValueError, match="All shapes must be fully defined"):
        tf.queue.RandomShuffleQueue(3, 0, tf.float32, shapes=[[None]])


def test_random_shuffle_queue_keeps_min_after_dequeue_until_closed():
    q = tf.queue.RandomShuffleQueue(10, 2, tf.int32, shapes=[[]], seed=3)
    q.enqueue_many([list(range(6))])
    taken = q.dequeue_many(4).numpy().tolist()
    assert int(q.size()) == 2
    got = []
    worker = threading.Thread(target=lambda: got.append(int(q.dequeue())))
    worker.start()
    worker.join(timeout=0.2)
    assert worker.is_alive()  # two left: a dequeue would leave fewer than min_after_dequeue
    q.enqueue(6)
    worker.join(timeout=10)
    q.close()
    rest = q.dequeue_up_to(10).numpy().tolist()
    assert sorted(taken + got + rest) == list(range(7))
    same = tf.queue.RandomShuffleQueue(10, 0, tf.int32, shapes=[[]], seed=3)
    same.enqueue_many([list(range(6))])
    assert same.dequeue_many(4).numpy().tolist() == taken  # a seed repeats the order
    with pytest.raises(tf.errors.InvalidArgumentError, match="must be < capacity"):
        tf.queue.RandomShuffleQueue(2, 3, tf.int32)


def test_priority_queue_gives_the_lowest_priority_first():
    q = tf.queue.PriorityQueue(10, [tf.string], shapes=[[]])
    assert q.dtypes == [tf.int64, tf.string] and q.shapes == [[], []]
    q.enqueue((3, "c"))
    q.enqueue((1, "a"))
    q.enqueue((2, "b"))
    q.enqueue((1, "a2"))
    priority, word = q.dequeue()
    assert int(priority) == 1 and word.numpy() == b"a"
    priorities, words = q.dequeue_many(3)
    assert priorities.numpy().tolist() == [1, 2, 3]
    assert words.numpy().tolist() == [b"a2", b"b", b"c"]
    with pytest.raises(ValueError, match="expected 2 components"):
        q.enqueue(("x",))
    with pytest.raises(ValueError, match="the priority must be a scalar"):
        tf.queue.PriorityQueue(3, [tf.int32]).enqueue(([1, 2], 5))
