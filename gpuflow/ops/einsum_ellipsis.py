"""Einsum equations with ``...``: written out with explicit letters for the axes the
ellipsis covers (NumPy's rules: right-aligned, broadcast, leading in an implicit output)."""

from __future__ import annotations

import string

import numpy as np

from ._common import invalid_argument


def expand(equation: str, shapes: list) -> tuple[str, list]:
    """``(equation without "...", the shape each operand is to be broadcast to)``: an
    operand whose ellipsis axes are fewer or of size 1 is broadcast to the common ones.

    Raises:
        InvalidArgumentError: for a misplaced ellipsis or ellipsis axes that do not broadcast.
    """
    if "->" in equation:
        lhs, out = equation.split("->")
    else:
        lhs, out = equation, None
    specs = lhs.split(",")
    if len(specs) != len(shapes):
        raise invalid_argument(
            "einsum",
            f"the equation {equation!r} names {len(specs)} operands, received {len(shapes)}",
        )
    free = [c for c in string.ascii_letters if c not in equation]
    ellipsis_shapes = []
    for spec, shape in zip(specs, shapes):
        if spec.count("...") > 1:
            raise invalid_argument("einsum", f"{equation!r}: more than one ellipsis in {spec!r}")
        if "..." in spec:
            n = len(shape) - (len(spec) - 3)
            if n < 0:
                raise invalid_argument(
                    "einsum", f"operand spec {spec!r} does not match shape {tuple(shape)}"
                )
            start = spec.index("...")
            ellipsis_shapes.append(tuple(shape[start : start + n]))
    try:
        common = np.broadcast_shapes(*ellipsis_shapes) if ellipsis_shapes else ()
    except ValueError:
        raise invalid_argument(
            "einsum", f"{equation!r}: the axes under '...' do not broadcast: {ellipsis_shapes}"
        ) from None
    letters = "".join(free[: len(common)])
    new_specs, targets = [], []
    for spec, shape in zip(specs, shapes):
        if "..." in spec:
            start = spec.index("...")
            spec = spec.replace("...", letters)
            shape = (
                tuple(shape[:start])
                + tuple(common)
                + tuple(shape[len(shape) - (len(spec) - len(letters) - start) :])
            )
        new_specs.append(spec)
        targets.append(tuple(shape))
    if out is None:
        joined = "".join(s for s in specs).replace("...", "")
        out = letters + "".join(sorted(c for c in set(joined) if joined.count(c) == 1))
    elif "..." in out:
        out = out.replace("...", letters)
    elif letters:
        raise invalid_argument("einsum", f"{equation!r}: the output must keep the '...' axes")
    return ",".join(new_specs) + "->" + out, targets
