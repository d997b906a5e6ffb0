"""``Layer.stateless_call`` (Keras 3): call a layer on given variable values, with no side
effect on its variables (a mixin of :class:`gpuflow.layers.Layer` kept in its own file)."""

from __future__ import annotations

from ..stateless_scope import StatelessScope


class StatelessCall:
    def stateless_call(
        self, trainable_variables, non_trainable_variables, *args, return_losses=False, **kwargs
    ):
        """Call the layer without any side effects.

        Args:
            trainable_variables: values for :attr:`trainable_variables`, one per variable.
            non_trainable_variables: values for :attr:`non_trainable_variables`.
            *args, **kwargs: the arguments of the call (``training=True``, ...).
            return_losses: also return the losses added during the call.

        Returns:
            ``(outputs, non_trainable_variables)``: the new values of the non-trainable
            variables (e.g. BatchNormalization statistics) in the same order; with
            ``return_losses``, ``(outputs, non_trainable_variables, losses)``. The layer's
            own variables keep their values (assign the returned ones to keep the update).

        Raises:
            ValueError: when the layer is not built, or a list's length is not its
                variables' count.
        """
        name = type(self).__name__
        if not self.built:
            raise ValueError(
                f"To call stateless_call, {name} must be built (i.e. its variables must have "
                "been already created). You can build it by calling it on some data."
            )
        own_trainable, own_non_trainable = self.trainable_variables, self.non_trainable_variables
        for arg, given, own in (
            ("trainable_variables", trainable_variables, own_trainable),
            ("non_trainable_variables", non_trainable_variables, own_non_trainable),
        ):
            if len(given) != len(own):
                raise ValueError(
                    f"Argument `{arg}` must be a list of tensors corresponding 1:1 to "
                    f"{name}().{arg}. Received list with length {len(given)}, but expected "
                    f"{len(own)} variables."
                )
        mapping = list(zip(own_trainable, trainable_variables)) + list(
            zip(own_non_trainable, non_trainable_variables)
        )
        with StatelessScope(state_mapping=mapping) as scope:
            self._clear_losses()
            outputs = self(*args, **kwargs)
            losses = list(self.losses) if return_losses else None
        new_values = [scope.get_current_value(v) for v in own_non_trainable]
        if return_losses:
            return outputs, new_values, losses
        return outputs, new_values
