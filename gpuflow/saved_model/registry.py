"""The allow-lists a SavedModel names its code by: gpuflow's own op classes and the few
host calls that can be rebuilt safely.

Loading never imports a name taken from the file: a name is looked up in tables built
from gpuflow's own modules (the ``Function`` subclasses they define, the module-level
host calls of ``gpuflow.ops`` and ``gpuflow.random``, ``tf.print`` and the Variable
assignments). A gpuflow module found on disk under the package may be imported to fill
the table, since gpuflow imports many of its modules lazily.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys

from ..autodiff.function import Function

# Packages whose module-level host calls are pure functions of their arguments (tf.equal,
# tf.argmax, tf.floor, random draws) or the effects listed in _HOST_METHODS.
_HOST_PACKAGES = ("gpuflow.ops.", "gpuflow.random", "gpuflow.print_op", "gpuflow.math")
# Packages that wrap their ops as host calls where they export them (tf.strings: pure
# functions of their arguments), named by the package: "gpuflow.strings:lower".
_WRAPPING_PACKAGES = ("gpuflow.strings",)
# Packages whose classes' host-call methods are saveable: the layers' calls on host values
# (StringLookup.call, ...); the layer itself is saved by its config (layer_state.py).
_LAYER_PACKAGES = ("gpuflow.layers.",)
# Methods of objects saved by their state (saved_objects.py); the object is the call's
# first argument in the file.
_OBJECT_METHODS = {
    "gpuflow.lookup.tables:_Table._lookup": ("gpuflow.lookup.tables", "_Table", "_lookup"),
    **{
        f"gpuflow.random:Generator.{name}": ("gpuflow.random", "Generator", name)
        for name in ("normal", "uniform", "truncated_normal", "make_seeds", "uniform_full_int")
        + ("binomial",)
    },
}
_HOST_METHODS = {
    "gpuflow.tensor:Variable.assign": ("Variable", "assign"),
    "gpuflow.tensor:Variable.assign_add": ("Variable", "assign_add"),
    "gpuflow.tensor:Variable.assign_sub": ("Variable", "assign_sub"),
}
# Never scanned: command line, benchmarks and the package's entry point.
_SKIP = ("gpuflow.cli", "gpuflow.bench", "gpuflow.__main__")


def _gpuflow_modules() -> frozenset:
    """Every module name under the gpuflow package, found on disk (nothing imported)."""
    import gpuflow

    root = os.path.dirname(gpuflow.__file__)
    names = set()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(("_", "."))]
        rel = os.path.relpath(dirpath, os.path.dirname(root)).replace(os.sep, ".")
        for info in pkgutil.iter_modules([dirpath]):
            names.add(f"{rel}.{info.name}")
    return frozenset(n for n in names if not n.startswith(_SKIP))


_MODULES: frozenset | None = None


def _module_allowed(name: str) -> bool:
    global _MODULES
    if _MODULES is None:
        _MODULES = _gpuflow_modules()
    return name in _MODULES


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def op_name(fn) -> str:
    """The registry name of an op object's class; a ValueError for a class gpuflow does not
    define at module level (a user's own op, a class made inside a function)."""
    cls = type(fn)
    name = f"{cls.__module__}:{cls.__qualname__}"
    if not cls.__module__.startswith("gpuflow.") or "<locals>" in cls.__qualname__:
        raise ValueError(
            f"tf.saved_model.save: the op {fn.op_name()} ({name}) is not one of gpuflow's own "
            "ops, so a loaded SavedModel could not rebuild it without running code from the "
            "file; build the saved function from gpuflow's ops"
        )
    return name


def op_class(name: str):
    """The op class a SavedModel names (``module:QualName``), from the allow-list."""
    module, _, qualname = str(name).partition(":")
    for _ in range(2):
        for cls in _subclasses(Function):
            if cls.__module__ == module and cls.__qualname__ == qualname:
                return cls
        if module in sys.modules or not _module_allowed(module):
            break
        importlib.import_module(module)  # a gpuflow module not imported yet
    raise ValueError(
        f"tf.saved_model.load: the SavedModel names an op {name!r} that is not one of "
        "gpuflow's ops (saved by another gpuflow version, or not a gpuflow SavedModel)"
    )


def _host_table() -> dict:
    from ..tensor import Variable

    table = {}
    for key, (module_name, cls_name, attr) in _OBJECT_METHODS.items():
        module = sys.modules.get(module_name)
        if module is not None:
            method = vars(getattr(module, cls_name))[attr]
            table[key] = getattr(method, "__gpuflow_host_call__", method)
    for key, (cls_name, attr) in _HOST_METHODS.items():
        wrapper = Variable.__dict__[attr]
        table[key] = wrapper.__gpuflow_host_call__
    for module_name, module in list(sys.modules.items()):
        if module is None:
            continue
        if module_name.startswith(_HOST_PACKAGES) or module_name in _WRAPPING_PACKAGES:
            for attr, value in list(vars(module).items()):
                inner = getattr(value, "__gpuflow_host_call__", None)
                if inner is not None and (
                    getattr(value, "__module__", None) == module_name
                    or module_name in _WRAPPING_PACKAGES
                ):
                    table.setdefault(f"{module_name}:{attr}", inner)
        if module_name.startswith(_LAYER_PACKAGES):
            for value in list(vars(module).values()):
                if isinstance(value, type) and value.__module__ == module_name:
                    for attr, method in list(vars(value).items()):
                        inner = getattr(method, "__gpuflow_host_call__", None)
                        if inner is not None:
                            table.setdefault(f"{module_name}:{value.__qualname__}.{attr}", inner)
    return table


def host_name(func, describe: str) -> str:
    """The registry name of a host call's function; a ValueError naming the step if it is
    not one that a load can rebuild."""
    for name, inner in _host_table().items():
        if inner is func:
            return name
    raise ValueError(
        f"tf.saved_model.save: the step `{describe}` calls Python code "
        f"({getattr(func, '__module__', '?')}.{getattr(func, '__qualname__', func)!s}) that a "
        "SavedModel cannot hold (loading never runs code from the file). Saveable host calls "
        "are tf.print, Variable.assign / assign_add / assign_sub, gpuflow's non-"
        "differentiable ops (comparisons, argmax, rounding, random draws) and the calls of "
        "gpuflow's preprocessing layers (StringLookup, TextVectorization, ...); compute the "
        "rest with tensor ops or outside the saved function"
    )


def host_function(name: str):
    """The host call a SavedModel names, from the allow-list."""
    name = str(name)
    module = name.partition(":")[0]
    table = _host_table()
    if name not in table and module not in sys.modules and _module_allowed(module):
        object_modules = tuple(m for m, _, _ in _OBJECT_METHODS.values())
        if (
            module.startswith(_HOST_PACKAGES + _LAYER_PACKAGES)
            or module in object_modules + _WRAPPING_PACKAGES
        ):
            importlib.import_module(module)
            table = _host_table()
    if name not in table:
        raise ValueError(
            f"tf.saved_model.load: the SavedModel names a host call {name!r} that is not one "
            "gpuflow can rebuild (saved by another gpuflow version, or not a gpuflow SavedModel)"
        )
    return table[name]
