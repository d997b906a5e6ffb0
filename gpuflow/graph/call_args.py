"""One form for the ways a call can pass the same arguments, so that tf.function traces
them once, as TensorFlow does: ``f(x, True)``, ``f(x, training=True)`` and ``f(x)`` (where
``training`` defaults to True) are one call ``f(x)``.

Parameters that can be positional become positional; a trailing one whose value is its
default (the default object itself, or an equal bool, number, string or None) is dropped;
keyword-only arguments equal to their defaults are dropped too.
"""

from __future__ import annotations

import inspect

_P = inspect.Parameter
_SIMPLE = (bool, int, float, complex, str, bytes, type(None))


def call_signature(python_function):
    """The signature to bind calls with, or None where Python cannot tell it."""
    try:
        return inspect.signature(python_function)
    except (TypeError, ValueError):
        return None


def _is_default(value, default) -> bool:
    if value is default:
        return True
    if default is _P.empty or type(value) is not type(default) or type(value) not in _SIMPLE:
        return False
    return value == default and not (value != value)  # NaN equals no default


def canonical_call(signature, args: tuple, kwargs: dict):
    """``(args, kwargs)`` in the one form; unchanged where they do not bind (the call then
    raises Python's own TypeError)."""
    if signature is None:
        return args, kwargs
    try:
        bound = signature.bind(*args, **kwargs)
    except TypeError:
        return args, kwargs
    given = bound.arguments
    positional: list = []  # (value, default)
    extra: tuple = ()
    keywords: dict = {}
    for name, param in signature.parameters.items():
        if param.kind in (_P.POSITIONAL_ONLY, _P.POSITIONAL_OR_KEYWORD):
            positional.append((given.get(name, param.default), param.default))
        elif param.kind is _P.VAR_POSITIONAL:
            extra = tuple(given.get(name, ()))
        elif param.kind is _P.KEYWORD_ONLY:
            if name in given and not _is_default(given[name], param.default):
                keywords[name] = given[name]
        else:
            keywords.update(given.get(name, {}))
    if not extra:
        while positional and _is_default(*positional[-1]):
            positional.pop()
    return tuple(v for v, _ in positional) + extra, keywords
