# TF docstring examples around files, parsing, tf.data, lookup tables and dispatch:
# file:// paths and gfile.join / glob of several patterns, parse_example's result order,
# from_list of elements of different shapes, DatasetSpec.from_value, the mutable lookup
# tables, dispatch_for_api with a target that leaves out `name`, create_rng_state of a
# vector seed, tf.nn.dropout with noise_shape.
import os
import tempfile

import numpy as np
import tensorflow as tf

root = tempfile.mkdtemp()
with tf.io.gfile.GFile("file://" + root + "/x.txt", "w") as f:
    f.write("qwert")
assert tf.io.gfile.exists("file://" + root + "/x.txt")
tf.io.gfile.copy(root + "/x.txt", "file://" + root + "/y.py")
assert tf.io.read_file("file://" + root + "/y.py").numpy() == b"qwert"
assert tf.io.gfile.glob([root + "/*.txt", root + "/*.py"]) == [root + "/x.txt", root + "/y.py"]
assert tf.io.gfile.join("gcs://folder", "file.py") == "gcs://folder/file.py"
assert tf.io.gfile.join("folder", "file.py") == os.path.join("folder", "file.py")

example = tf.train.Example(
    features=tf.train.Features(
        feature={
            "my_ints": tf.train.Feature(int64_list=tf.train.Int64List(value=[1, 2, 3, 4])),
            "my_floats": tf.train.Feature(float_list=tf.train.FloatList(value=[1.0, 2.0])),
            "my_bytes": tf.train.Feature(bytes_list=tf.train.BytesList(value=[b"abc"])),
        }
    )
)
parsed = tf.io.parse_example(
    example.SerializeToString(),
    features={
        "my_ints": tf.io.RaggedFeature(dtype=tf.int64),
        "my_floats": tf.io.FixedLenFeature([2], tf.float32),
        "my_bytes": tf.io.VarLenFeature(tf.string),
    },
)
assert list(parsed) == ["my_bytes", "my_floats", "my_ints"]  # sparse, dense, ragged
assert parsed["my_ints"].numpy().tolist() == [1, 2, 3, 4]

ds = tf.data.experimental.from_list([[1], [2, 3]])
assert ds.element_spec == tf.TensorSpec([None], tf.int32)
assert [a.tolist() for a in ds.as_numpy_iterator()] == [[1], [2, 3]]
pairs = tf.data.experimental.from_list([(1, "a"), (2, "b"), (3, "c")])
assert [(n.item(), s) for n, s in pairs.as_numpy_iterator()] == [(1, b"a"), (2, b"b"), (3, b"c")]
spec = tf.data.DatasetSpec.from_value(tf.data.Dataset.range(3))
assert spec.element_spec == tf.TensorSpec([], tf.int64)

table = tf.lookup.experimental.MutableHashTable(
    key_dtype=tf.string, value_dtype=tf.int64, default_value=-1
)
keys = tf.constant(["a", "b", "c"])
table.insert(keys, tf.constant([7, 8, 9], dtype=tf.int64))
assert table.lookup(tf.constant(["a", "f"])).numpy().tolist() == [7, -1]
table.remove(tf.constant(["c"]))
assert table.lookup(keys).numpy().tolist() == [7, 8, -1] and int(table.size()) == 2
assert sorted(table.export()[0].numpy().tolist()) == [b"a", b"b"]
dense = tf.lookup.experimental.DenseHashTable(
    key_dtype=tf.string, value_dtype=tf.int64, default_value=-1, empty_key="", deleted_key="$"
)
dense.insert(tf.constant(["a", "b", "c"]), tf.constant([0, 1, 2], dtype=tf.int64))
dense.remove(tf.constant(["c"]))
assert dense.lookup(tf.constant(["a", "b", "c", "d"])).numpy().tolist() == [0, 1, -1, -1]


class MyTensor(tf.experimental.ExtensionType):
    value: tf.Tensor


@tf.experimental.dispatch_for_api(tf.abs)
def my_abs(x: MyTensor):
    return MyTensor(tf.abs(x.value))


assert int(tf.abs(MyTensor(-5)).value) == 5
tf.experimental.unregister_dispatch_for(my_abs)

assert tf.random.create_rng_state(1234, "philox").numpy().tolist() == [1234, 0, 0]
assert tf.random.create_rng_state([12, 34], "threefry").numpy().tolist() == [12, 34]
assert tf.random.create_rng_state([5], "philox").numpy().tolist() == [0, 0, 5]

x = tf.ones([3, 10])
y = tf.nn.dropout(x, rate=2 / 3, noise_shape=[1, 10], seed=1).numpy()
assert (y == y[0]).all()  # one draw per column, shared by the rows
assert set(np.unique(y).tolist()) <= {0.0, 3.0}
print("ok")
