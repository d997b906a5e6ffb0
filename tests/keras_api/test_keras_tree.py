"""keras.tree: Keras 3's (optree) rules for nested structures."""

import collections

import pytest

from gpuflow.keras import tree

P = collections.namedtuple("P", ["x", "y"])
Q = collections.namedtuple("Q", ["x", "y"])


def test_flatten_orders_and_leaves():
    s = {"b": [1, (2, None)], "a": P(3, {"z": 4, "c": 5}), "d": collections.OrderedDict(k=6, j=7)}
    assert tree.flatten(s) == [3, 5, 4, 1, 2, None, 6, 7]
    assert tree.flatten(None) == [None] and tree.flatten("ab") == ["ab"]
    assert tree.flatten(collections.deque([1, [2]])) == [1, 2]
    assert tree.flatten_with_path([{"foo": 42}]) == [((0, "foo"), 42)]
    assert tree.flatten_with_path(P(1, [2])) == [((0,), 1), ((1, 0), 2)]
    assert not tree.is_nested(None) and tree.is_nested(P(1, 2)) and not tree.is_nested("ab")


def test_pack_sequence_as_rebuilds_types_and_order():
    s = {"key3": "", "key1": "", "key2": ""}
    out = tree.pack_sequence_as(s, ["v1", "v2", "v3"])
    assert out == {"key3": "v3", "key1": "v1", "key2": "v2"} and list(out) == list(s)
    d = collections.defaultdict(list, {"b": 0, "a": 0})
    packed = tree.pack_sequence_as(d, [1, 2])
    assert isinstance(packed, collections.defaultdict) and packed == {"a": 1, "b": 2}
    assert tree.pack_sequence_as(P(0, (0, 0)), [1, 2, 3]) == P(1, (2, 3))
    with pytest.raises(ValueError, match="the structure has 2 leaves"):
        tree.pack_sequence_as([0, 0], [1])


def test_map_structure_none_and_strict_types():
    s = [1, (2, None), {"a": 3}]
    assert tree.map_structure(lambda v: v is None, s) == [False, (False, True), {"a": False}]
    assert tree.map_structure(lambda v: v * 2, s, none_is_leaf=False) == [2, (4, None), {"a": 6}]
    assert tree.map_structure(lambda a, b: a + b, [1, (2, 3)], [10, (20, 30)]) == [11, (22, 33)]
    for a, b in [([1, 2], (1, 2)), (P(1, 2), Q(1, 2)), ({"a": 1}, {"b": 1}), ([1, [2]], [1, 2])]:
        with pytest.raises(ValueError, match="don't have the same nested structure"):
            tree.map_structure(lambda x, y: x, a, b)
        with pytest.raises(ValueError, match="don't have the same nested structure"):
            tree.assert_same_structure(a, b)
    tree.assert_same_structure({"a": 1}, collections.OrderedDict(a=2))
    with pytest.raises(ValueError, match="Must provide at least one structure"):
        tree.map_structure(len)


def test_assert_same_paths_ignores_sequence_kinds():
    tree.assert_same_paths([0, 1], (2, 3))
    tree.assert_same_paths(P(0, 1), Q(2, 3))
    with pytest.raises(ValueError, match="Paths in `a` missing in `b`"):
        tree.assert_same_paths([0, 1], [2])


def test_map_structure_up_to():
    assert tree.map_structure_up_to([None, None], len, [[1, 1], [2, 2]]) == [2, 2]
    out = tree.map_structure_up_to([0, [0, 0]], str, [[1, 1], [2, 2]])
    assert out == ["[1, 1]", ["2", "2"]]
    assert tree.map_structure_up_to({"a": 0}, lambda x, y: x + y, {"a": 1}, {"a": 2}) == {"a": 3}
    with pytest.raises(ValueError, match="don't have the same nested structure"):
        tree.map_structure_up_to([0, 0], len, ([1], [2]))


def test_traverse_lists_to_tuples_and_shapes():
    seen = []
    assert tree.traverse(seen.append, [(1, 2), [3], {"a": 4}]) == [(1, 2), [3], {"a": 4}]
    assert seen == [[(1, 2), [3], {"a": 4}], (1, 2), 1, 2, [3], 3, {"a": 4}, 4]
    seen = []
    tree.traverse(seen.append, [(1, 2), [3]], top_down=False)
    assert seen == [1, 2, (1, 2), 3, [3], [(1, 2), [3]]]
    drop = tree.traverse(lambda x: tree.MAP_TO_NONE if isinstance(x, tuple) else None, [(1,), 2])
    assert drop == [None, 2]
    assert tree.lists_to_tuples([1, [2, {"a": [3]}]]) == (1, (2, {"a": (3,)}))
    shapes = {"a": (None, 3), "b": [(1, 2, 3), [4]]}
    assert tree.map_shape_structure(len, shapes) == {"a": 2, "b": [3, 1]}


def test_registered_classes_are_nodes():
    @tree.register_tree_node_class
    class Pair:
        def __init__(self, a, b):
            self.a, self.b = a, b

        def tree_flatten(self):
            return (self.a, self.b), None

        @classmethod
        def tree_unflatten(cls, metadata, children):
            return cls(*children)

    out = tree.map_structure(lambda v: v + 1, [Pair(1, 2)])
    assert tree.flatten(Pair(1, [2, 3])) == [1, 2, 3] and (out[0].a, out[0].b) == (2, 3)
    with pytest.raises(TypeError, match="must define tree_flatten"):
        tree.register_tree_node_class(int)
