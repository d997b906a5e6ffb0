"""SimpleRNN, LSTM and GRU: an RNN over the matching built-in cell, with Keras' flat arguments."""

from __future__ import annotations

from ..config_order import RNN_LOOP_KEYS, RNN_ORDER, keras_order
from .cells import GRUCell, LSTMCell, SimpleRNNCell
from .rnn import RNN

# Layer arguments that stay on the RNN (the rest describe the cell).
_OUTER = RNN_LOOP_KEYS + (
    "name",
    "trainable",
    "dtype",
    "input_shape",
    "batch_input_shape",
    "batch_size",
    "input_dim",
    "weights",
)


class _CellRNN(RNN):
    _cell_class = None
    _config_activity_regularizer = True  # Keras 3 writes the key even when None

    def __init__(self, units, **kwargs) -> None:
        outer = {k: kwargs.pop(k) for k in list(kwargs) if k in _OUTER}
        kwargs.pop("use_cudnn", None)  # no cuDNN path: accepted and ignored
        kwargs.pop("implementation", None)
        dtype = outer.get("dtype")
        # one name for every layer's cell, as Keras 3 ("lstm/lstm_cell/kernel")
        try:
            cell = self._cell_class(units, dtype=dtype, name=self._cell_name, **kwargs)
        except ValueError as exc:  # an unknown argument: named after the layer, as Keras 3
            cell_name = self._cell_class.__name__
            text = str(exc)
            if not text.startswith(f"Unrecognized keyword arguments passed to {cell_name}:"):
                raise
            raise ValueError(text.replace(cell_name, type(self).__name__, 1)) from None
        super().__init__(cell, **outer)

    def __getattr__(self, name):
        # Keras exposes the cell's settings on the layer (layer.units, layer.dropout, ...).
        cell = self.__dict__.get("cell")
        if cell is not None and not name.startswith("_") and hasattr(cell, name):
            return getattr(cell, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def get_config(self) -> dict:
        config = self.cell.get_config()
        for key in ("name", "trainable", "dtype"):
            config.pop(key, None)
        base = RNN.get_config(self)
        base.pop("cell")
        return keras_order({**base, **config}, RNN_ORDER)

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        return cls(**config)


class SimpleRNN(_CellRNN):
    """Fully connected RNN: ``h_t = tanh(x_t @ kernel + h_{t-1} @ recurrent_kernel + bias)``.

    Args: ``units`` and the arguments of :class:`SimpleRNNCell` and :class:`RNN`
    (``activation``, ``use_bias``, initializers, regularizers, ``dropout``,
    ``recurrent_dropout``, ``return_sequences``, ``return_state``, ``go_backwards``, ``stateful``).
    Weights: kernel ``[F, u]``, recurrent_kernel ``[u, u]``, bias ``[u]``.
    """

    _cell_class = SimpleRNNCell
    _cell_name = "simple_rnn_cell"

    def get_config(self) -> dict:
        config = super().get_config()
        config.pop("seed", None)  # Keras 3's SimpleRNN config has no seed (LSTM/GRU's do)
        return config


class LSTM(_CellRNN):
    """Long short-term memory layer (Hochreiter and Schmidhuber, 1997).

    Args: ``units`` and the arguments of :class:`LSTMCell` and :class:`RNN`.
    Weights: kernel ``[F, 4u]``, recurrent_kernel ``[u, 4u]``, bias ``[4u]``, gates i, f, c, o.
    ``return_state=True`` returns ``[output, h, c]``. Input dropout uses one mask for all gates.
    """

    _cell_class = LSTMCell
    _cell_name = "lstm_cell"


class GRU(_CellRNN):
    """Gated recurrent unit layer (Cho et al., 2014), ``reset_after=True`` by default as Keras.

    Args: ``units`` and the arguments of :class:`GRUCell` and :class:`RNN`.
    Weights: kernel ``[F, 3u]``, recurrent_kernel ``[u, 3u]``, bias ``[2, 3u]`` (``[3u]`` with
    ``reset_after=False``), gates z, r, h.
    """

    _cell_class = GRUCell
    _cell_name = "gru_cell"
