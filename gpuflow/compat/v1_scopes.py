"""``tf.compat.v1.variable_scope`` / ``get_variable_scope`` / ``name_scope``: the scope
stack that prefixes variable names (``layer1/W``) and op names, with the reuse flag
(``True``, ``AUTO_REUSE``) that decides whether ``get_variable`` makes or finds."""

from __future__ import annotations

import enum
import threading

from .v1_collections import global_variables, state, trainable_variables


class _ReuseMode(enum.Enum):
    AUTO_REUSE = 1


AUTO_REUSE = _ReuseMode.AUTO_REUSE


class VariableScope:
    """A variable scope: its name, reuse flag and defaults for ``get_variable``."""

    def __init__(
        self,
        reuse,
        name="",
        initializer=None,
        regularizer=None,
        caching_device=None,
        partitioner=None,
        custom_getter=None,
        name_scope="",
        dtype="float32",
        use_resource=None,
        constraint=None,
    ) -> None:
        self._name, self._reuse = name, reuse
        self._initializer, self._regularizer = initializer, regularizer
        self._dtype, self._constraint = dtype, constraint
        self._name_scope = name_scope
        self._custom_getter = custom_getter

    name = property(lambda self: self._name)
    original_name_scope = property(lambda self: self._name_scope)
    reuse = property(lambda self: self._reuse)
    initializer = property(lambda self: self._initializer)
    regularizer = property(lambda self: self._regularizer)
    dtype = property(lambda self: self._dtype)
    constraint = property(lambda self: self._constraint)
    custom_getter = property(lambda self: self._custom_getter)

    def reuse_variables(self) -> None:
        self._reuse = True

    def set_initializer(self, initializer) -> None:
        self._initializer = initializer

    def set_regularizer(self, regularizer) -> None:
        self._regularizer = regularizer

    def set_dtype(self, dtype) -> None:
        self._dtype = dtype

    def global_variables(self) -> list:
        return global_variables(self._name or None)

    def trainable_variables(self) -> list:
        return trainable_variables(self._name or None)


class _Stacks(threading.local):
    def __init__(self) -> None:
        self.scopes: list = [VariableScope(False)]
        self.names: list = []  # the name scopes, outermost first


_stacks = _Stacks()


def get_variable_scope() -> VariableScope:
    return _stacks.scopes[-1]


def current_name_scope() -> str:
    return "/".join(n for n in _stacks.names if n)


def unique_op_name(name: str) -> str:
    """``name`` under the current name scope, made unique in the graph (``MatMul``,
    ``MatMul_1``), as TensorFlow names ops."""
    scope = current_name_scope()
    full = f"{scope}/{name}" if scope else name
    names = state().names
    if full not in names:
        names[full] = 1
        return full
    while True:
        candidate = f"{full}_{names[full]}"
        names[full] += 1
        if candidate not in names:
            names[candidate] = 1
            return candidate


def _unique_scope_name(base: str) -> str:
    """``base`` or ``base_1``, ... not yet used as a scope under the current one."""
    used = state().names
    parent = current_name_scope()
    full = f"{parent}/{base}" if parent else base
    if full not in used:
        used[full] = 1
        return base
    count = used[full]
    while f"{full}_{count}" in used:
        count += 1
    used[full] = count + 1
    used[f"{full}_{count}"] = 1
    return f"{base}_{count}"


class name_scope:  # noqa: N801 - TensorFlow's name
    """``tf.compat.v1.name_scope(name, default_name=None, values=None)``: ops recorded
    inside are named ``name/Op``; a used name gets a suffix (``name_1``)."""

    def __init__(self, name, default_name=None, values=None) -> None:
        self._name = name if name is not None else default_name
        if self._name is None:
            raise ValueError("name_scope: name and default_name cannot both be None")

    def __enter__(self) -> str:
        if self._name == "":
            self._saved = list(_stacks.names)
            _stacks.names.clear()
            return ""
        self._saved = None
        name = (
            self._name.rstrip("/") if self._name.endswith("/") else _unique_scope_name(self._name)
        )
        _stacks.names.append(name)
        return current_name_scope() + "/"

    def __exit__(self, *exc) -> None:
        if self._saved is not None:
            _stacks.names[:] = self._saved
        else:
            _stacks.names.pop()


class variable_scope:  # noqa: N801 - TensorFlow's name
    """``tf.compat.v1.variable_scope``: names ``get_variable``'s variables ``scope/name``
    and says whether they are made (reuse False), found (True) or either (AUTO_REUSE)."""

    def __init__(
        self,
        name_or_scope,
        default_name=None,
        values=None,
        initializer=None,
        regularizer=None,
        caching_device=None,
        partitioner=None,
        custom_getter=None,
        reuse=None,
        dtype=None,
        use_resource=None,
        constraint=None,
        auxiliary_name_scope=True,
    ) -> None:
        if name_or_scope is None and default_name is None:
            raise TypeError("If default_name is None then name_or_scope is required")
        if reuse is False:
            reuse = None  # as TensorFlow: False means "inherit"
        self._arg, self._default = name_or_scope, default_name
        self._initializer, self._regularizer = initializer, regularizer
        self._reuse, self._dtype, self._constraint = reuse, dtype, constraint
        self._custom_getter = custom_getter
        self._aux = auxiliary_name_scope

    def __enter__(self) -> VariableScope:
        parent = get_variable_scope()
        if isinstance(self._arg, VariableScope):
            full = self._arg.name
            base = self._arg
        else:
            base = None
            if self._arg is not None:
                short = self._arg
            else:
                short = _unique_scope_name(self._default)
                state().names.pop(
                    f"{current_name_scope()}/{short}" if current_name_scope() else short, None
                )
            full = f"{parent.name}/{short}" if parent.name else short
        reuse = self._reuse
        if reuse is None:
            reuse = base.reuse if base is not None else parent.reuse
        if parent.reuse is True:
            reuse = True
        elif parent.reuse is AUTO_REUSE and reuse is not True:
            reuse = AUTO_REUSE
        pick = lambda own, attr: own if own is not None else getattr(base or parent, attr)  # noqa: E731
        scope = VariableScope(
            reuse,
            full,
            initializer=pick(self._initializer, "initializer"),
            regularizer=pick(self._regularizer, "regularizer"),
            dtype=pick(self._dtype, "dtype"),
            constraint=pick(self._constraint, "constraint"),
            custom_getter=pick(self._custom_getter, "custom_getter"),
            name_scope=full,
        )
        _stacks.scopes.append(scope)
        self._names = None
        if self._aux:
            short = full.rsplit("/", 1)[-1]
            self._names = name_scope(short)
            self._names.__enter__()
        return scope

    def __exit__(self, *exc) -> None:
        if self._names is not None:
            self._names.__exit__(*exc)
        _stacks.scopes.pop()


def variable_op_scope(values, name_or_scope, default_name=None, **kwargs):
    return variable_scope(name_or_scope, default_name=default_name, values=values, **kwargs)
