"""Every malformed file gives gpuflow.saving.FileFormatError, within a memory limit.

The corpus (tests/saving/malformed_corpus.py) is generated into tmp_path; a child process
imports gpuflow, caps its address space (RLIMIT_AS) at what it already uses plus twice the
largest corpus file plus 100 MB, then loads every file and reports what happened.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from malformed_corpus import generate

ROOT = Path(__file__).resolve().parents[2]

CHILD = r"""
import hashlib, json, resource, sys
import numpy as np
import gpuflow as tf
from gpuflow.datasets._idx import read_idx
from gpuflow.datasets.mnist import RAW_IDX_FILES
from gpuflow.saving import FileFormatError

entries, limit_extra, warm = json.loads(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
# warm up first (BLAS buffers, lazily imported modules): the limit is on the loading itself
tf.keras.models.load_model(warm).predict(np.ones((1, 4), "float32"), verbose=0)
with open("/proc/self/status") as f:
    vm = next(int(line.split()[1]) * 1024 for line in f if line.startswith("VmSize:"))
resource.setrlimit(resource.RLIMIT_AS, (vm + limit_extra, vm + limit_extra))
for name, path, kind in entries:
    try:
        if kind == "model":
            model = tf.keras.models.load_model(path)
            h = hashlib.sha256(b"".join(w.tobytes() for w in model.get_weights())).hexdigest()
            out = ["ok", h]
        else:
            base = path.rsplit("/", 1)[1].removesuffix(".gz")
            images = kind == "idx-images"
            read_idx(path, 3 if images else 1, (28, 28) if images else (),
                     known=RAW_IDX_FILES.get(base))
            out = ["ok", ""]
    except FileFormatError as exc:
        out = ["FileFormatError", str(exc)[:300]]
    except BaseException as exc:
        out = [type(exc).__name__, str(exc)[:300]]
    print(json.dumps([name] + out), flush=True)
"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return generate(tmp_path_factory.mktemp("corpus"))


def _run_child(entries, extra_bytes, warm):
    env = dict(
        os.environ,
        OPENBLAS_NUM_THREADS="1",
        OMP_NUM_THREADS="1",
        MALLOC_ARENA_MAX="2",
        PYTHONPATH=str(ROOT),
    )
    arg = json.dumps([[n, str(p), k] for n, p, k in entries])
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, arg, str(extra_bytes), str(warm)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    results = {}
    for line in proc.stdout.splitlines():
        name, kind, detail = json.loads(line)
        results[name] = (kind, detail)
    return proc, results


def _large_valid_model(folder) -> Path:
    import gpuflow as tf

    model = tf.keras.Sequential([tf.keras.layers.Dense(1500), tf.keras.layers.Dense(1000)])
    model.compile("adam", "mse")
    model.fit(np.ones((2, 1000), "float32"), np.ones((2, 1000), "float32"), verbose=0)
    model.save(folder / "valid_large.gpuflow")  # 3.5 M weights and Adam's slots: 40 MB
    return folder / "valid_large.gpuflow"


def test_every_malformed_file_gives_file_format_error_within_the_memory_limit(corpus):
    good_path = Path(corpus[0][1]).parent / "valid.gpuflow"
    large = _large_valid_model(good_path.parent)
    largest = max(os.path.getsize(p) for p in [large] + [p for _, p, _ in corpus])
    extra = 2 * largest + (100 << 20)
    # the valid files first: the limit leaves room for real files, up to the largest
    entries = [("valid", good_path, "model"), ("valid_large", large, "model")] + corpus
    proc, results = _run_child(entries, extra, good_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert results["valid"][0] == "ok", results["valid"]
    assert results["valid_large"][0] == "ok", results["valid_large"]
    good_hash = results["valid"][1]
    wrong = {}
    for name, _, _ in corpus:
        kind, detail = results[name]
        harmless_flip = name.startswith("flipped_") and kind == "ok" and detail == good_hash
        if kind != "FileFormatError" and not harmless_flip:
            wrong[name] = (kind, detail)
    assert not wrong, wrong
    assert len(results) == len(entries)


def test_messages_name_the_file_and_the_field(corpus):
    picked = [
        e
        for e in corpus
        if e[0]
        in (
            "bomb_dense_units",
            "weights_complex",
            "text",
            "optimizer_iterations_negative",
            "idx_raw_short",
        )
    ]
    good_path = Path(corpus[0][1]).parent / "valid.gpuflow"
    _, results = _run_child(picked, 1 << 30, good_path)
    for name, path, _ in picked:
        kind, detail = results[name]
        assert kind == "FileFormatError" and str(path) in detail, (name, detail)
    assert "weight.0" in results["weights_complex"][1]
    assert "iterations" in results["optimizer_iterations_negative"][1]
    assert "pickle" not in results["text"][1]


def test_file_format_error_is_a_value_error_with_fields():
    from gpuflow.saving import FileFormatError

    err = FileFormatError("m.gpuflow", "header.version", "expected an int", "load_model")
    assert isinstance(err, ValueError)
    assert (err.path, err.field, err.problem) == ("m.gpuflow", "header.version", "expected an int")
    assert str(err) == "load_model: malformed file m.gpuflow: header.version: expected an int"
