"""Dataset.list_files: glob patterns to string elements (the image-loading tutorial)."""

import os

import pytest

import gpuflow as gf


def _files(tmp_path):
    for sub in ("cat", "dog"):
        os.makedirs(tmp_path / sub)
        for i in range(3):
            (tmp_path / sub / f"{i}.png").write_bytes(b"x")
    return str(tmp_path)


def test_lists_matching_files_sorted_or_shuffled(tmp_path):
    root = _files(tmp_path)
    ds = gf.data.Dataset.list_files(os.path.join(root, "*", "*.png"), shuffle=False)
    assert ds.element_spec == gf.TensorSpec((), gf.string)
    names = [n.decode() for n in ds.as_numpy_iterator()]
    assert names == sorted(names) and len(names) == 6
    assert int(ds.cardinality()) == 6
    both = gf.data.Dataset.list_files(
        [os.path.join(root, "cat", "0.png"), os.path.join(root, "dog", "*.png")], shuffle=False
    )
    assert len(list(both)) == 4
    shuffled = gf.data.Dataset.list_files(os.path.join(root, "*", "*.png"), seed=3)
    order = [n.decode() for n in shuffled.as_numpy_iterator()]
    assert sorted(order) == names
    again = gf.data.Dataset.list_files(os.path.join(root, "*", "*.png"), seed=3)
    assert [n.decode() for n in again.as_numpy_iterator()] == order
    labels = ds.map(lambda p: gf.strings.split(p, os.path.sep)[-2])
    assert sorted({v.decode() for v in labels.as_numpy_iterator()}) == ["cat", "dog"]


def test_no_match_is_an_invalid_argument_error(tmp_path):
    with pytest.raises(gf.errors.InvalidArgumentError, match="No files matched pattern"):
        gf.data.Dataset.list_files(str(tmp_path / "nothing" / "*"))
