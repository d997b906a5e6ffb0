"""tf.train.Checkpoint attributes that are lists and dicts (the checkpoint guide's last
section): they are wrapped (ListWrapper / DictWrapper), keep behaving as lists and dicts,
and a variable added to one after restore() gets its saved value on arrival."""

import os
import tempfile

import tensorflow as tf

directory = tempfile.mkdtemp()

# Save a list of two variables and a dict that refers to the same variables.
writer = tf.train.Checkpoint()
writer.items = [tf.Variable(1.5)]
writer.items.append(tf.Variable(-2.0))
writer.table = {"first": writer.items[0]}
writer.table["second"] = writer.items[1]
writer.table["third"] = tf.Variable([3.0, 4.0])
assert isinstance(writer.items, list) and isinstance(writer.table, dict)
assert repr(writer.items).startswith("ListWrapper([")
assert repr(writer.table).startswith("DictWrapper({")
assert len(writer.items) == 2 and sorted(writer.table) == ["first", "second", "third"]
path = writer.save(os.path.join(directory, "containers"))

# Restore before the objects exist: each gets its value when it is added.
reader = tf.train.Checkpoint()
second = tf.Variable(0.0)
reader.table = {"second": second}
status = reader.restore(path)
assert second.numpy() == -2.0  # restored at once: it existed

reader.items = []
assert repr(reader.items) == "ListWrapper([])"
first = tf.Variable(0.0)
reader.items.append(first)  # restored on arrival
assert first.numpy() == 1.5

third = tf.Variable([0.0, 0.0])
reader.table["third"] = third  # a new dict entry, restored on arrival
assert third.numpy().tolist() == [3.0, 4.0]

# Values that do not match still say so.
wrong = tf.train.Checkpoint()
wrong.items = [tf.Variable([1.0, 2.0, 3.0])]
try:
    wrong.restore(path)
    raise AssertionError("a value of another shape must not restore")
except (ValueError, tf.errors.InvalidArgumentError):
    pass

# A non-trackable attribute is kept but not saved; as a constructor argument it is refused.
plain = tf.train.Checkpoint(v=tf.Variable(1.0))
plain.count = 5
assert plain.count == 5
names = [name for name, _ in tf.train.list_variables(plain.save(os.path.join(directory, "p")))]
assert not any(name.startswith("count") for name in names), names
try:
    tf.train.Checkpoint(count=5)
    raise AssertionError("an int is not trackable")
except ValueError:
    pass
print("ok")
