"""ListWrapper / DictWrapper: the list and dict a ``tf.train.Checkpoint`` attribute holds
(TensorFlow wraps them so that what is added later is tracked too).

They behave as ``list`` and ``dict`` (they subclass them); a change tells their owners,
so that a checkpoint restored before the value existed restores it on arrival
(``ckpt.listed = []; ckpt.listed.append(v)`` gets ``v``'s saved value)."""

from __future__ import annotations

import weakref

PENDING = "_pending_module_restore"  # the attribute a deferred restore waits under


def notify(obj) -> None:
    """Run the deferred restore waiting on ``obj`` (a Checkpoint, Module or wrapper)."""
    pending = obj.__dict__.get(PENDING)
    if pending is not None:
        pending(obj)


class _Tracking:
    """What both wrappers share: owners to tell after each change."""

    def _add_owner(self, owner) -> None:
        owners = self.__dict__.setdefault("_owners", [])
        owners.append(weakref.ref(owner))

    def _changed(self) -> None:
        notify(self)
        for ref in list(self.__dict__.get("_owners", ())):
            owner = ref()
            if owner is not None:
                notify(owner)


def _changing(base, name):

    def method(self, *args, **kwargs):
        result = base(self, *args, **kwargs)
        self._changed()
        return result

    method.__name__ = name
    return method


class ListWrapper(_Tracking, list):
    """A list whose later additions a checkpoint tracks (``print`` shows
    ``ListWrapper([...])``, as TensorFlow)."""

    append = _changing(list.append, "append")
    extend = _changing(list.extend, "extend")
    insert = _changing(list.insert, "insert")
    __setitem__ = _changing(list.__setitem__, "__setitem__")

    def __iadd__(self, other):
        list.extend(self, other)
        self._changed()
        return self

    def __repr__(self) -> str:
        return f"ListWrapper({list.__repr__(self)})"


class DictWrapper(_Tracking, dict):
    """A dict whose later entries a checkpoint tracks (``DictWrapper({...})``)."""

    __setitem__ = _changing(dict.__setitem__, "__setitem__")
    update = _changing(dict.update, "update")
    setdefault = _changing(dict.setdefault, "setdefault")

    def __repr__(self) -> str:
        return f"DictWrapper({dict.__repr__(self)})"


WRAPPERS = (ListWrapper, DictWrapper)


def wrap(value, owner):
    """``value`` as a wrapper owned by ``owner`` when it is a plain list or dict; anything
    else (a wrapper already, a tuple, an object) as it is."""
    if type(value) is list:
        value = ListWrapper(value)
    elif type(value) is dict:
        value = DictWrapper(value)
    if isinstance(value, _Tracking):
        value._add_owner(owner)
    return value
