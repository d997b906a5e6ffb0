"""``keras.tree`` (Keras 3): nested structures as Keras sees them (its optree rules).

Nodes are lists, tuples, namedtuples, dicts (flattened in sorted key order, rebuilt in
their own order), ``OrderedDict`` and ``defaultdict`` (``OrderedDict`` in insertion order),
``deque`` and classes registered with :func:`register_tree_node_class`; everything else,
``None`` included, is a leaf. Structures match only when their node types match (a list
is not a tuple, two namedtuple classes differ), except that the dict kinds match each
other when they hold the same keys. Mismatches raise ``ValueError``.

This differs from ``tf.nest`` (:mod:`gpuflow.nest`) in those points, which is why it has
its own walk rather than calling ``gpuflow.nest``.
"""

from __future__ import annotations

import collections
from collections.abc import Mapping

__all__ = [
    "MAP_TO_NONE",
    "assert_same_paths",
    "assert_same_structure",
    "flatten",
    "flatten_with_path",
    "is_nested",
    "lists_to_tuples",
    "map_shape_structure",
    "map_structure",
    "map_structure_up_to",
    "pack_sequence_as",
    "register_tree_node_class",
    "traverse",
]


class MAP_TO_NONE:  # noqa: N801 - Keras's name
    """Special value for :func:`traverse`: ``func`` returns it to put ``None`` in place of a
    sub-tree."""


_REGISTERED: dict = {}


def register_tree_node_class(cls):
    """Make instances of ``cls`` tree nodes: ``obj.tree_flatten()`` returns
    ``(children, metadata)`` and ``cls.tree_unflatten(metadata, children)`` rebuilds one.
    Returns ``cls`` (usable as a decorator)."""
    if not isinstance(cls, type):
        raise TypeError(f"register_tree_node_class: expected a class, received {cls!r}")
    for method in ("tree_flatten", "tree_unflatten"):
        if not callable(getattr(cls, method, None)):
            raise TypeError(
                f"register_tree_node_class: {cls.__name__} must define {method}() to be a tree node"
            )
    _REGISTERED[cls] = True
    return cls


def _is_namedtuple(value) -> bool:
    return isinstance(value, tuple) and hasattr(type(value), "_fields")


def _registered(value) -> bool:
    return type(value) in _REGISTERED


def is_nested(structure) -> bool:
    """Whether ``structure`` is a node (a sequence, a mapping, a namedtuple, a deque or a
    registered class), not a leaf. ``None`` is a leaf."""
    return isinstance(structure, (list, tuple, Mapping, collections.deque)) or _registered(
        structure
    )


def _keys(mapping) -> list:
    if isinstance(mapping, collections.OrderedDict):
        return list(mapping)
    try:
        return sorted(mapping)
    except TypeError:
        return list(mapping)


def _children(node) -> tuple[list, list]:
    """``(children, path entries)`` of a node."""
    if _registered(node):
        flat = node.tree_flatten()
        children = list(flat[0])
        entries = list(flat[2]) if len(flat) > 2 and flat[2] is not None else None
        return children, entries if entries is not None else list(range(len(children)))
    if isinstance(node, Mapping):
        keys = _keys(node)
        return [node[k] for k in keys], keys
    children = list(node)
    return children, list(range(len(children)))


def _rebuild(node, children: list):
    if _registered(node):
        return type(node).tree_unflatten(node.tree_flatten()[1], children)
    if isinstance(node, Mapping):
        values = dict(zip(_keys(node), children))
        ordered = [(k, values[k]) for k in node]
        if isinstance(node, collections.defaultdict):
            return collections.defaultdict(node.default_factory, ordered)
        if isinstance(node, collections.OrderedDict):
            return collections.OrderedDict(ordered)
        try:
            return type(node)(ordered)
        except TypeError:
            return dict(ordered)
    if _is_namedtuple(node):
        return type(node)(*children)
    if isinstance(node, collections.deque):
        return collections.deque(children, maxlen=node.maxlen)
    if isinstance(node, (list, tuple)):
        try:
            return type(node)(children)
        except TypeError:
            return list(children) if isinstance(node, list) else tuple(children)
    return type(node)(children)


def _kind(node):
    """What must agree between matching nodes: the dict kinds share one."""
    if isinstance(node, Mapping):
        return Mapping
    return type(node)


def _check_same_node(a, b, where: str) -> None:
    if _kind(a) is not _kind(b):
        raise ValueError(
            "Structures don't have the same nested structure: expected an instance of "
            f"{type(a).__name__}, got {type(b).__name__} ({b!r}){where}"
        )
    if isinstance(a, Mapping):
        if set(a) != set(b):
            raise ValueError(
                "Structures don't have the same nested structure: dictionary keys "
                f"mismatch, expected {sorted(map(repr, a))}, got {sorted(map(repr, b))}{where}"
            )
        return
    if len(_children(a)[0]) != len(_children(b)[0]):
        raise ValueError(
            "Structures don't have the same nested structure: expected "
            f"{len(_children(a)[0])} children, got {len(_children(b)[0])} in {b!r}{where}"
        )


def _leaves(structure, none_is_leaf: bool = True) -> list:
    if structure is None and not none_is_leaf:
        return []
    if not is_nested(structure):
        return [structure]
    out: list = []
    for child in _children(structure)[0]:
        out.extend(_leaves(child, none_is_leaf))
    return out


def flatten(structure) -> list:
    """The leaves of ``structure`` in order (dicts by sorted key, ``OrderedDict`` in its own
    order); a leaf, ``None`` included, gives ``[leaf]``."""
    return _leaves(structure)


def flatten_with_path(structure) -> list:
    """``[(path, leaf), ...]``: each leaf with the tuple of indices and keys that reach it."""
    out: list = []

    def walk(node, path):
        if not is_nested(node):
            out.append((path, node))
            return
        children, entries = _children(node)
        for child, entry in zip(children, entries):
            walk(child, path + (entry,))

    walk(structure, ())
    return out


def pack_sequence_as(structure, flat_sequence):
    """``structure`` rebuilt with the leaves taken in order from ``flat_sequence``."""
    try:
        flat = list(flat_sequence)
    except TypeError as exc:
        raise TypeError(
            f"pack_sequence_as: flat_sequence must be iterable, received {flat_sequence!r}"
        ) from exc
    expected = len(_leaves(structure))
    if len(flat) != expected:
        raise ValueError(
            f"pack_sequence_as: the structure has {expected} leaves but flat_sequence has "
            f"{len(flat)} items. Structure: {structure!r}"
        )
    position = iter(flat)

    def build(node):
        if not is_nested(node):
            return next(position)
        return _rebuild(node, [build(c) for c in _children(node)[0]])

    return build(structure)


def _map(func, structures, none_is_leaf: bool, path: str = ""):
    first = structures[0]
    if first is None and not none_is_leaf:
        for other in structures[1:]:
            if other is not None:
                raise ValueError(
                    f"Structures don't have the same nested structure: expected None, got {other!r}"
                )
        return None
    if not is_nested(first):
        if len(structures) > 1 and any(is_nested(s) for s in structures[1:]):
            raise ValueError(
                "Structures don't have the same nested structure: a leaf "
                f"({first!r}) faces {[s for s in structures[1:] if is_nested(s)][0]!r}"
            )
        return func(*structures)
    for other in structures[1:]:
        _check_same_node(first, other, "")
    columns = [_children(s)[0] if not isinstance(s, Mapping) else None for s in structures]
    if isinstance(first, Mapping):
        keys = _keys(first)
        columns = [[s[k] for k in keys] for s in structures]
    children = [_map(func, list(group), none_is_leaf) for group in zip(*columns)]
    return _rebuild(first, children)


def map_structure(func, *structures, none_is_leaf=True):
    """``func`` applied to the leaves of ``structures`` (all of the same nested structure),
    in the structure of the first. With ``none_is_leaf=False``, ``None`` entries stay
    ``None`` and ``func`` never sees them."""
    if not callable(func):
        raise TypeError(f"map_structure: func must be callable, received {func!r}")
    if not structures:
        raise ValueError("Must provide at least one structure")
    return _map(func, list(structures), none_is_leaf)


def map_structure_up_to(shallow_structure, func, *structures):
    """``func`` applied to the sub-trees of ``structures`` found at the leaves of
    ``shallow_structure`` (the structures may go deeper there, not shallower)."""
    if not callable(func):
        raise TypeError(f"map_structure_up_to: func must be callable, received {func!r}")
    if not structures:
        raise ValueError("Must provide at least one structure")

    def walk(shallow, subs):
        if not is_nested(shallow):
            return func(*subs)
        for sub in subs:
            _check_same_node(shallow, sub, " (map_structure_up_to)")
        if isinstance(shallow, Mapping):
            keys = _keys(shallow)
            groups = [[s[k] for s in subs] for k in keys]
        else:
            groups = [list(g) for g in zip(*[_children(s)[0] for s in subs])]
        shallow_children = _children(shallow)[0]
        return _rebuild(shallow, [walk(c, g) for c, g in zip(shallow_children, groups)])

    return walk(shallow_structure, list(structures))


def assert_same_structure(a, b, check_types=None):
    """Raise ``ValueError`` unless ``a`` and ``b`` have the same nested structure (same node
    types: a list is not a tuple; the dict kinds match on their keys). ``check_types`` is
    deprecated in Keras and has no effect."""
    if check_types is not None:
        import warnings

        warnings.warn(
            "The `check_types` argument is deprecated and no longer has any effect, please remove.",
            DeprecationWarning,
            stacklevel=2,
        )

    def walk(x, y):
        if is_nested(x) != is_nested(y):
            raise ValueError(f"Structures don't have the same nested structure: {a!r} and {b!r}")
        if not is_nested(x):
            return
        _check_same_node(x, y, f" (comparing {a!r} and {b!r})")
        if isinstance(x, Mapping):
            for k in _keys(x):
                walk(x[k], y[k])
        else:
            for cx, cy in zip(_children(x)[0], _children(y)[0]):
                walk(cx, cy)

    walk(a, b)


def assert_same_paths(a, b):
    """Raise ``ValueError`` unless ``a`` and ``b`` have the same leaf paths (indices and
    keys; the kinds of sequence do not matter)."""
    a_paths = {p for p, _ in flatten_with_path(a)}
    b_paths = {p for p, _ in flatten_with_path(b)}
    if a_paths != b_paths:
        msg = "`a` and `b` don't have the same paths."
        if a_paths - b_paths:
            msg += f"\nPaths in `a` missing in `b`:\n{a_paths - b_paths}"
        if b_paths - a_paths:
            msg += f"\nPaths in `b` missing in `a`:\n{b_paths - a_paths}"
        raise ValueError(msg)


def traverse(func, structure, top_down=True):
    """Depth-first walk applying ``func`` to every sub-tree. Top-down, a non-None result
    replaces the sub-tree and stops the descent; bottom-up, a non-None result replaces the
    (already traversed) sub-tree. Return :class:`MAP_TO_NONE` to put ``None``."""
    if not callable(func):
        raise TypeError(f"traverse: func must be callable, received {func!r}")

    def children_traversed(node):
        if not is_nested(node):
            return node
        return _rebuild(node, [walk(c) for c in _children(node)[0]])

    def walk(node):
        if top_down:
            ret = func(node)
            if ret is None:
                return children_traversed(node)
        else:
            node = children_traversed(node)
            ret = func(node)
            if ret is None:
                return node
        return None if ret is MAP_TO_NONE else ret

    return walk(structure)


def lists_to_tuples(structure):
    """``structure`` with every list turned into a tuple."""

    def to_tuple(node):
        return tuple(node) if isinstance(node, list) else None

    return traverse(to_tuple, structure, top_down=False)


def _is_shape(value) -> bool:
    return isinstance(value, (list, tuple)) and all(isinstance(e, (int, type(None))) for e in value)


def map_shape_structure(func, structure):
    """:func:`map_structure` where shape tuples (lists or tuples of ints and ``None``) are
    the leaves."""

    def walk(node):
        if _is_shape(node) or not is_nested(node):
            return func(node)
        return _rebuild(node, [walk(c) for c in _children(node)[0]])

    return walk(structure)
