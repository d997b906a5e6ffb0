"""batch, padded_batch, unbatch, and the gathered (index plan) path matching the plain one."""

from __future__ import annotations

import numpy as np
import pytest

import gpuflow as gf
from gpuflow.data import Dataset


def test_batch_with_and_without_remainder():
    ds = Dataset.range(7).batch(3)
    assert [b.tolist() for b in ds.as_numpy_iterator()] == [[0, 1, 2], [3, 4, 5], [6]]
    assert ds.element_spec == gf.TensorSpec((None,), gf.int64)
    ds = Dataset.range(7).batch(3, drop_remainder=True)
    assert len(list(ds)) == 2 and ds.element_spec.shape == (3,)


def test_batch_of_dict_elements():
    ds = Dataset.from_tensor_slices({"a": np.arange(6).reshape(3, 2), "b": [1.0, 2.0, 3.0]})
    first = next(iter(ds.batch(2)))
    assert first["a"].shape == (2, 2) and first["b"].shape == (2,)


def test_batch_of_different_shapes_says_to_pad():
    ds = Dataset.range(1, 4).map(lambda n: gf.fill([n], n))
    with pytest.raises(ValueError, match=r"different shapes in component 0.*padded_batch"):
        list(ds.batch(2))


def test_padded_batch():
    ds = Dataset.range(1, 5).map(lambda n: gf.fill([n], n))
    got = [b.tolist() for b in ds.padded_batch(2).as_numpy_iterator()]
    assert got == [[[1, 0], [2, 2]], [[3, 3, 3, 0], [4, 4, 4, 4]]]
    got = next(
        ds.padded_batch(2, padded_shapes=[5], padding_values=np.int64(-1)).as_numpy_iterator()
    )
    assert got.tolist() == [[1, -1, -1, -1, -1], [2, 2, -1, -1, -1]]
    with pytest.raises(gf.errors.DataLossError, match="larger than the padded shape"):
        list(ds.padded_batch(2, padded_shapes=[2]))  # TensorFlow's class for it


def test_padded_batch_of_string_scalars_keeps_bytes():
    ds = Dataset.range(1, 4).map(lambda n: (gf.fill([n], n), gf.strings.as_string(n)))
    batches = list(ds.padded_batch(2, padded_shapes=([4], []), padding_values=(np.int64(0), "-")))
    words = [b[1].numpy().tolist() for b in batches]
    assert words == [[b"1", b"2"], [b"3"]]  # bytes, not 0-d arrays inside the batch
    ragged = Dataset.from_tensor_slices(["a b", "c"]).map(gf.strings.split)
    got = next(iter(ragged.padded_batch(2, padding_values="<pad>")))
    assert got.numpy().tolist() == [[b"a", b"b"], [b"c", b"<pad>"]]


def test_padded_batch_tuple_elements():
    ds = Dataset.range(1, 4).map(lambda n: (gf.fill([n], 1.0), n))
    x, n = next(iter(ds.padded_batch(3, padded_shapes=([None], []))))
    assert x.shape == (3, 3) and n.numpy().tolist() == [1, 2, 3]


def test_padded_batch_spec_keeps_the_known_sizes():
    # images of varying sizes with 3 channels, and boxes of 4 coordinates (keras.io RetinaNet)
    def gen():
        for k in range(4):
            yield np.ones((k + 1, 3), "float32"), np.arange(k + 2)

    spec = (gf.TensorSpec((None, 3), gf.float32), gf.TensorSpec((None,), gf.int64))
    ds = Dataset.from_generator(gen, output_signature=spec)
    x_spec, n_spec = ds.padded_batch(2).element_spec
    assert x_spec.shape == (None, None, 3) and n_spec.shape == (None, None)
    x_spec, n_spec = ds.padded_batch(2, drop_remainder=True).element_spec
    assert x_spec.shape == (2, None, 3) and n_spec.shape == (2, None)
    x_spec, n_spec = ds.padded_batch(2, padded_shapes=([5, None], [6])).element_spec
    assert x_spec.shape == (None, 5, None) and n_spec.shape == (None, 6)
    x, n = next(iter(ds.padded_batch(3)))
    assert x.shape == (3, 3, 3) and n.numpy().tolist()[0] == [0, 1, 0, 0]


def test_unbatch_inverts_batch():
    x = np.arange(10).reshape(5, 2)
    ds = Dataset.from_tensor_slices(x).batch(2).unbatch()
    assert [v.tolist() for v in ds.as_numpy_iterator()] == x.tolist()
    with pytest.raises(ValueError, match="batch dimension"):
        Dataset.range(3).unbatch()


@pytest.mark.parametrize("buffer", [1, 3, 10, 100])
def test_gathered_batches_equal_element_by_element_batches(buffer):
    x = np.arange(20, dtype=np.float32).reshape(10, 2)
    fast = Dataset.from_tensor_slices(x).shuffle(buffer, seed=4).repeat(2).batch(3)
    # The same shuffle, through the element path: a zipped dataset has no index plan.
    slow = (
        Dataset.zip((Dataset.from_tensor_slices(x),))
        .shuffle(buffer, seed=4)
        .repeat(2)
        .batch(3)
        .map(lambda t: t)
    )
    assert Dataset.from_tensor_slices(x).shuffle(buffer, seed=4)._index_plan() is not None
    for a, b in zip(fast.as_numpy_iterator(), slow.as_numpy_iterator()):
        np.testing.assert_array_equal(a, b)


def test_gathered_take_skip_shard_match_plain():
    x = np.arange(30)
    for make in (
        lambda d: d.skip(4).take(17).shard(3, 2).batch(4),
        lambda d: d.shuffle(7, seed=1).take(11).batch(2, drop_remainder=True),
    ):
        fast = [b.tolist() for b in make(Dataset.from_tensor_slices(x)).as_numpy_iterator()]
        slow = [b.tolist() for b in make(Dataset.range(30)).as_numpy_iterator()]
        assert fast == slow
