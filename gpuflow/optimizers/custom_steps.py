"""Keras 3's API for writing an optimizer: ``build`` with ``add_variable_from_reference``,
``update_step(gradient, variable, learning_rate)`` with ``assign`` / ``assign_add`` /
``assign_sub``, as the Keras guide writes custom optimizers::

    class MySGD(keras.optimizers.Optimizer):
        def build(self, var_list):
            if self.built:
                return
            super().build(var_list)
            self.momentums = [self.add_variable_from_reference(v, "m") for v in var_list]

        def update_step(self, gradient, variable, learning_rate):
            m = self.momentums[self._get_variable_index(variable)]
            self.assign(m, 0.9 * m + gradient)
            self.assign_sub(variable, learning_rate * m)

An optimizer whose class defines ``update_step`` is updated through it (each call with
the gradient and the learning rate as tensors); gpuflow's own optimizers update arrays in
place through ``_update`` instead.
"""

from __future__ import annotations

from .. import dtypes
from ..tensor import Tensor, Variable


class CustomSteps:
    """``add_variable``, ``add_variable_from_reference``, ``assign*``, ``update_step``."""

    @property
    def built(self) -> bool:
        """Whether :meth:`build` has run (it runs at the first apply otherwise)."""
        return self.__dict__.get("_built", False)

    @built.setter
    def built(self, value) -> None:
        self._built = bool(value)

    def _custom_update_step(self) -> bool:
        return type(self).update_step is not CustomSteps.update_step

    def update_step(self, gradient, variable, learning_rate):
        """Update ``variable`` from ``gradient`` (Keras 3's hook for new optimizers)."""
        raise NotImplementedError(f"{type(self).__name__} must implement update_step")

    def add_variable(
        self,
        shape,
        initializer="zeros",
        dtype=None,
        aggregation="none",
        layout=None,
        name=None,
    ) -> Variable:
        """A new optimizer variable (not trainable), listed in ``optimizer.variables``."""
        from ..initializers import get as get_initializer

        dtype = dtypes.as_dtype(dtype or dtypes.floatx(), f"{self.name}.add_variable")
        init = get_initializer(initializer)
        value = init(tuple(int(d) for d in shape), dtype=dtype)
        variable = Variable(value, trainable=False, name=name or "variable", dtype=dtype)
        self.__dict__.setdefault("_added_variables", []).append(variable)
        return variable

    def add_variable_from_reference(
        self, reference_variable, name=None, initializer="zeros"
    ) -> Variable:
        """A variable of ``reference_variable``'s shape and dtype, named after it
        (``"dense_kernel_momentum"``), as Keras."""
        base = str(getattr(reference_variable, "path", reference_variable.name))
        base = base.replace("/", "_").replace(":0", "")
        return self.add_variable(
            tuple(reference_variable.shape),
            initializer=initializer,
            dtype=reference_variable.dtype,
            name=f"{base}_{name}" if name else base,
        )

    def add_optimizer_variables(self, trainable_variables, name, initializer="zeros"):
        """One variable per trainable variable (a list), or one list per name (a tuple)."""
        if isinstance(name, str):
            return [
                self.add_variable_from_reference(v, name, initializer) for v in trainable_variables
            ]
        return tuple(
            [self.add_variable_from_reference(v, n, initializer) for v in trainable_variables]
            for n in name
        )

    def _get_variable_index(self, variable) -> int:
        """The position of ``variable`` among the variables the optimizer was built for."""
        for i, v in enumerate(self._trainable_variables or ()):
            if v is variable:
                return i
        raise ValueError(
            f"{self.name}: variable {variable.path!r} is not one the optimizer was built for"
        )

    def assign(self, variable, value) -> None:
        variable.assign(value)

    def assign_add(self, variable, value) -> None:
        variable.assign_add(_broadcast_like(variable, value))

    def assign_sub(self, variable, value) -> None:
        variable.assign_sub(_broadcast_like(variable, value))

    def _run_update_steps(self, grads: list, variables: list, rate: float) -> None:
        """Each pair through the subclass's ``update_step``."""
        for grad, var in zip(grads, variables):
            lr = Tensor(rate, dtype=var.dtype, device=var._device)
            self.update_step(Tensor._wrap(grad, var._device), var, lr)


def _broadcast_like(variable, value):
    """``value`` broadcast to ``variable``'s shape, as Keras 3 adds (``assign(variable +
    value)``): a tf.Variable's own assign_add takes only its exact shape."""
    from ..ops.shape import broadcast_to

    if not isinstance(value, Tensor):
        value = Tensor(value, dtype=variable.dtype, device=variable._device)
    if tuple(value.shape) == tuple(variable.shape):
        return value
    return broadcast_to(value, variable.shape)
