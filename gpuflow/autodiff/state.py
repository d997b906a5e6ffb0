"""What the recording machinery needs to know while ops run, per thread.

Which tapes are active, whether to record, the check hook of
``gpuflow.debugging.enable_check_numerics`` and the gradient-ready listener: all of it
lives on one ``threading.local`` object, so two threads never see each other's tapes or
checks (as in TensorFlow, where tapes and op callbacks are thread-local). Kept in one
small module so that ``Function.__call__`` (the hot path) asks a single attribute whether
to record or check.

The gradient-ready listener (``state.gradient_listener``) lets a distribution strategy
start reducing gradients while the backward pass still runs. ``tape.gradient``'s walk
(``backprop`` and a compiled step's ``BackwardPlan``) asks it once per walk
``session = listener.begin(sources)``; when that is not None the walk calls
``session.ready(variable, array)`` as soon as a source Variable's gradient is final
(after the last op that feeds it has run its backward), ``session.poll()`` after each
op, and ``session.finish()`` once the walk ends (also when it raises). ``session.keys``
maps ``id(variable)`` to the variables it waits for. With no listener a walk pays one
attribute check.
"""

from __future__ import annotations

import threading


class _State(threading.local):
    def __init__(self) -> None:
        self.tapes: list = []  # active, recording tapes, innermost last
        self.recording = False  # any active tape recording, and no no_grad scope
        self.watch_variables = False  # some active tape watches trainable variables
        self.watched: dict[int, int] = {}  # id(tensor) -> how many active tapes watch it
        self.paused = 0  # depth of no_grad / stop_recording scopes
        self.check_hook = None  # fn(function, array, direction) run on outputs/gradients
        self.accessed: list = []  # the accessed-variable dicts of the watching tapes
        self.gradient_listener = None  # begin(sources) -> session or None (module doc)
        # id(variable) -> the tensor recorded in its place (a keras.StatelessScope's mapped
        # value: gradients flow to it, as Keras's stateless_call gives them), or None
        self.substitutes = None
        # bumped by GradientTape.reset(): each recorded op notes the epoch it ran in, and a
        # reset tape walks only ops of its own epoch or later
        self.epoch = 0

    def refresh(self) -> None:
        active = [t for t in self.tapes if t._recording]
        self.recording = bool(active) and self.paused == 0
        self.accessed = [t._accessed for t in active if t._watch_accessed_variables]
        self.watch_variables = bool(self.accessed)


state = _State()


def is_tracked(tensor) -> bool:
    """Whether gradients must flow into ``tensor`` from ops recorded now."""
    if tensor._node is not None:
        return True
    if tensor._trainable and state.watch_variables:
        for accessed in state.accessed:  # for tape.watched_variables()
            accessed[id(tensor)] = tensor
        return True
    return id(tensor) in state.watched
