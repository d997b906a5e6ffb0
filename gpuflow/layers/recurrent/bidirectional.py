"""Bidirectional: one RNN reads the sequence forwards, a copy reads it backwards; outputs merge."""

from __future__ import annotations

from ...ops.shape import concat
from .._context import path_scope
from ..base import Layer
from .rnn import RNN

_MODES = ("sum", "mul", "concat", "ave", None)


def _reverse_time(x):
    return x[:, ::-1]


class Bidirectional(Layer):
    """Runs ``layer`` forwards and a copy of it backwards over the time axis.

    Args:
        layer: an RNN layer (LSTM, GRU, SimpleRNN, RNN).
        merge_mode: ``"concat"`` (default), ``"sum"``, ``"mul"``, ``"ave"`` or None (a list of
            both outputs).
        backward_layer: the backward RNN (default: ``layer``'s config with ``go_backwards``
            flipped).
        weights: initial weights (forward layer's, then backward layer's).

    With ``return_sequences`` the backward outputs are put back in time order before merging.
    Weights: the forward layer's, then the backward layer's.
    """

    supports_masking = True

    def __init__(
        self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs
    ) -> None:
        super().__init__(weights=weights, **kwargs)
        if not isinstance(layer, RNN):
            raise ValueError(
                f"{self._where()}: layer must be an RNN layer (LSTM, GRU, SimpleRNN, "
                "RNN), "
                f"received {layer!r}"
            )
        if merge_mode not in _MODES:
            raise ValueError(
                f"{self._where()}: merge_mode must be one of 'sum', 'mul', 'concat', "
                f"'ave' or None, received merge_mode={merge_mode!r}"
            )
        self.merge_mode = merge_mode
        # As Keras: "forward_<name>" / "backward_<name>" (idempotent across from_config), and
        # the default backward copy always reads backwards.
        config = layer.get_config()
        config["name"] = f"forward_{layer.name.removeprefix('forward_')}"
        self.forward_layer = type(layer).from_config(config)
        if backward_layer is None:
            config = layer.get_config()
            config["name"] = f"backward_{layer.name.removeprefix('backward_')}"
            config["go_backwards"] = True
            backward_layer = type(layer).from_config(config)
        elif not isinstance(backward_layer, RNN):
            raise ValueError(
                f"{self._where()}: backward_layer must be an RNN layer, received {backward_layer!r}"
            )
        self._verify_pair(self.forward_layer, backward_layer)
        self.backward_layer = backward_layer
        # Keras forces masked steps of returned sequences to zero in both directions.
        for rnn in (self.forward_layer, self.backward_layer):
            rnn.zero_output_for_mask = rnn.return_sequences
        self.return_sequences = layer.return_sequences
        self.return_state = layer.return_state
        self.stateful = layer.stateful

    def _verify_pair(self, forward, backward) -> None:
        if forward.go_backwards == backward.go_backwards:
            raise ValueError(
                f"{self._where()}: forward layer and backward layer should have different "
                f"go_backwards values, received forward_layer.go_backwards="
                f"{forward.go_backwards}, backward_layer.go_backwards={backward.go_backwards}"
            )
        for attr in ("stateful", "return_sequences", "return_state"):
            if getattr(forward, attr) != getattr(backward, attr):
                raise ValueError(
                    f"{self._where()}: forward layer and backward layer are expected to have "
                    f"the same value for attribute {attr!r}, received "
                    f"{getattr(forward, attr)!r} for the forward layer and "
                    f"{getattr(backward, attr)!r} for the backward layer"
                )

    def build(self, input_shape) -> None:
        with path_scope(self):  # "bidirectional/forward_lstm/lstm_cell/kernel", as Keras
            for layer in (self.forward_layer, self.backward_layer):
                with path_scope(layer):
                    layer.build(input_shape)
        super().build(input_shape)

    def call(self, inputs, mask=None, training=None, initial_state=None):
        fw_state = bw_state = None
        if initial_state is not None:
            half = len(initial_state) // 2
            fw_state, bw_state = initial_state[:half], initial_state[half:]
        kwargs = {} if mask is None else {"mask": mask}
        y_fw = self.forward_layer(inputs, training=training, initial_state=fw_state, **kwargs)
        y_bw = self.backward_layer(inputs, training=training, initial_state=bw_state, **kwargs)
        states = []
        if self.return_state:
            states = list(y_fw[1:]) + list(y_bw[1:])
            y_fw, y_bw = y_fw[0], y_bw[0]
        if self.return_sequences:
            y_bw = _reverse_time(y_bw)
        mode = self.merge_mode
        if mode == "concat":
            out = concat([y_fw, y_bw], axis=-1)
        elif mode == "sum":
            out = y_fw + y_bw
        elif mode == "ave":
            out = (y_fw + y_bw) * 0.5
        elif mode == "mul":
            out = y_fw * y_bw
        else:
            out = (y_fw, y_bw)
        if self.return_state:
            return (out if isinstance(out, tuple) else (out,)) + tuple(states)
        return out

    def reset_states(self, states=None) -> None:
        self.forward_layer.reset_states()
        self.backward_layer.reset_states()

    def compute_mask(self, inputs, mask=None):
        out = mask if self.return_sequences else None
        if self.merge_mode is None:
            out = [out, out]
        if self.return_state:
            count = len(self.forward_layer._state_sizes()) * 2
            return (out if isinstance(out, list) else [out]) + [None] * count
        return out

    def compute_output_shape(self, input_shape):
        shape = self.forward_layer.compute_output_shape(input_shape)
        states = []
        if self.return_state:
            shape, states = shape[0], shape[1:]
            states = states + states
        if self.merge_mode == "concat":
            shape = tuple(shape[:-1]) + (shape[-1] * 2,)
        out = [shape, shape] if self.merge_mode is None else [shape]
        if self.return_state or self.merge_mode is None:
            return out + list(states)
        return shape

    def get_config(self) -> dict:
        from ..serialization import serialize

        config = {
            **super().get_config(),
            "merge_mode": self.merge_mode,
            "layer": serialize(self.forward_layer),
        }
        config["backward_layer"] = serialize(self.backward_layer)
        return config

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        from ..serialization import deserialize

        config = dict(config)
        config["layer"] = deserialize(config["layer"], custom_objects)
        backward = config.pop("backward_layer", None)
        if backward is not None:
            backward = deserialize(backward, custom_objects)
        return cls(backward_layer=backward, **config)
