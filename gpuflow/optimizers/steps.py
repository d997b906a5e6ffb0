"""The step count and Keras 3's ``apply``: what :class:`~gpuflow.optimizers.base.Optimizer`
shows of its progress. A mixin, kept apart from the update loop.

The count itself is a host int (``_iterations``: calls to apply); the update rules read
``_steps`` (updates done, which gradient accumulation divides). ``iterations`` is the
Keras-style Variable view of it.
"""

from __future__ import annotations

import numpy as np

from ..tensor import Variable


class StepCounting:
    """``iterations`` (an int64 Variable, as Keras) and ``apply(grads, variables)``."""

    @property
    def _steps(self) -> int:
        """Update steps done, as a host int (what the update rules' bias corrections use)."""
        if self.gradient_accumulation_steps:
            return self._iterations // self.gradient_accumulation_steps
        return self._iterations

    @property
    def iterations(self) -> Variable:
        """Update steps done (calls to apply, divided by ``gradient_accumulation_steps``), as
        an int64 Variable like Keras's (``int(opt.iterations)``, ``.numpy()``); the same
        Variable throughout, kept in step with the optimizer's own count."""
        var = getattr(self, "_iterations_variable", None)
        if var is None:
            # host memory: it changes every step and is read rarely, so a GPU copy would
            # cost a transfer per step for nothing
            var = Variable(
                np.int64(self._steps),
                trainable=False,
                name="iteration",
                dtype="int64",
                device="cpu",
            )
            var._path = f"{self.name}/iteration"  # a Keras variable, as Keras 3's
            self._iterations_variable = var
        return var

    @iterations.setter
    def iterations(self, value) -> None:
        self._iterations = int(value) * (self.gradient_accumulation_steps or 1)
        self._sync_iterations()

    def _sync_iterations(self) -> None:
        var = getattr(self, "_iterations_variable", None)
        if var is not None:
            # a new array, not an in-place write (tensors read from it keep their value);
            # not assign(): this runs every step and the value is a checked host int
            var._data = np.asarray(self._steps, dtype=np.int64)

    def apply(self, grads, trainable_variables=None) -> int:
        """Apply ``grads`` to ``trainable_variables`` (Keras 3's form of apply_gradients).

        Args:
            grads: gradients, one per variable (None entries are skipped).
            trainable_variables: the variables; by default those the optimizer was built
                with (:meth:`build` or an earlier apply).

        Raises:
            ValueError: when no variables are given and the optimizer was never built, or
                the number of gradients differs from the number of variables.
        """
        grads = list(grads)
        if trainable_variables is None:
            if self._trainable_variables is None:
                raise ValueError(
                    f"{self.name}.apply: pass trainable_variables, or call "
                    "build(trainable_variables) first"
                )
            trainable_variables = self._trainable_variables
        trainable_variables = list(trainable_variables)
        if len(grads) != len(trainable_variables):
            raise ValueError(
                f"{self.name}.apply: received {len(grads)} gradients for "
                f"{len(trainable_variables)} variables"
            )
        if not grads:
            return self.iterations
        return self.apply_gradients(zip(grads, trainable_variables))

    def stateless_apply(self, optimizer_variables, grads, trainable_variables):
        """Keras 3's stateless ``apply``, which its TensorFlow backend does not offer (it
        clashes with tf.distribute): this raises the same error as ``tf.keras``.

        Raises:
            ValueError: always, as with Keras 3's TensorFlow backend; apply the gradients
                with :meth:`apply` (or ``apply_gradients``) instead.
        """
        raise ValueError(
            "stateless_apply is not supported with the TensorFlow backend "
            "(as it is incompatible with tf.distribute)."
        )
