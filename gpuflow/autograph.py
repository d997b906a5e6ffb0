"""``tf.autograph``: look at and control what ``gpuflow.function``'s autograph does.

gpuflow's autograph converts ``if`` / ``while`` statements on traced tensors (see
``gpuflow/graph/autograph.py``); ``to_code`` shows the converted source, ``to_graph`` the
converted function, and ``experimental.do_not_convert`` keeps a function as it is.
"""

from __future__ import annotations

import ast
import enum
import inspect
import textwrap

from .graph import autograph as _autograph


def to_graph(entity, recursive=True, experimental_optional_features=None):
    """``entity`` with its ``if`` / ``while`` statements converted (as ``tf.function``
    converts them), or ``entity`` itself when there is nothing to convert."""
    if not callable(entity):
        raise TypeError(f"autograph.to_graph: expected a function, received {entity!r}")
    return _autograph.convert(entity)


def to_code(entity, recursive=True, experimental_optional_features=None) -> str:
    """The Python source of ``entity`` after autograph's conversion.

    Raises:
        ValueError: the source of ``entity`` cannot be found (a lambda in an interactive
            shell, a builtin).
    """
    func = getattr(entity, "__func__", entity)
    try:
        source = textwrap.dedent(inspect.getsource(func))
    except (OSError, TypeError) as exc:
        raise ValueError(
            f"autograph.to_code: unable to locate the source code of {entity!r} ({exc}); "
            "define it in a .py file"
        ) from None
    tree = ast.parse(source)
    fdef = tree.body[0]
    if isinstance(fdef, ast.FunctionDef):
        fdef.name = f"tf__{fdef.name}"  # TensorFlow's name for the converted function
        fdef.decorator_list = []
        _autograph._Converter().visit(fdef)
        ast.fix_missing_locations(fdef)
    return ast.unparse(fdef) + "\n"


_verbosity = {"level": 0}


def set_verbosity(level, alsologtostdout=False) -> None:
    """Accepted for TensorFlow's API: gpuflow's autograph writes no conversion logs."""
    _verbosity["level"] = int(level)


def trace(*args) -> None:
    """Print ``args`` (in TensorFlow, also at graph construction): as ``print``."""
    print(*args)


class Feature(enum.Enum):
    """``tf.autograph.experimental.Feature``: the optional conversions TensorFlow's
    autograph can be told to apply (``tf.function(experimental_autograph_options=...)``)."""

    ALL = "ALL"
    AUTO_CONTROL_DEPS = "AUTO_CONTROL_DEPS"
    ASSERT_STATEMENTS = "ASSERT_STATEMENTS"
    BUILTIN_FUNCTIONS = "BUILTIN_FUNCTIONS"
    EQUALITY_OPERATORS = "EQUALITY_OPERATORS"
    LISTS = "LISTS"
    NAME_SCOPES = "NAME_SCOPES"


class experimental:  # noqa: N801 - tf.autograph.experimental namespace
    Feature = Feature

    @staticmethod
    def do_not_convert(func=None):
        """Decorator: ``gpuflow.function`` traces ``func`` without converting its source."""
        if func is None:
            return experimental.do_not_convert
        func.__gpuflow_do_not_convert__ = True
        return func

    @staticmethod
    def set_loop_options(
        parallel_iterations=None, swap_memory=None, maximum_iterations=None, shape_invariants=None
    ):
        """Options of the loop whose body calls it (at its top level): when the loop runs as
        a TensorFlow loop (``tf.range``, a tensor, a tensor condition) it stops after
        ``maximum_iterations``. The converter hands the arguments to the loop
        (``graph/loop_options.py``); the call itself does nothing, as in TensorFlow."""
