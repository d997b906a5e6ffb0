"""ConvLSTM1D / ConvLSTM2D / ConvLSTM3D: an LSTM whose input and recurrent transforms are
convolutions (Shi et al., 2015), with Keras 3's weights, gates and arguments.

The cell keeps Keras' weights: ``kernel [*kernel_size, C, 4 * filters]``,
``recurrent_kernel [*kernel_size, filters, 4 * filters]``, ``bias [4 * filters]``, gates in the
order i, f, c, o. The input convolution uses the layer's strides, padding and dilation; the
recurrent one stride 1 and ``"same"`` padding, so the state keeps the output's spatial shape.
As for LSTM, the layer convolves every timestep's input in one call before the loop (a batch
of ``N * T`` frames), then runs one recurrent convolution per step. Dropout draws one mask per
gate (Keras' four masks) once per call and reuses it at every step.
"""

from __future__ import annotations

from ... import activations, initializers
from ...ops.conv import conv_geometry
from ...ops.conv3d import conv3d
from ...ops.conv_general import conv2d_general
from ...ops.math import where
from ...ops.shape import concat, expand_dims, reshape, squeeze, stack, transpose
from .._args import (
    channels_last,
    int_tuple,
    padding_mode,
    positive_int,
    serialize_regularizer,
    unit_rate,
)
from .._inputs import layer_regularizer
from ..base import Layer
from ..seed_generator import SeedGenerator
from ._dropout import dropout_mask
from .cells import _UnitForgetBias
from .rnn import RNN


def _conv(x, kernel, rank: int, strides, padding: str, dilation):
    """``rank``-D channels-last convolution of ``x [B, *spatial, C]``."""
    if rank == 1:
        y = conv2d_general(
            expand_dims(x, 1),
            expand_dims(kernel, 0),
            (1,) + tuple(strides),
            padding,
            (1,) + tuple(dilation),
        )
        return squeeze(y, 1)
    if rank == 2:
        return conv2d_general(x, kernel, tuple(strides), padding, tuple(dilation))
    return conv3d(x, kernel, strides, padding, dilation)


class ConvLSTMCell(Layer):
    """One step of a ConvLSTM: ``(x_t [N, *spatial, C], [h, c]) -> (h, [h, c])``.

    Args: ``rank`` (1, 2 or 3), ``filters``, ``kernel_size``, ``strides``, ``padding``,
    ``dilation_rate`` and the arguments of :class:`LSTMCell` (activations, initializers,
    ``unit_forget_bias``, regularizers, ``dropout``, ``recurrent_dropout``, ``seed``).
    """

    def __init__(
        self,
        rank,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
        activation="tanh",
        recurrent_activation="sigmoid",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        unit_forget_bias=True,
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
        if rank not in (1, 2, 3):
            raise ValueError(f"{where}: rank must be 1, 2 or 3, received rank={rank!r}")
        self.rank = int(rank)
        self.filters = positive_int(filters, "filters", where)
        self.kernel_size = int_tuple(kernel_size, rank, "kernel_size", where)
        self.strides = int_tuple(strides, rank, "strides", where)
        self.padding = padding_mode(padding, where)
        self.data_format = channels_last(data_format, where)
        self.dilation_rate = int_tuple(dilation_rate, rank, "dilation_rate", where)
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(
                f"{where}: strides > 1 is not compatible with dilation_rate > 1, received "
                f"strides={self.strides} and dilation_rate={self.dilation_rate}"
            )
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.unit_forget_bias = bool(unit_forget_bias)
        self.kernel_regularizer = layer_regularizer(kernel_regularizer, self)
        self.recurrent_regularizer = layer_regularizer(recurrent_regularizer, self)
        self.bias_regularizer = layer_regularizer(bias_regularizer, self)
        if any(c is not None for c in (kernel_constraint, recurrent_constraint, bias_constraint)):
            raise ValueError(f"{where}: weight constraints are not supported")
        self.dropout = unit_rate(dropout, "dropout", where)
        self.recurrent_dropout = unit_rate(recurrent_dropout, "recurrent_dropout", where)
        self.seed = seed
        self.seed_generator = SeedGenerator(seed)  # as Keras 3's cells, also without dropout
        self.bias = None

    @property
    def state_size(self):
        """Two states (h, c) of ``filters`` channels each (their spatial shape follows the
        input's)."""
        return [self.filters, self.filters]

    @property
    def output_size(self) -> int:
        return self.filters

    def _layout(self) -> str:
        spatial = ("steps",) if self.rank == 1 else ("height", "width")
        if self.rank == 3:
            spatial = ("depth", "height", "width")
        return "[batch, " + ", ".join(spatial) + ", channels]"

    def build(self, input_shape) -> None:
        shape = tuple(input_shape)
        if len(shape) != self.rank + 2:
            raise ValueError(
                f"{self._where()}: expected input of rank {self.rank + 2} {self._layout()}, "
                f"received shape {shape}"
            )
        if None in shape[1:-1]:
            raise ValueError(
                f"{self._where()}: ConvLSTM layers need static spatial dimensions, received "
                f"input shape {shape}"
            )
        if shape[-1] is None:
            raise ValueError(
                f"{self._where()}: the channel axis (last) of the input must be known, "
                f"received input shape {shape}"
            )
        self.spatial_dims = tuple(int(d) for d in shape[1:-1])
        self.input_dim = int(shape[-1])
        g = 4 * self.filters
        self.kernel = self._add_weight(
            "kernel",
            self.kernel_size + (self.input_dim, g),
            self.kernel_initializer,
            regularizer=self.kernel_regularizer,
        )
        self.recurrent_kernel = self._add_weight(
            "recurrent_kernel",
            self.kernel_size + (self.filters, g),
            self.recurrent_initializer,
            regularizer=self.recurrent_regularizer,
        )
        if self.use_bias:
            init = self.bias_initializer
            if self.unit_forget_bias:
                init = _UnitForgetBias(self.bias_initializer, self.filters)
            self.bias = self._add_weight("bias", (g,), init, regularizer=self.bias_regularizer)
        super().build(input_shape)

    def state_shape(self, spatial) -> tuple:
        """The per-example state shape ``(*out_spatial, filters)`` for an input's ``spatial``."""
        out = []
        for size, k, s, d in zip(spatial, self.kernel_size, self.strides, self.dilation_rate):
            out.append(
                None if size is None else conv_geometry(size, (k - 1) * d + 1, s, self.padding)[0]
            )
        return tuple(out) + (self.filters,)

    # -- the two halves of a step (the layer projects every timestep's input at once) -------
    def masks(self, inputs_t, state, training):
        """Four input masks and four recurrent masks (or None) for one call."""
        dp = rec = None
        if training and self.dropout > 0:
            dp = [
                dropout_mask(tuple(inputs_t.shape), self.dropout, inputs_t, self) for _ in range(4)
            ]
        if training and self.recurrent_dropout > 0:
            rec = [
                dropout_mask(tuple(state.shape), self.recurrent_dropout, state, self)
                for _ in range(4)
            ]
        return dp, rec

    def _gated_conv(self, x, kernel, masks, strides, padding, dilation):
        """Convolve ``x`` with the four gates' kernels, each gate's input under its mask."""
        if masks is None:
            return _conv(x, kernel, self.rank, strides, padding, dilation)
        f = self.filters
        parts = [
            _conv(x * m, kernel[..., g * f : (g + 1) * f], self.rank, strides, padding, dilation)
            for g, m in enumerate(masks)
        ]
        return concat(parts, axis=-1)

    def project(self, frames, dp_masks=None):
        """The input convolution of frames ``[B, *spatial, C]`` (B may be N * T), plus bias."""
        y = self._gated_conv(
            frames,
            self._read(self.kernel),
            dp_masks,
            self.strides,
            self.padding,
            self.dilation_rate,
        )
        return y if self.bias is None else y + self._read(self.bias)

    def prepare(self) -> None:
        self._recurrent = self._read(self.recurrent_kernel)

    def step(self, x_proj, states, rec_masks=None):
        h, c = states[0], states[1]
        z = x_proj + self._gated_conv(
            h, self._recurrent, rec_masks, (1,) * self.rank, "same", (1,) * self.rank
        )
        f = self.filters
        i = self.recurrent_activation(z[..., :f])
        fg = self.recurrent_activation(z[..., f : 2 * f])
        c = fg * c + i * self.activation(z[..., 2 * f : 3 * f])
        o = self.recurrent_activation(z[..., 3 * f :])
        h = o * self.activation(c)
        return h, [h, c]

    def call(self, inputs, states, training=None):
        states = list(states)
        dp, rec = self.masks(inputs, states[0], training)
        x_proj = self.project(inputs, dp)
        self.prepare()
        return self.step(x_proj, states, rec)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "filters": self.filters,
            "kernel_size": self.kernel_size,
            "strides": self.strides,
            "padding": self.padding,
            "data_format": self.data_format,
            "dilation_rate": self.dilation_rate,
            "activation": activations.serialize(self.activation),
            "recurrent_activation": activations.serialize(self.recurrent_activation),
            "use_bias": self.use_bias,
            "kernel_initializer": initializers.serialize(self.kernel_initializer),
            "recurrent_initializer": initializers.serialize(self.recurrent_initializer),
            "bias_initializer": initializers.serialize(self.bias_initializer),
            "unit_forget_bias": self.unit_forget_bias,
            "kernel_regularizer": serialize_regularizer(self.kernel_regularizer),
            "recurrent_regularizer": serialize_regularizer(self.recurrent_regularizer),
            "bias_regularizer": serialize_regularizer(self.bias_regularizer),
            "kernel_constraint": None,
            "recurrent_constraint": None,
            "bias_constraint": None,
            "dropout": self.dropout,
            "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
        }


_CELL_ARGS = (
    "filters",
    "kernel_size",
    "strides",
    "padding",
    "data_format",
    "dilation_rate",
    "activation",
    "recurrent_activation",
    "use_bias",
    "kernel_initializer",
    "recurrent_initializer",
    "bias_initializer",
    "unit_forget_bias",
    "kernel_regularizer",
    "recurrent_regularizer",
    "bias_regularizer",
    "kernel_constraint",
    "recurrent_constraint",
    "bias_constraint",
    "dropout",
    "recurrent_dropout",
    "seed",
)


class _ConvLSTM(RNN):
    """The N-D ConvLSTM layer over :class:`ConvLSTMCell`; ``rank`` is set by the subclass."""

    _config_activity_regularizer = True  # Keras 3 writes the key even when None

    rank = 2

    def __init__(
        self,
        filters,
        kernel_size,
        strides=1,
        padding="valid",
        data_format=None,
        dilation_rate=1,
        activation="tanh",
        recurrent_activation="sigmoid",
        use_bias=True,
        kernel_initializer="glorot_uniform",
        recurrent_initializer="orthogonal",
        bias_initializer="zeros",
        unit_forget_bias=True,
        kernel_regularizer=None,
        recurrent_regularizer=None,
        bias_regularizer=None,
        activity_regularizer=None,
        kernel_constraint=None,
        recurrent_constraint=None,
        bias_constraint=None,
        dropout=0.0,
        recurrent_dropout=0.0,
        seed=None,
        return_sequences=False,
        return_state=False,
        go_backwards=False,
        stateful=False,
        **kwargs,
    ) -> None:
        cell_args = dict(locals())
        cell = ConvLSTMCell(
            self.rank,
            **{k: cell_args[k] for k in _CELL_ARGS},
            name="conv_lstm_cell",
            dtype=kwargs.get("dtype"),
        )
        kwargs.pop("unroll", None)
        super().__init__(
            cell,
            return_sequences=return_sequences,
            return_state=return_state,
            go_backwards=go_backwards,
            stateful=stateful,
            activity_regularizer=activity_regularizer,
            **kwargs,
        )

    def __getattr__(self, name):
        # Keras exposes the cell's settings on the layer (layer.filters, layer.dropout, ...).
        cell = self.__dict__.get("cell")
        if cell is not None and name in _CELL_ARGS:
            return getattr(cell, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def _layout(self) -> str:
        return self.cell._layout().replace("[batch, ", "[batch, time, ")

    def _check_rank(self, shape) -> None:
        if len(shape) != self.rank + 3:
            raise ValueError(
                f"{self._where()}: expected input of rank {self.rank + 3} {self._layout()}, "
                f"received shape {tuple(shape)}"
            )

    def build(self, input_shape) -> None:
        shape = tuple(input_shape)
        self._check_rank(shape)
        if not self.cell.built:
            self.cell.build((shape[0],) + shape[2:])
            self.cell.built = True
        Layer.build(self, input_shape)

    def _zero_states(self, inputs) -> list:
        from ...ops.creation import zeros

        shape = (inputs.shape[0],) + self.cell.state_shape(tuple(inputs.shape[2:-1]))
        return [zeros(shape, dtype=inputs.dtype, device=inputs.device) for _ in range(2)]

    def call(self, inputs, mask=None, training=None, initial_state=None):
        self._check_rank(inputs.shape)
        states = self._initial(inputs, initial_state)
        cell = self.cell
        n, steps = inputs.shape[0], inputs.shape[1]
        frame = tuple(inputs.shape[2:])
        if frame[:-1] != cell.spatial_dims or frame[-1] != cell.input_dim:
            raise ValueError(
                f"{self._where()}: the layer was built for frames of shape "
                f"{cell.spatial_dims + (cell.input_dim,)}, received input shape "
                f"{tuple(inputs.shape)}"
            )
        dp, rec = cell.masks(inputs[:, 0], states[0], training)
        if dp is not None:  # one mask per gate, the same at every step (broadcast over time)
            kernel, f = cell._read(cell.kernel), cell.filters
            parts = [
                cell._gated_conv(
                    reshape(inputs * expand_dims(m, 1), (n * steps,) + frame),
                    kernel[..., g * f : (g + 1) * f],
                    None,
                    cell.strides,
                    cell.padding,
                    cell.dilation_rate,
                )
                for g, m in enumerate(dp)
            ]
            projected = concat(parts, axis=-1)
            if cell.bias is not None:
                projected = projected + cell._read(cell.bias)
        else:
            projected = cell.project(reshape(inputs, (n * steps,) + frame))
        projected = reshape(projected, (n, steps) + tuple(projected.shape[1:]))
        time_major = transpose(projected, (1, 0) + tuple(range(2, projected.ndim)))
        cell.prepare()
        if mask is not None:
            mask = transpose(
                reshape(mask, tuple(mask.shape[:2]) + (1,) * (self.rank + 1)),
                (1, 0) + tuple(range(2, self.rank + 3)),
            )
        order = range(steps - 1, -1, -1) if self.go_backwards else range(steps)
        outputs, previous = [], None
        for t in order:
            output, new_states = cell.step(time_major[t], states, rec)
            if mask is not None:
                keep = mask[t]
                states = [where(keep, new, old) for new, old in zip(new_states, states)]
                if previous is None or self.zero_output_for_mask:
                    previous = output * 0
                output = where(keep, output, previous)
            else:
                states = list(new_states)
            previous = output
            if self.return_sequences:
                outputs.append(output)
        if self.stateful and self._keeps_states(n):
            self._store_states(states)
        result = stack(outputs, axis=1) if self.return_sequences else previous
        return (result, *states) if self.return_state else result

    def compute_output_shape(self, input_shape):
        shape = tuple(input_shape)
        self._check_rank(shape)
        state = (shape[0],) + self.cell.state_shape(shape[2:-1])
        out = (shape[0], shape[1]) + state[1:] if self.return_sequences else state
        return (out, state, state) if self.return_state else out

    def get_config(self) -> dict:
        config = self.cell.get_config()
        for key in ("name", "trainable", "dtype"):
            config.pop(key, None)
        base = RNN.get_config(self)
        base.pop("cell")  # Keras keeps unroll and zero_output_for_mask in the config
        return {**base, **config}

    @classmethod
    def from_config(cls, config: dict, custom_objects=None):
        return cls(**config)


class ConvLSTM1D(_ConvLSTM):
    """1-D convolutional LSTM over ``[batch, time, steps, channels]`` sequences.

    Args: ``filters``, ``kernel_size``, ``strides``, ``padding`` (``"valid"``/``"same"``),
    ``dilation_rate``, and the arguments of :class:`LSTM` (activations, initializers,
    ``unit_forget_bias``, regularizers, ``dropout``, ``recurrent_dropout``, ``seed``,
    ``return_sequences``, ``return_state``, ``go_backwards``, ``stateful``).
    """

    rank = 1


class ConvLSTM2D(_ConvLSTM):
    """2-D convolutional LSTM over ``[batch, time, height, width, channels]`` sequences.

    Arguments as :class:`ConvLSTM1D`. Output: ``[batch, out_h, out_w, filters]`` (the last
    step) or ``[batch, time, out_h, out_w, filters]`` with ``return_sequences=True``;
    ``return_state=True`` appends the final ``h`` and ``c``.
    """

    rank = 2


class ConvLSTM3D(_ConvLSTM):
    """3-D convolutional LSTM over ``[batch, time, depth, height, width, channels]``.

    Arguments as :class:`ConvLSTM1D`.
    """

    rank = 3
