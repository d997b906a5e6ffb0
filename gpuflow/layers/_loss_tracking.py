"""Loss tracking of layers: ``add_loss``, activity penalties and ``losses``, as Keras 3.

Values added during a forward pass stay in ``losses`` until the next outermost call of the
layer or model containing the layer that added them; weight penalties are recomputed from
the weights each time ``losses`` is read.
"""

from __future__ import annotations

from .. import dtypes
from ..tensor import Tensor
from ._context import context as _context
from .keras_tensor import KerasTensor


class LossTracking:
    """The loss methods of :class:`gpuflow.layers.Layer` (a mixin kept in its own file)."""

    @property
    def losses(self) -> list:
        """Scalar Tensors: the values passed to :meth:`add_loss` (activity penalties included)
        during the latest forward pass, then the weight regularization penalties, of this
        layer and its sub-layers (as Keras 3 orders them)."""
        return self._losses_of(self._flatten_layers())

    @staticmethod
    def _losses_of(layers) -> list:
        """:attr:`losses` of ``layers`` (a model's layers, which fit walks once, not per step)."""
        added = [loss for layer in layers for loss in layer.__dict__.get("_losses", ())]
        return added + _weight_penalties(layers)

    def add_loss(self, loss) -> None:
        """Add a scalar loss term, e.g. ``self.add_loss(1e-3 * tf.reduce_sum(x ** 2))`` in ``call``.

        Terms added during a call are kept in :attr:`losses` until the next outermost call of
        the model (or layer) that contains this layer; the training loop adds them to the loss.
        """
        if _context.discard_losses:
            return
        if callable(loss) and not isinstance(loss, Tensor):
            loss = loss()
        if isinstance(loss, KerasTensor):  # Keras 3 removed symbolic add_loss
            raise NotImplementedError(
                f"{type(self).__name__}.add_loss: a loss computed from symbolic tensors "
                "(keras.Input) is not supported, as in Keras 3; call self.add_loss(...) "
                "inside a layer's call() instead"
            )
        if not isinstance(loss, Tensor):
            from ..ops._common import as_tensor

            loss = as_tensor(loss, dtype=dtypes.floatx())
        losses = self.__dict__.setdefault("_losses", [])
        if self.__dict__.get("_losses_pass") != _context.forward_pass:
            losses.clear()  # values from an earlier forward pass (e.g. a direct call)
            self._losses_pass = _context.forward_pass
        losses.append(loss)
        outer = _context.layers[0] if _context.layers else None
        if outer is not None and outer is not self:
            outer._loss_layers.append(self)

    def _clear_losses(self) -> None:
        """Forget the losses of the previous forward pass (at the start of an outermost call)."""
        self.__dict__.get("_losses", []).clear()
        for layer in self.__dict__.get("_loss_layers", ()):
            layer._losses.clear()
        self.__dict__.get("_loss_layers", []).clear()

    def _add_activity_losses(self, outputs) -> None:
        """``activity_regularizer(output) / batch size`` per output, as Keras 3."""
        from .. import nest

        for output in nest.flatten(outputs):
            if isinstance(output, Tensor):
                loss = self.activity_regularizer(output)
                if output.ndim > 0 and output.shape[0]:
                    loss = loss / output.shape[0]
                self.add_loss(loss)


def _weight_penalties(layers) -> list:
    """``variable.regularizer(variable)`` of each trainable weight the layers own, once each:
    as Keras 3, a frozen weight (or a weight of a frozen layer) adds no penalty."""
    out, seen = [], set()
    for layer in layers:
        for variable in layer.__dict__.get("_own_weights", ()):
            regularizer = variable.regularizer
            if regularizer is None or not variable.trainable or id(variable) in seen:
                continue
            seen.add(id(variable))
            out.append(regularizer(variable))
    return out
