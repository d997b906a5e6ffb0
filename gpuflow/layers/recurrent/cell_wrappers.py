"""``tf.nn.RNNCellDropoutWrapper``, ``RNNCellResidualWrapper`` and ``RNNCellDeviceWrapper``:
an RNN cell wrapped so that each step also drops out its inputs / outputs / states, adds its
input to its output, or runs on a given device. The wrapper is itself a cell
(``call(inputs, states) -> (output, new_states)``, ``state_size``, ``output_size``,
``get_initial_state``).

As TensorFlow's wrappers: dropout keeps each value with probability ``*_keep_prob`` and
scales kept values by ``1 / keep_prob``, at every call (these TF 1 style wrappers have no
training flag: pass keep probabilities of 1.0 to evaluate). ``variational_recurrent``
(one mask for a whole sequence) is not supported: a NotImplementedError says so.
"""

from __future__ import annotations

from ... import nest
from ..base import Layer


class _Wrapper(Layer):
    def __init__(self, cell, **kwargs) -> None:
        if not hasattr(cell, "call") or not hasattr(cell, "state_size"):
            raise TypeError(
                f"{type(self).__name__}: cell must be an RNN cell (with `call` and "
                f"`state_size`), received {cell!r}"
            )
        super().__init__(**kwargs)
        self.cell = cell

    @property
    def state_size(self):
        return self.cell.state_size

    @property
    def output_size(self):
        return getattr(self.cell, "output_size", None)

    def build(self, input_shape) -> None:
        if not self.cell.built:
            self.cell.build(input_shape)
            self.cell.built = True
        super().build(input_shape)

    def get_initial_state(self, *args, **kwargs):
        return self.cell.get_initial_state(*args, **kwargs)

    def _run_cell(self, inputs, states, training):
        kwargs = {"training": training} if getattr(self.cell, "_call_takes_training", False) else {}
        return self.cell(inputs, states, **kwargs)

    def get_config(self) -> dict:
        from ..serialization import serialize

        return {**super().get_config(), "cell": serialize(self.cell)}

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        from ..serialization import deserialize

        config = dict(config)
        cell = deserialize(config.pop("cell"), custom_objects=custom_objects)
        return cls(cell, **config)


def _keep_prob(value, what: str, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise ValueError(f"{where}: Parameter {what} must be between 0 and 1: {value!r}")
    return float(value)


class RNNCellDropoutWrapper(_Wrapper):
    """Dropout on a cell's inputs, outputs and states (TensorFlow's keep probabilities)."""

    def __init__(
        self,
        cell,
        input_keep_prob=1.0,
        output_keep_prob=1.0,
        state_keep_prob=1.0,
        variational_recurrent=False,
        input_size=None,
        dtype=None,
        seed=None,
        dropout_state_filter_visitor=None,
        **kwargs,
    ) -> None:
        super().__init__(cell, **kwargs)
        where = "RNNCellDropoutWrapper"
        if variational_recurrent:
            raise NotImplementedError(
                f"{where}: variational_recurrent=True is not supported by gpuflow; use the "
                "cell's own dropout / recurrent_dropout arguments (Keras cells)"
            )
        self.input_keep_prob = _keep_prob(input_keep_prob, "input_keep_prob", where)
        self.output_keep_prob = _keep_prob(output_keep_prob, "output_keep_prob", where)
        self.state_keep_prob = _keep_prob(state_keep_prob, "state_keep_prob", where)
        self.seed = seed
        self._state_filter = dropout_state_filter_visitor or (lambda s: True)
        self._calls = 0

    def _dropout(self, value, keep: float, salt: int):
        from ...ops.nn import dropout

        if keep >= 1.0:
            return value
        seed = None if self.seed is None else self.seed + 1009 * self._calls + salt
        return dropout(value, rate=1.0 - keep, seed=seed)

    def call(self, inputs, states, training=None):
        self._calls += 1
        inputs = nest.map_structure(lambda t: self._dropout(t, self.input_keep_prob, 1), inputs)
        output, new_states = self._run_cell(inputs, states, training)
        if self.state_keep_prob < 1.0:
            new_states = nest.map_structure(
                lambda s: self._dropout(s, self.state_keep_prob, 2) if self._state_filter(s) else s,
                new_states,
            )
        output = nest.map_structure(lambda t: self._dropout(t, self.output_keep_prob, 3), output)
        return output, new_states

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "input_keep_prob": self.input_keep_prob,
            "output_keep_prob": self.output_keep_prob,
            "state_keep_prob": self.state_keep_prob,
            "seed": self.seed,
        }


class RNNCellResidualWrapper(_Wrapper):
    """The cell's output plus its input (or ``residual_fn(inputs, outputs)``)."""

    def __init__(self, cell, residual_fn=None, **kwargs) -> None:
        super().__init__(cell, **kwargs)
        self._residual_fn = residual_fn

    def call(self, inputs, states, training=None):
        output, new_states = self._run_cell(inputs, states, training)
        if self._residual_fn is not None:
            return self._residual_fn(inputs, output), new_states

        def add(x, y):
            if tuple(x.shape) != tuple(y.shape):
                raise ValueError(
                    f"RNNCellResidualWrapper: the cell's input {tuple(x.shape)} and output "
                    f"{tuple(y.shape)} must have one shape to be added"
                )
            return x + y

        return nest.map_structure(add, inputs, output), new_states


class RNNCellDeviceWrapper(_Wrapper):
    """The cell run on ``device`` (``tf.device(device)`` around each step)."""

    def __init__(self, cell, device, **kwargs) -> None:
        super().__init__(cell, **kwargs)
        self.device_name = device

    def call(self, inputs, states, training=None):
        from ...backend import device as on_device

        with on_device(self.device_name):
            return self._run_cell(inputs, states, training)

    def get_initial_state(self, *args, **kwargs):
        from ...backend import device as on_device

        with on_device(self.device_name):
            return self.cell.get_initial_state(*args, **kwargs)

    def get_config(self) -> dict:
        return {**super().get_config(), "device": self.device_name}
