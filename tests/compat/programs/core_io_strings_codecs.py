"""tf.io helpers around data files: web-safe base64, compressed strings, file patterns,
SparseTensors serialized to strings and back, JPEG header shape and crop."""

import gzip
import os
import tempfile

import numpy as np
import tensorflow as tf

encoded = tf.io.encode_base64(tf.constant([b"hello?>", b"\xff\xfe"]))
assert encoded.numpy().tolist() == [b"aGVsbG8_Pg", b"__4"]
assert tf.io.decode_base64(encoded).numpy().tolist() == [b"hello?>", b"\xff\xfe"]
assert (
    tf.io.decode_compressed(gzip.compress(b"payload"), compression_type="GZIP").numpy()
    == b"payload"
)

folder = tempfile.mkdtemp()
for name in ("b.txt", "a.txt", "c.csv"):
    open(os.path.join(folder, name), "w").close()
found = tf.io.matching_files(os.path.join(folder, "*.txt")).numpy().tolist()
assert [os.path.basename(p.decode()) for p in found] == ["a.txt", "b.txt"]

sparse = tf.sparse.SparseTensor(indices=[[0, 1], [2, 0]], values=[1.5, 2.5], dense_shape=[3, 4])
rows = tf.io.serialize_many_sparse(sparse)
assert rows.shape == (3, 3)
restored = tf.io.deserialize_many_sparse(rows, dtype=tf.float32)
assert np.array_equal(tf.sparse.to_dense(restored).numpy(), tf.sparse.to_dense(sparse).numpy())
single = tf.io.serialize_sparse(sparse)
assert single.shape == (3,)

image = (np.arange(8 * 10 * 3) % 255).astype(np.uint8).reshape(8, 10, 3)
jpeg = tf.io.encode_jpeg(image)
assert tf.io.extract_jpeg_shape(jpeg).numpy().tolist() == [8, 10, 3]
window = tf.io.decode_and_crop_jpeg(jpeg, crop_window=[1, 2, 4, 5])
assert np.array_equal(window.numpy(), tf.io.decode_jpeg(jpeg).numpy()[1:5, 2:7])
print("ok")
