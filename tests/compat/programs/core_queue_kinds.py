"""tf.queue beyond FIFOQueue: PaddingFIFOQueue batches variable-length rows by padding,
RandomShuffleQueue mixes elements (holding min_after_dequeue back until closed),
PriorityQueue serves the lowest int64 priority first."""

import threading

import tensorflow as tf

# -- PaddingFIFOQueue: token ids of different lengths, with their labels -------------------
queue = tf.queue.PaddingFIFOQueue(8, [tf.int32, tf.string], shapes=[[None], []])
sentences = [([3, 7, 9], "pos"), ([4], "neg"), ([5, 6], "pos"), ([8, 1, 2, 2], "neg")]
for ids, label in sentences:
    queue.enqueue((ids, label))
assert int(queue.size()) == 4
ids, labels = queue.dequeue_many(2)
assert ids.shape == (2, 3), ids.shape
assert ids.numpy().tolist() == [[3, 7, 9], [4, 0, 0]]
assert labels.numpy().tolist() == [b"pos", b"neg"]
queue.close()
ids, labels = queue.dequeue_up_to(10)  # what is left, padded to its own longest row
assert ids.numpy().tolist() == [[5, 6, 0, 0], [8, 1, 2, 2]]
try:
    queue.dequeue()
    raise AssertionError("a closed empty queue must not serve a dequeue")
except tf.errors.OutOfRangeError:
    pass
try:
    tf.queue.PaddingFIFOQueue(4, [tf.int32, tf.float32], shapes=[[None]])
    raise AssertionError("every component needs a shape")
except ValueError as err:
    assert "Shapes must be provided" in str(err)
shapes_queue = tf.queue.PaddingFIFOQueue(4, tf.float32, shapes=[[None, 2]])
try:
    shapes_queue.enqueue(([[1.0, 2.0, 3.0]],))
    raise AssertionError("the fixed axis must match")
except ValueError as err:
    assert "incompatible" in str(err)

# A plain FIFOQueue needs fully defined shapes.
try:
    tf.queue.FIFOQueue(4, tf.float32, shapes=[[None]])
    raise AssertionError("FIFOQueue must refuse None sizes")
except ValueError as err:
    assert "fully defined" in str(err)

# -- RandomShuffleQueue ----------------------------------------------------------------------
shuffle = tf.queue.RandomShuffleQueue(
    capacity=20, min_after_dequeue=3, dtypes=[tf.int64], shapes=[[]], seed=7
)
shuffle.enqueue_many([tf.range(10, dtype=tf.int64)])
first = shuffle.dequeue_many(7).numpy().tolist()
assert int(shuffle.size()) == 3
served = []
consumer = threading.Thread(target=lambda: served.append(int(shuffle.dequeue())))
consumer.start()
consumer.join(timeout=0.3)
assert consumer.is_alive(), "a dequeue must wait while it would leave < min_after_dequeue"
shuffle.enqueue(tf.constant(10, tf.int64))
consumer.join(timeout=10)
assert not consumer.is_alive() and len(served) == 1
shuffle.close()
rest = shuffle.dequeue_up_to(10).numpy().tolist()  # closed: min_after_dequeue no longer holds
assert sorted(first + served + rest) == list(range(11))
assert isinstance(shuffle, tf.queue.QueueBase)
try:
    tf.queue.RandomShuffleQueue(capacity=2, min_after_dequeue=5, dtypes=[tf.int32])
    raise AssertionError("min_after_dequeue must stay below the capacity")
except tf.errors.InvalidArgumentError:
    pass

# -- PriorityQueue ---------------------------------------------------------------------------
jobs = tf.queue.PriorityQueue(10, [tf.string, tf.float32], shapes=[[], [2]])
assert jobs.dtypes == [tf.int64, tf.string, tf.float32]
assert [s.as_list() for s in jobs.shapes] == [[], [], [2]]
jobs.enqueue((tf.constant(5, tf.int64), "later", [5.0, 5.0]))
jobs.enqueue((tf.constant(1, tf.int64), "urgent", [1.0, 1.0]))
jobs.enqueue_many((tf.constant([3, 2], tf.int64), ["mid", "soon"], [[3.0, 3.0], [2.0, 2.0]]))
priority, name, payload = jobs.dequeue()
assert int(priority) == 1 and name.numpy() == b"urgent"
assert payload.numpy().tolist() == [1.0, 1.0]
priorities, names, payloads = jobs.dequeue_many(3)
assert priorities.numpy().tolist() == [2, 3, 5]
assert names.numpy().tolist() == [b"soon", b"mid", b"later"]
assert payloads.shape == (3, 2)

named = tf.queue.PriorityQueue(4, [tf.int32], shapes=[[]], names=["priority", "value"])
named.enqueue({"priority": tf.constant(9, tf.int64), "value": 90})
named.enqueue({"priority": tf.constant(4, tf.int64), "value": 40})
out = named.dequeue()
assert sorted(out) == ["priority", "value"] and int(out["value"]) == 40

print("core_queue_kinds OK")
