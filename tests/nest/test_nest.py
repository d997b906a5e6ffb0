from collections import namedtuple

import pytest

from gpuflow import nest

Point = namedtuple("Point", "x y")


def test_flatten_orders_dicts_by_key_and_keeps_leaves():
    assert nest.flatten({"b": 1, "a": [2, (3, 4)]}) == [2, 3, 4, 1]
    assert nest.flatten(5) == [5]
    assert nest.flatten(Point(1, [2])) == [1, 2]


def test_pack_sequence_as_rebuilds_types_and_key_order():
    s = {"b": (0, 0), "a": [0, Point(0, 0)]}
    packed = nest.pack_sequence_as(s, [1, 2, 3, 4, 5])
    assert packed == {"b": (4, 5), "a": [1, Point(2, 3)]}
    assert list(packed) == ["b", "a"]
    assert isinstance(packed["a"][1], Point)


def test_pack_sequence_as_counts_leaves():
    with pytest.raises(ValueError, match="2 leaves, flat_sequence has 3"):
        nest.pack_sequence_as((0, 0), [1, 2, 3])


def test_map_structure_and_mismatches():
    assert nest.map_structure(lambda a, b: a + b, (1, [2]), (10, [20])) == (11, [22])
    with pytest.raises(ValueError, match="same number of elements"):
        nest.assert_same_structure([1, 2], [1])
    with pytest.raises(TypeError, match="sequence type"):
        nest.assert_same_structure([1, 2], (1, 2))
    with pytest.raises(ValueError, match="same keys"):
        nest.assert_same_structure({"a": 1}, {"b": 1})
    assert not nest.is_nested("abc") and nest.is_nested({})
