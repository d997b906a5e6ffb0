"""``keras.ops.rearrange``: einops-style axis rearrangement (Keras 3's subset: transpose,
merge ``(a b)`` and split ``(a b)`` axes with ``**axes_lengths``)."""

from __future__ import annotations

import re

from ...ops import shape as _sh
from ._dtypes import convert_to_tensor

_GROUP = re.compile(r"\(([\w\s]*)\)")
_TOKEN = re.compile(r"\w+|\([\w\s]*\)")


def _groups(side: str, pattern: str) -> list:
    leftover = _TOKEN.sub("", side).strip()
    if leftover:
        raise ValueError(f"rearrange: invalid pattern {pattern!r} (cannot read {leftover!r})")
    groups = []
    for token in _TOKEN.findall(side):
        match = _GROUP.fullmatch(token)
        groups.append(match.group(1).split() if match else [token])
    return groups


def rearrange(tensor, pattern, **axes_lengths):
    """``tensor`` with its axes reordered, merged and split as ``pattern`` says, e.g.
    ``"b h w c -> b c h w"``, ``"b h w c -> b (h w c)"`` or
    ``"b (h1 h) w c -> (b h1) h w c"`` with ``h1=2``."""
    t = convert_to_tensor(tensor)
    sides = re.split(r"\s*->\s*", pattern.strip())
    if len(sides) != 2:
        raise ValueError(f"rearrange: pattern must have the form 'in -> out', received {pattern!r}")
    inputs, outputs = _groups(sides[0], pattern), _groups(sides[1], pattern)
    if len(inputs) != t.ndim:
        raise ValueError(
            f"rearrange: pattern {pattern!r} names {len(inputs)} input axes, but the tensor "
            f"has shape {tuple(t.shape)} (rank {t.ndim})"
        )
    names_in = [a for g in inputs for a in g]
    names_out = [a for g in outputs for a in g]
    if len(set(names_in)) != len(names_in) or sorted(names_in) != sorted(names_out):
        raise ValueError(
            f"rearrange: the axes of both sides must be the same and unique, received {pattern!r}"
        )
    sizes = {}
    for group, dim in zip(inputs, t.shape):
        known = [axes_lengths[a] for a in group if a in axes_lengths]
        unknown = [a for a in group if a not in axes_lengths]
        product = 1
        for k in known:
            product *= int(k)
        if len(unknown) > 1:
            raise ValueError(
                f"rearrange: cannot infer the sizes of {unknown} in {pattern!r}; pass them "
                "as keyword arguments"
            )
        if unknown:
            if product == 0 or dim % product:
                raise ValueError(
                    f"rearrange: axis of size {dim} cannot be split into {group} with "
                    f"{ {a: axes_lengths[a] for a in group if a in axes_lengths} }"
                )
            sizes[unknown[0]] = dim // product
        elif product != dim:
            raise ValueError(f"rearrange: axis of size {dim} does not match {group} = {product}")
        sizes.update({a: int(axes_lengths[a]) for a in group if a in axes_lengths})
    split = [sizes[a] for a in names_in]
    if split != list(t.shape):
        t = _sh.reshape(t, split)
    t = _sh.transpose(t, [names_in.index(a) for a in names_out])
    out_shape = []
    for group in outputs:
        size = 1
        for a in group:
            size *= sizes[a]
        out_shape.append(size)
    return _sh.reshape(t, out_shape)
