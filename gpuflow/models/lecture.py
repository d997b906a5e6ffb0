"""The lecture models: the MLP and the CNN that ``gpuflow train``, ``gpuflow bench``, the
benchmarks and the tests all build, defined once here.

MLP: ``Dense(512, relu) -> Dense(10, softmax)`` on flat inputs (784 for 28x28 images).
CNN: ``Conv2D(16, 3x3, stride 2, relu) -> Conv2D(16, 3x3, stride 2, relu) -> Flatten ->
Dense(64, relu) -> Dense(10, softmax)`` on ``[28, 28, 1]`` images.
"""

from __future__ import annotations

from .. import layers
from .sequential import Sequential

KINDS = ("mlp", "cnn")
INPUT_SHAPES = {"mlp": (784,), "cnn": (28, 28, 1)}


def lecture_model(kind: str, input_shape=None, name: str | None = None) -> Sequential:
    """The lecture MLP or CNN as an uncompiled Sequential, its layers taking the current
    dtype policy and device.

    Args:
        kind: ``"mlp"`` or ``"cnn"``.
        input_shape: the shape of one sample; default ``(784,)`` (MLP) or ``(28, 28, 1)`` (CNN).
        name: the model's name; default ``kind``.

    Raises:
        ValueError: for any other ``kind``.
    """
    if kind not in KINDS:
        raise ValueError(f"lecture_model: kind must be one of {KINDS}, received {kind!r}")
    shape = tuple(input_shape) if input_shape is not None else INPUT_SHAPES[kind]
    if kind == "mlp":
        stack = [layers.Dense(512, activation="relu"), layers.Dense(10, activation="softmax")]
    else:
        stack = [
            layers.Conv2D(16, (3, 3), strides=2, activation="relu"),
            layers.Conv2D(16, (3, 3), strides=2, activation="relu"),
            layers.Flatten(),
            layers.Dense(64, activation="relu"),
            layers.Dense(10, activation="softmax"),
        ]
    return Sequential([layers.Input(shape=shape)] + stack, name=name or kind)
