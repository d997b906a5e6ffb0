"""Node: one call of a layer on KerasTensors, and the symbolic call that records it.

The output shapes come from running the layer once on a small dummy batch (zeros, no
gradients, ``training=False`` unless given): that builds the layer's weights and works for
every layer that implements ``call``, built-in or custom, with no shape rules to keep in
sync. Axes of unknown size (``None``) other than the batch axis are found by a second run
with other sizes: the output axes that change are unknown too. A layer that refuses the
first stand-in sizes for those axes (a positional Embedding of 12 positions on
``Input(shape=(None,))``, which Keras accepts because it never runs the layer) is probed
again with smaller ones, then with larger ones (a Conv1D or STFTSpectrogram whose kernel
spans more than 32 samples of an ``Input(shape=(None, 1))``), before its error is raised.
"""

from __future__ import annotations

import itertools

import numpy as np

from .. import nest
from ..autodiff import no_grad
from ..symbolic_scope import SymbolicScope
from ..tensor import Tensor
from . import build_args, mask_warning
from ._context import path_scope
from ._inputs import check_input_count
from ._masks import get_mask, set_mask
from ._pending_restore import restore_pending
from ._probe_replay import replayed_values
from .declared_shape import declared_outputs
from .input_spec import InputSpec
from .keras_tensor import KerasTensor
from .probe_state import ProbeState

_creation = itertools.count()
# Stand-ins for unknown axis sizes in the two dummy runs: (batch, other axes); the later
# pairs are tried in turn when a layer refuses the earlier ones.
_PROBE_SIZES = ((1, 32), (2, 64))  # far enough apart that strided outputs differ
_SMALLER_PROBE_SIZES = (((1, 8), (2, 12)), ((1, 2), (2, 3)))
_LARGER_PROBE_SIZES = (((1, 256), (2, 512)), ((1, 1024), (2, 1280)))
_OP_PROBE_SIZES = ((2, 32), (3, 48))  # for ops on KerasTensors (TFOpLambda)
_SMALL_BATCHES = (2, 3)  # in place of a known batch size (2, not 1: squeeze keeps the axis)


class Node:
    """A layer called on symbolic inputs.

    Attributes:
        layer: the layer called.
        call_args, call_kwargs: the arguments, KerasTensors in place (any nesting).
        outputs: the KerasTensor(s) returned, in the structure the layer returned them.
        input_tensors, output_tensors: the KerasTensors in and out, flattened.
    """

    def __init__(self, layer, call_args: tuple, call_kwargs: dict, outputs) -> None:
        self.layer = layer
        self.call_args = call_args
        self.call_kwargs = call_kwargs
        self.outputs = outputs
        self.input_tensors = [
            x for x in nest.flatten([list(call_args), call_kwargs]) if isinstance(x, KerasTensor)
        ]
        self.output_tensors = [x for x in nest.flatten(outputs) if isinstance(x, KerasTensor)]
        self.order = next(_creation)

    @property
    def parent_nodes(self) -> list:
        return [t.node for t in self.input_tensors]

    def __repr__(self) -> str:
        return f"<Node {self.layer.name} #{self.order}>"


def _where(layer) -> str:
    return f"{type(layer).__name__} '{layer.name}'"


def check_no_concrete(layer, args: tuple) -> None:
    """A layer called on a mix of KerasTensors and arrays: Keras' error naming the value."""
    for i, value in enumerate(nest.flatten(list(args))):
        if isinstance(value, (np.ndarray, Tensor)) and not isinstance(value, KerasTensor):
            raise ValueError(
                f"{_where(layer)} was called on a mix of symbolic tensors (keras.Input or layer "
                f"outputs) and a concrete {type(value).__name__} of shape {tuple(np.shape(value))} "
                f"(input {i}). In a functional model every input of a layer must come from "
                "keras.Input(...) or from another layer; make this value an Input of the model."
            )


def _build(layer, inputs, args: tuple, kwargs: dict) -> None:
    """``layer.build`` with the symbolic shapes (batch axis None), as Keras calls it (a
    user ``build(self, a_shape, b_shape)`` gets the shapes of ``call``'s ``a`` and ``b``).

    A ``build`` that cannot handle unknown sizes (a TypeError on None) is left to the dummy
    run, which builds with concrete sizes.
    """
    flat = nest.flatten(inputs)
    if not flat or not all(isinstance(x, KerasTensor) for x in flat):
        return
    shapes = nest.map_structure(lambda t: tuple(t.shape), inputs)
    if isinstance(shapes, tuple) and isinstance(inputs, (list, tuple)):
        shapes = list(shapes)
    named = build_args.call_shapes(layer, args, kwargs)
    try:
        with path_scope(layer):
            if named is None:
                layer.build(shapes)
            else:
                layer.build(**named)
    except TypeError:
        layer._own_weights.clear()
        layer.built = False
        return
    layer.built = True
    restore_pending(layer)  # a Sequential's layers built by its first call
    if layer._build_input_shape is None:
        layer._build_input_shape = shapes
    if layer._initial_weights is not None:
        weights, layer._initial_weights = layer._initial_weights, None
        layer.set_weights(weights)


def _probe(kt: KerasTensor, sizes, batch_in_place=None) -> Tensor:
    """Zeros shaped as ``kt``, its unknown sizes set by ``sizes`` (batch, other axes); with
    ``batch_in_place``, that batch size replaces ``kt``'s known one."""
    from ..ops.creation import zeros

    batch, other = sizes
    shape = [(batch if i == 0 else other) if n is None else n for i, n in enumerate(kt.shape)]
    if batch_in_place is not None and shape:
        shape[0] = batch_in_place
    probe = zeros(shape, dtype=kt.dtype)
    if kt._mask is not None:  # the layer sees a mask as it will when run
        from ..ops.creation import ones

        set_mask(probe, ones(shape[: kt._mask.ndim], dtype="bool"))
    return probe


def _run(layer, args, kwargs, sizes, values=None, batch_in_place=None):
    """One probe run; ``values`` (``{id(tensor): value}``) replaces the zeros of the
    KerasTensors it holds; ``batch_in_place``: see :func:`_probe`."""

    def concrete_of(x):
        if not isinstance(x, KerasTensor):
            return x
        if values is not None and id(x) in values:
            return values[id(x)]
        return _probe(x, sizes, batch_in_place)

    call_args, call_kwargs = nest.map_structure(concrete_of, [list(args), kwargs])
    return _probe_call(layer, call_args, call_kwargs)


def _probe_call(layer, call_args, call_kwargs):
    from ._context import discarding_losses

    call_kwargs = dict(call_kwargs)
    call_kwargs.setdefault("training", False)
    # probes are zeros (masks all True): their values, NaNs included, are never used
    with no_grad(), discarding_losses(), SymbolicScope(), np.errstate(all="ignore"):
        with ProbeState(layer):
            return layer(*call_args, **call_kwargs)


def _replayed_runs(layer, args, kwargs, symbolic):
    """The two probe runs on arguments computed by replaying their upstream graph from
    probes of its keras.Input tensors (see _probe_replay); None when that fails too."""
    try:
        runs = []
        for sizes in _PROBE_SIZES:
            values = replayed_values(symbolic, lambda root: _probe(root, sizes), _probe_call)
            if values is None:
                return None
            with mask_warning.quiet():
                runs.append(_run(layer, args, kwargs, sizes, values))
        return tuple(runs)
    except Exception:  # noqa: BLE001 - the caller raises the first probe's error
        return None


def _known_batch_sizes(symbolic) -> list:
    """The known first sizes of some inputs, when others have an unknown one: a call that
    mixes them (the node table of a batch of graphs, fixed at MAX_ATOMS * BATCH rows, with
    a per-node (None,) indicator) only runs when the unknown ones take that size."""
    if not any(x.ndim and x.shape[0] is None for x in symbolic):
        return []
    known = [x.shape[0] for x in symbolic if x.ndim and x.shape[0] is not None]
    return [n for i, n in enumerate(known) if n not in known[:i]]


def _one_known_batch(layer, symbolic) -> int | None:
    """The batch size B of inputs whose sizes are all known and share that first size, when
    B is larger than the stand-in batches (see _small_batch_shapes); else None."""
    if getattr(layer, "stateful", False):  # its states were built for B rows
        return None
    sizes = {x.shape[0] for x in symbolic if x.ndim}
    if len(sizes) != 1 or any(n is None for x in symbolic for n in x.shape):
        return None
    (batch,) = sizes
    return batch if batch > _SMALL_BATCHES[1] else None


def _small_batch_shapes(layer, args, kwargs, batch):
    """The dummy run for inputs of a known batch ``batch``, made on batches of 2 and 3 in its
    place: a run at the real size costs what a real batch costs (seconds for a Conv2D on
    ``Input((128, 128, 3), batch_size=32)``; Keras never runs the layer). Output axes of
    size 2 then 3 follow the batch and take ``batch``. Returns (first run's output, the
    shapes at ``batch``), or None when the runs fail or their outputs differ otherwise (a
    layer that hard-codes the batch), for a run at the real size to decide."""
    try:
        first = _run(layer, args, kwargs, _PROBE_SIZES[0], batch_in_place=_SMALL_BATCHES[0])
        with mask_warning.quiet():
            second = _run(layer, args, kwargs, _PROBE_SIZES[0], batch_in_place=_SMALL_BATCHES[1])
    except Exception:  # noqa: BLE001 - the run at the real size raises the error to show
        return None
    flat_first, flat_second = nest.flatten(first), nest.flatten(second)
    if len(flat_first) != len(flat_second):
        return None
    shapes = []
    for a, b in zip(flat_first, flat_second):
        if not isinstance(a, Tensor):
            shapes.append(None)
            continue
        if not isinstance(b, Tensor) or a.ndim != b.ndim:
            return None
        shape = []
        for m, n in zip(a.shape, b.shape):
            if (m, n) == _SMALL_BATCHES:
                shape.append(batch)
            elif m == n:
                shape.append(m)
            else:
                return None
        shapes.append(shape)
    return first, shapes


def _probe_runs(layer, args, kwargs, symbolic):
    """The dummy run's output, and a second run's with other sizes for the unknown axes
    (None when every non-batch axis is known). When the usual sizes fail, the unknown batch
    axes take the known first sizes of the other inputs (see _known_batch_sizes)."""
    if getattr(layer, "_probe_batch_twice", False) and any(
        x.ndim and x.shape[0] is None for x in symbolic
    ):
        # an op (keras.ops.squeeze, x[0]) may drop an axis of size 1: a batch of 1 would
        # look like one, so an op runs on batches of 2 and 3 and an unknown batch stays so
        return tuple(_run(layer, args, kwargs, sizes) for sizes in _OP_PROBE_SIZES)
    a, b = _PROBE_SIZES
    fallback = tuple(((n, a[1]), (n, b[1])) for n in _known_batch_sizes(symbolic))
    if not any(n is None for x in symbolic for n in x.shape[1:]):
        try:
            return _run(layer, args, kwargs, _PROBE_SIZES[0]), None
        except Exception as error:  # noqa: BLE001 - retried at the inputs' known sizes
            for sizes in fallback:
                try:
                    with mask_warning.quiet():
                        return _run(layer, args, kwargs, sizes[0]), None
                except Exception:  # noqa: BLE001, S112 - the first error is the one to show
                    continue
            raise error
    first_error = None
    for sizes in (_PROBE_SIZES,) + _SMALLER_PROBE_SIZES + _LARGER_PROBE_SIZES + fallback:
        try:
            first = _run(layer, args, kwargs, sizes[0])
            with mask_warning.quiet():  # the first run said what the call warns
                return first, _run(layer, args, kwargs, sizes[1])
        except Exception as error:  # noqa: BLE001 - retried with smaller sizes, then raised
            first_error = first_error or error
    replayed = _replayed_runs(layer, args, kwargs, symbolic)
    if replayed is not None:
        return replayed
    raise first_error


def symbolic_call(layer, args: tuple, kwargs: dict):
    """Call ``layer`` on KerasTensors: build it, record a Node, return KerasTensor outputs."""
    if not getattr(layer, "_allow_constant_args", False):
        check_no_concrete(layer, args)
    first = args[0] if args else None
    if isinstance(first, KerasTensor) and layer.input_spec is not None:
        layer.input_spec.check(_where(layer), first.shape)
    elif isinstance(first, (list, tuple)) and isinstance(layer.input_spec, InputSpec):
        check_input_count(layer, first)
    if not layer.built and getattr(layer, "_build_symbolically", True):
        _build(layer, first, args, kwargs)
    symbolic = [x for x in nest.flatten([list(args), kwargs]) if isinstance(x, KerasTensor)]
    declared = declared_outputs(layer, args, kwargs)
    if declared is not None:  # Keras 3: the shape the layer declares
        if any(not sub.built for sub in layer._flatten_layers(include_self=False)):
            # as Keras' _maybe_build: sub-layers are built by a symbolic run of call
            try:
                _probe_runs(layer, args, kwargs, symbolic)
            except Exception:  # noqa: BLE001, S110 - as Keras, the real call builds the rest
                pass
        return _record(layer, args, kwargs, declared, nest.flatten(declared))
    batch = _one_known_batch(layer, symbolic)
    small = None if batch is None else _small_batch_shapes(layer, args, kwargs, batch)
    if small is None:
        out, varied = _probe_runs(layer, args, kwargs, symbolic)
        known_shapes = [None] * len(nest.flatten(out))
    else:
        (out, known_shapes), varied = small, None
    unknown_batch = any(x.ndim and x.shape[0] is None for x in symbolic)
    flat_out = nest.flatten(out)
    flat_varied = nest.flatten(varied) if varied is not None else [None] * len(flat_out)
    results = []
    for value, other, known in zip(flat_out, flat_varied, known_shapes):
        if not isinstance(value, Tensor):
            results.append(value)
            continue
        shape = list(value.shape) if known is None else known
        if getattr(layer, "_symbolic_shape_from_compute_output_shape", False):
            # a layer whose probe (run with training=False) does not show its training
            # output shape, as Keras 3's RandomCrop: the graph takes the declared shape
            shape = list(layer.compute_output_shape(tuple(first.shape)))
        elif other is not None:
            shape = [None if a != b else a for a, b in zip(shape, other.shape)]
        elif unknown_batch and shape and shape[0] == _PROBE_SIZES[0][0]:
            shape[0] = None
        if hasattr(layer, "_data_dependent_axes"):  # nonzero, unique: sizes known when run
            unknown = layer._data_dependent_axes(args, kwargs)
            for axis in range(len(shape)) if unknown == "all" else unknown:
                shape[axis] = None
        if hasattr(layer, "_symbolic_output_shape") and len(flat_out) == 1:
            # a layer whose output sizes depend on the data (TextVectorization) says them
            shape = list(layer._symbolic_output_shape(tuple(first.shape)))
        result = KerasTensor(shape, value.dtype)  # keras_tensor_N, as Keras 3
        mask = get_mask(value)
        if isinstance(mask, Tensor):  # masks cover the leading axes (batch, time)
            result._keras_mask = KerasTensor(shape[: mask.ndim], "bool")
        results.append(result)
    return _record(layer, args, kwargs, out, results)


def _record(layer, args: tuple, kwargs: dict, out, results: list):
    """Record the Node of a symbolic call whose outputs are ``results`` (flat, in the
    structure of ``out``) and return them in that structure."""
    outputs = nest.pack_sequence_as(out, results)
    # the node keeps its own containers: code that edits the list it passed in or got back
    # (``x = backbone(inp); x[-1] = head(x[-1])``) must not rewire the recorded graph
    node = Node(
        layer,
        tuple(nest.pack_sequence_as(list(args), nest.flatten(list(args)))),
        nest.pack_sequence_as(dict(kwargs), nest.flatten(dict(kwargs))),
        nest.pack_sequence_as(out, results),
    )
    index = len(layer._inbound_nodes)
    layer._inbound_nodes.append(node)
    for i, kt in enumerate(node.output_tensors):
        kt._keras_history = (layer, index, i)
    return outputs
