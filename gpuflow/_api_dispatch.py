"""``tf.experimental.dispatch_for_api`` and the elementwise dispatchers: ops called with
user types (ExtensionTypes) run the function registered for those types.

gpuflow's op wrappers (:mod:`gpuflow._symbolic_dispatch`) consult :data:`TARGETS` before
running an op, when anything is registered at all, so an op without registrations pays
one dict lookup. A dispatcher matches when the arguments it annotates hold the annotated
types: a class, ``Union[...]``, ``Optional[...]``, ``List[...]`` / ``Sequence[...]``
/ ``Tuple[..., ...]`` of them.
"""

from __future__ import annotations

import collections.abc
import functools
import inspect
import typing

import numpy as np

# op function -> [(target, {parameter name: annotation})], newest first
TARGETS: dict = {}
_UNARY: list = []  # [(handler, x_type)]
_BINARY: list = []  # [(handler, x_type, y_type)]
_BINARY_ASSERT: list = []  # [(handler, x_type, y_type)]: tf.debugging.assert_equal & co.
# [(types, handler)]: gpuflow's own tensor subclasses (dtensor's DTensor) that every op
# called with one among its arguments hands to ``handler(op, name, args, kwargs)``
_TYPED: list = []
# [hook(sources, grads) -> grads]: GradientTape.gradient's results for such tensor kinds
GRADIENT_HOOKS: list = []


def _matches(value, tp) -> bool:
    if tp is typing.Any:
        return True
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is typing.Union:
        return any(_matches(value, a) for a in args)
    if origin in (list, tuple, collections.abc.Sequence):
        if not isinstance(value, (list, tuple)):
            return False
        inner = args[0] if args else typing.Any
        return all(_matches(v, inner) for v in value)
    if tp is type(None) or tp is None:
        return value is None
    return isinstance(tp, type) and isinstance(value, tp)


def _core(api):
    fn = getattr(api, "__wrapped_op__", None)
    if fn is None:
        name = getattr(api, "__name__", api)
        raise ValueError(
            f"dispatch_for_api: {name!r} is not a TensorFlow API that supports dispatch "
            "(pass an op such as tf.math.add or tf.concat)"
        )
    return fn


def dispatch_for_api(api, *signatures):
    """Decorator: run the decorated function instead of ``api`` when the arguments match
    ``signatures`` (dicts ``{parameter: type}``), or its own annotations without them."""
    fn = _core(api)
    api_params = list(inspect.signature(fn).parameters)

    def check(sig: dict) -> dict:
        unknown = [k for k in sig if k not in api_params]
        if unknown or not sig:
            raise ValueError(
                f"dispatch_for_api: the signature names {unknown or 'no parameters'}, "
                f"which are not parameters of {fn.__name__}{tuple(api_params)}"
            )
        return sig

    sigs = [check(dict(s)) for s in signatures]

    def decorator(target):
        call, target_params = _without_name(target, api_params)
        if target_params is not None and target_params != api_params:
            raise ValueError(
                f"dispatch_for_api: dispatch target {target.__name__}{tuple(target_params)} "
                f"must have the same parameters as {fn.__name__}{tuple(api_params)}"
            )
        hints = typing.get_type_hints(target)
        own = sigs or [check({k: v for k, v in hints.items() if k != "return"})]
        TARGETS.setdefault(fn, []).insert(0, (call, own))
        return target

    return decorator


def _without_name(target, api_params: list) -> tuple:
    """``(the function to call, its parameters as the API's)``. As TensorFlow, a target
    without the API's ``name`` parameter is called without it (its parameters then count
    with ``name`` appended), and a ``(*args, **kwargs)`` target takes anything (None)."""
    params = inspect.signature(target).parameters
    kinds = {p.kind for p in params.values()}
    if kinds == {inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD}:
        return target, None
    names = list(params)
    if "name" not in api_params or "name" in names or inspect.Parameter.VAR_KEYWORD in kinds:
        return target, names
    name_index = api_params.index("name")

    @functools.wraps(target)
    def call(*args, **kwargs):
        if name_index < len(args):
            args = args[:name_index] + args[name_index + 1 :]
        else:
            kwargs.pop("name", None)
        return target(*args, **kwargs)

    call._dispatch_original = target
    return call, names + ["name"]


def dispatch_for_unary_elementwise_apis(x_type):
    """Decorator: ``handler(api_func, x)`` runs for every unary elementwise op whose ``x``
    is an ``x_type``; ``api_func(x)`` computes the op (its other arguments bound)."""

    def decorator(handler):
        _UNARY.insert(0, (handler, x_type))
        _refresh()
        return handler

    return decorator


def dispatch_for_binary_elementwise_apis(x_type, y_type):
    """Decorator: ``handler(api_func, x, y)`` runs for every binary elementwise op whose
    operands are an ``x_type`` and a ``y_type``."""

    def decorator(handler):
        _BINARY.insert(0, (handler, x_type, y_type))
        _refresh()
        return handler

    return decorator


def dispatch_for_binary_elementwise_assert_apis(x_type, y_type):
    """Decorator: ``handler(assert_func, x, y)`` runs for every binary elementwise assert
    (``tf.debugging.assert_equal``, ``assert_none_equal``, ``assert_less``,
    ``assert_less_equal``, ``assert_greater``, ``assert_greater_equal``) whose operands are
    an ``x_type`` and a ``y_type``; ``assert_func(x, y)`` runs the assert (its message
    bound)."""

    def decorator(handler):
        _BINARY_ASSERT.insert(0, (handler, x_type, y_type))
        return handler

    return decorator


def assert_handler(x, y):
    """The handler registered for a binary elementwise assert on ``x`` and ``y``, or None."""
    for handler, x_type, y_type in _BINARY_ASSERT:
        if _matches(x, x_type) and _matches(y, y_type):
            return handler
    return None


def unregister_dispatch_for(dispatch_target) -> None:
    """Remove a function registered by any of the dispatch decorators."""
    found = False
    for fn in list(TARGETS):
        kept = [
            t
            for t in TARGETS[fn]
            if getattr(t[0], "_dispatch_original", t[0]) is not dispatch_target
        ]
        found |= len(kept) != len(TARGETS[fn])
        if kept:
            TARGETS[fn] = kept
        else:
            del TARGETS[fn]
    for table in (_UNARY, _BINARY, _BINARY_ASSERT):
        before = len(table)
        table[:] = [t for t in table if t[0] is not dispatch_target]
        found |= len(table) != before
    if not found:
        raise ValueError(
            f"Function {dispatch_target} was not registered using a dispatch decorator."
        )
    _refresh()


def register_type_handler(types: tuple, handler) -> None:
    """Run ``handler(op, name, args, kwargs)`` instead of any public op called with an
    instance of ``types`` among its arguments (or in a list of them). For gpuflow's own
    tensor kinds (``tf.experimental.dtensor``): the handler runs the op and wraps it."""
    if not any(t[1] is handler for t in _TYPED):
        _TYPED.append((tuple(types), handler))
    _refresh()


def _holds(values, types) -> bool:
    for v in values:
        if isinstance(v, types):
            return True
        if isinstance(v, (list, tuple)) and any(isinstance(u, types) for u in v):
            return True
    return False


def typed_in(args: tuple, kwargs: dict) -> bool:
    """Whether a registered tensor kind (see :func:`register_type_handler`) is among the
    arguments; a ``tf.function`` called with one runs its Python function as it is."""
    for types, _ in _TYPED:
        if _holds(args, types) or (kwargs and _holds(kwargs.values(), types)):
            return True
    return False


_ELEMENTWISE: dict = {"active": False}


def _refresh() -> None:
    _ELEMENTWISE["active"] = bool(_UNARY or _BINARY)


def active() -> bool:
    return bool(TARGETS) or _ELEMENTWISE["active"] or bool(_TYPED)


def find(fn, name: str, args: tuple, kwargs: dict):
    """The registered function to run for ``fn(*args, **kwargs)``, or None."""
    entries = TARGETS.get(fn)
    if entries:
        try:
            bound = inspect.signature(fn).bind(*args, **kwargs).arguments
        except TypeError:
            bound = None
        if bound is not None:
            for target, sigs in entries:
                for sig in sigs:
                    if all(k in bound and _matches(bound[k], tp) for k, tp in sig.items()) and any(
                        _dispatchable(bound[k]) for k in sig
                    ):
                        return target
    for types, handler in _TYPED:
        if _holds(args, types) or (kwargs and _holds(kwargs.values(), types)):
            return functools.partial(_call_typed, handler, fn, name)
    if _ELEMENTWISE["active"] and args:
        from .ragged.dispatch import BINARY, UNARY

        if name in UNARY:
            for handler, x_type in _UNARY:
                if _matches(args[0], x_type):
                    api = functools.partial(_call_unary, fn, args[1:], kwargs)
                    return lambda *a, **k: handler(api, args[0])
        if name in BINARY and len(args) >= 2:
            for handler, x_type, y_type in _BINARY:
                if _matches(args[0], x_type) and _matches(args[1], y_type):
                    api = functools.partial(_call_binary, fn, args[2:], kwargs)
                    return lambda *a, **k: handler(api, args[0], args[1])
    return None


def _call_typed(handler, fn, name, *args, **kwargs):
    return handler(fn, name, args, kwargs)


_PLAIN = (int, float, complex, bool, str, bytes, type(None), np.generic, np.ndarray)


def _dispatchable(value) -> bool:
    """Whether ``value`` holds an argument of a user type (an ExtensionType...): as in
    TensorFlow, a registration applies only then, so that a target for
    ``List[Union[MaskedTensor, tf.Tensor]]`` calling the op on plain tensors runs the op."""
    if isinstance(value, (list, tuple)):
        return any(_dispatchable(v) for v in value)
    if isinstance(value, _PLAIN) or value.__class__.__name__ in ("Tensor", "Variable"):
        return False
    from .tensor import Tensor

    return not isinstance(value, Tensor)


def _call_unary(fn, rest, kwargs, x):
    return fn(x, *rest, **kwargs)


def _call_binary(fn, rest, kwargs, x, y):
    return fn(x, y, *rest, **kwargs)
