"""``tf.autograph.experimental.set_loop_options`` in a converted loop.

As TensorFlow's autograph, the converter takes the call from the top level of a loop's
body and hands its arguments to the loop (``loop_options=dict(...)``, evaluated where the
loop starts). A loop that runs as a TensorFlow loop (over ``tf.range``, over a tensor, or
``while`` on a tensor condition) then stops after ``maximum_iterations``; Python loops
(``range``, lists, Python conditions) are not TensorFlow loops and ignore the options, as
in TensorFlow. ``parallel_iterations`` and ``swap_memory`` are scheduling hints with
nothing to schedule in gpuflow's loops; ``shape_invariants`` cannot loosen the rule that a
loop variable of a compiled loop keeps its shape.
"""

from __future__ import annotations

import ast
import copy

_NAME = "set_loop_options"


def _is_set_loop_options(stmt) -> bool:
    if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)):
        return False
    for sub in ast.walk(stmt.value.func):
        if getattr(sub, "attr", None) == _NAME or getattr(sub, "id", None) == _NAME:
            return True
    return False


def loop_options_keyword(body) -> list:
    """``[loop_options=dict(**the call's keywords)]`` for the set_loop_options calls at the
    top level of ``body`` (the last one wins per option), else ``[]``."""
    keywords = []
    for stmt in body:
        if _is_set_loop_options(stmt):
            keywords += copy.deepcopy(stmt.value.keywords)
    if not keywords:
        return []
    options = ast.Call(ast.Name("dict", ast.Load()), [], keywords)
    return [ast.keyword("loop_options", options)]


def iteration_cap(loop_options, done: int = 0):
    """The iterations left under ``maximum_iterations`` after ``done`` (None: no cap)."""
    limit = (loop_options or {}).get("maximum_iterations")
    if limit is None:
        return None
    limit = int(limit.numpy() if hasattr(limit, "numpy") else limit)
    return max(limit - done, 0)
