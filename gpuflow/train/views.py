"""``tf.train.TrackableView`` and ``tf.train.CheckpointView``: read the object graph a
checkpoint saves, of live objects or of a checkpoint on disk, and match one to the other
(what ``restore`` would assign, what it would leave out).

Node ids are those of the saved graph: the root is 0, the other objects numbered
breadth-first, in the order of each object's children (``graph.py``).
"""

from __future__ import annotations

import os
from collections import deque

from .checkpoint import _match
from .graph import Graph, children, is_trackable
from .storage import read_index


def _check_trackable(obj, where: str) -> None:
    if not is_trackable(obj):
        raise ValueError(f"{where}: expected a Trackable, got {obj!r} of type {type(obj)}.")


class TrackableView:
    """The objects reachable from ``root``, as a checkpoint of it would save them.

    Example:
        >>> view = tf.train.TrackableView(module)
        >>> view.children(module)     # {"a_var": <Variable>, "leaf": <Module>, ...}
        >>> view.descendants()        # [module, its children, their children, ...]
    """

    def __init__(self, root) -> None:
        _check_trackable(root, "TrackableView")
        self._root = root

    @property
    def root(self):
        """The object the view starts from."""
        return self._root

    @classmethod
    def children(cls, obj, save_type="checkpoint", **kwargs) -> dict:
        """``{name: child}`` of ``obj``, in the order a checkpoint numbers them."""
        _check_trackable(obj, "TrackableView.children")
        return dict(children(obj))

    def descendants(self) -> list:
        """Every object reachable from the root, breadth first, the root first."""
        return list(Graph(self._root).objects)


class CheckpointView:
    """The object graph of the checkpoint saved at ``save_path`` (a prefix that ``save``
    or ``write`` returned), by node id."""

    def __init__(self, save_path) -> None:
        self._nodes = read_index(os.fspath(save_path), "CheckpointView")["graph"]

    def children(self, node_id: int) -> dict:
        """``{name: node id}`` of the children of node ``node_id``."""
        if not 0 <= int(node_id) < len(self._nodes):
            raise IndexError(
                f"CheckpointView.children: node_id {node_id} is not in the checkpoint "
                f"(it has nodes 0 to {len(self._nodes) - 1})"
            )
        return dict(self._nodes[int(node_id)]["children"])

    def descendants(self) -> list:
        """Every node id reachable from the root (0), breadth first."""
        seen = {0: None}
        queue = deque([0])
        while queue:
            for child in self._nodes[queue.popleft()]["children"].values():
                if child not in seen:
                    seen[child] = None
                    queue.append(child)
        return list(seen)

    def match(self, obj) -> dict:
        """``{node id: object}`` for the objects of ``obj``'s graph found at the same names
        and positions as the checkpoint's nodes (the root always matches)."""
        _check_trackable(obj, "CheckpointView.match")
        graph = Graph(obj)
        return {node: graph.objects[live] for node, live in _match(graph, self._nodes).items()}

    def diff(self, obj) -> tuple:
        """``(match(obj), node ids only in the checkpoint, objects only in obj)``."""
        matched = self.match(obj)
        in_checkpoint = [node for node in self.descendants() if node not in matched]
        found = {id(o) for o in matched.values()}
        in_object = [o for o in TrackableView(obj).descendants() if id(o) not in found]
        return matched, in_checkpoint, in_object
