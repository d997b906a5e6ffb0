"""``dtensor.DVariable``: a tf.Variable whose value keeps the layout it was created with."""

from __future__ import annotations

from ...errors import InvalidArgumentError
from ...tensor import Tensor, Variable


class DVariable(Variable):
    """A Variable with a :class:`Layout` (that of ``initial_value``, or ``layout=``).

    The layout is fixed: ``assign`` of a DTensor with another layout is an error (as in
    TensorFlow); plain values (optimizer updates) are assigned as they are. An
    ``initial_value`` that is not a DTensor and no ``layout`` give a plain variable
    (``fetch_layout`` refuses it), as TensorFlow's DVariable falls back to a tf.Variable.
    """

    def __init__(self, initial_value, *args, dtype=None, **kwargs):
        layout = kwargs.pop("layout", None)
        if callable(initial_value) and not isinstance(initial_value, Tensor):
            initial_value = initial_value()
        if layout is None:
            layout = getattr(initial_value, "_layout", None)
        super().__init__(initial_value, *args, dtype=dtype, **kwargs)
        if layout is not None:
            from .tensor import check_divisible

            if layout.rank != self.ndim:
                raise ValueError(
                    f"DVariable: layout of rank {layout.rank} does not match the initial "
                    f"value of shape {tuple(self.shape)}"
                )
            check_divisible(tuple(self.shape), layout)
        self._layout = layout

    @property
    def layout(self):
        return self._layout

    @property
    def handle(self) -> "ResourceHandle":
        """A description of the variable's resource (what ``print(v.handle)`` shows)."""
        return ResourceHandle(self)

    def _check_layout(self, value, op: str) -> None:
        other = getattr(value, "_layout", None)
        if self._layout is not None and other is not None and other != self._layout:
            raise InvalidArgumentError(
                None,
                op,
                f"{op}: the layout of a DVariable cannot change: the variable has "
                f"{self._layout.to_string()}, the value has {other.to_string()}",
            )

    def assign(self, value, use_locking=None, name=None, read_value=True):
        self._check_layout(value, "assign")
        return super().assign(value, use_locking, name, read_value)

    def assign_add(self, delta, use_locking=None, name=None, read_value=True):
        self._check_layout(delta, "assign_add")
        return super().assign_add(delta, use_locking, name, read_value)

    def assign_sub(self, delta, use_locking=None, name=None, read_value=True):
        self._check_layout(delta, "assign_sub")
        return super().assign_sub(delta, use_locking, name, read_value)

    def read_value(self):
        from .tensor import DTensor

        value = super().read_value()
        return value if self._layout is None else DTensor._of(value, self._layout)

    def value(self):
        return self.read_value()


class ResourceHandle:
    """``DVariable.handle``: names the variable, its dtype, shape and layout, as TF prints
    a resource tensor. gpuflow has no resource tensors: it is for reading, not for ops."""

    dtype = "resource"
    shape = ()

    def __init__(self, variable: DVariable):
        self.variable = variable
        self.layout = variable._layout

    def __repr__(self) -> str:
        v = self.variable
        layout = "" if self.layout is None else f', layout="{self.layout.to_string()}"'
        return (
            f'tf.Tensor(<ResourceHandle(name="{v.name}", device="{v.device}", '
            f'container="Anonymous", type="tensorflow::Var", dtype and shapes : '
            f'"[ DType: {v.dtype.name}, Shape: {list(v.shape)} ]")>{layout}, shape=(), '
            "dtype=resource)"
        )

    __str__ = __repr__
