"""tf.CriticalSection: functions executed one at a time on a shared resource, eagerly,
from several Python threads and inside tf.function (TensorFlow 2.21)."""

import threading

import tensorflow as tf

counter = tf.Variable(0, dtype=tf.int32)
section = tf.CriticalSection(name="counter_section")


def increment():
    value = counter.read_value()  # a read and a write that must not interleave
    return counter.assign(value + 1)


assert int(section.execute(increment)) == 1
out = section.execute(lambda: (counter, 10, [counter * 2]))
assert isinstance(out[0], tf.Tensor) and not isinstance(out[0], tf.Variable)
assert (int(out[0]), int(out[1]), int(out[2][0])) == (1, 10, 2)

threads = [
    threading.Thread(target=lambda: [section.execute(increment) for _ in range(25)])
    for _ in range(4)
]
for t in threads:
    t.start()
for t in threads:
    t.join()
assert int(counter) == 101, int(counter)


@tf.function
def add_ten():
    return section.execute(lambda: counter.assign_add(10))


assert int(add_ten()) == 111

# executing on the same section from inside it is refused (it would deadlock)
try:
    section.execute(lambda: section.execute(increment))
except ValueError as error:
    assert "already running" in str(error), error
else:
    raise AssertionError("a nested execute should raise")
assert int(section.execute(lambda: counter + 0)) == 111  # the lock was released
print("core_critical_section: ok")
