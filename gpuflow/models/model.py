"""Model: a Layer with compile / fit / evaluate / predict / save, as ``tf.keras.Model``.

Subclass it and write ``call()`` for custom models; ``Sequential`` is the stack of layers.
"""
from __future__ import annotations

import numpy as np

from ..autodiff import no_grad
from ..layers import Layer
from ..trainers import Trainer
from . import saving
from .summary import print_summary


class Model(Trainer, Layer):
    """A trainable stack of layers with the Keras training API (see :class:`Trainer`).

    Example (subclassing):
        >>> class MLP(gpuflow.Model):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.hidden = gpuflow.layers.Dense(64, activation="relu")
        ...         self.out = gpuflow.layers.Dense(10)
        ...     def call(self, x):
        ...         return self.out(self.hidden(x))
    """

    #: the Trainer's bookkeeping: never the model's own weights or layers, so the walks
    #: that collect those (every step, for ``losses``) skip it
    _untracked_attributes = frozenset({
        "_step_variables", "last_gradients", "optimizer", "loss", "history", "compiled",
        "stop_training", "stop_evaluating", "stop_predicting", "keep_gradients",
        "train_function", "test_function", "predict_function", "_compile_loss",
        "_compile_metrics", "_loss_tracker", "_compile_config"})

    def __init__(self, *args, **kwargs) -> None:
        if args or "inputs" in kwargs or "outputs" in kwargs:
            raise NotImplementedError(
                "Model(inputs, outputs): the functional API is not supported; use "
                "gpuflow.keras.Sequential or subclass gpuflow.Model and write call()")
        Layer.__init__(self, **kwargs)
        Trainer.__init__(self)
        self._data_shape = None  # the sample shape the model was built for

    # -- building ----------------------------------------------------------------------
    def _build_for(self, sample_shape, op: str) -> None:
        """Build with ``(None,) + sample_shape`` if not built yet (subclasses check the shape)."""
        self._data_shape = tuple(sample_shape)
        if not self.built:
            with no_grad():
                self(np.zeros((1,) + tuple(sample_shape), dtype=self.compute_dtype),
                     training=False)

    # -- inspection ---------------------------------------------------------------------
    @property
    def layers(self) -> list:
        """The model's direct sub-layers, in the order they were assigned."""
        return [v for v in vars(self).values() if isinstance(v, Layer)]

    def summary(self, print_fn=None, line_length: int = 88) -> None:
        """Print each layer's type, output shape, parameter count and dtype, and the device."""
        print_summary(self, print_fn or print, line_length)

    # -- saving -------------------------------------------------------------------------
    def save(self, filepath, overwrite: bool = True, include_optimizer: bool = True) -> None:
        """Save architecture, weights and optimizer state in one file, atomically (no pickle)."""
        saving.save_model(self, filepath, overwrite=overwrite, include_optimizer=include_optimizer)

    def save_weights(self, filepath, overwrite: bool = True) -> None:
        saving.save_weights(self, filepath, overwrite=overwrite)

    def load_weights(self, filepath) -> None:
        saving.load_weights(self, filepath)
