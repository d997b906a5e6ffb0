# padded_batch with text and number columns (the tf.data guide's "Batching tensors with
# padding"): padded_shapes per component, padding_values per component (a string pad
# token), drop_remainder's static batch size, and the error for a too-small padded shape.
import tensorflow as tf

lines = tf.data.Dataset.from_tensor_slices(["the cat sat", "a dog", "birds fly south fast"])


def to_columns(line):
    words = tf.strings.split(line)
    return {"words": words, "count": tf.size(words), "first": words[0]}


ds = lines.map(to_columns)
batched = ds.padded_batch(
    2,
    padded_shapes={"words": [5], "count": [], "first": []},
    padding_values={"words": "<pad>", "count": 0, "first": ""},
)
spec = batched.element_spec
assert spec["words"].shape.as_list() == [None, 5] and spec["words"].dtype == tf.string
assert spec["first"].shape.as_list() == [None]
batches = list(batched)
assert batches[0]["words"].numpy().tolist() == [
    [b"the", b"cat", b"sat", b"<pad>", b"<pad>"],
    [b"a", b"dog", b"<pad>", b"<pad>", b"<pad>"],
]
assert batches[0]["first"].numpy().tolist() == [b"the", b"a"]  # scalars stay plain bytes
assert batches[1]["count"].numpy().tolist() == [4]
assert batches[1]["words"].numpy()[0, 4] == b"<pad>"

# Padding to the longest element of each batch, with a default ("" for strings).
longest = [b["words"].shape.as_list() for b in ds.padded_batch(2)]
assert longest == [[2, 3], [1, 4]], longest
assert list(ds.padded_batch(2))[0]["words"].numpy()[1, 2] == b""

# drop_remainder makes the batch dimension static.
fixed = ds.padded_batch(2, drop_remainder=True)
assert fixed.element_spec["words"].shape.as_list() == [2, None]
assert int(fixed.cardinality()) == 1

# Numbers: padding_values of the component's dtype, 2-D padded shapes.
grids = tf.data.Dataset.range(1, 4).map(lambda n: tf.fill([n, 2], tf.cast(n, tf.float32)))
padded = next(iter(grids.padded_batch(3, padded_shapes=[4, None], padding_values=-1.0)))
assert padded.shape == (3, 4, 2)
assert padded[0].numpy().tolist() == [[1.0, 1.0], [-1.0, -1.0], [-1.0, -1.0], [-1.0, -1.0]]

# A padded shape smaller than an element is an error while iterating (DataLossError in TF).
too_small = lines.map(tf.strings.split).padded_batch(3, padded_shapes=[3])
try:
    list(too_small)
    raise AssertionError("expected an error for padding to a smaller size")
except tf.errors.DataLossError:
    pass
print("padded batches:", [b["words"].shape.as_list() for b in batches])
