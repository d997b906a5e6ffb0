"""``Dataset.fingerprint()``: a uint64 scalar that names what a pipeline computes.

Two datasets built the same way (the same sources and values, the same transformations with
the same arguments and functions) have the same fingerprint; a change to any of them gives
another. As TensorFlow's, it says nothing of file contents or nondeterministic ops (an
unseeded shuffle draws its seed when built, so two such pipelines differ here). It is a hash
of the dataset's object graph: each dataset's type and attributes, arrays and tensors by
their bytes, functions by their code, constants, defaults, closure cells and the plain values
they read from globals; state (locks, counters) by its type only, and what a pass fills in
(a cache's elements) not at all.
"""

from __future__ import annotations

import hashlib
import types

import numpy as np

from ..tensor import Tensor

_PLAIN = (bool, int, float, complex, str, bytes, type(None))
# Derived from the rest and filled in lazily; a class adds its own run-time state as
# ``_fingerprint_skip`` (a tuple of attribute names).
_SKIPPED = frozenset({"_spec_cache"})


def fingerprint(self, name=None) -> Tensor:
    """The dataset's fingerprint (a uint64 scalar tensor)."""
    digest = hashlib.sha256()
    _feed(digest, self, set())
    value = np.frombuffer(digest.digest()[:8], dtype="<u8")[0]
    return Tensor(np.asarray(value, dtype=np.uint64))


def _feed(digest, value, seen: set) -> None:
    put = digest.update
    if isinstance(value, _PLAIN):
        put(f"{type(value).__name__}:{value!r};".encode())
        return
    if isinstance(value, Tensor):
        value = value.numpy()
    if isinstance(value, (np.ndarray, np.generic)):
        array = np.asarray(value)
        put(f"array:{array.dtype.str}:{array.shape};".encode())
        put(array.tobytes() if array.dtype != object else repr(array.tolist()).encode())
        return
    if id(value) in seen:
        put(b"cycle;")
        return
    seen.add(id(value))
    if isinstance(value, (list, tuple, range)):
        put(f"{type(value).__name__}[{len(value)}];".encode())
        for item in value:
            _feed(digest, item, seen)
    elif isinstance(value, dict):
        put(f"dict[{len(value)}];".encode())
        for key in sorted(value, key=repr):
            _feed(digest, key, seen)
            _feed(digest, value[key], seen)
    elif isinstance(value, (types.FunctionType, types.MethodType)):
        _feed_function(digest, value, seen)
    elif isinstance(value, types.CodeType):
        put(value.co_code)
        _feed(digest, tuple(value.co_names), seen)
        _feed(digest, tuple(value.co_consts), seen)
    elif hasattr(value, "__dict__") and not isinstance(value, (type, types.ModuleType)):
        put(f"object:{type(value).__qualname__};".encode())
        skipped = _SKIPPED.union(getattr(type(value), "_fingerprint_skip", ()))
        for key in sorted(vars(value)):
            if key not in skipped:
                put(key.encode())
                _feed(digest, vars(value)[key], seen)
    else:  # a lock, a counter, a module, a class: what it is, not its state
        put(f"other:{type(value).__qualname__}:{getattr(value, '__qualname__', '')};".encode())


def _feed_function(digest, fn, seen: set) -> None:
    if isinstance(fn, types.MethodType):
        _feed(digest, fn.__self__, seen)
        fn = fn.__func__
    wrapped = getattr(fn, "__wrapped__", None)
    if wrapped is not None and wrapped is not fn:
        _feed(digest, wrapped, seen)
    code = fn.__code__
    _feed(digest, code, seen)
    _feed(digest, fn.__defaults__, seen)
    for cell in fn.__closure__ or ():
        try:
            _feed(digest, cell.cell_contents, seen)
        except ValueError:  # an empty cell
            digest.update(b"empty-cell;")
    for global_name in code.co_names:
        value = fn.__globals__.get(global_name)
        if isinstance(value, (*_PLAIN, np.ndarray, np.generic, Tensor)):
            digest.update(global_name.encode())
            _feed(digest, value, seen)
