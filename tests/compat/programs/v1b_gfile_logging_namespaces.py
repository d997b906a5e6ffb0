"""TF 1 utility names a tutorial script uses: tf.compat.v1.gfile (Exists, MakeDirs, GFile,
Walk, ...), python_io's TFRecord writer and reader, the logging helpers (log_every_n,
log_if, vlog) and the TF 1 names of tf.compat.v1.random / debugging / linalg / sets / image."""

import os
import tempfile

import numpy as np
import tensorflow as tf

v1 = tf.compat.v1
root = tempfile.mkdtemp()
nested = os.path.join(root, "runs", "exp1")

# -- gfile ---------------------------------------------------------------------------------
v1.gfile.MakeDirs(nested)
assert v1.gfile.Exists(nested) and v1.gfile.IsDirectory(nested)
assert not v1.gfile.IsDirectory(os.path.join(root, "missing"))
log_file = os.path.join(nested, "log.txt")
with v1.gfile.GFile(log_file, "w") as f:
    f.write("step 1\nstep 2\n")
with v1.gfile.FastGFile(log_file, "r") as f:
    assert f.read().splitlines() == ["step 1", "step 2"]
with v1.gfile.Open(log_file) as f:
    assert f.readline() == "step 1\n"
assert v1.gfile.Stat(log_file).length == 14

backup = os.path.join(root, "backup.txt")
v1.gfile.Copy(log_file, backup)
try:
    v1.gfile.Copy(log_file, backup)
    raise AssertionError("Copy overwrote without overwrite=True")
except tf.errors.AlreadyExistsError:
    pass
v1.gfile.Copy(log_file, backup, overwrite=True)
v1.gfile.Rename(backup, os.path.join(root, "moved.txt"))
assert sorted(v1.gfile.ListDirectory(root)) == ["moved.txt", "runs"]
assert [os.path.basename(p) for p in v1.gfile.Glob(os.path.join(root, "*.txt"))] == ["moved.txt"]

tree = [(os.path.relpath(d, root), sorted(s), sorted(f)) for d, s, f in v1.gfile.Walk(root)]
assert tree[0] == (".", ["runs"], ["moved.txt"]), tree
assert tree[-1] == (os.path.join("runs", "exp1"), [], ["log.txt"]), tree
bottom_up = [os.path.relpath(d, root) for d, _, _ in v1.gfile.Walk(root, in_order=False)]
assert bottom_up[-1] == ".", bottom_up

v1.gfile.MkDir(os.path.join(root, "empty"))
v1.gfile.Remove(os.path.join(root, "moved.txt"))
v1.gfile.DeleteRecursively(os.path.join(root, "runs"))
assert v1.gfile.ListDirectory(root) == ["empty"]
try:
    v1.gfile.Remove(os.path.join(root, "moved.txt"))
    raise AssertionError("removing a missing file passed")
except tf.errors.NotFoundError:
    pass

# -- logging: the calls TF 1 scripts make run without error ---------------------------------
v1.logging.set_verbosity(v1.logging.WARN)
assert v1.logging.get_verbosity() == v1.logging.WARN
for step in range(4):
    v1.logging.log_every_n(v1.logging.INFO, "step %d", 2, step)
    v1.logging.log_first_n(v1.logging.INFO, "first steps %d", 1, step)
v1.logging.log_if(v1.logging.INFO, "loss %.2f", step == 3, 0.5)
v1.logging.vlog(v1.logging.DEBUG, "details")
v1.logging.TaskLevelStatusMessage("task status")

# -- TF 1 names inside the namespaces ---------------------------------------------------------
v1.random.set_random_seed(11)
first = tf.random.uniform([3]).numpy()
v1.set_random_seed(11)
np.testing.assert_array_equal(first, tf.random.uniform([3]).numpy())
draws = v1.random.multinomial(tf.math.log([[0.0, 1.0, 0.0]]), 4)
assert draws.dtype == tf.int64 and draws.numpy().tolist() == [[1, 1, 1, 1]]
assert v1.debugging.is_nan(tf.constant([0.0, np.nan])).numpy().tolist() == [False, True]
assert v1.debugging.is_finite(tf.constant([np.inf, 1.0])).numpy().tolist() == [False, True]
assert bool(v1.debugging.is_strictly_increasing([1, 2, 5]))
assert v1.linalg.transpose([[1, 2, 3]]).shape == (3, 1)
common = v1.sets.set_intersection([[1, 2, 3]], [[2, 3, 4]])
assert common.values.numpy().tolist() == [2, 3]
assert v1.sets.set_union([[1]], [[2]]).values.numpy().tolist() == [1, 2]
assert v1.sets.set_difference([[1, 2, 3]], [[2]]).values.numpy().tolist() == [1, 3]
assert v1.sets.set_size(tf.sparse.from_dense([[1, 2, 0]])).numpy().tolist() == [2]
picture = tf.reshape(tf.range(48, dtype=tf.float32), [2, 4, 6, 1])
framed = v1.image.resize_image_with_crop_or_pad(picture, 6, 4)
assert framed.shape == (2, 6, 4, 1) and float(tf.reduce_sum(framed)) == 752.0
assert v1.image.transpose_image(picture).shape == (2, 6, 4, 1)
patches = v1.image.extract_image_patches(
    picture, ksizes=[1, 2, 2, 1], strides=[1, 2, 2, 1], rates=[1, 1, 1, 1], padding="VALID"
)
assert patches.shape == (2, 2, 3, 4) and patches.numpy()[0, 0, 0].tolist() == [0, 1, 6, 7]

# -- python_io: TFRecords written and read back, gzip-compressed ---------------------------------
records = os.path.join(root, "empty", "points.tfrecord.gz")
gzip = v1.python_io.TFRecordOptions(v1.python_io.TFRecordCompressionType.GZIP)
assert v1.python_io.TFRecordOptions.get_compression_type_string(gzip) == "GZIP"
with v1.python_io.TFRecordWriter(records, gzip) as writer:
    for value in (3, 1, 4):
        feature = tf.train.Feature(int64_list=tf.train.Int64List(value=[value]))
        example = tf.train.Example(features=tf.train.Features(feature={"v": feature}))
        writer.write(example.SerializeToString())
read_back = [
    tf.train.Example.FromString(raw).features.feature["v"].int64_list.value[0]
    for raw in v1.python_io.tf_record_iterator(records, gzip)
]
assert read_back == [3, 1, 4], read_back
assert len(list(v1.io.tf_record_iterator(records, "GZIP"))) == 3
assert sum(1 for _ in tf.data.TFRecordDataset(records, compression_type="GZIP")) == 3
print("ok")
