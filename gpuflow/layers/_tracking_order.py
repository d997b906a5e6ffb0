"""The order of a layer's own weights, as Keras 3 keeps it.

Keras 3 appends each variable a layer tracks (made by ``add_weight`` or assigned as an
attribute, e.g. ``self.offset = keras.Variable(...)``) to its trainable or non-trainable list
at that moment; ``layer.weights`` is the trainable list, then the other one. Freezing a
variable later does not move it. That order is what ``get_weights`` returns and what a
``.weights.h5`` file numbers (``vars/0``, ``vars/1``, ...), so a file Keras wrote loads
into the right variables only in that order.
"""

from __future__ import annotations

import weakref

from ..tensor import is_keras_variable

_PLAIN = (str, bytes, int, float, complex, type(None))


def holds_tracked_items(items) -> bool:
    """Whether the items of a list/tuple attribute are looked at for layers and variables:
    all of them, as Keras 3's tracked lists (a layer after a ``keras.Input`` counts), except
    in a list that starts and ends with plain values (a vocabulary, a shape), which is not
    walked item by item on every ``weights`` access."""
    return bool(items) and not (isinstance(items[0], _PLAIN) and isinstance(items[-1], _PLAIN))


def note_tracked(layer, value) -> None:
    """Record the Keras variables in ``value`` (a variable, or a list/tuple/dict of them) as
    tracked by ``layer`` now, with their trainable flag of now."""
    if is_keras_variable(value):
        order = layer.__dict__.get("_track_order")
        if order is None:
            order = layer.__dict__["_track_order"] = {}
        entry = order.get(id(value))
        if entry is None or entry[2]() is not value:  # a dead variable's id may come again
            order[id(value)] = (len(order), value.trainable, weakref.ref(value))
    elif isinstance(value, (list, tuple)):
        if holds_tracked_items(value):
            for item in value:
                note_tracked(layer, item)
    elif isinstance(value, dict):
        for item in value.values():
            note_tracked(layer, item)


def keras_order(layer, own: list) -> list:
    """``own`` (the layer's own weights) in Keras 3's order: those tracked trainable, then
    the others, each group in tracking order. A weight with no record (a LoRA-frozen
    kernel listed in ``_listed_trainable`` included) goes by its flag of now, after."""
    order = layer.__dict__.get("_track_order") or {}
    listed = layer.__dict__.get("_listed_trainable", ())
    late = len(order)

    def key(item):
        position, variable = item
        entry = order.get(id(variable))
        if entry is not None and entry[2]() is variable:
            return (0 if entry[1] or id(variable) in listed else 1, entry[0], position)
        return (0 if variable.trainable or id(variable) in listed else 1, late, position)

    return [variable for _, variable in sorted(enumerate(own), key=key)]


def unique_objects(items: list) -> list:
    """``items`` without repeats by identity, first place kept (a weight or layer reached
    twice, e.g. a tied kernel, is listed once)."""
    seen, out = set(), []
    for item in items:
        if id(item) not in seen:
            seen.add(id(item))
            out.append(item)
    return out
