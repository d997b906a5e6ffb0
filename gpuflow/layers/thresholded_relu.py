"""ThresholdedReLU: ``x`` where ``x > theta``, else 0 (``tf.keras.layers.ThresholdedReLU``,
kept in TensorFlow 2.21's tf.keras as a legacy layer)."""

from __future__ import annotations

from ..ops.math import cast
from .base import Layer


class ThresholdedReLU(Layer):
    """``inputs * (inputs > theta)``.

    Args:
        theta: the threshold, a float >= 0.
    """

    supports_masking = True

    def __init__(self, theta=1.0, **kwargs) -> None:
        super().__init__(**kwargs)
        if theta is None:
            raise ValueError(
                "Theta of a Thresholded ReLU layer cannot be None, expecting a float. "
                f"Received: {theta}"
            )
        if theta < 0:
            raise ValueError(
                f"The theta value of a Thresholded ReLU layer should be >=0. Received: {theta}"
            )
        self.theta = float(theta)

    def call(self, inputs):
        return inputs * cast(inputs > self.theta, inputs.dtype)

    def compute_output_shape(self, input_shape) -> tuple:
        return tuple(input_shape)

    def get_config(self) -> dict:
        return {**super().get_config(), "theta": self.theta}
