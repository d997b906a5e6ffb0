"""Recurrent cells: SimpleRNNCell, LSTMCell, GRUCell (Keras' weights, gates and defaults).

A cell maps ``(inputs_t, states) -> (output_t, new_states)``. The built-in cells also split
that in two so the RNN layer runs fast: :meth:`project` computes the input part of every
timestep in one matmul (``[N, T, F] -> [N, T, G]``), :meth:`step` the recurrent part.
"""

from __future__ import annotations

import numpy as np

from ... import activations, constraints, initializers
from ...ops.recurrent import matmul_2d
from ...ops.shape import concat, reshape
from .._args import positive_int, serialize_regularizer, unit_rate
from .._inputs import layer_regularizer
from ..base import Layer
from ..seed_generator import SeedGenerator
from ._dropout import dropout_mask


class _Cell(Layer):
    """Arguments and weights shared by the three cells; ``_gates`` is 1, 4 or 3."""

    _gates = 1

    def __init__(
        self,
        units,
        activation="tanh",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        seed=None,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        where = self._where()
        if isinstance(units, (int, np.integer)) and not isinstance(units, bool) and units <= 0:
            raise ValueError(f"{where}: units must be a positive integer, received units={units}")
        self.units = positive_int(units, "units", where)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = layer_regularizer(kernel_regularizer, self)
        self.recurrent_regularizer = layer_regularizer(recurrent_regularizer, self)
        self.bias_regularizer = layer_regularizer(bias_regularizer, self)
        self.kernel_constraint = constraints.get(kernel_constraint)
        self.recurrent_constraint = constraints.get(recurrent_constraint)
        self.bias_constraint = constraints.get(bias_constraint)
        self.dropout = unit_rate(dropout, "dropout", where)
        self.recurrent_dropout = unit_rate(recurrent_dropout, "recurrent_dropout", where)
        self.seed = seed
        self.seed_generator = SeedGenerator(seed)  # as Keras 3's cells, also without dropout
        self.bias = None

    @property
    def state_size(self):
        return self.units

    @property
    def output_size(self) -> int:
        return self.units

    def _bias_shape(self) -> tuple:
        return (self._gates * self.units,)

    def _bias_initializer(self):
        return self.bias_initializer

    def build(self, input_shape) -> None:
        features = input_shape[-1]
        if features is None:
            raise ValueError(
                f"{self._where()}: the features axis (last) of the input must be "
                "known, "
                f"received shape {tuple(input_shape)}"
            )
        g = self._gates * self.units
        self.kernel = self._add_weight(
            "kernel",
            (features, g),
            self.kernel_initializer,
            regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint,
        )
        self.recurrent_kernel = self._add_weight(
            "recurrent_kernel",
            (self.units, g),
            self.recurrent_initializer,
            regularizer=self.recurrent_regularizer,
            constraint=self.recurrent_constraint,
        )
        if self.use_bias:
            self.bias = self._add_weight(
                "bias",
                self._bias_shape(),
                self._bias_initializer(),
                regularizer=self.bias_regularizer,
                constraint=self.bias_constraint,
            )
        super().build(input_shape)

    # -- dropout masks of one call ----------------------------------------------------------
    def masks(self, inputs_t, state, training):
        """(input mask or None, recurrent mask or None) for one call of the RNN."""
        dp = rec = None
        if training and self.dropout > 0:
            dp = dropout_mask(tuple(inputs_t.shape), self.dropout, inputs_t, self)
        if training and self.recurrent_dropout > 0:
            rec = dropout_mask(tuple(state.shape), self.recurrent_dropout, state, self)
        return dp, rec

    def _input_bias(self):
        return None if self.bias is None else self._read(self.bias)

    def project(self, sequence, dp_mask=None):
        """The input part of every timestep: ``[N, T, F] -> [N, T, gates * units]``."""
        x = sequence if dp_mask is None else sequence * reshape(dp_mask, (dp_mask.shape[0], 1, -1))
        n, t, f = x.shape
        y = reshape(matmul_2d(reshape(x, (n * t, f)), self._read(self.kernel)), (n, t, -1))
        bias = self._input_bias()
        return y if bias is None else y + bias

    def prepare(self) -> None:
        """Read the recurrent weights once per call (casts and slices), for :meth:`step`."""
        self._recurrent = self._read(self.recurrent_kernel)

    def call(self, inputs, states, training=None):
        """One step on ``inputs [N, F]`` and ``states`` (a list), as Keras' cells."""
        states = list(states) if isinstance(states, (list, tuple)) else [states]
        dp, rec = self.masks(inputs, states[0], training)
        x = inputs if dp is None else inputs * dp
        xp = matmul_2d(x, self._read(self.kernel))
        bias = self._input_bias()
        if bias is not None:
            xp = xp + bias
        self.prepare()
        return self.step(xp, states, rec)

    def get_initial_state(self, batch_size=None, like=None):
        """Zero states ``[batch_size, n]`` per state, as Keras's cells give them (of the
        cell's compute dtype, or of ``like``'s dtype and device)."""
        from ...ops.creation import zeros

        batch_size = _batch_size(batch_size, self._where())
        sizes = self.state_size if isinstance(self.state_size, (list, tuple)) else [self.state_size]
        dtype = self.compute_dtype if like is None else like.dtype
        device = None if like is None else like.device
        return [zeros((batch_size, n), dtype=dtype, device=device) for n in sizes]

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "units": self.units,
            "activation": activations.serialize(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "kernel_regularizer": serialize_regularizer(self.kernel_regularizer),
            "recurrent_regularizer": serialize_regularizer(self.recurrent_regularizer),
            "bias_regularizer": serialize_regularizer(self.bias_regularizer),
            "kernel_constraint": constraints.serialize(self.kernel_constraint),
            "recurrent_constraint": constraints.serialize(self.recurrent_constraint),
            "bias_constraint": constraints.serialize(self.bias_constraint),
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
        }


class SimpleRNNCell(_Cell):
    """``h = activation(x @ kernel + h_prev @ recurrent_kernel + bias)``."""

    def step(self, x_proj, states, rec_mask=None):
        h = states[0] if rec_mask is None else states[0] * rec_mask
        h = self.activation(x_proj + matmul_2d(h, self._recurrent))
        return h, [h]


class _UnitForgetBias(initializers.Initializer):
    """LSTM's bias with the forget gate's part set to ones (Keras' ``unit_forget_bias``)."""

    def __init__(self, base, units: int) -> None:
        self.base, self.units = base, units

    def __call__(self, shape, dtype=None):
        u = self.units
        return concat(
            [
                self.base((u,), dtype),
                initializers.get("ones")((u,), dtype),
                self.base((2 * u,), dtype),
            ],
            axis=0,
        )


class LSTMCell(_Cell):
    """Long short-term memory cell: kernel ``[F, 4u]`` with gates in Keras' order i, f, c, o.

    Args:
        recurrent_activation: of the gates (default sigmoid).
        unit_forget_bias: start the forget gate's bias at 1.
        (others as :class:`SimpleRNNCell`).
    """

    _gates = 4

    def __init__(
        self,
        units,
        activation="tanh",
        recurrent_activation="sigmoid",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        unit_forget_bias=True,
        **kwargs,
    ) -> None:
        super().__init__(
            units,
            activation,
            use_bias,
            kernel_initializer,
            recurrent_initializer,
            bias_initializer,
            **kwargs,
        )
        self.recurrent_activation = activations.get(recurrent_activation)
        self.unit_forget_bias = bool(unit_forget_bias)

    @property
    def state_size(self):
        return [self.units, self.units]

    def _bias_initializer(self):
        if self.unit_forget_bias:
            return _UnitForgetBias(self.bias_initializer, self.units)
        return self.bias_initializer

    def step(self, x_proj, states, rec_mask=None):
        h, c = states[0], states[1]
        hr = h if rec_mask is None else h * rec_mask
        z = x_proj + matmul_2d(hr, self._recurrent)
        u = self.units
        i = self.recurrent_activation(z[:, :u])
        f = self.recurrent_activation(z[:, u : 2 * u])
        c = f * c + i * self.activation(z[:, 2 * u : 3 * u])
        o = self.recurrent_activation(z[:, 3 * u :])
        h = o * self.activation(c)
        return h, [h, c]

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "recurrent_activation": activations.serialize(self.recurrent_activation),
            "unit_forget_bias": self.unit_forget_bias,
        }


class GRUCell(_Cell):
    """Gated recurrent unit: gates in Keras' order z (update), r (reset), h (candidate).

    Args:
        reset_after: apply the reset gate after the recurrent matmul (Keras' default, True);
            the bias is then ``[2, 3u]`` (input bias, recurrent bias).
        recurrent_activation: of the gates (default sigmoid).
    """

    _gates = 3

    def __init__(
        self,
        units,
        activation="tanh",
        recurrent_activation="sigmoid",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        reset_after=True,
        **kwargs,
    ) -> None:
        super().__init__(
            units,
            activation,
            use_bias,
            kernel_initializer,
            recurrent_initializer,
            bias_initializer,
            **kwargs,
        )
        self.recurrent_activation = activations.get(recurrent_activation)
        self.reset_after = bool(reset_after)

    def _bias_shape(self) -> tuple:
        return (2, 3 * self.units) if self.reset_after else (3 * self.units,)

    def _input_bias(self):
        if self.bias is None:
            return None
        bias = self._read(self.bias)
        return bias[0] if self.reset_after else bias

    def prepare(self) -> None:
        kernel = self._read(self.recurrent_kernel)
        u = self.units
        self._recurrent = kernel
        self._recurrent_bias = (
            None if self.bias is None or not self.reset_after else self._read(self.bias)[1]
        )
        if not self.reset_after:
            self._recurrent_zr, self._recurrent_h = kernel[:, : 2 * u], kernel[:, 2 * u :]

    def step(self, x_proj, states, rec_mask=None):
        h = states[0]
        hr = h if rec_mask is None else h * rec_mask
        u = self.units
        if self.reset_after:
            inner = matmul_2d(hr, self._recurrent)
            if self._recurrent_bias is not None:
                inner = inner + self._recurrent_bias
            z = self.recurrent_activation(x_proj[:, :u] + inner[:, :u])
            r = self.recurrent_activation(x_proj[:, u : 2 * u] + inner[:, u : 2 * u])
            hh = self.activation(x_proj[:, 2 * u :] + r * inner[:, 2 * u :])
        else:
            inner = matmul_2d(hr, self._recurrent_zr)
            z = self.recurrent_activation(x_proj[:, :u] + inner[:, :u])
            r = self.recurrent_activation(x_proj[:, u : 2 * u] + inner[:, u:])
            hh = self.activation(x_proj[:, 2 * u :] + matmul_2d(r * hr, self._recurrent_h))
        h = z * h + (1 - z) * hh
        return h, [h]

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "recurrent_activation": activations.serialize(self.recurrent_activation),
            "reset_after": self.reset_after,
        }


def _batch_size(value, where: str) -> int:
    """A batch size given as an int or a scalar tensor (``tf.shape(x)[0]``)."""
    if value is None:
        raise ValueError(f"{where}.get_initial_state: batch_size is required")
    shape = getattr(value, "shape", None)
    if shape is not None and len(shape) > 0:
        raise TypeError(
            f"{where}.get_initial_state: batch_size must be an int or a scalar integer "
            f"tensor, received a {getattr(getattr(value, 'dtype', None), 'name', '')} tensor "
            f"of shape {tuple(shape)} (Keras 3 takes the batch size, e.g. tf.shape(inputs)[0], "
            "not the inputs)"
        )
    try:
        return int(value)
    except (TypeError, ValueError):
        raise TypeError(
            f"{where}.get_initial_state: batch_size must be an int or a scalar integer "
            f"tensor, received {value!r}"
        ) from None
