"""Every op of tf, tf.math, tf.linalg and tf.nn, called with bad arguments (wrong shapes,
dtypes, types, scalars where lists go), raises an error whose message names the op: never
a raw NumPy message (issue 20)."""

from __future__ import annotations

import inspect
import itertools
import warnings

import pytest

import gpuflow as tf

# Not ops, or ops whose "bad" arguments are fine (print prints anything).
_SKIP = {
    "print",
    "custom_gradient",
    "Module",
    "GradientTape",
    "Variable",
    "Tensor",
    "TensorShape",
    "DType",
    "UnconnectedGradients",
    "name_scope",
    "no_grad",
    "device",
    "list_devices",
    "current_device",
    "from_dlpack",
    "is_tensor",
    "executing_eagerly",  # takes no arguments
    "get_logger",  # takes no arguments
    "gradients",  # always TF 2's eager RuntimeError: "tf.gradients is not supported ..."
    "hessians",
}


def _pool():
    return [
        tf.ones([2, 3]),
        tf.ones([4]),
        tf.constant([1, 2]),
        tf.constant(True),
        "x",
        2.5,
        -1,
        [1.5],
        None,
        tf.ones([2, 2, 2]),
    ]


def _ops():
    for namespace, module in (
        ("tf", tf),
        ("tf.math", tf.math),
        ("tf.linalg", tf.linalg),
        ("tf.nn", tf.nn),
    ):
        for name in sorted(dir(module)):
            fn = getattr(module, name)
            if (
                name.startswith("_")
                or name in _SKIP
                or not callable(fn)
                or inspect.isclass(fn)
                or inspect.ismodule(fn)
            ):
                continue
            try:
                params = inspect.signature(fn).parameters.values()
            except (TypeError, ValueError):
                continue
            required = [
                p for p in params if p.default is p.empty and p.kind == p.POSITIONAL_OR_KEYWORD
            ]
            yield f"{namespace}.{name}", fn, min(max(len(required), 1), 3)


def _names_the_op(message: str, name: str) -> bool:
    head = message.split(":")[0].strip()
    return (
        head.endswith(name)
        or ":" in message.split(" ")[0]
        or message.startswith("Tensor()")
        or message.startswith(f"{name}() missing")
        or message.startswith(f"{name}() takes")
    )  # Python's own arity error names it


@pytest.mark.parametrize("namespace", ["tf", "tf.math", "tf.linalg", "tf.nn"])
def test_bad_arguments_give_errors_naming_the_op(namespace):
    raw = {}
    warnings.simplefilter("ignore")
    for full, fn, arity in _ops():
        if not full.startswith(namespace + ".") or full.count(".") != namespace.count(".") + 1:
            continue
        for args in itertools.product(_pool(), repeat=arity):
            try:
                fn(*args)
            except LookupError:
                continue
            except Exception as exc:  # noqa: BLE001 - every failure is inspected
                if not _names_the_op(str(exc), full.rsplit(".", 1)[1]):
                    raw.setdefault(full, f"{type(exc).__name__}: {exc}"[:200])
    assert not raw, "errors that do not name the op:\n" + "\n".join(
        f"{k}: {v}" for k, v in raw.items()
    )
