"""TensorFlow guide "Ragged tensors": construction, ops, reductions, conversions, ragged ranks,
strings, tf.function with RaggedTensorSpec."""

import math

import numpy as np
import tensorflow as tf

digits = tf.ragged.constant([[3, 1, 4, 1], [], [5, 9, 2], [6], []])
words = tf.ragged.constant([["So", "long"], ["thanks", "for", "all", "the", "fish"]])
assert tf.add(digits, 3).to_list() == [[6, 4, 7, 4], [], [8, 12, 5], [9], []]
m = tf.reduce_mean(digits, axis=1)
mv = m.numpy()
assert mv[0] == 2.25 and math.isnan(mv[1]) and mv[2] == 16 / 3, mv
assert tf.concat([digits, [[5, 3]]], axis=0).to_list()[-1] == [5, 3]
assert tf.tile(digits, [1, 2]).to_list()[0] == [3, 1, 4, 1, 3, 1, 4, 1]
assert tf.strings.substr(words, 0, 2).to_list() == [
    [b"So", b"lo"],
    [b"th", b"fo", b"al", b"th", b"fi"],
]
assert tf.map_fn(tf.math.square, digits).to_list() == [[9, 1, 16, 1], [], [25, 81, 4], [36], []]
assert digits[0].numpy().tolist() == [3, 1, 4, 1]
assert digits[:, :2].to_list() == [[3, 1], [], [5, 9], [6], []]
assert digits[:, -2:].to_list() == [[4, 1], [], [9, 2], [6], []]
assert (digits * 2).to_list()[2] == [10, 18, 4]
assert (digits + tf.ragged.constant([[1, 2, 3, 4], [], [5, 6, 7], [8], []])).to_list()[0] == [
    4,
    3,
    7,
    5,
]


def times_two_plus_one(x):
    return x * 2 + 1


assert tf.ragged.map_flat_values(times_two_plus_one, digits).to_list()[0] == [7, 3, 9, 3]
assert digits.to_list() == [[3, 1, 4, 1], [], [5, 9, 2], [6], []]
assert [a.tolist() for a in digits.numpy()] == [[3, 1, 4, 1], [], [5, 9, 2], [6], []]
sentences = tf.ragged.constant(
    [
        ["Let's", "build", "some", "ragged", "tensors", "!"],
        ["We", "can", "use", "tf.ragged.constant", "."],
    ]
)
assert sentences.shape.as_list() == [2, None]
paragraphs = tf.ragged.constant(
    [
        [["I", "have", "a", "cat"], ["His", "name", "is", "Mat"]],
        [["Do", "you", "want", "to", "come", "visit"], ["I'm", "free", "tomorrow"]],
    ]
)
assert paragraphs.ragged_rank == 2
assert paragraphs.shape.as_list() == [2, None, None]
vals = [3, 1, 4, 1, 5, 9, 2]
r1 = tf.RaggedTensor.from_value_rowids(values=vals, value_rowids=[0, 0, 0, 0, 2, 2, 3])
assert r1.to_list() == [[3, 1, 4, 1], [], [5, 9], [2]]
r2 = tf.RaggedTensor.from_row_lengths(values=vals, row_lengths=[4, 0, 2, 1])
r3 = tf.RaggedTensor.from_row_splits(values=vals, row_splits=[0, 4, 4, 6, 7])
assert r1.to_list() == r2.to_list() == r3.to_list()
r4 = tf.RaggedTensor.from_value_rowids(values=vals, value_rowids=[0, 0, 0, 0, 2, 2, 2], nrows=5)
assert r4.to_list() == [[3, 1, 4, 1], [], [5, 9, 2], [], []]
assert r3.row_lengths().numpy().tolist() == [4, 0, 2, 1]
assert r3.row_splits.numpy().tolist() == [0, 4, 4, 6, 7]
assert r3.value_rowids().numpy().tolist() == [0, 0, 0, 0, 2, 2, 3]
assert r3.nrows().numpy() == 4
assert r3.row_starts().numpy().tolist() == [0, 4, 4, 6]
assert r3.row_limits().numpy().tolist() == [4, 4, 6, 7]
assert r3.bounding_shape().numpy().tolist() == [4, 4]
assert r3.flat_values.numpy().tolist() == vals
assert r3.values.numpy().tolist() == vals
try:
    tf.ragged.constant([["one", "two"], [3, 4]])
    raise SystemExit("expected error")
except ValueError as e:
    print("ok", type(e).__name__)
try:
    tf.ragged.constant(["A", ["B", "C"]])
    raise SystemExit("expected error")
except ValueError as e:
    print("ok", type(e).__name__)
queries = tf.ragged.constant(
    [["Who", "is", "Dan", "Smith"], ["Pause"], ["Will", "it", "rain", "later", "today"]]
)
num_buckets = 1024
embedding_size = 4
embedding_table = tf.Variable(
    tf.random.truncated_normal(
        [num_buckets, embedding_size], stddev=1.0 / math.sqrt(embedding_size)
    )
)
word_buckets = tf.strings.to_hash_bucket_fast(queries, num_buckets)
word_embeddings = tf.nn.embedding_lookup(embedding_table, word_buckets)
marker = tf.fill([queries.nrows(), 1], "#")
padded = tf.concat([marker, queries, marker], axis=1)
assert padded.to_list()[1] == [b"#", b"Pause", b"#"]
bigrams = tf.strings.join([padded[:, :-1], padded[:, 1:]], separator="+")
assert bigrams.to_list()[1] == [b"#+Pause", b"Pause+#"]
bigram_buckets = tf.strings.to_hash_bucket_fast(bigrams, num_buckets)
bigram_embeddings = tf.nn.embedding_lookup(embedding_table, bigram_buckets)
all_embeddings = tf.concat([word_embeddings, bigram_embeddings], axis=1)
avg_embedding = tf.reduce_mean(all_embeddings, axis=1)
assert avg_embedding.shape == (3, 4)
assert not isinstance(avg_embedding, tf.RaggedTensor)
# Ragged dims
rt = tf.RaggedTensor.from_row_splits(
    values=tf.RaggedTensor.from_row_splits(
        values=[10, 11, 12, 13, 14, 15, 16, 17, 18, 19], row_splits=[0, 3, 3, 5, 9, 10]
    ),
    row_splits=[0, 1, 1, 5],
)
assert rt.to_list() == [[[10, 11, 12]], [], [[], [13, 14], [15, 16, 17, 18], [19]]]
assert rt.ragged_rank == 2
assert [x.numpy().tolist() for x in rt.nested_row_lengths()] == [[1, 0, 4], [3, 0, 2, 4, 1]]
rt2 = tf.RaggedTensor.from_nested_row_lengths(
    flat_values=[10, 11, 12, 13, 14, 15, 16, 17, 18, 19],
    nested_row_lengths=([1, 0, 4], [3, 0, 2, 4, 1]),
)
assert rt2.to_list() == rt.to_list()
rt3 = tf.RaggedTensor.from_row_splits(
    values=[[1, 3], [0, 0], [1, 3], [5, 3], [3, 3], [1, 2]], row_splits=[0, 3, 4, 6]
)
assert rt3.shape.as_list() == [3, None, 2]
assert rt3.ragged_rank == 1
# construct with uniform inner dims
rt4 = tf.RaggedTensor.from_uniform_row_length(values=tf.range(12), uniform_row_length=3)
assert rt4.to_list()[1] == [3, 4, 5]
# to_tensor
ragged = tf.ragged.constant([[1, 2, 3], [4], [], [5, 6]])
assert ragged.to_tensor().numpy().tolist() == [[1, 2, 3], [4, 0, 0], [0, 0, 0], [5, 6, 0]]
assert ragged.to_tensor(default_value=-1, shape=[3, 2]).numpy().tolist() == [
    [1, 2],
    [4, -1],
    [-1, -1],
]
assert ragged.to_tensor(shape=[None, 4]).shape == (4, 4)
dense = tf.constant([[1, 2, 0], [3, 0, 0]])
back = tf.RaggedTensor.from_tensor(dense, padding=0)
assert back.to_list() == [[1, 2], [3]]
assert tf.RaggedTensor.from_tensor(dense, lengths=[1, 3]).to_list() == [[1], [3, 0, 0]]
sparse = ragged.to_sparse()
assert sparse.indices.numpy().tolist()[:4] == [[0, 0], [0, 1], [0, 2], [1, 0]]
assert tf.RaggedTensor.from_sparse(sparse).to_list() == ragged.to_list()
# stack/concat
a = tf.ragged.constant([[1, 2], [3]])
b = tf.ragged.constant([[4], [5, 6, 7]])
assert tf.concat([a, b], axis=0).to_list() == [[1, 2], [3], [4], [5, 6, 7]]
assert tf.concat([a, b], axis=1).to_list() == [[1, 2, 4], [3, 5, 6, 7]]
st = tf.stack([a, b], axis=0)
assert st.to_list() == [[[1, 2], [3]], [[4], [5, 6, 7]]]
assert st.shape.rank == 3
st1 = tf.stack([a, b], axis=1)
assert st1.to_list() == [[[1, 2], [4]], [[3], [5, 6, 7]]]
# strings
spl = tf.strings.split(tf.constant(["a b c", "d", "e f"]))
assert isinstance(spl, tf.RaggedTensor)
assert spl.to_list() == [[b"a", b"b", b"c"], [b"d"], [b"e", b"f"]]
assert tf.strings.split(tf.constant(["a,b", "c"]), sep=",").to_list() == [[b"a", b"b"], [b"c"]]
chars = tf.strings.unicode_split(tf.constant(["abc", "de"]), "UTF-8")
assert chars.row_lengths().numpy().tolist() == [3, 2]
# reductions and math
x = tf.ragged.constant([[1.0, 2.0], [3.0], [4.0, 5.0, 6.0]])
assert tf.reduce_sum(x, axis=1).numpy().tolist() == [3, 3, 15]
assert tf.reduce_max(x, axis=1).numpy().tolist() == [2, 3, 6]
assert tf.reduce_sum(x, axis=0).numpy().tolist() == [8, 7, 6]
assert float(tf.reduce_sum(x)) == 21
assert np.allclose(tf.reduce_mean(x, axis=0).numpy(), [8 / 3, 3.5, 6])
assert (-x).to_list() == [[-1, -2], [-3], [-4, -5, -6]]
assert tf.math.sqrt(tf.ragged.constant([[4.0], [9.0, 16.0]])).to_list() == [[2], [3, 4]]
assert (x > 2.0).to_list() == [[False, False], [True], [True, True, True]]
assert tf.where(x > 2.0, x, tf.zeros_like(x)).to_list() == [[0, 0], [3], [4, 5, 6]]
# ragged range/boolean_mask
rr = tf.ragged.range([3, 0, 2])
assert rr.to_list() == [[0, 1, 2], [], [0, 1]]
rr = tf.ragged.range([0, 5], [4, 8], 2)
assert rr.to_list() == [[0, 2], [5, 7]]
bm = tf.ragged.boolean_mask(
    tf.constant([[1, 2, 3], [4, 5, 6]]), tf.constant([[True, False, True], [False, False, True]])
)
assert bm.to_list() == [[1, 3], [6]]
bm2 = tf.ragged.boolean_mask(
    tf.ragged.constant([[1, 2], [3]]), tf.ragged.constant([[False, True], [True]])
)
assert bm2.to_list() == [[2], [3]]
# spec and tf.function
spec = tf.RaggedTensorSpec(shape=[None, None], dtype=tf.int32)
assert spec.ragged_rank == 1


@tf.function(input_signature=[tf.RaggedTensorSpec(shape=[None, None], dtype=tf.int32)])
def row_sums(rt):
    return tf.reduce_sum(rt, axis=1)


assert row_sums(tf.ragged.constant([[1, 2], [3, 4, 5]])).numpy().tolist() == [3, 12]
assert row_sums(tf.ragged.constant([[1], [], [7]])).numpy().tolist() == [1, 0, 7]


@tf.function
def add_one(rt):
    return rt + 1


assert add_one(tf.ragged.constant([[1, 2], [3]])).to_list() == [[2, 3], [4]]
assert tf.type_spec_from_value(tf.ragged.constant([[1, 2], [3]])).dtype == tf.int32
# ragged as dataset
ds = tf.data.Dataset.from_tensor_slices(tf.ragged.constant([[1, 2], [3], [4, 5, 6]]))
assert [e.numpy().tolist() for e in ds] == [[1, 2], [3], [4, 5, 6]]
# merge dims / row_lengths axis
rt5 = tf.ragged.constant([[[1, 2], [3]], [[4, 5, 6]]])
assert rt5.merge_dims(0, 1).to_list() == [[1, 2], [3], [4, 5, 6]]
assert rt5.row_lengths(axis=2).to_list() == [[2, 1], [3]]
assert rt5.with_flat_values(rt5.flat_values * 10).to_list() == [[[10, 20], [30]], [[40, 50, 60]]]
# more ragged ops: prod/any/all, equality, floordiv, size/rank, row gathers, tile, map_fn
r6 = tf.ragged.constant([[1, 2, 3], [4], [], [5, 6]])
assert tf.reduce_prod(r6, axis=1).numpy().tolist() == [6, 4, 1, 30]
assert tf.reduce_any(r6 > 3, axis=1).numpy().tolist() == [False, True, False, True]
assert tf.reduce_all(r6 > 1, axis=1).numpy().tolist() == [False, True, True, True]
assert (r6 == 2).to_list() == [[False, True, False], [False], [], [False, False]]
assert (r6 // 2).to_list() == [[0, 1, 1], [2], [], [2, 3]]
assert int(tf.size(r6)) == 6 and int(tf.rank(r6)) == 2
assert tf.gather(r6, [3, 0]).to_list() == [[5, 6], [1, 2, 3]]
assert tf.tile(r6, [1, 2]).to_list()[0] == [1, 2, 3, 1, 2, 3]
assert tf.map_fn(tf.reduce_sum, r6, fn_output_signature=tf.int32).numpy().tolist() == [6, 4, 0, 11]
assert tf.ragged.row_splits_to_segment_ids([0, 2, 2, 5]).numpy().tolist() == [0, 0, 2, 2, 2]
assert tf.ragged.segment_ids_to_row_splits([0, 0, 2, 2, 2]).numpy().tolist() == [0, 2, 2, 5]
assert r6.bounding_shape().numpy().tolist() == [4, 3]
print("OK")
