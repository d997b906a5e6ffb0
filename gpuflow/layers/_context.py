"""Per-thread state of layer calls: the training flags and layers in progress, loss bookkeeping."""

from __future__ import annotations

import threading


class _Context(threading.local):
    def __init__(self) -> None:
        self.training: list = []  # [the training value of the outermost call in progress]
        self.layers: list = []  # the layers being called, outermost first
        self.discard_losses = 0  # > 0 while shapes are probed: add_loss keeps nothing
        self.forward_pass = 0  # counts outermost layer calls (add_loss drops older values)
        self.path_scopes: list = []  # (name, layer) of the layers building or calling now


context = _Context()


def probing() -> bool:
    """Whether the layers run on placeholder zeros whose outputs only give shapes and dtypes
    (a symbolic call's dummy run, a model built from a shape): a layer that checks values
    (a lookup without OOV indices) lets them through."""
    return context.discard_losses > 0


class discarding_losses:
    """While active, ``add_loss`` keeps nothing (the dummy runs of symbolic calls use it)."""

    def __enter__(self):
        context.discard_losses += 1

    def __exit__(self, *exc):
        context.discard_losses -= 1


def current_path() -> str:
    """Keras 3's ``current_path()``: the open name scopes joined with ``/``, where a scope
    with a parent path (a layer's, fixed when it first opened its scope) starts over from it."""
    parts: list = []
    for name, _, parent in context.path_scopes:
        if parent is not None:
            parts = [p for p in parent.split("/") if p]
        parts.append(name)
    return "/".join(part for part in parts if part)


def push_path_scope(name: str, caller=None, parent=None) -> bool:
    """Open the name scope ``name`` of ``caller`` (a layer or None), whose path starts over
    from ``parent`` when given; returns False (nothing opened) when the innermost scope is
    already ``caller``'s ``name`` (a layer's ``add_weight`` inside its ``build``)."""
    scopes = context.path_scopes
    if caller is not None and scopes and scopes[-1][1] is caller and scopes[-1][0] == name:
        return False
    scopes.append((name, caller, parent))
    return True


class path_scope:  # noqa: N801 - used as a function: ``with path_scope(layer):``
    """Keras 3's name scope of a layer, which gives variables their paths: a layer's
    weights made while it builds or calls (and those of the layers it builds inside) get
    ``"outer/inner/kernel"``. The path around the layer's scope the first time it opens is
    its parent path for good (Keras's ``_parent_path``). Entering the scope of the layer
    already innermost does nothing (its ``add_weight`` inside its ``build``)."""

    __slots__ = ("_layer", "_pushed")

    def __init__(self, layer) -> None:
        self._layer = layer
        self._pushed = False

    def __enter__(self):
        layer = self._layer
        if getattr(layer, "_parent_path", None) is None:
            layer._parent_path = current_path()
        self._pushed = push_path_scope(layer.name, layer, layer._parent_path)
        return self

    def __exit__(self, *exc) -> None:
        if self._pushed:
            context.path_scopes.pop()
            self._pushed = False


def variable_path(layer, name: str) -> str:
    """The path of ``layer``'s weight ``name``, as Keras 3's ``add_weight`` makes it: the
    layer's scope path (its parent path, else the open scopes, then its own name), then
    ``name``; an empty name (``Model(name="")``) adds no level."""
    scopes = context.path_scopes
    if scopes and scopes[-1][1] is layer:
        prefix = current_path()
    else:
        parent = getattr(layer, "_parent_path", None)
        parent = current_path() if parent is None else parent
        prefix = "/".join(p for p in (parent, layer.name) if p)
    return "/".join(part for part in (prefix, name) if part)
