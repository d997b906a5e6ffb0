"""meshgrid."""

from __future__ import annotations

from ..tensor import Tensor
from ._common import as_tensor, invalid_argument


def meshgrid(*args, **kwargs) -> list:
    """Coordinate grids from 1-D tensors; ``indexing="xy"`` (default) or ``"ij"``."""
    from .shape import broadcast_to, reshape

    indexing = kwargs.pop("indexing", "xy")
    kwargs.pop("name", None)
    if kwargs:
        raise invalid_argument("meshgrid", f"unexpected arguments {sorted(kwargs)}")
    if indexing not in ("xy", "ij"):
        raise invalid_argument("meshgrid", f"indexing must be 'xy' or 'ij', received {indexing!r}")
    xs = [as_tensor(a) for a in args]
    for x in xs:
        if x.ndim != 1:
            raise invalid_argument(
                "meshgrid", f"expected 1-D tensors, received shape {tuple(x.shape)}"
            )
    sizes = [x.shape[0] for x in xs]
    if indexing == "xy" and len(xs) >= 2:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    out: list[Tensor] = []
    for i, x in enumerate(xs):
        axis = i
        if indexing == "xy" and len(xs) >= 2 and i < 2:
            axis = 1 - i
        shape = [1] * len(xs)
        shape[axis] = x.shape[0]
        out.append(broadcast_to(reshape(x, shape), sizes))
    return out
