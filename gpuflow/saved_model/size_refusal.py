"""The refusal of a signature whose None sizes the recorded steps cannot follow.

gpuflow records a trace by running the body on values, so an op whose attributes come from
an input size (``tf.image.resize`` keeps the interpolation taps of its input height, a
reshape or a fill keeps a product of sizes) holds one size only. When such a signature can
only be saved at fixed sizes although the body accepts others, TensorFlow's SavedModel would
serve every size: save.py raises this error instead of saving a specialised trace."""

from __future__ import annotations

from .. import nest
from ..tensor_spec import TensorSpec

# The sizes a None dimension takes in the probes that find which dimension an op follows.
BASE, OTHER = 5, 7
# The most None dimensions probed one at a time.
MAX_DIMS = 8


def none_dimensions(signature) -> list:
    """``[(leaf index, axis)]`` of the None dimensions of ``signature`` (known ranks only)."""
    out = []
    for i, s in enumerate(nest.flatten(signature)):
        if isinstance(s, TensorSpec) and s.shape.rank is not None:
            out += [(i, j) for j, d in enumerate(tuple(s.shape)) if d is None]
    return out[:MAX_DIMS]


def sized(signature, base, changed=None, size=OTHER):
    """``signature`` with its None dimensions at the sizes of ``base`` (a fully sized version
    of it), the dimension ``changed`` at ``size``."""
    flat, got = nest.flatten(signature), nest.flatten(base)
    out = []
    for i, (s, b) in enumerate(zip(flat, got)):
        if not isinstance(s, TensorSpec) or s.shape.rank is None:
            out.append(b)
            continue
        dims = list(b.shape)
        if changed is not None and changed[0] == i:
            dims[changed[1]] = size
        out.append(TensorSpec(tuple(dims), s.dtype, s.name))
    return nest.pack_sequence_as(signature, out)


def first_difference(a: dict, b: dict) -> str | None:
    """``op NAME`` of the first step (an op or host call) where two stripped traces differ."""
    steps_a, steps_b = a.get("steps", []), b.get("steps", [])
    for x, y in zip(steps_a, steps_b):
        if x != y:
            what = str(x.get("op") or x.get("host") or sorted(x)[0]).rsplit(":", 1)[-1]
            return f"op {what}"
    return None


def error(fname: str, signature, findings: list) -> ValueError:
    """``findings``: ``[(leaf index, axis, what follows its size)]``."""
    flat = nest.flatten(signature)
    parts = [f"dimension {axis} of {flat[i]!r} ({op})" for i, axis, op in findings]
    return ValueError(
        f"tf.saved_model.save: function {fname!r}: its input signature leaves "
        f"{'; '.join(parts)} as None, and its recorded steps hold the size they were traced "
        "at (an op's attributes or a constant computed from it), so gpuflow's SavedModel "
        "cannot save one function for every size, as TensorFlow would. Give that dimension "
        "a fixed size in the input_signature (or save one signature per size you serve); see "
        "docs/saved_model.md"
    )
