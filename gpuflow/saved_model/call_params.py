"""A saved function's Python parameters (names, kinds, plain defaults) as JSON, and back as
an ``inspect.Signature``, so that a loaded function puts its calls in the one form its
traces were recorded in (``graph/call_args.canonical_call``): ``f(x, states=None)`` where
``states`` defaults to None finds the trace of ``f(x)``, as in TensorFlow."""

from __future__ import annotations

import inspect
import math

_P = inspect.Parameter
_PLAIN = (bool, int, float, str, type(None))
_KINDS = {
    kind.name: kind
    for kind in (
        _P.POSITIONAL_ONLY,
        _P.POSITIONAL_OR_KEYWORD,
        _P.VAR_POSITIONAL,
        _P.KEYWORD_ONLY,
        _P.VAR_KEYWORD,
    )
}


def params_to_json(python_function) -> list | None:
    """``[[name, kind, default?], ...]`` (a default only where it is a JSON-safe plain
    value), or None where Python cannot tell the signature."""
    try:
        signature = inspect.signature(python_function)
    except (TypeError, ValueError):
        return None
    out = []
    for param in signature.parameters.values():
        entry = [param.name, param.kind.name]
        default = param.default
        if default is not _P.empty and type(default) in _PLAIN:
            if not (isinstance(default, float) and not math.isfinite(default)):
                entry.append(default)
        out.append(entry)
    return out


def params_from_json(data) -> inspect.Signature | None:
    """The signature ``params_to_json`` wrote; None for a file without one (or a malformed
    entry), where calls are matched as they come."""
    if not isinstance(data, list):
        return None
    params = []
    try:
        for entry in data:
            name, kind = str(entry[0]), _KINDS[str(entry[1])]
            if len(entry) > 2 and type(entry[2]) in _PLAIN:
                params.append(_P(name, kind, default=entry[2]))
            else:
                params.append(_P(name, kind))
        return inspect.Signature(params)
    except (IndexError, KeyError, TypeError, ValueError):
        return None
