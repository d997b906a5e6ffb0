"""Record TensorFlow's public tensor-API names, and render which of them gpuflow has.

Two steps, so that the gpuflow side never needs TensorFlow:

1. ``/work/tfvenv/bin/python tools/make_tf_coverage.py --from-tensorflow`` (a Python with
   TensorFlow installed) writes ``docs/tf_api_names.json``: for each namespace (tf, tf.math,
   tf.linalg, tf.nn, tf.random, tf.dtypes, tf.debugging) its public names and their kinds.
   Run once per TensorFlow version; the file is committed.
2. ``python tools/make_tf_coverage.py`` (gpuflow's Python) renders ``docs/tf_coverage.md``
   from that file and the names gpuflow's namespaces have. ``tests/docs/test_tf_coverage.py``
   fails when the committed document differs from a fresh rendering.

The same ``--from-tensorflow`` run also writes ``docs/keras_api_names.json``: the public
names of tf.keras's submodules (``KERAS_NAMESPACES``; a submodule tf.keras lacks, such as
``saving``, is read from ``keras``). ``tools/keras_gap.py`` lists the ones gpuflow lacks.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAMES_FILE = ROOT / "docs" / "tf_api_names.json"
DOC_FILE = ROOT / "docs" / "tf_coverage.md"
KERAS_NAMES_FILE = ROOT / "docs" / "keras_api_names.json"
NAMESPACES = ("tf", "tf.math", "tf.linalg", "tf.nn", "tf.random", "tf.dtypes", "tf.debugging")

KERAS_NAMESPACES = (
    "keras.layers",
    "keras.callbacks",
    "keras.losses",
    "keras.metrics",
    "keras.optimizers",
    "keras.optimizers.schedules",
    "keras.initializers",
    "keras.regularizers",
    "keras.activations",
    "keras.models",
    "keras.utils",
    "keras.backend",
    "keras.mixed_precision",
    "keras.saving",
    "keras.applications",
)


def _kind(value) -> str:
    if inspect.ismodule(value):
        return "module"
    if inspect.isclass(value):
        return "class"
    if callable(value):
        return "function"
    return "constant"


def record_tensorflow() -> dict:
    import tensorflow as tf

    out = {"tensorflow_version": tf.__version__, "namespaces": {}}
    for namespace in NAMESPACES:
        module = tf
        for part in namespace.split(".")[1:]:
            module = getattr(module, part)
        names = {}
        for name in sorted(dir(module)):
            if name.startswith("_"):
                continue
            names[name] = _kind(getattr(module, name))
        out["namespaces"][namespace] = names
    return out


def _public_names(module) -> dict:
    return {
        name: _kind(getattr(module, name))
        for name in sorted(dir(module))
        if not name.startswith("_")
    }


def record_keras() -> dict:
    """tf.keras's names per namespace; applications' submodules (``keras.applications.vgg16``)
    are recorded as namespaces of their own."""
    import keras
    import tensorflow as tf

    out = {"tensorflow_version": tf.__version__, "keras_version": keras.__version__}
    out["namespaces"] = namespaces = {}
    for namespace in KERAS_NAMESPACES:
        module = tf.keras
        try:
            for part in namespace.split(".")[1:]:
                module = getattr(module, part)
        except AttributeError:  # tf.keras has no `saving`: Keras 3's own module
            module = keras
            for part in namespace.split(".")[1:]:
                module = getattr(module, part)
        namespaces[namespace] = _public_names(module)
        if namespace == "keras.applications":
            for name, kind in namespaces[namespace].items():
                if kind == "module":
                    namespaces[f"{namespace}.{name}"] = _public_names(getattr(module, name))
    return out


def _gpuflow_namespace(namespace: str):
    sys.path.insert(0, str(ROOT))
    module = importlib.import_module("gpuflow")
    for part in namespace.split(".")[1:]:
        module = getattr(module, part, None)
        if module is None:
            return None
    return module


def render(data: dict) -> str:
    lines = [
        "# TensorFlow tensor-API coverage",
        "",
        f"TensorFlow's public names (TensorFlow {data['tensorflow_version']}, recorded in "
        "`docs/tf_api_names.json` by `tools/make_tf_coverage.py --from-tensorflow`) and whether "
        "gpuflow has each under the same namespace (`import gpuflow as tf`). Regenerate with "
        "`python tools/make_tf_coverage.py`; a test fails when this file is stale.",
        "",
        "Submodules (kind `module`) are other areas (tf.data, tf.keras, ...): listed for "
        "completeness.",
        "",
        "| namespace | TF names | in gpuflow |",
        "|---|---|---|",
    ]
    sections = []
    for namespace, names in data["namespaces"].items():
        module = _gpuflow_namespace(namespace)
        have = [n for n in names if module is not None and _has(module, n)]
        lines.append(f"| `{namespace}` | {len(names)} | {len(have)} |")
        sections.append("")
        sections.append(f"## `{namespace}`")
        sections.append("")
        sections.append("| name | kind | gpuflow |")
        sections.append("|---|---|---|")
        for name, kind in names.items():
            mark = "yes" if name in have else "-"
            sections.append(f"| `{name}` | {kind} | {mark} |")
    return "\n".join(lines + sections) + "\n"


def _has(module, name: str) -> bool:
    try:
        return (
            getattr(module, name, None) is not None
            or name in ("newaxis",)
            and hasattr(module, name)
        )
    except Exception:  # a lazy attribute that fails to import counts as missing
        return False


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--from-tensorflow",
        action="store_true",
        help="record TensorFlow's names (needs TensorFlow) before rendering",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit 1 when docs/tf_coverage.md is stale instead of writing it",
    )
    args = parser.parse_args(argv)
    if args.from_tensorflow:
        NAMES_FILE.write_text(json.dumps(record_tensorflow(), indent=1, sort_keys=True) + "\n")
        print(f"wrote {NAMES_FILE}")
        KERAS_NAMES_FILE.write_text(json.dumps(record_keras(), indent=1, sort_keys=True) + "\n")
        print(f"wrote {KERAS_NAMES_FILE}")
        return 0
    text = render(json.loads(NAMES_FILE.read_text()))
    if args.check:
        return 0 if DOC_FILE.exists() and DOC_FILE.read_text() == text else 1
    DOC_FILE.write_text(text)
    print(f"wrote {DOC_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
