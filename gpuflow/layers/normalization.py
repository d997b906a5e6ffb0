"""BatchNormalization, built from differentiable ops so gradients flow through batch statistics."""

from __future__ import annotations

from .. import constraints, initializers
from ..autodiff import no_grad, stop_gradient
from ..config.settings import epsilon as fuzz_factor
from ..ops.cast import cast
from ..ops.math import sqrt, square
from ..ops.reduce import reduce_mean, reduce_sum
from ..ops.shape import broadcast_to, expand_dims, reshape
from ._args import serialize_regularizer
from ._inputs import layer_regularizer
from .base import Layer
from .input_spec import InputSpec

_HALF = ("float16", "bfloat16")


class BatchNormalization(Layer):
    """Normalizes inputs over the batch (and all axes but ``axis``), then scales and shifts.

    With ``training=True`` the batch mean and (biased) variance are used and the moving
    statistics move towards them: ``moving = moving * momentum + batch * (1 - momentum)``.
    Otherwise, and always when the layer is frozen (``trainable = False``), the moving
    statistics are used, as in Keras.

    Args:
        axis: the feature axis (or list of axes) kept; -1 for channels-last data.
        momentum: of the moving averages.
        epsilon: added to the variance.
        center, scale: whether to learn ``beta`` (offset) and ``gamma`` (scale).
        beta_initializer, gamma_initializer, moving_mean_initializer,
        moving_variance_initializer: initializers.
        beta_regularizer, gamma_regularizer: optional penalties.

    Weights, in order: gamma, beta (trainable), moving_mean, moving_variance (not trainable).
    A mask (from Masking or ``mask_zero``) limits the batch statistics to the unmasked steps
    and passes through, as Keras.
    """

    supports_masking = True

    def __init__(
        self,
        axis=-1,
        momentum: float = 0.99,
        epsilon: float = 1e-3,
        center: bool = True,
        scale: bool = True,
        beta_initializer="zeros",
        gamma_initializer="ones",
        moving_mean_initializer="zeros",
        moving_variance_initializer="ones",
        beta_regularizer=None,
        gamma_regularizer=None,
        beta_constraint=None,
        gamma_constraint=None,
        synchronized=False,
        **kwargs,
    ) -> None:
        # Keras 3 configs also carry these; only their defaults are supported.
        renorm = kwargs.pop("renorm", False)
        kwargs.pop("renorm_clipping", None)
        renorm_momentum = kwargs.pop("renorm_momentum", 0.99)
        super().__init__(**kwargs)
        if renorm:
            raise ValueError(f"{self._where()}: renorm=True is not supported")
        self.renorm, self.renorm_clipping = False, None
        self.renorm_momentum = float(renorm_momentum)
        self.synchronized = bool(synchronized)  # one device per replica here: no effect
        self.beta_constraint = constraints.get(beta_constraint)
        self.gamma_constraint = constraints.get(gamma_constraint)
        self.axis = [int(a) for a in axis] if isinstance(axis, (list, tuple)) else int(axis)
        if not 0 <= momentum <= 1 or epsilon <= 0:
            raise ValueError(
                f"{self._where()}: momentum must be in [0, 1] and epsilon positive, "
                f"received momentum={momentum}, epsilon={epsilon}"
            )
        self.momentum, self.epsilon = float(momentum), float(epsilon)
        self.center, self.scale = bool(center), bool(scale)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.beta_regularizer = layer_regularizer(beta_regularizer, self)
        self.gamma_regularizer = layer_regularizer(gamma_regularizer, self)
        self.gamma = self.beta = None

    def _axes(self, ndim: int) -> list:
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        for a in axes:
            # As Keras, any axis of the input may be the feature axis (axis 0 included: a
            # rank-1 input is one sample whose features are each normalized on its own).
            if not -ndim <= a < ndim:
                raise ValueError(
                    f"{self._where()}: axis {a} is out of range for an input of rank {ndim}"
                )
        return sorted(a % ndim for a in axes)

    def build(self, input_shape) -> None:
        shape = tuple(input_shape)
        axes = self._axes(len(shape))
        if any(shape[a] is None for a in axes):
            raise ValueError(
                f"{self._where()}: the size of axis {self.axis} must be known, "
                f"received shape {shape}"
            )
        param = tuple(shape[a] for a in axes)
        if self.scale:
            self.gamma = self._add_weight(
                "gamma",
                param,
                self.gamma_initializer,
                regularizer=self.gamma_regularizer,
                constraint=self.gamma_constraint,
            )
        if self.center:
            self.beta = self._add_weight(
                "beta",
                param,
                self.beta_initializer,
                regularizer=self.beta_regularizer,
                constraint=self.beta_constraint,
            )
        self.moving_mean = self._add_weight(
            "moving_mean", param, self.moving_mean_initializer, trainable=False
        )
        self.moving_variance = self._add_weight(
            "moving_variance", param, self.moving_variance_initializer, trainable=False
        )
        self._reduce = tuple(i for i in range(len(shape)) if i not in axes)
        self._broadcast = tuple(shape[i] if i in axes else 1 for i in range(len(shape)))
        self.input_spec = InputSpec(ndim=len(shape), axes={a: shape[a] for a in axes})
        super().build(input_shape)

    def call(self, inputs, training=None, mask=None):
        if mask is not None and mask.ndim != inputs.ndim - 1:
            raise ValueError(
                f"{self._where()}: the mask must have one axis fewer than the inputs, "
                f"received mask shape {tuple(mask.shape)} for inputs shape "
                f"{tuple(inputs.shape)}"
            )
        # As Keras: float16 / bfloat16 inputs (prone to overflow here) are normalized in
        # float32, with the weights read in float32, and the result cast back.
        half = inputs.dtype in _HALF
        x = cast(inputs, "float32") if half else inputs

        def bcast(v):
            return reshape(cast(v, "float32") if half else self._read(v), self._broadcast)

        if training and self.trainable:
            mean, variance = self._moments(x, mask)
            self._update_moving(mean, variance)
        else:
            mean, variance = bcast(self.moving_mean), bcast(self.moving_variance)
        y = (x - mean) / sqrt(variance + self.epsilon)
        if self.gamma is not None:
            y = y * bcast(self.gamma)
        if self.beta is not None:
            y = y + bcast(self.beta)
        return cast(y, inputs.dtype) if half else y

    def _moments(self, x, mask):
        """The batch mean and biased variance; with a mask (one axis fewer than ``x``, as from
        Masking or Embedding(mask_zero=True)), over the unmasked steps only, as Keras."""
        if mask is None:
            mean = reduce_mean(x, self._reduce, keepdims=True)
            return mean, reduce_mean(square(x - mean), self._reduce, keepdims=True)
        weights = cast(expand_dims(cast(mask, "bool"), -1), x.dtype)
        count = reduce_sum(broadcast_to(weights, x.shape), self._reduce, keepdims=True)
        count = count + fuzz_factor()
        mean = reduce_sum(x * weights, self._reduce, keepdims=True) / count
        variance = reduce_sum(square((x - mean) * weights), self._reduce, keepdims=True) / count
        return mean, variance

    def _update_moving(self, mean, variance) -> None:
        m = self.momentum
        with no_grad():
            for moving, batch in ((self.moving_mean, mean), (self.moving_variance, variance)):
                batch = reshape(stop_gradient(batch), tuple(moving.shape)).astype(moving.dtype)
                moving.assign(moving * m + batch * (1 - m))

    def compute_output_shape(self, input_shape) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "axis": self.axis,
            "momentum": self.momentum,
            "epsilon": self.epsilon,
            "center": self.center,
            "scale": self.scale,
            "beta_initializer": initializers.serialize(self.beta_initializer),
            "gamma_initializer": initializers.serialize(self.gamma_initializer),
            "moving_mean_initializer": initializers.serialize(self.moving_mean_initializer),
            "moving_variance_initializer": initializers.serialize(self.moving_variance_initializer),
            "beta_regularizer": serialize_regularizer(self.beta_regularizer),
            "gamma_regularizer": serialize_regularizer(self.gamma_regularizer),
            "beta_constraint": constraints.serialize(self.beta_constraint),
            "gamma_constraint": constraints.serialize(self.gamma_constraint),
            "synchronized": self.synchronized,
            "renorm": self.renorm,
            "renorm_clipping": self.renorm_clipping,
            "renorm_momentum": self.renorm_momentum,
        }
