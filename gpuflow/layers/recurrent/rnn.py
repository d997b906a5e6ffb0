"""RNN: runs a cell over the time axis, with Keras' masking, state and direction options.

Backpropagation through time is the autodiff of the unrolled loop: each step is built from
differentiable ops, so the tape records the whole sequence and the gradient walks it back.
The built-in cells project every timestep's input in one matmul before the loop, so the loop
itself does one ``[N, units] @ [units, gates * units]`` matmul per step.
"""

from __future__ import annotations

from ...autodiff import no_grad
from ...ops.math import cast, where
from ...ops.reduce import reduce_any
from ...ops.shape import identity, reshape, stack, transpose
from ...tensor import TensorShape, Variable
from .._args import check_rank
from .._context import probing, variable_path
from ..base import Layer
from .cells import _Cell
from .stacked_cells import StackedRNNCells


def _as_list(value) -> list:
    """The states as one flat list (a cell such as StackedRNNCells nests them)."""
    from ... import nest

    return nest.flatten(value) if isinstance(value, (list, tuple)) else [value]


def _is_shape_list(shape) -> bool:
    """Whether ``shape`` is a list or tuple of shapes (several inputs), not one shape."""
    return (
        isinstance(shape, (list, tuple))
        and bool(shape)
        and all(isinstance(s, (list, tuple)) or hasattr(s, "as_list") for s in shape)
    )


def _check_sequence(layer, shape) -> None:
    if len(tuple(shape)) < 3:
        raise ValueError(
            f"{layer._where()}: expected each input of rank 3 or more ([batch, timesteps, "
            f"...]), received shape {tuple(shape)}"
        )


def _is_structure(size) -> bool:
    """A list or tuple of state sizes (a TensorShape is one size, not a structure)."""
    return isinstance(size, (list, tuple)) and not isinstance(size, TensorShape)


def _size_leaves(size) -> list:
    """A cell's ``state_size`` as a flat list of sizes (ints or TensorShapes)."""
    if _is_structure(size):
        return [leaf for part in size for leaf in _size_leaves(part)]
    return [size]


def _pack_like(size, flat: list):
    """``flat`` states in the nesting of ``size`` (TensorShapes and ints are leaves)."""
    items = iter(flat)

    def build(part):
        return [build(p) for p in part] if _is_structure(part) else next(items)

    return build(size)


def _state_dims(size) -> tuple:
    """A state's shape after the batch axis: ``units`` or a TensorShape such as [20, 30]."""
    if hasattr(size, "as_list"):
        return tuple(size.as_list())
    if isinstance(size, (list, tuple)):
        return tuple(size)
    return (int(size),)


def _keep_like(keep, tensor):
    """A step's ``[batch, 1]`` mask shaped to broadcast over ``tensor`` ``[batch, ...]``."""
    if tensor.ndim == keep.ndim:
        return keep
    return reshape(keep, (keep.shape[0],) + (1,) * (tensor.ndim - 1))


class RNN(Layer):
    """Base recurrent layer: ``RNN(cell)`` with any cell, or SimpleRNN / LSTM / GRU.

    Args:
        cell: a cell layer (``call(inputs_t, states) -> (output_t, new_states)``, ``state_size``),
            or a list of cells (run as one ``StackedRNNCells``, as Keras).
        return_sequences: return every step's output ``[N, T, units]`` (else the last one,
            ``[N, units]``).
        return_state: also return the final states (a tuple ``(output, *states)``, as Keras).
        go_backwards: read the sequence from the end (outputs come in that reversed order).
        stateful: keep the final states of a batch as the initial states of the next one
            (reset with :meth:`reset_states`); the batch size must then stay the same.
        unroll: accepted for Keras compatibility (the loop is always unrolled eagerly).
        zero_output_for_mask: masked steps output zeros instead of the previous output.

    Call arguments: ``mask`` (``[N, T]`` bools; masked steps keep the previous state),
    ``initial_state`` (a list of ``[N, units]`` tensors), ``training``.
    """

    supports_masking = True
    # the carried states are variables but not weights (Keras 3 keeps them untracked)
    _untracked_attributes = frozenset({"states"})

    def __init__(
        self,
        cell,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        unroll=False,
        zero_output_for_mask=False,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        if isinstance(cell, (list, tuple)):  # Keras: a list of cells is one stacked cell
            cell = StackedRNNCells(cell)
        if not isinstance(cell, Layer) or not hasattr(cell, "state_size"):
            raise TypeError(
                f"{self._where()}: cell must be a Layer with a state_size, received {cell!r}"
            )
        self.cell = cell
        self.return_sequences = bool(return_sequences)
        self.return_state = bool(return_state)
        self.go_backwards = bool(go_backwards)
        self.stateful = bool(stateful)
        self.unroll = bool(unroll)
        self.zero_output_for_mask = bool(zero_output_for_mask)
        self.states = None  # a stateful layer's carried states (Variables, not weights)

    def build(self, input_shape) -> None:
        if _is_shape_list(input_shape):  # several inputs per step (Keras's nested cells)
            shapes = [tuple(s) for s in input_shape]
            for shape in shapes:
                _check_sequence(self, shape)
            step_shapes = [(s[0],) + s[2:] for s in shapes]
            if not self.cell.built:
                self.cell.build(step_shapes)
                self.cell.built = True
            Layer.build(self, input_shape)
            return
        shape = tuple(input_shape)
        self._check_input_rank(shape)
        if not self.cell.built:  # Keras 3: the cell sees one step, [batch, ...features]
            self.cell.build((shape[0],) + shape[2:])
            self.cell.built = True
        super().build(input_shape)

    def _check_input_rank(self, shape) -> None:
        """Keras 3 steps any input ``[batch, timesteps, ...]`` through a custom cell; the
        built-in cells take ``[batch, timesteps, features]``."""
        if isinstance(self.cell, _Cell):
            check_rank(self, shape, 3, "[batch, timesteps, features]")
        else:
            _check_sequence(self, shape)

    def _state_sizes(self) -> list:
        return _size_leaves(self.cell.state_size)

    def _nest_states(self, states: list, structure=None) -> list:
        """The flat ``states`` in ``structure`` (what the cell returned; default its
        ``state_size``) when that nests, as for StackedRNNCells."""
        if structure is None:
            size = self.cell.state_size
            if _is_structure(size) and any(_is_structure(n) for n in size):
                return _pack_like(list(size), list(states))
            return list(states)
        if isinstance(structure, (list, tuple)) and any(
            isinstance(n, (list, tuple)) for n in structure
        ):
            from ... import nest

            return list(nest.pack_sequence_as(list(structure), list(states)))
        return list(states)

    def get_initial_state(self, batch_size):
        """Zero initial states for ``batch_size`` sequences (a list, one per state), as
        Keras's ``RNN.get_initial_state(batch_size)``."""
        get = getattr(self.cell, "get_initial_state", None)
        if get is not None:
            return _as_list(get(batch_size=batch_size))
        from ...ops.creation import zeros
        from .cells import _batch_size

        n = _batch_size(batch_size, self._where())
        return [
            zeros((n,) + _state_dims(d), dtype=self.cell.compute_dtype) for d in self._state_sizes()
        ]

    def _initial(self, inputs, initial_state):
        batch = inputs.shape[0]
        if initial_state is not None:
            states = _as_list(initial_state)
            if len(states) != len(self._state_sizes()):
                raise ValueError(
                    f"{self._where()}: expected {len(self._state_sizes())} initial "
                    "states, "
                    f"received {len(states)}"
                )
            return [cast(s, inputs.dtype) for s in states]
        if self.stateful and not self._keeps_states(batch):
            pass  # a call of another batch size than declared (a probe): start from zeros
        elif self.stateful:
            if self.states is not None and self.states[0].shape[0] != batch:
                fresh = all(not bool(reduce_any(s != 0)) for s in self.states)
                if not fresh:
                    raise ValueError(
                        f"{self._where()}: a stateful RNN needs the same batch size "
                        "in "
                        f"every call; its states have batch size "
                        f"{self.states[0].shape[0]}, received {batch}"
                    )
                self.states = None
            if self.states is None:  # made before the loop reads them, so a compiled
                self._store_states(self._zero_states(inputs))  # step reads the variables
            return [cast(identity(s), inputs.dtype) for s in self.states]
        return self._zero_states(inputs)

    def _zero_states(self, inputs) -> list:
        """Zero initial states for ``inputs`` (a subclass with spatial states overrides it)."""
        from ...ops.creation import zeros

        batch = inputs.shape[0]
        return [
            zeros((batch,) + _state_dims(n), dtype=inputs.dtype, device=inputs.device)
            for n in self._state_sizes()
        ]

    def _keeps_states(self, batch: int) -> bool:
        """Whether a stateful layer carries states through a call of ``batch`` examples: always,
        unless a batch size was declared (``batch_input_shape`` / ``batch_size``) and differs;
        such calls (e.g. a one-example probe of the model) leave the carried states alone."""
        if probing():  # placeholder zeros run for shapes (a symbolic call, fit's target check)
            return False
        declared = self._batch_input_shape[0] if self._batch_input_shape else None
        return declared is None or declared == batch

    def _store_states(self, states) -> None:
        """Keep a stateful call's final ``states`` in :attr:`states`: non-trainable Variables
        named ``rnn_state`` (not weights), as Keras 3, made once and assigned after."""
        with no_grad():
            current = self.states
            if current is None or [tuple(v.shape) for v in current] != [
                tuple(s.shape) for s in states
            ]:
                self.states = [self._state_variable(s) for s in states]
                return
            for variable, value in zip(current, states):
                variable.assign(value)

    def _state_variable(self, value) -> Variable:
        variable = Variable(value, trainable=False, name="rnn_state")
        variable._path = variable_path(self, "rnn_state")  # a Keras variable, as Keras 3's
        return variable

    def reset_states(self, states=None) -> None:
        """Zero the carried states of a stateful layer (or set them to ``states``)."""
        if not self.stateful:
            raise AttributeError(f"{self._where()}: reset_states() needs stateful=True")
        if states is None:
            if self.states is not None:
                self._store_states([s * 0 for s in self.states])
        else:
            from ...ops._common import as_tensor

            self._store_states([as_tensor(s) for s in _as_list(states)])

    reset_state = reset_states

    def call(self, inputs, mask=None, training=None, initial_state=None):
        if isinstance(inputs, (list, tuple)):
            return self._call_nested(inputs, training, initial_state)
        self._check_input_rank(tuple(inputs.shape))
        states = self._initial(inputs, initial_state)
        steps = inputs.shape[1]
        order = range(steps - 1, -1, -1) if self.go_backwards else range(steps)
        cell = self.cell
        fast = isinstance(cell, _Cell)
        if fast:
            dp, rec = cell.masks(inputs[:, 0], states[0], training)
            projected = transpose(cell.project(inputs, dp), (1, 0, 2))  # time-major [T, N, G]
            cell.prepare()
        else:
            time_major = transpose(inputs, (1, 0, *range(2, inputs.ndim)))
        if mask is not None:
            mask = transpose(reshape(mask, tuple(mask.shape[:2]) + (1,)), (1, 0, 2))  # [T, N, 1]
        outputs, previous, structure = [], None, None
        for t in order:
            if fast:
                output, new_states = cell.step(projected[t], states, rec)
            else:
                kwargs = {"training": training} if cell._call_takes_training else {}
                output, new_states = cell(time_major[t], self._nest_states(states), **kwargs)
                structure, new_states = new_states, _as_list(new_states)
            if mask is not None:
                keep = mask[t]
                states = [
                    where(_keep_like(keep, new), new, old) for new, old in zip(new_states, states)
                ]
                if previous is None or self.zero_output_for_mask:
                    previous = output * 0
                output = where(_keep_like(keep, output), output, previous)
            else:
                states = list(new_states)
            previous = output
            if self.return_sequences:
                outputs.append(output)
        if self.stateful and self._keeps_states(inputs.shape[0]):
            self._store_states(states)
        result = stack(outputs, axis=1) if self.return_sequences else previous
        if self.return_state:
            return (result, *self._nest_states(states, structure))
        return result

    def _call_nested(self, inputs, training, initial_state):
        """The loop over a list or tuple of inputs ``[batch, timesteps, ...]``: each step
        gives the cell the same structure of ``[batch, ...]`` slices; its outputs and states
        may be structures too (Keras's RNN guide's NestedCell)."""
        from ... import nest

        flat = list(inputs)
        for x in flat:
            _check_sequence(self, x.shape)
        states = self._initial(flat[0], initial_state)
        steps = flat[0].shape[1]
        order = range(steps - 1, -1, -1) if self.go_backwards else range(steps)
        kwargs = {"training": training} if self.cell._call_takes_training else {}
        outputs, structure, output = [], None, None
        for t in order:
            step = type(inputs)(x[:, t] for x in flat)
            output, new_states = self.cell(step, self._nest_states(states), **kwargs)
            structure, states = new_states, _as_list(new_states)
            if self.return_sequences:
                outputs.append(nest.flatten(output))
        if self.stateful and self._keeps_states(flat[0].shape[0]):
            with no_grad():
                self.states = [s.__class__._wrap(s._data, s._device) for s in states]
        if self.return_sequences:
            output = nest.pack_sequence_as(
                output, [stack(list(leaf), axis=1) for leaf in zip(*outputs)]
            )
        if self.return_state:
            return (output, *self._nest_states(states, structure))
        return output

    def compute_mask(self, inputs, mask=None):
        out = mask if self.return_sequences else None
        if self.return_state:
            return [out] + [None] * len(self._state_sizes())
        return out

    def compute_output_shape(self, input_shape) -> tuple:
        shape = tuple(input_shape)
        self._check_input_rank(shape)
        units = getattr(self.cell, "output_size", self._state_sizes()[0])
        out = (shape[0], shape[1], units) if self.return_sequences else (shape[0], units)
        if self.return_state:
            return [out] + [(shape[0], n) for n in self._state_sizes()]
        return out

    def get_config(self) -> dict:
        from ..serialization import serialize

        return {**super().get_config(), "cell": serialize(self.cell), **self._loop_config()}

    def _loop_config(self) -> dict:
        return {
            "return_sequences": self.return_sequences,
            "return_state": self.return_state,
            "go_backwards": self.go_backwards,
            "stateful": self.stateful,
            "unroll": self.unroll,
            "zero_output_for_mask": self.zero_output_for_mask,
        }

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        from ..serialization import deserialize

        config = dict(config)
        config["cell"] = deserialize(config["cell"], custom_objects)
        return cls(**config)
