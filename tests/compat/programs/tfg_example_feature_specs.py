"""tf.train.Example feature specs: FixedLen defaults, VarLen, FixedLenSequence, Ragged."""

import numpy as np
import tensorflow as tf


def example(**features):
    def feat(v):
        if v and isinstance(v[0], bytes):
            return tf.train.Feature(bytes_list=tf.train.BytesList(value=v))
        if not v or isinstance(v[0], float):  # an empty list is stored as floats
            return tf.train.Feature(float_list=tf.train.FloatList(value=v))
        return tf.train.Feature(int64_list=tf.train.Int64List(value=v))

    feats = {k: feat(v) for k, v in features.items()}
    return tf.train.Example(features=tf.train.Features(feature=feats)).SerializeToString()


records = [
    example(id=[1], tags=[b"a", b"b"], emb=[0.5, 1.5], seq=[1.0, 2.0, 3.0, 4.0], r=[1.0, 2.0, 3.0]),
    example(id=[2], tags=[b"c"], seq=[5.0, 6.0], r=[5.0]),
    example(id=[3], emb=[2.0, 3.0], seq=[], r=[]),
]

spec = {
    "id": tf.io.FixedLenFeature([], tf.int64),
    "tags": tf.io.VarLenFeature(tf.string),
    "emb": tf.io.FixedLenFeature([2], tf.float32, default_value=[0.0, -1.0]),
    "seq": tf.io.FixedLenSequenceFeature([2], tf.float32, allow_missing=True),
    "rag": tf.io.RaggedFeature(tf.float32, value_key="r"),
}

one = tf.io.parse_single_example(records[0], spec)
assert one["id"].dtype == tf.int64 and one["id"].shape == ()
assert isinstance(one["tags"], tf.sparse.SparseTensor)
assert one["tags"].values.numpy().tolist() == [b"a", b"b"]
np.testing.assert_array_equal(one["seq"], [[1.0, 2.0], [3.0, 4.0]])
assert isinstance(one["rag"], tf.Tensor) or isinstance(one["rag"], tf.RaggedTensor)
np.testing.assert_array_equal(one["rag"], [1.0, 2.0, 3.0])

# The batch parser pads VarLen into one SparseTensor and FixedLenSequence with zeros.
batch = tf.io.parse_example(tf.constant(records), spec)
assert batch["id"].numpy().tolist() == [1, 2, 3]
tags = batch["tags"]
assert tags.dense_shape.numpy().tolist() == [3, 2]
assert tags.indices.numpy().tolist() == [[0, 0], [0, 1], [1, 0]]
dense_tags = tf.sparse.to_dense(tags, default_value=b"")
assert dense_tags.numpy().tolist() == [[b"a", b"b"], [b"c", b""], [b"", b""]]
np.testing.assert_array_equal(batch["emb"], [[0.5, 1.5], [0.0, -1.0], [2.0, 3.0]])
assert batch["seq"].shape == (3, 2, 2)
np.testing.assert_array_equal(batch["seq"][1], [[5.0, 6.0], [0.0, 0.0]])
np.testing.assert_array_equal(batch["seq"][2], np.zeros((2, 2)))
rag = batch["rag"]
assert isinstance(rag, tf.RaggedTensor)
assert rag.row_lengths().numpy().tolist() == [3, 1, 0]

# A FixedLenFeature without a default is required.
try:
    tf.io.parse_single_example(records[1], {"emb": tf.io.FixedLenFeature([2], tf.float32)})
except tf.errors.InvalidArgumentError:
    pass
else:
    raise AssertionError("missing required feature should raise")
# A wrong number of values for a fixed shape is an error too.
try:
    tf.io.parse_single_example(records[0], {"seq": tf.io.FixedLenFeature([3], tf.float32)})
except tf.errors.InvalidArgumentError:
    pass
else:
    raise AssertionError("wrong fixed length should raise")
# ... and a dtype that does not match the stored list.
try:
    tf.io.parse_single_example(records[0], {"id": tf.io.FixedLenFeature([], tf.float32)})
except tf.errors.InvalidArgumentError:
    pass
else:
    raise AssertionError("wrong feature dtype should raise")

# The same specs work in a tf.data pipeline.
ds = tf.data.Dataset.from_tensor_slices(records).batch(2)
ds = ds.map(lambda s: tf.io.parse_example(s, {"id": spec["id"], "emb": spec["emb"]}))
ids = [b["id"].numpy().tolist() for b in ds]
assert ids == [[1, 2], [3]]

# Example protos parse back in Python as well.
proto = tf.train.Example.FromString(records[0])
assert list(proto.features.feature["tags"].bytes_list.value) == [b"a", b"b"]
assert proto.features.feature["id"].int64_list.value[0] == 1
print("ok")
