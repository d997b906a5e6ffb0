"""Autograph (a small one): ``if`` and ``while`` statements in a ``gpuflow.function``'s own
source become calls that choose at run time between Python control flow and
``gpuflow.cond`` / ``gpuflow.while_loop``.

Only statements that can be converted safely are: no ``return``, ``break``, ``continue``,
``yield``, ``global`` or ``nonlocal`` inside them, except an ``if`` whose branches each end
in a ``return`` (``if x > 0: return x`` / ``else: return 0``, or the statements after the
``if`` ending in one), which becomes a ``return`` of the taken branch's value. The
variables a statement assigns are passed in and returned, so a branch or loop body is a
function of them. When the
condition is a Python value, or a tensor known while tracing, the statement runs as plain
Python (TensorFlow's rule); only a traced tensor condition becomes ``cond`` /
``while_loop``. Anything not converted keeps Python semantics, and a traced tensor used as
a ``bool`` there raises an error naming ``gpuflow.cond`` / ``gpuflow.while_loop``.
"""

from __future__ import annotations

import ast
import contextlib
import copy
import inspect
import os
import sysconfig
import textwrap
import types
import weakref

from .._tracing import tracing
from ..tensor import Tensor
from .loop_options import iteration_cap, loop_options_keyword

_HELPER = "ag__"


class _Undefined:
    """A variable not yet assigned when the statement starts."""

    def __repr__(self) -> str:
        return "<undefined>"


UNDEFINED = _Undefined()


def _is_traced(value) -> bool:
    trace = tracing.trace
    return trace is not None and isinstance(value, Tensor) and trace.is_traced(value)


def if_stmt(pred, true_fn, false_fn, values):
    """``if pred`` over the variables ``values`` (returns their values after it)."""
    if not _is_traced(pred):
        return true_fn(*values) if pred else false_fn(*values)
    from .control_flow import cond

    def branch(fn):
        def run():
            out = fn(*values)
            if any(v is UNDEFINED for v in out):
                raise ValueError(
                    "autograph: an `if` on a tensor condition must define each "
                    "variable it assigns in both branches (or before the `if`)"
                )
            return tuple(out)

        return run

    return tuple(cond(pred, branch(true_fn), branch(false_fn)))


def if_return(pred, true_fn, false_fn, values):
    """``if pred: ... return a`` / ``else: ... return b``: the value the taken branch returns."""
    if not _is_traced(pred):
        return true_fn(*values) if pred else false_fn(*values)
    from .control_flow import cond

    return cond(pred, lambda: true_fn(*values), lambda: false_fn(*values))


def while_stmt(test_fn, body_fn, values, flag=None, appended=(), loop_options=None, names=None):
    """``while test`` over the loop variables ``values`` (``flag``, ``appended``,
    ``loop_options``, ``names``: see :func:`for_range`)."""
    if flag is not None:
        plain_test = test_fn

        def test_fn(*loop_values):
            stop = loop_values[flag]
            if _is_traced(stop):
                from ..ops.compare import logical_and

                return logical_and(plain_test(*loop_values), not_(stop))
            return False if stop is True else plain_test(*loop_values)

    test = test_fn(*values)
    if not _is_traced(test):  # a Python condition: a Python loop (unrolled when traced)
        done = 0
        while test:
            values = body_fn(*values)
            done += 1
            test = test_fn(*values)
            if _is_traced(test):  # a tensor condition from here on: the rest as a while_loop
                cap = iteration_cap(loop_options, done)
                options = None if cap is None else {"maximum_iterations": cap}
                return while_stmt(
                    test_fn, body_fn, values, appended=appended, loop_options=options, names=names
                )
        return values
    if flag is not None:
        values = tuple(_as_bool(v) if k == flag else v for k, v in enumerate(values))
    from .control_flow import while_loop

    local = _StepLocals(values, lambda v: body_fn(*v), names)
    with _appends_checked(appended):
        out = while_loop(
            lambda *v: test_fn(*local.full(v)),
            lambda *v: local.carried(body_fn(*local.full(v))),
            local.carried(),
            maximum_iterations=iteration_cap(loop_options),
        )
    return local.after(out)


class _StepLocals:
    """The variables a TensorFlow loop assigns that are undefined before it, as
    TensorFlow's autograph treats them: one that the body makes a tensor starts the loop
    as zeros of that shape and dtype (found by recording one step and dropping it), so
    its value after the loop is the last step's; any other (a ``GradientTape``, a
    Python object) is local to each step: the body sees it UNDEFINED on entry and the
    loop does not carry it. ``dry_body(values)`` runs one step on ``values``.

    A loop that ran no step leaves those zeros unset: as TensorFlow, using one after the
    loop raises InvalidArgumentError ("loop must iterate at least once to initialize
    sq"). The loop carries one more value for that, whether it ran a step; ``names``:
    the variables' names, for the message."""

    def __init__(self, values, dry_body, names=None) -> None:
        values = list(values)
        self.size = len(values)
        self.names = names
        self.zeroed: list = []  # the variables that start the loop as zeros
        undefined = [i for i, v in enumerate(values) if v is UNDEFINED]
        if undefined and tracing.trace is not None:
            from ..ops.creation import zeros
            from .control_flow import _subtrace

            _, out = _subtrace(tracing.trace, dry_body, (tuple(values),))
            out = tuple(out)
            for i in undefined:
                if isinstance(out[i], Tensor):
                    values[i] = zeros(out[i].shape, out[i].dtype)
                    self.zeroed.append(i)
        self.initial = values
        self.kept = [i for i, v in enumerate(values) if v is not UNDEFINED]

    def carried(self, values=None) -> tuple:
        """The loop's values: the initial ones, or a step's ``values``."""
        stepped = values is not None
        values = tuple(self.initial if values is None else values)
        out = tuple(values[i] for i in self.kept)
        if self.zeroed:  # whether the loop ran a step
            from ..ops.creation import convert_to_tensor

            out += (convert_to_tensor(stepped),)
        return out

    def full(self, carried) -> tuple:
        if self.zeroed:
            carried = carried[:-1]
        values = [UNDEFINED] * self.size
        for i, v in zip(self.kept, carried):
            values[i] = v
        return tuple(values)

    def after(self, carried) -> tuple:
        """The variables after the loop (``carried``: the loop's results)."""
        values = list(self.full(carried))
        if self.zeroed:
            from .loop_locals import initialized

            names = ", ".join(
                self.names[i] if self.names and i < len(self.names) else f"loop variable {i}"
                for i in self.zeroed
            )
            message = f"loop must iterate at least once to initialize {names}"
            for i in self.zeroed:
                values[i] = initialized(values[i], carried[-1], message)
        return tuple(values)


class InaccessibleTensorError(ValueError):
    """A tensor made inside a loop's body, kept outside it (TensorFlow's name)."""


@contextlib.contextmanager
def _appends_checked(appended):
    """Around a loop that runs as a ``while_loop``: the Python lists its body appends to
    (``appended``) must not keep tensors of the body, which exist only inside the loop
    (TensorFlow's InaccessibleTensorError); use a ``tf.TensorArray``."""
    lists = [a for a in appended if isinstance(a, list)]
    sizes = [len(a) for a in lists]
    yield
    for items, size in zip(lists, sizes):
        for item in items[size:]:
            if isinstance(item, Tensor):
                raise InaccessibleTensorError(
                    f"The tensor {item!r} cannot be accessed outside the loop, because it "
                    "was defined in the body of a loop on a tensor (a while_loop); a Python "
                    "list appended to in such a loop keeps tensors of the body only. Use "
                    "tf.TensorArray (ta = ta.write(i, value) ... ta.stack()) to collect "
                    "values from a loop."
                )


def if_exp(pred, true_fn, false_fn):
    """``a if pred else b`` (each a function): ``cond`` when ``pred`` is a traced tensor."""
    if not _is_traced(pred):
        return true_fn() if pred else false_fn()
    from .control_flow import cond

    return cond(pred, true_fn, false_fn)


def not_(value):
    """``not value``: ``logical_not`` for a traced tensor (a ``break`` flag)."""
    if _is_traced(value):
        from ..ops.unary import logical_not

        return logical_not(value)
    return not value


def and_(*operands):
    """``a and b and ...`` (each operand a function, evaluated lazily as Python does):
    ``logical_and`` from the first traced tensor operand on."""
    return _bool_op(operands, True)


def or_(*operands):
    """``a or b or ...``, as :func:`and_` with ``logical_or``."""
    return _bool_op(operands, False)


def _bool_op(operands, is_and: bool):
    value = operands[0]()
    for k in range(1, len(operands)):
        if _is_traced(value):
            from ..ops.compare import logical_and, logical_or

            rest = _bool_op(operands[k:], is_and)
            return (logical_and if is_and else logical_or)(value, rest)
        if (not value) if is_and else value:
            return value
        value = operands[k]()
    return value


_RETURN_IN_LOOP = (
    "a return statement cannot be placed inside this TensorFlow loop; this may happen if a "
    "return statement depends on a static Python condition such as a hyperparameter"
)


def loop_test(value):
    """The condition of a ``while`` with a ``return`` inside: a traced tensor would make it
    a TensorFlow loop, which cannot return (TensorFlow's NotImplementedError)."""
    if _is_traced(value):
        raise NotImplementedError(_RETURN_IN_LOOP)
    return value


def loop_iter(value):
    """What a ``for`` with a ``return`` inside iterates: a tensor (``tf.range``) or a
    dataset would make it a TensorFlow loop, which cannot return."""
    if tracing.trace is not None and (isinstance(value, Tensor) or _is_dataset(value)):
        raise NotImplementedError(_RETURN_IN_LOOP)
    return value


def _is_dataset(value) -> bool:
    return any(c.__name__ == "Dataset" for c in type(value).__mro__)


def _stopped(values, flag):
    """Whether the loop's ``break`` flag (index ``flag`` of ``values``) is set."""
    return flag is not None and values[flag] is True


def for_range(
    range_fn, args_fn, body_fn, values, flag=None, appended=(), loop_options=None, names=None
):
    """``for i in range_fn()(*args_fn())`` (``tf.range`` or ``range``) over the loop variables
    ``values``: a Python loop (unrolled when traced) unless a bound is a traced tensor,
    then a ``while_loop`` over a counter from ``start`` to ``limit`` by ``delta``.

    ``flag``: the index in ``values`` of the flag a lowered ``break`` sets (the loop ends
    once it is True). When the flag becomes a traced tensor during an unrolled loop, the
    remaining steps become a ``while_loop`` from there.

    Returns ``(i, *values)``: the loop variable's last value too (UNDEFINED after no step),
    as Python leaves it bound after the loop.

    ``appended``: the lists the body appends to; a ``while_loop`` must not leave tensors of
    its body in them.

    ``loop_options``: the arguments of the body's ``set_loop_options`` call; a loop over
    ``tf.range`` stops after their ``maximum_iterations`` (see ``loop_options.py``).

    ``names``: the names of ``values``, for the error of a variable first assigned in a
    ``while_loop`` that ran no step."""
    range_type = range_fn()
    cap = None if range_type is range else iteration_cap(loop_options)
    return _for_range(range_type, tuple(args_fn()), body_fn, values, flag, appended, cap, names)


def _for_range(range_type, args, body_fn, values, flag, appended, cap, names=None):
    """:func:`for_range` over ``range_type(*args)``, at most ``cap`` steps (None: all)."""
    start, limit, delta = (0, *args, 1) if len(args) == 1 else (*args, 1)[:3]
    if not any(_is_traced(a) for a in args):
        last = UNDEFINED
        for done, value in enumerate(range_type(*args)):
            if cap is not None and done >= cap:
                break
            last = value
            values = body_fn(last, *values)
            if flag is not None and _is_traced(values[flag]):
                # the break depends on a tensor: the rest of the loop runs as a while_loop
                left = None if cap is None else cap - done - 1
                return _while_range(
                    last + _number(delta),
                    limit,
                    delta,
                    body_fn,
                    values,
                    flag,
                    appended,
                    left,
                    names,
                )
            if _stopped(values, flag):
                break
        return (last, *values)
    return _while_range(start, limit, delta, body_fn, values, flag, appended, cap, names)


def for_iter(iter_fn, body_fn, values, flag=None, appended=(), loop_options=None, names=None):
    """``for x in iter_fn()`` with a lowered ``break`` (``flag``, see :func:`for_range`):
    over a tensor, its rows by index (a ``while_loop`` once the break depends on a traced
    value, as TensorFlow's loop over a tensor); over anything else, a Python loop.

    Returns ``(x, *values)``: the loop variable's last value too (UNDEFINED after no step).
    """
    iterable = iter_fn()
    if isinstance(iterable, Tensor) and iterable.ndim > 0:
        rows = iterable

        def by_index(i, *loop_values):
            return body_fn(rows[i], *loop_values)

        # a loop over a tensor is a TensorFlow loop: set_loop_options applies
        cap = iteration_cap(loop_options)
        last, *values = _for_range(
            range, (int(rows._data.shape[0]),), by_index, values, flag, appended, cap, names
        )
        return (UNDEFINED if last is UNDEFINED else rows[last], *values)
    last = UNDEFINED
    for last in iterable:
        values = body_fn(last, *values)
        if flag is not None and _is_traced(values[flag]):
            from ..errors import OperatorNotAllowedInGraphError

            raise OperatorNotAllowedInGraphError(
                f"autograph: a break that depends on a traced tensor inside a loop over a "
                f"Python {type(iterable).__name__}: loop over a tensor or tf.range instead "
                "(a TensorFlow loop), or make the condition a Python value"
            )
        if _stopped(values, flag):
            break
    return (last, *values)


def _number(value):
    return value.numpy().item() if isinstance(value, Tensor) else value


def _while_range(start, limit, delta, body_fn, values, flag, appended=(), cap=None, names=None):
    """The loop from ``start`` as a ``while_loop`` (see :func:`for_range`)."""
    from ..ops.creation import convert_to_tensor
    from ..ops.math import cast
    from .control_flow import while_loop

    traced = [a for a in (start, limit, delta) if _is_traced(a)]
    dtype = traced[0].dtype if traced else convert_to_tensor(limit).dtype
    start, limit, delta = (cast(convert_to_tensor(v), dtype) for v in (start, limit, delta))

    if _is_traced(delta):  # the direction is only known at run time

        def in_range(i):
            return ((delta > 0) & (i < limit)) | ((delta < 0) & (i > limit))

    elif float(delta.numpy()) > 0:

        def in_range(i):
            return i < limit

    else:

        def in_range(i):
            return i > limit

    if flag is not None:
        values = tuple(_as_bool(v) if k == flag else v for k, v in enumerate(values))
    local = _StepLocals(values, lambda v: body_fn(start, *v), names)

    def test(i, *loop_values):
        if flag is None:
            return in_range(i)
        from ..ops.compare import logical_and

        return logical_and(in_range(i), not_(_as_bool(local.full(loop_values)[flag])))

    def body(i, *loop_values):
        return (i + delta,) + local.carried(body_fn(i, *local.full(loop_values)))

    with _appends_checked(appended):
        counter, *values = while_loop(
            test, body, (start,) + local.carried(), maximum_iterations=cap
        )
    return (counter - delta, *local.after(values))


def _as_bool(value):
    """A ``break`` flag as a bool tensor (a Python bool before the first traced break)."""
    from ..ops.creation import convert_to_tensor

    return value if isinstance(value, Tensor) else convert_to_tensor(bool(value))


# -- the AST transform ------------------------------------------------------------------------
class _Unsafe(ast.NodeVisitor):
    found = False

    def generic_visit(self, node):
        if isinstance(
            node,
            (
                ast.Return,
                ast.Break,
                ast.Continue,
                ast.Yield,
                ast.YieldFrom,
                ast.Global,
                ast.Nonlocal,
                ast.Await,
            ),
        ):
            self.found = True
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            return  # their own scope
        super().generic_visit(node)


def _declared_names(stmts) -> dict:
    """``{name: ast.Global or ast.Nonlocal}`` declared in ``stmts`` (not nested scopes)."""
    found: dict = {}
    queue = list(stmts)
    while queue:
        node = queue.pop()
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            found.update((name, type(node)) for name in node.names)
        elif not isinstance(
            node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)
        ):
            queue.extend(ast.iter_child_nodes(node))
    return found


def _ends_in_return(stmts) -> bool:
    """Statements that end in a ``return`` and have no other return, break, ... before it."""
    return bool(stmts) and isinstance(stmts[-1], ast.Return) and not _unsafe(stmts[:-1])


def _unsafe(nodes) -> bool:
    checker = _Unsafe()
    for node in nodes:
        checker.visit(node)
    return checker.found


def _assigned(nodes) -> list:
    names: list = []
    for node in nodes:
        for sub in ast.walk(node):
            # names a statement binds or deletes (either makes them local to a branch function)
            bound = isinstance(sub, ast.Name) and isinstance(sub.ctx, (ast.Store, ast.Del))
            if bound and sub.id not in names:
                names.append(sub.id)
    return names


class _Converter(ast.NodeTransformer):
    def __init__(self) -> None:
        self.declared: dict = {}  # global / nonlocal names of the converted function
        self.count = 0
        self.converted = 0
        self.calls = 0  # calls wrapped in ag__.converted

    def _name(self, kind):
        self.count += 1
        return f"{_HELPER}{kind}_{self.count}"

    def _fn(self, name, args, body, returns):
        ret = ast.Return(ast.Tuple([ast.Name(n, ast.Load()) for n in returns], ast.Load()))
        return _function_def(name, _arguments(args), self._declarations() + list(body) + [ret])

    def _values(self, names):
        # ag__.value(locals(), "x") for each name: its value, or UNDEFINED
        return ast.Tuple(
            [
                ast.Call(
                    ast.Attribute(ast.Name(_HELPER, ast.Load()), "value", ast.Load()),
                    [ast.Call(ast.Name("locals", ast.Load()), [], []), ast.Constant(n)],
                    [],
                )
                for n in names
            ],
            ast.Load(),
        )

    def _assign(self, names, call):
        target = ast.Tuple([ast.Name(n, ast.Store()) for n in names], ast.Store())
        return ast.Assign(targets=[target], value=call)

    def visit_Call(self, node):
        """``f(...)`` becomes ``ag__.converted(f)(...)``: a user function it calls is
        converted too when the call runs (TensorFlow's ``converted_call``)."""
        self.generic_visit(node)
        func = node.func
        if isinstance(func, ast.Attribute) and getattr(func.value, "id", None) == _HELPER:
            return node  # one of ours
        if isinstance(func, ast.Name) and func.id in _NEVER_CONVERTED:
            return node
        node.func = ast.Call(
            ast.Attribute(ast.Name(_HELPER, ast.Load()), "converted", ast.Load()), [func], []
        )
        self.calls += 1
        return node

    def _appended(self, body) -> list:
        """``appended=(a, ...)``: the variables ``a.append(...)`` in ``body`` appends to."""
        names: list = []
        for stmt in body:
            for sub in ast.walk(stmt):
                if (
                    isinstance(sub, ast.Call)
                    and isinstance(_unwrapped(sub.func), ast.Attribute)
                    and _unwrapped(sub.func).attr == "append"
                    and isinstance(_unwrapped(sub.func).value, ast.Name)
                    and _unwrapped(sub.func).value.id not in names
                ):
                    names.append(_unwrapped(sub.func).value.id)
        if not names:
            return []
        return [ast.keyword("appended", self._values(names))]

    def _helper_call(self, name, *args):
        self.calls += 1
        return ast.Call(
            ast.Attribute(ast.Name(_HELPER, ast.Load()), name, ast.Load()), list(args), []
        )

    def visit_BoolOp(self, node):
        """``a and b`` becomes ``ag__.and_(lambda: a, lambda: b)`` (``or`` likewise):
        ``logical_and`` / ``logical_or`` when an operand is a traced tensor."""
        self.generic_visit(node)
        if any(_has_walrus(v) for v in node.values):
            return node  # an assignment expression cannot move into a lambda
        name = "and_" if isinstance(node.op, ast.And) else "or_"
        self.calls += 1
        return ast.Call(
            ast.Attribute(ast.Name(_HELPER, ast.Load()), name, ast.Load()),
            [ast.Lambda(_arguments([]), v) for v in node.values],
            [],
        )

    def visit_Lambda(self, node):
        self.lambdas = getattr(self, "lambdas", 0) + 1
        try:
            self.generic_visit(node)
        finally:
            self.lambdas -= 1
        return node

    def visit_IfExp(self, node):
        """``a if t else b`` becomes ``ag__.if_exp(t, lambda: a, lambda: b)``: a ``cond``
        when ``t`` is a traced tensor (not inside a lambda, which TensorFlow leaves as
        Python)."""
        self.generic_visit(node)
        if getattr(self, "lambdas", 0) or _has_walrus(node.body) or _has_walrus(node.orelse):
            return node  # an assignment expression cannot move into a lambda
        self.calls += 1
        return ast.Call(
            ast.Attribute(ast.Name(_HELPER, ast.Load()), "if_exp", ast.Load()),
            [
                node.test,
                ast.Lambda(_arguments([]), node.body),
                ast.Lambda(_arguments([]), node.orelse),
            ],
            [],
        )

    def visit_UnaryOp(self, node):
        """``not a`` becomes ``ag__.not_(a)`` (``logical_not`` of a traced tensor)."""
        self.generic_visit(node)
        if not isinstance(node.op, ast.Not):
            return node
        self.calls += 1
        return ast.Call(
            ast.Attribute(ast.Name(_HELPER, ast.Load()), "not_", ast.Load()), [node.operand], []
        )

    def _state(self, nodes) -> list:
        """The names ``nodes`` assign that become a helper's arguments and results: not
        those the function declares ``global`` or ``nonlocal`` (those stay bound where
        they are, each helper declaring them too)."""
        return [n for n in _assigned(nodes) if n not in self.declared]

    def _declarations(self) -> list:
        """The function's ``global`` / ``nonlocal`` statements, repeated in a helper."""
        out = []
        for kind in (ast.Global, ast.Nonlocal):
            names = [n for n, k in self.declared.items() if k is kind]
            if names:
                out.append(kind(names=names))
        return out

    def visit_FunctionDef(self, node):
        if getattr(self, "_top", None) is None:
            self._top = node
            self.declared = _declared_names(node.body)
            node.body = self._returning_ifs(node.body)
            self.generic_visit(node)
        elif getattr(node, "_ag_branch", False):
            self.generic_visit(node)
        return node  # nested functions keep their own semantics

    def _returning_ifs(self, stmts: list) -> list:
        """``if t: ...; return a`` with ``else: ...; return b`` (or with the statements after
        the ``if`` ending in ``return b``) becomes ``return ag__.if_return(t, ...)``: both
        branches are functions of the variables they assign."""
        for i, node in enumerate(stmts):
            if not isinstance(node, ast.If):
                continue
            body = self._returning_ifs(node.body)
            rest = node.orelse if node.orelse else stmts[i + 1 :]
            other = self._returning_ifs(rest)
            if not (_ends_in_return(body) and _ends_in_return(other)):
                continue
            names = self._state(body + other)
            true_name, false_name = self._name("if_true"), self._name("if_false")
            true_fn = self._branch(true_name, names, body)
            false_fn = self._branch(false_name, names, other)
            call = ast.Call(
                ast.Attribute(ast.Name(_HELPER, ast.Load()), "if_return", ast.Load()),
                [
                    node.test,
                    ast.Name(true_name, ast.Load()),
                    ast.Name(false_name, ast.Load()),
                    self._values(names),
                ],
                [],
            )
            self.converted += 1
            # with an else, statements after the if are unreachable, as in Python
            return stmts[:i] + [true_fn, false_fn, ast.Return(call)]
        return stmts

    def _branch(self, name, args, body):
        fn = _function_def(name, _arguments(args), self._declarations() + list(body))
        fn._ag_branch = True  # converted like the function's own body
        return fn

    def visit_If(self, node):
        self.generic_visit(node)
        if _unsafe(node.body + node.orelse):
            return node
        names = self._state(node.body + node.orelse)
        if not names:
            names = []
        true_name, false_name = self._name("if_true"), self._name("if_false")
        orelse = node.orelse or [ast.Pass()]
        call = ast.Call(
            ast.Attribute(ast.Name(_HELPER, ast.Load()), "if_stmt", ast.Load()),
            [
                node.test,
                ast.Name(true_name, ast.Load()),
                ast.Name(false_name, ast.Load()),
                self._values(names),
            ],
            [],
        )
        self.converted += 1
        out = [
            self._fn(true_name, names, node.body, names),
            self._fn(false_name, names, orelse, names),
        ]
        out.append(self._assign(names, call) if names else ast.Expr(call))
        return out

    def _lower_break(self, node, convertible: bool):
        """The name of the flag that replaces the loop's ``break`` statements (``node.body``
        rewritten, see :func:`_lower_breaks`), or None when there is none to lower or the
        loop would not be converted (then it keeps its ``break``)."""
        if not convertible or node.orelse or not _has_break(node.body):
            return None
        flag = self._name("break")
        lowered = _lower_breaks(copy.deepcopy(node.body), flag)
        if lowered is None or _unsafe(lowered):
            return None
        node.body = lowered
        return flag

    def _flag_init(self, flag):
        return [ast.Assign(targets=[ast.Name(flag, ast.Store())], value=ast.Constant(False))]

    def _lower_continue(self, node, convertible: bool) -> None:
        """The loop's ``continue`` statements lowered away (see :func:`_lower_continues`)
        when it is to be converted and they can be."""
        if not convertible or not _has_loop_stmt([*node.body], ast.Continue):
            return
        lowered = _lower_continues(copy.deepcopy(node.body))
        if lowered is not None:
            node.body = lowered or [ast.Pass()]

    def visit_While(self, node):
        self._lower_continue(node, True)
        flag = self._lower_break(node, True)
        self.generic_visit(node)
        if _has_return(node.body):
            node.test = self._helper_call("loop_test", node.test)
            return node
        if node.orelse or _unsafe(node.body):
            return node
        names = self._state(node.body)
        if not names:
            return node
        test_name, body_name = self._name("while_test"), self._name("while_body")
        test_fn = self._fn(test_name, names, [], [])
        test_fn.body = [ast.Return(node.test)]
        args = [
            ast.Name(test_name, ast.Load()),
            ast.Name(body_name, ast.Load()),
            self._values(names),
        ]
        if flag is not None:
            args.append(ast.Constant(names.index(flag)))
        call = ast.Call(
            ast.Attribute(ast.Name(_HELPER, ast.Load()), "while_stmt", ast.Load()),
            args,
            self._appended(node.body) + loop_options_keyword(node.body) + _names_keyword(names),
        )
        self.converted += 1
        out = [test_fn, self._fn(body_name, names, node.body, names), self._assign(names, call)]
        return (self._flag_init(flag) if flag else []) + out

    def visit_For(self, node):
        """``for i in tf.range(n)`` (or ``range``): ``ag__.for_range``, a ``while_loop`` when
        ``n`` is a traced tensor; a loop over anything else with a ``break``:
        ``ag__.for_iter`` (over a tensor's rows, a ``while_loop`` once the break depends on
        a traced value), as is one whose body calls ``set_loop_options``; other for loops
        iterate in Python (unrolled)."""
        ranged = _range_call(node.iter) is not None
        options = loop_options_keyword(node.body)  # set_loop_options: a TensorFlow loop
        convertible = isinstance(node.target, ast.Name) and (
            ranged or _has_break(node.body) or bool(options)
        )
        self._lower_continue(node, True)  # plain syntax: Python loops keep their meaning
        flag = self._lower_break(node, convertible)
        self.generic_visit(node)
        if _has_return(node.body):
            node.iter = self._helper_call("loop_iter", node.iter)
            return node
        call = _range_call(node.iter)
        if (call is None and flag is None and not options) or node.orelse or _unsafe(node.body):
            return node
        if not isinstance(node.target, ast.Name):
            return node
        names = [n for n in self._state(node.body) if n != node.target.id]
        body_name = self._name("for_body")
        body_fn = self._fn(body_name, [node.target.id] + names, node.body, names)
        if call is not None:
            helper = "for_range"
            args = [
                ast.Lambda(_arguments([]), call.func),
                ast.Lambda(_arguments([]), ast.Tuple(list(call.args), ast.Load())),
            ]
        else:
            helper = "for_iter"
            args = [ast.Lambda(_arguments([]), node.iter)]
        args += [ast.Name(body_name, ast.Load()), self._values(names)]
        if flag is not None:
            args.append(ast.Constant(names.index(flag)))
        loop = ast.Call(
            ast.Attribute(ast.Name(_HELPER, ast.Load()), helper, ast.Load()),
            args,
            self._appended(node.body) + loop_options_keyword(node.body) + _names_keyword(names),
        )
        self.converted += 1
        out = [body_fn, self._assign([node.target.id] + names, loop)]
        return (self._flag_init(flag) if flag else []) + out


def _names_keyword(names) -> list:
    """``names=("a", ...)``: the loop variables' names, for the loop helpers' errors."""
    return [ast.keyword("names", ast.Tuple([ast.Constant(n) for n in names], ast.Load()))]


class _BreakFinder(ast.NodeVisitor):
    """A ``break`` (or ``kind``) of this loop: not one inside a nested loop or function."""

    found = False

    def __init__(self, kind=ast.Break) -> None:
        self.kind = kind

    def visit_Break(self, node):
        self.found = self.found or self.kind is ast.Break

    def visit_Continue(self, node):
        self.found = self.found or self.kind is ast.Continue

    def _own_scope(self, node):
        pass

    visit_For = visit_While = visit_AsyncFor = _own_scope
    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = visit_ClassDef = _own_scope


class _ReturnFinder(_BreakFinder):
    """A ``return`` in these statements, not in a nested function (nested loops count)."""

    def visit_Return(self, node):
        self.found = True

    def visit_Break(self, node):
        pass

    visit_Continue = visit_Break

    def generic_visit(self, node):
        ast.NodeVisitor.generic_visit(self, node)

    visit_For = visit_While = visit_AsyncFor = generic_visit


def _has_return(stmts) -> bool:
    finder = _ReturnFinder()
    for stmt in stmts:
        finder.visit(stmt)
    return finder.found


def _has_walrus(node) -> bool:
    return any(
        isinstance(sub, (ast.NamedExpr, ast.Yield, ast.YieldFrom, ast.Await))
        for sub in ast.walk(node)
    )


def _has_break(stmts) -> bool:
    return _has_loop_stmt(stmts, ast.Break)


def _has_loop_stmt(stmts, kind) -> bool:
    finder = _BreakFinder(kind)
    for stmt in stmts:
        finder.visit(stmt)
    return finder.found


def _lower_continues(stmts):
    """``stmts`` (a loop body) without its ``continue`` statements: what follows an ``if``
    that may continue moves into its branches (``if t: A; continue`` then ``B`` becomes
    ``if t: A`` / ``else: B``), so that nothing after a ``continue`` runs; None when a
    ``continue`` sits somewhere this cannot express (inside ``with``, ``try``, ``match``)."""
    out: list = []
    for k, stmt in enumerate(stmts):
        if isinstance(stmt, ast.Continue):
            return out  # what follows a continue is unreachable
        if not _has_loop_stmt([stmt], ast.Continue):
            out.append(stmt)
            continue
        if not isinstance(stmt, ast.If):
            return None
        rest = stmts[k + 1 :]
        body = _lower_continues(list(stmt.body) + copy.deepcopy(rest))
        orelse = _lower_continues(list(stmt.orelse) + copy.deepcopy(rest))
        if body is None or orelse is None:
            return None
        out.append(ast.If(test=stmt.test, body=body or [ast.Pass()], orelse=orelse))
        return out
    return out


def _lower_breaks(stmts, flag: str):
    """``stmts`` with each ``break`` of the loop as ``flag = True``, and what follows a
    statement that may break guarded by ``if ag__.not_(flag):``; None when a ``break``
    sits somewhere this cannot express (inside ``with``, ``try``, ``match``)."""
    out: list = []
    for k, stmt in enumerate(stmts):
        if isinstance(stmt, ast.Break):
            out.append(ast.Assign(targets=[ast.Name(flag, ast.Store())], value=ast.Constant(True)))
            return out  # what follows a break is unreachable
        if not _has_break([stmt]):
            out.append(stmt)
            continue
        if not isinstance(stmt, ast.If):
            return None
        body, orelse = _lower_breaks(stmt.body, flag), _lower_breaks(stmt.orelse, flag)
        if body is None or orelse is None:
            return None
        out.append(ast.If(test=stmt.test, body=body or [ast.Pass()], orelse=orelse))
        rest = _lower_breaks(stmts[k + 1 :], flag)
        if rest is None:
            return None
        if rest:
            guard = ast.Call(
                ast.Attribute(ast.Name(_HELPER, ast.Load()), "not_", ast.Load()),
                [ast.Name(flag, ast.Load())],
                [],
            )
            out.append(ast.If(test=guard, body=rest, orelse=[]))
        return out
    return out


def _range_call(node):
    """``tf.range(...)`` / ``range(...)`` with positional arguments only: the call, else None."""
    if not isinstance(node, ast.Call) or node.keywords or not 1 <= len(node.args) <= 3:
        return None
    func = node.func = _unwrapped(node.func)
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    if name != "range" or any(isinstance(a, ast.Starred) for a in node.args):
        return None
    return node


def _unwrapped(func):
    """The function expression of a call, without the ``ag__.converted(...)`` around it."""
    if (
        isinstance(func, ast.Call)
        and isinstance(func.func, ast.Attribute)
        and func.func.attr == "converted"
        and getattr(func.func.value, "id", None) == _HELPER
    ):
        return func.args[0]
    return func


def _arguments(names) -> ast.arguments:
    """Positional parameters ``names``."""
    return ast.arguments(
        posonlyargs=[], args=[ast.arg(a) for a in names], kwonlyargs=[], kw_defaults=[], defaults=[]
    )


def _function_def(name, arguments, body):
    extra = {"type_params": []} if "type_params" in ast.FunctionDef._fields else {}
    return ast.FunctionDef(
        name=name, args=arguments, body=body, decorator_list=[], returns=None, **extra
    )


# Called by name only: never user functions (``locals()`` must read the caller's frame).
_NEVER_CONVERTED = frozenset(
    {"locals", "globals", "vars", "super", "range", "len", "isinstance", "print", "type"}
)

_LIBRARY_PREFIXES = tuple(
    {
        os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep,  # gpuflow
        *(
            os.path.abspath(path) + os.sep
            for key in ("stdlib", "platstdlib", "purelib", "platlib")
            if (path := sysconfig.get_paths().get(key))
        ),
    }
)
_converted_cache: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def converted(fn):
    """``fn`` converted (its ``if`` / ``while`` / ``for`` and its own calls) when it is a
    user's Python function called while tracing; anything else (gpuflow's, a library's or
    the standard library's functions, builtins, classes, lambdas) unchanged."""
    if tracing.trace is None:
        return fn
    if type(fn) is types.MethodType:
        function = converted(fn.__func__)
        return fn if function is fn.__func__ else types.MethodType(function, fn.__self__)
    if type(fn) is not types.FunctionType or fn.__name__ == "<lambda>":
        return fn
    try:
        return _converted_cache[fn]
    except KeyError:
        pass
    filename = os.path.abspath(fn.__code__.co_filename)
    result = fn if filename.startswith(_LIBRARY_PREFIXES) else convert(fn)
    _converted_cache[fn] = result
    return result


def value(namespace: dict, name: str):
    """The value of local ``name`` (from ``locals()``), or UNDEFINED."""
    return namespace.get(name, UNDEFINED)


def convert(func):
    """``func`` with its ``if``/``while`` statements converted, or ``func`` itself when there
    is nothing to convert or its source is not available."""
    if getattr(func, "__gpuflow_do_not_convert__", False):  # tf.autograph.experimental
        return func
    if isinstance(func, types.MethodType):
        converted = convert(func.__func__)
        return func if converted is func.__func__ else types.MethodType(converted, func.__self__)
    if not isinstance(func, types.FunctionType) or func.__name__ == "<lambda>":
        return func
    own_name = func.__code__.co_name  # a functools.wraps wrapper has its wrapped one's name
    try:
        # the source of the function's own code: getsource(func) would follow __wrapped__
        # to the wrapped function (tf.function(tf.ones), user decorators)
        source = textwrap.dedent(inspect.getsource(func.__code__))
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError, IndentationError):
        return func
    fdef = tree.body[0] if tree.body else None
    if not isinstance(fdef, ast.FunctionDef) or fdef.name != own_name:
        return func
    fdef.decorator_list = []
    ast.increment_lineno(tree, func.__code__.co_firstlineno - 1)  # tracebacks: file lines
    converter = _Converter()
    converter.visit(fdef)
    if not converter.converted and not converter.calls:
        return func
    freevars = list(func.__code__.co_freevars)
    factory_args = [_HELPER] + [n for n in freevars if n != _HELPER]
    factory = _function_def(
        f"{_HELPER}factory",
        _arguments(factory_args),
        [fdef, ast.Return(ast.Name(fdef.name, ast.Load()))],
    )
    module = ast.Module(body=[factory], type_ignores=[])
    ast.fix_missing_locations(module)
    try:
        code = compile(module, inspect.getsourcefile(func) or "<autograph>", "exec")
    except (SyntaxError, ValueError):
        return func
    factory_code = next(c for c in code.co_consts if isinstance(c, types.CodeType))
    inner = next(
        c for c in factory_code.co_consts if isinstance(c, types.CodeType) and c.co_name == own_name
    )
    cells = dict(zip(freevars, func.__closure__ or ()))
    import sys

    cells[_HELPER] = types.CellType(sys.modules[__name__])
    try:
        closure = tuple(cells[n] for n in inner.co_freevars)
    except KeyError:
        return func
    new = types.FunctionType(inner, func.__globals__, func.__name__, func.__defaults__, closure)
    new.__kwdefaults__ = func.__kwdefaults__
    new.__dict__.update(func.__dict__)
    new.__wrapped__ = func
    return new
