"""tf.keras.tree: Keras 3's rules for nested structures (None is a leaf, dicts flatten by
sorted key and rebuild in their own order, OrderedDict keeps its order, a list is not a
tuple), mapping, packing, paths and traversal."""

import collections

import tensorflow as tf

tree = tf.keras.tree
Point = collections.namedtuple("Point", ["x", "y"])

s = {"b": [1, (2, None)], "a": Point(3, {"z": 4, "c": 5}), "d": collections.OrderedDict(k=6, j=7)}
assert tree.flatten(s) == [3, 5, 4, 1, 2, None, 6, 7], tree.flatten(s)
assert tree.flatten(None) == [None] and not tree.is_nested(None) and tree.is_nested(Point(1, 2))
assert tree.flatten_with_path(s)[:2] == [(("a", 0), 3), (("a", 1, "c"), 5)]

doubled = tree.map_structure(lambda v: v * 2, s, none_is_leaf=False)
assert doubled["b"] == [2, (4, None)] and doubled["a"] == Point(6, {"z": 8, "c": 10})
assert list(doubled) == ["b", "a", "d"] and list(doubled["d"]) == ["k", "j"]
assert tree.map_structure(lambda v: v is None, [None, 1]) == [True, False]
assert tree.map_structure(lambda u, v: u + v, [1, (2, 3)], [10, (20, 30)]) == [11, (22, 33)]

for a, b in [([1, 2], (1, 2)), ({"a": 1}, {"b": 1}), ([1, [2]], [1, 2])]:
    try:
        tree.assert_same_structure(a, b)
    except ValueError:
        pass
    else:
        raise AssertionError(f"{a!r} and {b!r} differ")
tree.assert_same_structure({"a": 1, "b": (2,)}, collections.OrderedDict(b=(0,), a=0))
tree.assert_same_paths([0, 1], (2, 3))

packed = tree.pack_sequence_as({"key3": "", "key1": "", "key2": ""}, ["v1", "v2", "v3"])
assert packed == {"key3": "v3", "key1": "v1", "key2": "v2"}
assert tree.pack_sequence_as(Point(0, (0, 0)), [1, 2, 3]) == Point(1, (2, 3))
try:
    tree.pack_sequence_as([0, 0], [1])
except ValueError:
    pass
else:
    raise AssertionError("two leaves cannot take one value")

assert tree.map_structure_up_to([0, [0, 0]], str, [[1, 1], [2, 2]]) == ["[1, 1]", ["2", "2"]]
seen = []
tree.traverse(seen.append, [(1, 2), [3], {"a": 4}], top_down=False)
assert seen == [1, 2, (1, 2), 3, [3], 4, {"a": 4}, [(1, 2), [3], {"a": 4}]], seen
dropped = tree.traverse(lambda v: tree.MAP_TO_NONE if isinstance(v, tuple) else None, [(1,), 2])
assert dropped == [None, 2]
assert tree.lists_to_tuples([1, [2, {"a": [3]}]]) == (1, (2, {"a": (3,)}))
assert tree.map_shape_structure(len, {"a": (None, 3), "b": [(1, 2, 3), [4]]}) == {
    "a": 2,
    "b": [3, 1],
}
print("ok")
