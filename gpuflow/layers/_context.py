"""Per-thread state of layer calls: the training flags and layers in progress, loss bookkeeping."""

from __future__ import annotations

import threading


class _Context(threading.local):
    def __init__(self) -> None:
        self.training: list = []  # the training flag of each layer call in progress
        self.layers: list = []  # the layers being called, outermost first
        self.discard_losses = 0  # > 0 while shapes are probed: add_loss keeps nothing
        self.forward_pass = 0  # counts outermost layer calls (add_loss drops older values)


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
