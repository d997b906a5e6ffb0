"""GradientTape with TensorFlow semantics, ``no_grad`` and ``stop_gradient``."""

from __future__ import annotations

import contextlib
import enum
import warnings

from .. import _api_dispatch, nest
from .._tracing import tracing
from ..tensor import Tensor, Variable
from .backprop import backprop
from .sparse_rows import SparseRows
from .state import state


class UnconnectedGradients(enum.Enum):
    """What ``gradient`` returns for a source the target does not depend on."""

    NONE = "none"
    ZERO = "zero"


class GradientTape:
    """Records ops on watched tensors and trainable Variables, for ``gradient()``.

    Tapes nest: a gradient computed while an outer tape records is itself recorded, so the
    outer tape can differentiate it again (second derivatives, gradient penalties).

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
        self._accessed: dict[int, Tensor] = {}  # trainable Variables read while recording
        self._recording = False
        self._active = False
        self._used = False
        self._min_epoch = 0  # set by reset(): ops recorded before it do not count

    def __enter__(self) -> "GradientTape":
        self._active = True
        self._recording = True
        state.tapes.append(self)
        self._count_watched(+1)
        state.refresh()
        return self

    def __exit__(self, *exc) -> None:
        if self._recording:
            self._count_watched(-1)
        self._active = False
        self._recording = False
        state.tapes.remove(self)
        state.refresh()

    def _count_watched(self, step: int) -> None:
        for key in self._watched:
            count = state.watched.get(key, 0) + step
            if count > 0:
                state.watched[key] = count
            else:
                state.watched.pop(key, None)

    def watch(self, tensor) -> None:
        """Record ops on ``tensor`` (a Tensor or Variable, or a nested list/tuple/dict of them;
        a RaggedTensor's flat values)."""
        for t in nest.flatten(tensor):
            if _is_ragged(t):
                t = t.flat_values
            if not isinstance(t, Tensor):  # TensorFlow's ValueError
                raise ValueError(
                    f"GradientTape.watch: expected Tensors or Variables, received "
                    f"{type(t).__name__}"
                )
            if t.dtype.kind != "f":
                warnings.warn(
                    f"GradientTape.watch: the dtype of the watched tensor must be "
                    f"floating (e.g. float32), got {t.dtype.name}; its gradient will be "
                    f"None",
                    stacklevel=2,
                )
            if id(t) not in self._watched:
                self._watched[id(t)] = t
                if self._recording:
                    state.watched[id(t)] = state.watched.get(id(t), 0) + 1

    def watched_variables(self) -> tuple:
        """The Variables this tape watches: watched explicitly, or trainable and read by a
        recorded op (with ``watch_accessed_variables``), in order of first watch."""
        found = {
            **{k: t for k, t in self._watched.items() if isinstance(t, Variable)},
            **self._accessed,
        }
        return tuple(found.values())

    @contextlib.contextmanager
    def stop_recording(self):
        """A scope in which this tape records nothing (other tapes keep recording)."""
        if not self._recording:  # TensorFlow's RuntimeError
            raise RuntimeError(
                "GradientTape.stop_recording: the tape is not recording; use it "
                "inside the tape's `with` block"
            )
        self._recording = False
        self._count_watched(-1)
        state.refresh()
        try:
            yield
        finally:
            self._recording = True
            self._count_watched(+1)
            state.refresh()

    def reset(self) -> None:
        """Forget what was recorded and watched: gradients flow only through ops run after
        the reset (other tapes keep what they recorded)."""
        if self._recording:
            self._count_watched(-1)
        self._watched.clear()
        self._accessed.clear()
        self._used = False
        state.epoch += 1
        self._min_epoch = state.epoch

    # -- gradients -------------------------------------------------------------------
    def _records_gradient(self) -> bool:
        """Whether some tape will differentiate what gradient() computes now.

        A non-persistent tape cannot be used again, so recording into it alone is wasted.
        """
        if state.paused:
            return False
        return any(t._recording and (t is not self or self._persistent) for t in state.tapes)

    def _check_pfor(self, method: str, use_pfor) -> None:
        """TensorFlow's rule: without pfor, a jacobian runs a backward pass per element
        under a while loop, which a non-persistent tape cannot serve (gpuflow computes it
        the same way either way, and keeps the rule so programs behave alike)."""
        if not use_pfor and not self._persistent:
            raise RuntimeError(
                f"GradientTape must be created with persistent=True to compute the {method} "
                "with eager execution enabled and with experimental_use_pfor set to False."
            )

    def _use(self, method: str) -> None:
        if self._used and not self._persistent:
            raise RuntimeError(
                f"GradientTape.{method} can only be called once on a "
                "non-persistent tape; create it with "
                "GradientTape(persistent=True) to call it again"
            )
        self._used = True

    def gradient(
        self,
        target,
        sources,
        output_gradients=None,
        unconnected_gradients=UnconnectedGradients.NONE,
    ):
        """Gradients of ``target`` (summed over its elements) with respect to ``sources``.

        Args:
            target: a Tensor or a nested structure of Tensors (their gradients add up).
            sources: a Tensor or Variable, or a nested structure of them; the result has
                the same structure.
            output_gradients: initial gradients of ``target`` (default: ones), same structure.
            unconnected_gradients: ``UnconnectedGradients.NONE`` (``None`` for a source the
                target does not depend on) or ``.ZERO`` (zeros); the strings work too.
        """
        if _has_ragged(target) or _has_ragged(sources):
            # as TensorFlow: a RaggedTensor differentiates through its flat values, and a
            # RaggedTensor source gets a RaggedTensor gradient of its row partition
            flat_grads = self.gradient(
                _ragged_values(target),
                _ragged_values(sources),
                output_gradients,
                unconnected_gradients,
            )
            if not nest.is_nested(sources):
                return _reraggedized(sources, flat_grads)
            return nest.map_structure(_reraggedized, sources, flat_grads, check_types=False)
        self._use("gradient")
        zero = _unconnected(unconnected_gradients)
        targets = _targets(target)
        record = self._records_gradient()
        if output_gradients is None:
            seeds = [_ones_like(t, record) for t in targets]
        else:
            given = (
                [output_gradients]
                if isinstance(output_gradients, Tensor)
                else nest.flatten(output_gradients)
            )
            every = _targets_all(target)
            if len(given) != len(every):
                raise ValueError(
                    f"GradientTape.gradient: {len(every)} targets but {len(given)} output_gradients"
                )
            seeds = [_seed(t, g, record) for t, g in zip(every, given) if t.dtype.kind == "f"]
        flat_sources = _sources(sources, "gradient")
        grads = _run(targets, seeds, flat_sources, record, zero, True, self._min_epoch)
        if _api_dispatch.GRADIENT_HOOKS:  # tf.experimental.dtensor: gradients get layouts
            for hook in _api_dispatch.GRADIENT_HOOKS:
                grads = hook(flat_sources, grads)
        if flat_sources is sources:
            return grads
        return nest.pack_sequence_as(sources, grads) if nest.is_nested(sources) else grads[0]

    def jacobian(
        self,
        target,
        sources,
        unconnected_gradients=UnconnectedGradients.NONE,
        parallel_iterations=None,
        experimental_use_pfor=True,
    ):
        """The jacobian of ``target`` with respect to each source: ``target.shape + source.shape``.

        Computed as one backward pass per element of ``target``.
        """
        self._check_pfor("jacobian", experimental_use_pfor)
        self._use("jacobian")
        zero = _unconnected(unconnected_gradients)
        (target,) = _targets(target, "jacobian")
        flat_sources = _sources(sources, "jacobian")
        record = self._records_gradient()
        rows = [[] for _ in flat_sources]
        # As TensorFlow: an integer target has no gradient (None, or zeros with ZERO).
        for i in builtins_range(target.size if target.dtype.kind == "f" else 0):
            seed = _one_hot_seed(target, i, record)
            for row, g in zip(
                rows, _run([target], [seed], flat_sources, record, False, False, self._min_epoch)
            ):
                row.append(g)
        # An empty target gives an empty jacobian (zeros), as TensorFlow's vectorized loop.
        zero = zero or target.size == 0
        results = [_assemble(row, target.shape, s, zero) for row, s in zip(rows, flat_sources)]
        if nest.is_nested(sources):
            return nest.pack_sequence_as(sources, results)
        return results[0]

    def batch_jacobian(
        self,
        target,
        source,
        unconnected_gradients=UnconnectedGradients.NONE,
        parallel_iterations=None,
        experimental_use_pfor=True,
    ):
        """Per-example jacobians: ``[B, *target.shape[1:], *source.shape[1:]]``.

        Assumes, as TensorFlow does, that example ``b`` of ``target`` depends only on
        example ``b`` of ``source``.
        """
        self._check_pfor("batch_jacobian", experimental_use_pfor)
        self._use("batch_jacobian")
        _unconnected(unconnected_gradients)  # validates the argument only
        (target,) = _targets(target, "batch_jacobian")
        (src,) = _sources(source, "batch_jacobian")
        if target.ndim < 1 or src.ndim < 1 or target.shape[0] != src.shape[0]:
            raise ValueError(
                f"GradientTape.batch_jacobian: target and source need the same first "
                f"(batch) dimension, received shapes {tuple(target.shape)} and "
                f"{tuple(src.shape)}"
            )
        from ..ops.shape import reshape, stack

        batch = target.shape[0]
        inner = target.size // batch if batch else 0
        record = self._records_gradient()
        shape = (batch,) + tuple(target.shape[1:]) + tuple(src.shape[1:])
        columns = []
        for j in builtins_range(inner if target.dtype.kind == "f" else 0):
            seed = _column_seed(target, j, record)
            (g,) = _run([target], [seed], [src], record, False, False, self._min_epoch)
            columns.append(g)
        if not columns or all(g is None for g in columns):
            # As TensorFlow (whatever unconnected_gradients says): zeros of the target's dtype.
            return _zeros_tensor(target, shape)
        columns = [_zeros_tensor(src, src.shape) if g is None else g for g in columns]
        return reshape(stack(columns, axis=1), shape)


builtins_range = range


def _unconnected(value) -> bool:
    if isinstance(value, UnconnectedGradients):
        return value is UnconnectedGradients.ZERO
    if value in ("none", "zero"):
        return value == "zero"
    raise ValueError(
        f"GradientTape: unconnected_gradients must be UnconnectedGradients.NONE or "
        f".ZERO, received {value!r}"
    )


def _targets(target, method: str = "gradient") -> list:
    targets = [target] if isinstance(target, Tensor) else nest.flatten(target)
    for t in targets:
        if not isinstance(t, Tensor):
            raise TypeError(
                f"GradientTape.{method}: target must be a Tensor, received {type(t).__name__}"
            )
    if method == "gradient":
        # As TensorFlow: an integer or bool target has no gradient (its sources get None).
        targets = [t for t in targets if t.dtype.kind == "f"]
    if method != "gradient" and len(targets) != 1:
        raise ValueError(
            f"GradientTape.{method}: expected one target tensor, received {len(targets)}"
        )
    return targets


def _targets_all(target) -> list:
    return [target] if isinstance(target, Tensor) else nest.flatten(target)


def _is_ragged(value) -> bool:
    return getattr(type(value), "_is_ragged_tensor", False)


def _has_ragged(structure) -> bool:
    if isinstance(structure, Tensor):
        return False
    if type(structure) is list and all(isinstance(s, Tensor) for s in structure):
        return False  # the common case (a model's variables): no walk
    return _is_ragged(structure) or (
        nest.is_nested(structure) and any(_is_ragged(v) for v in nest.flatten(structure))
    )


def _ragged_values(structure):
    """``structure`` with each RaggedTensor replaced by its flat values."""
    if _is_ragged(structure):
        return structure.flat_values
    if not nest.is_nested(structure):
        return structure
    return nest.map_structure(lambda v: v.flat_values if _is_ragged(v) else v, structure)


def _reraggedized(source, grad):
    if grad is not None and _is_ragged(source):
        return source.with_flat_values(grad)
    return grad


def _sources(sources, method: str) -> list:
    if isinstance(sources, Tensor):
        flat = [sources]
    elif type(sources) is list and all(isinstance(s, Tensor) for s in sources):
        flat = sources  # the common case (a model's variables): no walk
    else:
        flat = nest.flatten(sources)
        for s in flat:
            if not isinstance(s, Tensor):
                raise TypeError(
                    f"GradientTape.{method}: sources must be Tensors or Variables, "
                    f"received {type(s).__name__}"
                )
    for s in flat:
        if s._data.dtype.kind == "c":
            raise NotImplementedError(
                f"GradientTape.{method}: gradients with respect to complex tensors "
                f"({s.dtype.name}) are not supported by gpuflow"
            )
    return sources if flat is sources else flat


def _ones_like(t: Tensor, record: bool):
    ones = t._device.xp.ones_like(t._data)
    return Tensor._wrap(ones, t._device) if record else ones


def _seed(t: Tensor, g, record: bool):
    if g is None:  # TensorFlow cannot convert it either (and NumPy would make it NaN)
        raise ValueError(
            f"GradientTape.gradient: output_gradients has None for a target of shape "
            f"{tuple(t.shape)}; pass a tensor of that shape (tf.ones_like(target) for the "
            "default)"
        )
    if isinstance(g, Tensor):
        if tuple(g.shape) != tuple(t.shape):
            raise ValueError(
                f"GradientTape.gradient: output_gradients of shape {tuple(g.shape)} "
                f"for a target of shape {tuple(t.shape)}"
            )
        if record:
            return g if g.dtype == t.dtype else _cast(g, t.dtype)
        return g._data.astype(t.dtype, copy=False)
    array = t._device.asarray(g, dtype=t.dtype)
    if array.shape != t._data.shape:
        array = t._device.xp.broadcast_to(array, t._data.shape)
    return Tensor._wrap(array, t._device) if record else array


def _cast(t, dtype):
    from ..ops.math import cast

    return cast(t, dtype)


def _one_hot_seed(target: Tensor, i: int, record: bool):
    seed = target._device.xp.zeros(target._data.size, dtype=target.dtype)
    seed[i] = 1
    seed = seed.reshape(target._data.shape)
    return Tensor._wrap(seed, target._device) if record else seed


def _column_seed(target: Tensor, j: int, record: bool):
    seed = target._device.xp.zeros(
        (target.shape[0], target._data.size // target.shape[0]), dtype=target.dtype
    )
    seed[:, j] = 1
    seed = seed.reshape(target._data.shape)
    return Tensor._wrap(seed, target._device) if record else seed


def _run(
    targets, seeds, sources, record: bool, zero: bool, listen: bool = False, min_epoch: int = 0
) -> list:
    """Gradients of ``targets`` for ``sources``; ``listen``: tell the gradient-ready
    listener, if any (``tape.gradient``; not the one walk per element of a jacobian);
    ``min_epoch``: a reset tape's start (ops recorded before it do not count)."""
    if tracing.trace is not None:  # inside gpuflow.function: one recorded gradient step
        return tracing.trace.gradient(targets, seeds, sources, record, zero, listen)
    node_grads, leaf_grads = backprop(
        targets,
        seeds,
        record,
        sources if listen else None,
        min_epoch,
        wanted=sources,
        sparse=listen and not record,
    )
    out = []
    for source in sources:
        g = (
            node_grads.get(id(source._node))
            if source._node is not None
            else leaf_grads.get(id(source))
        )
        if g is None:
            out.append(_zeros_tensor(source, source.shape) if zero else None)
        elif isinstance(g, SparseRows):
            out.append(g.to_slices())
        else:
            out.append(g if record else Tensor._wrap(g, source._device))
    return out


def _zeros_tensor(source: Tensor, shape) -> Tensor:
    return Tensor._wrap(source._device.xp.zeros(tuple(shape), dtype=source.dtype), source._device)


def _assemble(row, target_shape, source, zero: bool):
    """Stack one gradient per target element into ``target_shape + source.shape``."""
    from ..ops.shape import reshape, stack

    shape = tuple(target_shape) + tuple(source.shape)
    if not row or all(g is None for g in row):
        return _zeros_tensor(source, shape) if zero else None
    row = [_zeros_tensor(source, source.shape) if g is None else g for g in row]
    return reshape(stack(row, axis=0), shape)


@contextlib.contextmanager
def no_grad():
    """Scope in which no op is recorded by any tape (inference; cheaper)."""
    state.paused += 1
    state.refresh()
    try:
        yield
    finally:
        state.paused -= 1
        state.refresh()


def stop_gradient(input, name=None) -> Tensor:  # noqa: A002 - TensorFlow's name
    """``input`` as a tensor through which no gradient flows."""
    if not isinstance(input, Tensor):
        from ..ops.creation import constant

        return constant(input)
    if isinstance(input, Variable) and tracing.trace is not None:
        from ..ops.shape import identity  # a recorded read, so each compiled call reads anew

        out = identity(input)
        out._node = None
        return out
    if tracing.trace is not None:
        from ..ops.shape import StopGradient  # a step of its own: tf.gradients stops there

        out = StopGradient()(input)
        out._node = None
        return out
    # A Variable's buffer changes on assignment: hand out a snapshot of it.
    data = input._data.copy() if isinstance(input, Variable) else input._data
    return Tensor._wrap(data, input._device)
