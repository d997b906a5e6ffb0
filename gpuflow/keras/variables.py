"""``keras.Variable`` (Keras 3): a Variable made from an initializer and a shape, or a value.

It is a gpuflow Variable (so tapes watch it, optimizers update it and every op takes it),
with Keras's constructor, ``value`` and ``path``.
"""

from __future__ import annotations

from .. import initializers
from ..layers._context import current_path
from ..layers.naming import unique_name
from ..tensor import Variable as _Variable
from ..tensor import is_keras_variable
from .ops._dtypes import convert_to_tensor, standardize_dtype


def _auto_name() -> str:
    """``"variable"``, then ``"variable_1"``, ...: Keras's counter, shared with automatic
    layer and optimizer names (``clear_session`` restarts it)."""
    return unique_name("variable")


class _KerasVariableType(type(_Variable)):
    """``isinstance(v, keras.Variable)`` holds for every Keras variable (a layer weight made by
    ``add_weight``, an optimizer's or metric's variable), as in Keras 3, not only for those
    made by this constructor; a plain ``tf.Variable`` is not one."""

    def __instancecheck__(cls, instance) -> bool:
        if cls is Variable:
            return is_keras_variable(instance)
        return super().__instancecheck__(instance)


class Variable(_Variable, metaclass=_KerasVariableType):
    """A Keras 3 variable.

    Args:
        initializer: an initializer (object, name such as ``"zeros"``, or callable of
            ``(shape, dtype)``) used with ``shape``, or an initial value (array-like).
        shape: the shape; required with an initializer.
        dtype: the dtype (default: the value's, or the default float type).
        trainable: whether optimizers and tapes see it.
        autocast, aggregation, synchronization: Keras's options (accepted, no effect here).
        name: a name without ``/``.

    Raises:
        ValueError: for an initializer without ``shape`` or an invalid ``name``.
    """

    def __init__(
        self,
        initializer,
        shape=None,
        dtype=None,
        trainable=True,
        autocast=True,
        aggregation="none",
        synchronization="auto",
        name=None,
        **kwargs,
    ) -> None:
        name = name or _auto_name()
        if not isinstance(name, str) or "/" in name:
            raise ValueError(
                "Argument `name` must be a string and cannot contain character `/`. "
                f"Received: name={name}"
            )
        constraint = kwargs.pop("constraint", None)
        kwargs.pop("layout", None)
        if kwargs:
            raise TypeError(f"Variable: unexpected keyword argument(s) {sorted(kwargs)}")
        if isinstance(initializer, str):
            initializer = initializers.get(initializer)
        if callable(initializer):
            if shape is None:
                raise ValueError(
                    "When creating a Variable from an initializer, the `shape` argument "
                    f"should be specified. Received: initializer={initializer} and "
                    f"shape={shape}"
                )
            dtype = standardize_dtype(dtype)
            value = initializer(tuple(int(n) for n in shape), dtype=dtype)
        else:
            value = convert_to_tensor(initializer, dtype)
            dtype = value.dtype.name
        super().__init__(value, trainable=trainable, name=name, dtype=dtype, constraint=constraint)
        # a standalone Keras variable's path: the open keras.name_scope's, then its name
        self._path = "/".join(p for p in (current_path(), name) if p)

    @property
    def value(self):
        """The variable itself as a tensor (reads see later assignments, gradients flow)."""
        return self

    def __bool__(self) -> bool:
        # Keras 3 refuses truthiness for its variables, even a scalar one (tf.Variable takes
        # it): compare explicitly, e.g. `bool(v.numpy())` or `keras.ops.any(v)`
        raise TypeError("A Keras Variable cannot be used as a boolean.")
