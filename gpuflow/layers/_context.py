"""Per-thread state of layer calls: the training flags and layers in progress, loss bookkeeping."""

from __future__ import annotations

import threading


class _Context(threading.local):
    def __init__(self) -> None:
        self.training: list = []  # the training flag of each layer call in progress
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


class path_scope:  # noqa: N801 - used as a function: ``with path_scope(layer):``
    """Keras 3's name scope of a layer, which gives variables their paths: a layer's
    weights made while it builds or calls (and those of the layers it builds inside) get
    ``"outer/inner/kernel"``. Entering the scope of the layer already innermost does nothing
    (its ``add_weight`` inside its ``build``)."""

    __slots__ = ("_layer", "_pushed")

    def __init__(self, layer) -> None:
        self._layer = layer
        self._pushed = False

    def __enter__(self):
        scopes = context.path_scopes
        if not scopes or scopes[-1][1] is not self._layer:
            scopes.append((self._layer.name, self._layer))
            self._pushed = True
        return self

    def __exit__(self, *exc) -> None:
        if self._pushed:
            context.path_scopes.pop()
            self._pushed = False


def variable_path(layer, name: str) -> str:
    """The path of ``layer``'s weight ``name``: the open layer scopes, ``layer``'s own
    name (unless it is the innermost), then ``name``; an empty name (``Model(name="")``)
    adds no level."""
    scopes = context.path_scopes
    parts = [n for n, _ in scopes]
    if not scopes or scopes[-1][1] is not layer:
        parts.append(layer.name)
    parts.append(name)
    return "/".join(part for part in parts if part)
