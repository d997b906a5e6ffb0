"""List tf.keras's public names that gpuflow's ``tf.keras`` lacks.

TensorFlow's side comes from ``docs/keras_api_names.json``, which
``/work/tfvenv/bin/python tools/make_tf_coverage.py --from-tensorflow`` writes (once per
TensorFlow / Keras version); this script needs only gpuflow.

    python tools/keras_gap.py                 # every namespace, missing names only
    python tools/keras_gap.py keras.layers    # some namespaces
    python tools/keras_gap.py --summary       # counts only
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _coverage_tool():
    spec = importlib.util.spec_from_file_location(
        "make_tf_coverage", ROOT / "tools" / "make_tf_coverage.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def missing_names(data: dict, namespaces=None) -> dict:
    """``{namespace: ([missing names], number of TF names)}`` for the recorded namespaces."""
    tool = _coverage_tool()
    out = {}
    for namespace, names in data["namespaces"].items():
        if namespaces and namespace not in namespaces:
            continue
        module = tool._gpuflow_namespace("tf." + namespace)  # gpuflow.keras.<...>
        missing = [n for n in names if module is None or not tool._has(module, n)]
        out[namespace] = (missing, len(names))
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("namespaces", nargs="*", help="e.g. keras.layers (default: all)")
    parser.add_argument("--summary", action="store_true", help="print counts only")
    args = parser.parse_args(argv)
    tool = _coverage_tool()
    data = json.loads(tool.KERAS_NAMES_FILE.read_text())
    unknown = [n for n in args.namespaces if n not in data["namespaces"]]
    if unknown:
        parser.error(f"not a recorded namespace: {', '.join(unknown)}")
    gaps = missing_names(data, args.namespaces)
    print(f"tf.keras {data['keras_version']} (TensorFlow {data['tensorflow_version']})")
    total_missing = total = 0
    for namespace, (missing, count) in gaps.items():
        total_missing += len(missing)
        total += count
        print(f"{namespace}: {count - len(missing)}/{count} present, {len(missing)} missing")
        if missing and not args.summary:
            kinds = data["namespaces"][namespace]
            for name in missing:
                print(f"    {name} ({kinds[name]})")
    print(f"total: {total - total_missing}/{total} present")
    return 0


if __name__ == "__main__":
    sys.exit(main())
