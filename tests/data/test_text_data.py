"""tf.data on strings: from_tensor_slices, map, batch, from_generator, TextLineDataset."""

import gzip

import numpy as np
import pytest

import gpuflow as tf


def test_from_tensor_slices_map_filter_batch_on_strings():
    ds = tf.data.Dataset.from_tensor_slices(["b", "a", "bb", "c"])
    assert ds.element_spec == tf.TensorSpec((), tf.string)
    assert list(ds.as_numpy_iterator()) == [b"b", b"a", b"bb", b"c"]
    upper = ds.map(tf.strings.upper).filter(lambda s: tf.strings.length(s) == 1).batch(2)
    batches = [b.numpy().tolist() for b in upper]
    assert batches == [[b"B", b"A"], [b"C"]]
    pairs = tf.data.Dataset.from_tensor_slices((np.array(["x y", "z"]), [0, 1])).batch(2)
    texts, labels = next(iter(pairs))
    assert texts.dtype == tf.string and texts.numpy().tolist() == [b"x y", b"z"]
    assert labels.numpy().tolist() == [0, 1]


def test_from_generator_of_strings():
    ds = tf.data.Dataset.from_generator(
        lambda: iter(["a", "bb"]), output_signature=tf.TensorSpec((), tf.string)
    )
    assert [t.numpy() for t in ds] == [b"a", b"bb"]


def test_string_elements_stay_on_the_host(emu):
    with tf.device(emu):
        texts, labels = next(iter(tf.data.Dataset.from_tensor_slices((["x"], [1])).batch(1)))
    assert texts._device.name == "cpu" and labels._device.name == emu


def test_text_line_dataset(tmp_path):
    first = tmp_path / "a.txt"
    first.write_bytes(b"first line\r\nsecond\n\nlast no newline")
    second = tmp_path / "b.txt.gz"
    second.write_bytes(gzip.compress(b"zipped\n"))
    ds = tf.data.TextLineDataset([str(first)])
    assert ds.element_spec == tf.TensorSpec((), tf.string)
    assert list(ds.as_numpy_iterator()) == [b"first line", b"second", b"", b"last no newline"]
    assert list(ds.skip(1).take(1).as_numpy_iterator()) == [b"second"]
    zipped = tf.data.TextLineDataset(str(second), compression_type="GZIP")
    assert list(zipped.as_numpy_iterator()) == [b"zipped"]
    with pytest.raises(tf.errors.NotFoundError, match="No such file"):
        list(tf.data.TextLineDataset(str(tmp_path / "missing.txt")))
    with pytest.raises(ValueError, match="compression_type"):
        tf.data.TextLineDataset(str(first), compression_type="BZ2")


def test_padded_batch_pads_strings_with_empty_strings():
    ds = tf.data.Dataset.from_tensor_slices(["a b c", "d"]).map(lambda s: tf.strings.split(s))
    (batch,) = list(ds.padded_batch(2).as_numpy_iterator())
    assert batch.tolist() == [[b"a", b"b", b"c"], [b"d", b"", b""]]  # as TF 2.21
    (marked,) = list(ds.padded_batch(2, padding_values="<pad>").as_numpy_iterator())
    assert marked.tolist()[1] == [b"d", b"<pad>", b"<pad>"]
    assert [r.to_list() for r in ds.ragged_batch(2)] == [[[b"a", b"b", b"c"], [b"d"]]]


def test_text_line_dataset_num_parallel_reads_interleaves_lines(tmp_path):
    # TensorFlow's order: one line of each of num_parallel_reads files in turn
    names = []
    for k, lines in enumerate(["a\nb\nc\n", "d\n", "e\nf\n"]):
        names.append(str(tmp_path / f"{k}.txt"))
        (tmp_path / f"{k}.txt").write_text(lines)
    two = tf.data.TextLineDataset(names, num_parallel_reads=2)
    assert list(two.as_numpy_iterator()) == [b"a", b"d", b"b", b"c", b"e", b"f"]
    one = tf.data.TextLineDataset(names)
    assert list(one.as_numpy_iterator()) == [b"a", b"b", b"c", b"d", b"e", b"f"]
