"""SpectralNormalization: a wrapper that divides a layer's kernel by its largest singular
value (estimated by power iteration) on every training call, as
``keras.layers.SpectralNormalization`` (GAN discriminators)."""

from __future__ import annotations

from .. import initializers
from ..autodiff import no_grad
from ..graph.control_flow import cond
from ..ops.linalg import matmul
from ..ops.reduce import reduce_all, reduce_sum
from ..ops.shape import identity, reshape, transpose
from ..ops.unary import sqrt
from .base import Layer
from .input_spec import InputSpec


def _unit(x):
    return x / sqrt(reduce_sum(x * x) + 1e-12)


class SpectralNormalization(Layer):
    """Constrains the spectral norm of ``layer``'s kernel (``kernel`` or ``embeddings``).

    Args:
        layer: the layer to wrap (``Dense``, ``Conv2D``, ``Embedding``, ...).
        power_iterations: power-iteration steps per training call (>= 1).

    In training the wrapped kernel is replaced by ``kernel / sigma`` before the layer runs;
    the estimate ``vector_u`` is a non-trainable weight carried from call to call.
    """

    def __init__(self, layer, power_iterations=1, **kwargs) -> None:
        super().__init__(**kwargs)
        if not isinstance(layer, Layer):
            raise ValueError(f"SpectralNormalization: layer must be a Layer, received {layer!r}")
        if int(power_iterations) <= 0:
            raise ValueError(
                "`power_iterations` should be greater than zero. Received: "
                f"`power_iterations={power_iterations}`"
            )
        self.layer = layer
        self.power_iterations = int(power_iterations)

    def build(self, input_shape) -> None:
        if not self.layer.built:
            self.layer.build(input_shape)
            self.layer.built = True
        self.input_spec = InputSpec(min_ndim=1, axes={-1: input_shape[-1]})
        kernel = getattr(self.layer, "kernel", None)
        if kernel is None:
            kernel = getattr(self.layer, "embeddings", None)
        if kernel is None:
            raise ValueError(
                f"{type(self.layer).__name__} object has no attribute 'kernel' nor 'embeddings'"
            )
        self._kernel = kernel
        self.vector_u = self._add_weight(
            "vector_u",
            (1, tuple(kernel.shape)[-1]),
            initializers.TruncatedNormal(stddev=0.02),
            trainable=False,
            dtype=kernel.dtype.name,
        )
        super().build(input_shape)

    def normalized_weights(self):
        """``(new vector_u, kernel / sigma)`` from ``power_iterations`` steps."""
        shape = tuple(self._kernel.shape)
        with no_grad():
            weights = reshape(self._kernel, [-1, shape[-1]])
            u = self.vector_u * 1.0
            for _ in range(self.power_iterations):
                v = _unit(matmul(u, transpose(weights)))
                u = _unit(matmul(v, weights))
            sigma = matmul(matmul(v, weights), transpose(u))
            kernel = reshape(weights / sigma, shape)
        return u, kernel

    def call(self, inputs, training=None):
        if training:
            # a tensor condition, as Keras: the train step still compiles (an all-zero
            # kernel, which has no singular direction, is kept as it is)
            new_u, new_kernel = cond(
                reduce_all(self._kernel == 0),
                lambda: (identity(self.vector_u), identity(self._kernel)),
                self.normalized_weights,
            )
            self.vector_u.assign(new_u)
            self._kernel.assign(new_kernel)
        return self.layer(inputs)

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self) -> dict:
        from .serialization import serialize

        return {
            **super().get_config(),
            "layer": serialize(self.layer),
            "power_iterations": self.power_iterations,
        }

    @classmethod
    def from_config(cls, config: dict, custom_objects=None) -> SpectralNormalization:
        from .serialization import deserialize

        config = dict(config)
        config["layer"] = deserialize(config["layer"], custom_objects)
        return cls(**config)
