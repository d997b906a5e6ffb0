# Combining datasets (the tf.data guide's "Resampling" and the API of
# choose_from_datasets / sample_from_datasets): a selector dataset, stop_on_empty_dataset,
# weighted sampling with a seed, and the error for a selector index out of range.
import tensorflow as tf

letters = [
    tf.data.Dataset.from_tensors("a").repeat(),
    tf.data.Dataset.from_tensors("b").repeat(),
    tf.data.Dataset.from_tensors("c").repeat(),
]
selector = tf.data.Dataset.range(3).repeat(3)
chosen = tf.data.Dataset.choose_from_datasets(letters, selector)
assert b"".join(chosen.as_numpy_iterator()) == b"abcabcabc"

short = [tf.data.Dataset.range(2), tf.data.Dataset.range(10, 13)]
picks = tf.data.Dataset.from_tensor_slices(tf.constant([0, 1, 0, 0, 1, 1], tf.int64))
# by default iteration stops when a selected dataset is exhausted ...
assert list(tf.data.Dataset.choose_from_datasets(short, picks).as_numpy_iterator()) == [
    0,
    10,
    1,
]
# ... stop_on_empty_dataset=False skips it and goes on.
kept = tf.data.Dataset.choose_from_datasets(short, picks, stop_on_empty_dataset=False)
assert list(kept.as_numpy_iterator()) == [0, 10, 1, 11, 12]

# The selector must be a dataset of scalar int64 values within range.
out_of_range = tf.data.Dataset.from_tensor_slices(tf.constant([0, 3], tf.int64))
try:
    list(tf.data.Dataset.choose_from_datasets(short, out_of_range))
    raise AssertionError("expected InvalidArgumentError")
except tf.errors.InvalidArgumentError:
    pass
try:
    floats = tf.data.Dataset.range(2).map(lambda i: tf.cast(i, tf.float32))
    tf.data.Dataset.choose_from_datasets(short, floats)
    raise AssertionError("expected TypeError")
except TypeError:
    pass

# Weighted sampling: with a seed the proportions follow the weights (wide margins).
common = tf.data.Dataset.from_tensors(0).repeat()
rare = tf.data.Dataset.from_tensors(1).repeat()
mixed = tf.data.Dataset.sample_from_datasets([common, rare], weights=[0.8, 0.2], seed=42)
draws = [int(x) for x in mixed.take(2000)]
assert 250 < sum(draws) < 550, sum(draws)
assert mixed.element_spec == tf.TensorSpec((), tf.int32)

# Without repeat, sample_from_datasets uses every element of every input once.
finite = tf.data.Dataset.sample_from_datasets(
    [tf.data.Dataset.range(5), tf.data.Dataset.range(100, 103)], seed=1
)
assert sorted(finite.as_numpy_iterator()) == [0, 1, 2, 3, 4, 100, 101, 102]
print("sampled", sum(draws), "rare draws of 2000")
