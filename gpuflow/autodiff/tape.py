"""GradientTape with TensorFlow semantics, ``no_grad`` and ``stop_gradient``."""
from __future__ import annotations

import contextlib

from ..tensor import Tensor, Variable
from .backprop import backprop
from .state import state


class GradientTape:
    """Records ops on watched tensors and trainable Variables, for ``gradient()``.

    Args:
        persistent: allow several ``gradient()`` calls on one recording.
        watch_accessed_variables: watch every trainable Variable used while recording.

    Example:
        >>> with gpuflow.GradientTape() as tape:
        ...     loss = gpuflow.reduce_sum(w * x)
        >>> dw = tape.gradient(loss, w)
    """

    def __init__(self, persistent: bool = False, watch_accessed_variables: bool = True) -> None:
        self._persistent = persistent
        self._watch_accessed_variables = watch_accessed_variables
        self._watched: dict[int, Tensor] = {}
        self._recording = False
        self._used = False

    def __enter__(self) -> "GradientTape":
        self._recording = True
        state.tapes.append(self)
        for key in self._watched:
            state.watched[key] = state.watched.get(key, 0) + 1
        state.refresh()
        return self

    def __exit__(self, *exc) -> None:
        self._recording = False
        state.tapes.remove(self)
        self._unwatch_all()
        state.refresh()

    def _unwatch_all(self) -> None:
        for key in self._watched:
            count = state.watched.get(key, 0) - 1
            if count > 0:
                state.watched[key] = count
            else:
                state.watched.pop(key, None)

    def watch(self, tensor) -> None:
        """Record ops on ``tensor`` (a Tensor, or a list/tuple/dict of them)."""
        for t in _flatten(tensor):
            if not isinstance(t, Tensor):
                raise TypeError(f"GradientTape.watch: expected Tensors, received {type(t).__name__}")
            if id(t) not in self._watched:
                self._watched[id(t)] = t
                if self._recording:
                    state.watched[id(t)] = state.watched.get(id(t), 0) + 1

    def watched_variables(self) -> tuple:
        return tuple(t for t in self._watched.values() if t._trainable)

    def stop_recording(self):
        """Ops inside this scope are not recorded (by this tape or any other)."""
        return no_grad()

    def reset(self) -> None:
        """Forget what was recorded and watched."""
        if self._recording:
            self._unwatch_all()
        self._watched.clear()

    def gradient(self, target, sources, output_gradients=None, unconnected_gradients="none"):
        """Gradients of ``target`` (summed over its elements) with respect to ``sources``.

        Args:
            target: a Tensor or a list of Tensors (their gradients add up).
            sources: a Tensor, or a list/tuple/dict of them; the result has the same structure.
            output_gradients: initial gradients of ``target`` (default: ones).
            unconnected_gradients: ``"none"`` (None for unconnected sources) or ``"zero"``.
        """
        if self._used and not self._persistent:
            raise RuntimeError("GradientTape.gradient can only be called once on a non-persistent "
                               "tape; create it with GradientTape(persistent=True) to call it again")
        self._used = True
        targets = [target] if isinstance(target, Tensor) else list(_flatten(target))
        for t in targets:
            if not isinstance(t, Tensor):
                raise TypeError(f"GradientTape.gradient: target must be a Tensor, received {type(t).__name__}")
            if t.dtype.kind != "f":
                raise TypeError(f"GradientTape.gradient: target must be a float tensor, received dtype {t.dtype}")
        if output_gradients is None:
            seeds = [t._device.xp.ones_like(t._data) for t in targets]
        else:
            seeds = [t._device.asarray(_array(g), dtype=t.dtype) for t, g in
                     zip(targets, _flatten(output_gradients))]
        node_grads, leaf_grads = backprop(targets, seeds)

        def grad_of(source):
            if not isinstance(source, Tensor):
                raise TypeError(f"GradientTape.gradient: sources must be Tensors, received {type(source).__name__}")
            g = node_grads.get(id(source._node)) if source._node is not None else leaf_grads.get(id(source))
            if g is None:
                if unconnected_gradients == "zero":
                    return Tensor._wrap(source._device.xp.zeros_like(source._data), source._device)
                return None
            return Tensor._wrap(g, source._device)

        return _map_structure(grad_of, sources)


def _array(value):
    return value._data if isinstance(value, Tensor) else value


def _flatten(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _flatten(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _flatten(v)
    else:
        yield value


def _map_structure(fn, value):
    if isinstance(value, dict):
        return {k: _map_structure(fn, v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        mapped = [_map_structure(fn, v) for v in value]
        if type(value) is list:
            return mapped
        return type(value)(*mapped) if hasattr(value, "_fields") else type(value)(mapped)
    return fn(value)


@contextlib.contextmanager
def no_grad():
    """Scope in which no op is recorded (inference; cheaper)."""
    state.paused += 1
    state.refresh()
    try:
        yield
    finally:
        state.paused -= 1
        state.refresh()


def stop_gradient(x) -> Tensor:
    """``x`` as a tensor through which no gradient flows."""
    if not isinstance(x, Tensor):
        from ..ops.creation import constant

        return constant(x)
    # A Variable's buffer changes in place on assignment: hand out a snapshot of it.
    data = x._data.copy() if isinstance(x, Variable) else x._data
    return Tensor._wrap(data, x._device)
