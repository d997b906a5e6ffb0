"""InputSpec: the rank and axis sizes a layer accepts, checked on every call."""

from __future__ import annotations


class InputSpec:
    """What a layer expects of its input, as Keras' ``InputSpec``.

    Args (Keras' order):
        dtype: the expected dtype name, or None (kept, as Keras keeps it).
        shape: a full shape with None for free dimensions (batch axis included), or None.
        ndim: exact rank (batch axis included), or None.
        max_ndim: largest rank, or None.
        min_ndim: smallest rank, or None.
        axes: ``{axis: size}`` for axes whose size is fixed (negative axes count from the end).
        allow_last_axis_squeeze, name, optional: Keras' attributes, kept.
        hint: how to describe the layout in errors, e.g. ``"[batch, height, width, channels]"``.
    """

    def __init__(
        self,
        dtype=None,
        shape=None,
        ndim=None,
        max_ndim=None,
        min_ndim=None,
        axes=None,
        allow_last_axis_squeeze=False,
        name=None,
        optional=False,
        hint: str = "",
    ) -> None:
        self.dtype = None if dtype is None else str(getattr(dtype, "name", dtype))
        self.shape = None if shape is None else tuple(shape)
        self.ndim = len(self.shape) if self.shape is not None else ndim
        self.max_ndim = max_ndim
        self.min_ndim = min_ndim
        self.axes = dict(axes or {})
        self.allow_last_axis_squeeze = allow_last_axis_squeeze
        self.name = name
        self.optional = optional
        self.hint = hint

    def check(self, where: str, shape) -> None:
        """Raise ValueError if ``shape`` does not fit.

        The message is prefixed by ``where`` (e.g. ``"Dense 'dense_1'"``).
        """
        shape = tuple(shape)
        layout = f" ({self.hint})" if self.hint else ""
        if self.ndim is not None and len(shape) != self.ndim:
            raise ValueError(
                f"{where}: expected input of rank {self.ndim}{layout}, received shape {shape}"
            )
        if self.max_ndim is not None and len(shape) > self.max_ndim:
            raise ValueError(
                f"{where}: expected input of rank {self.max_ndim} or less{layout}, "
                f"received shape {shape}"
            )
        if self.min_ndim is not None and len(shape) < self.min_ndim:
            raise ValueError(
                f"{where}: expected input of rank {self.min_ndim} or more{layout}, "
                f"received shape {shape}"
            )
        if self.shape is not None:
            for want, got in zip(self.shape[1:], shape[1:]):
                if want is not None and got is not None and want != got:
                    raise ValueError(
                        f"{where}: expected input of shape {self.shape}, received shape {shape}"
                    )
        for axis, size in self.axes.items():
            got = shape[axis] if -len(shape) <= axis < len(shape) else None
            if size is not None and got is not None and got != size:
                name = "last axis" if axis == -1 else f"axis {axis}"
                raise ValueError(
                    f"{where}: expected input with {name} {size}, received shape {shape}"
                )

    def __repr__(self) -> str:
        return (
            f"InputSpec(ndim={self.ndim}, min_ndim={self.min_ndim}, axes={self.axes}, "
            f"shape={self.shape})"
        )
