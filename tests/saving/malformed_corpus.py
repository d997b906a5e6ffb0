"""Generate a corpus of malformed gpuflow model files and MNIST IDX files into a folder.

Run as a script (``python tests/saving/malformed_corpus.py OUT_DIR``) or call
:func:`generate`. Nothing binary is committed: every file is made from a valid one at test
time. Each entry is ``(name, path, kind)`` with ``kind`` ``"model"`` (read with
``load_model``) or ``"idx-images"`` / ``"idx-labels"`` (read with the MNIST IDX reader).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import struct
import sys
import zipfile
from pathlib import Path

import numpy as np

SEED = 20
_DEEP = "<100000 nested objects>"  # json.dumps cannot write them: spliced into the text


def _sha(a) -> str:
    return hashlib.sha256(np.ascontiguousarray(a).tobytes()).hexdigest()


def write_crafted(path, meta: dict, arrays: dict, fix_table: bool = True) -> Path:
    """An archive with ``meta`` as written, no checks; ``fix_table`` adds a correct table."""
    if fix_table:
        meta = dict(
            meta,
            arrays={
                k: {"shape": list(a.shape), "dtype": a.dtype.str, "sha256": _sha(a)}
                for k, a in arrays.items()
            },
        )
    text = json.dumps(meta).replace(json.dumps(_DEEP), '{"a": ' * 100_000 + "{}" + "}" * 100_000)
    header = np.frombuffer(text.encode(), np.uint8)
    with open(path, "wb") as f:
        np.savez(f, __meta__=header, **arrays)
    return Path(path)


def _valid_model(path) -> tuple[dict, dict]:
    import gpuflow as tf

    model = tf.keras.Sequential(
        [
            tf.keras.layers.Dense(8, activation="relu"),
            tf.keras.layers.Dropout(0.1),
            tf.keras.layers.Dense(3),
        ]
    )
    model.compile("adam", "mse")
    model.fit(np.ones((8, 4), "float32"), np.ones((8, 3), "float32"), epochs=1, verbose=0)
    model.save(path)
    with zipfile.ZipFile(path) as z:
        meta = json.loads(np.load(io.BytesIO(z.read("__meta__.npy"))).tobytes())
    with np.load(path) as f:
        arrays = {k: f[k] for k in f.files if k != "__meta__"}
    return meta, arrays


def _header_variants(meta: dict, arrays: dict):
    """(name, meta, arrays) with one field of the header or arrays made wrong."""

    def m(**changes):
        return {**meta, **changes}

    # the first Dense (Sequential's config lists its InputLayer first, as Keras 3's)
    first = next(i for i, s in enumerate(meta["config"]["layers"]) if s["class_name"] == "Dense")
    dense = meta["config"]["layers"][first]["config"]
    big = json.loads(json.dumps(meta))
    big["config"]["layers"][first]["config"]["units"] = 10**9  # a Dense(1e9): 4+ GB if built
    yield "bomb_dense_units", big, arrays
    yield "bomb_input_shape", m(input_shape=[10**6, 10**6]), arrays
    yield "bomb_input_shape_mid", m(input_shape=[400_000_000]), arrays
    neg = json.loads(json.dumps(meta))
    neg["config"]["layers"][first]["config"]["units"] = -5
    yield "negative_units", neg, arrays
    wrong_type = json.loads(json.dumps(meta))
    wrong_type["config"]["layers"][first]["config"]["units"] = "many"
    yield "units_is_a_string", wrong_type, arrays
    nokeys = json.loads(json.dumps(meta))
    del nokeys["config"]["layers"]
    yield "config_missing_layers", nokeys, arrays
    yield "config_is_a_list", m(config=[1, 2, 3]), arrays
    yield "class_unknown", m(class_name="NoSuchModel", registered_name="x>NoSuchModel"), arrays
    bad_layer = json.loads(json.dumps(meta))
    bad_layer["config"]["layers"][first]["class_name"] = "__import__"
    yield "layer_class_unknown", bad_layer, arrays
    yield "deep_nesting", m(config=_DEEP), arrays
    yield "version_from_future", m(version=99), arrays
    yield "version_negative", m(version=-1), arrays
    yield "version_string", m(version="1"), arrays
    yield "format_wrong", m(format="pickle"), arrays
    yield "kind_missing", {k: v for k, v in meta.items() if k != "kind"}, arrays
    yield "compile_garbage", m(compile={"optimizer": 5, "loss": [], "metrics": 3}), arrays
    yield "compile_is_a_string", m(compile="adam"), arrays
    yield (
        "random_state_garbage",
        m(
            random_state={
                "version": 1,
                "devices": {"cpu": {"bit_generator": "os.system", "state": 1}},
                "layers": [{"class_name": "Dropout", "state": None}],
            }
        ),
        arrays,
    )
    yield (
        "random_state_wrong_layers",
        m(random_state={"version": 1, "devices": {}, "layers": [1, 2, 3]}),
        arrays,
    )
    yield "input_shape_negative", m(input_shape=[-4]), arrays
    yield "input_shape_string", m(input_shape="four"), arrays
    neg_steps = dict(arrays, **{"optimizer.iterations": np.asarray(-5, np.int64)})
    yield "optimizer_iterations_negative", meta, neg_steps
    yield (
        "weights_complex",
        meta,
        dict(arrays, **{"weight.0": arrays["weight.0"].astype(np.complex64)}),
    )
    yield "weights_bool", meta, dict(arrays, **{"weight.0": arrays["weight.0"] > 0})
    yield "weights_wrong_shape", meta, dict(arrays, **{"weight.0": np.ones((3, 3), "float32")})
    missing = dict(arrays)
    del missing["weight.1"]
    yield "weight_missing", meta, missing
    assert "units" in dense  # the variants above edit the first Dense layer's config


def _raw_variants(meta: dict, arrays: dict, good: bytes):
    """(name, bytes) for damage below the header: zip structure, .npy headers, sizes."""
    rng = np.random.default_rng(SEED)
    for frac in (0.0, 0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99):
        yield f"truncated_{int(frac * 100):02d}", good[: int(len(good) * frac)]
    for i in range(12):
        data = bytearray(good)
        for offset in rng.integers(0, len(data), size=1 + i % 3):
            data[offset] ^= 1 << int(rng.integers(0, 8))
        yield f"flipped_{i:02d}", bytes(data)
    yield "empty", b""
    yield "text", b"hello, I am not a model\n"
    yield "pickle", b"\x80\x04\x95" + b"cos\nsystem\n(S'echo hi'\ntR." + b"." * 16
    yield "npy_not_npz", _npy_bytes(np.ones(4))
    # table lies: the header says an array is huge, the member holds 4 bytes
    lying = dict(
        meta, arrays={"weight.0": {"shape": [1 << 40], "dtype": "<f4", "sha256": "0" * 64}}
    )
    yield "table_declares_4tb", _archive_bytes(lying, {"weight.0": np.ones(1, "float32")})
    yield (
        "table_dtype_object",
        _archive_bytes(
            dict(meta, arrays={"weight.0": {"shape": [1], "dtype": "|O", "sha256": "0" * 64}}),
            {"weight.0": np.ones(1, "float32")},
        ),
    )
    yield "table_not_a_dict", _archive_bytes(dict(meta, arrays=[1, 2]), {})
    yield (
        "meta_not_json",
        _zip_bytes({"__meta__.npy": _npy_bytes(np.frombuffer(b"{oops", np.uint8))}),
    )
    yield (
        "meta_is_a_list",
        _zip_bytes({"__meta__.npy": _npy_bytes(np.frombuffer(b"[1, 2]", np.uint8))}),
    )
    yield "meta_float_array", _zip_bytes({"__meta__.npy": _npy_bytes(np.ones(3))})
    yield "no_meta", _zip_bytes({"weight.0.npy": _npy_bytes(np.ones(3))})
    # a .npy header in the member declaring 2**40 elements (zip sizes small)
    fake = bytearray(_npy_bytes(np.ones(4, "float32")))
    fake[:128] = _npy_header("<f4", (1 << 40,))
    yield (
        "npy_header_declares_4tb",
        _archive_bytes(
            dict(
                meta, arrays={"weight.0": {"shape": [1 << 40], "dtype": "<f4", "sha256": "0" * 64}}
            ),
            {},
            raw={"weight.0.npy": bytes(fake)},
        ),
    )
    # zip bomb: a deflated member declaring 200 MB that compresses to a few hundred KB
    yield "zip_bomb_deflated", _deflate_bomb(meta, 200 << 20)


def _npy_header(dtype: str, shape: tuple) -> bytes:
    text = f"{{'descr': '{dtype}', 'fortran_order': False, 'shape': {shape!r}, }}"
    text = text.ljust(128 - 10 - 1) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(text)) + text.encode()


def _npy_bytes(a) -> bytes:
    buf = io.BytesIO()
    np.save(buf, a)
    return buf.getvalue()


def _zip_bytes(members: dict, compression=zipfile.ZIP_STORED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def _archive_bytes(meta: dict, arrays: dict, raw: dict | None = None) -> bytes:
    members = {"__meta__.npy": _npy_bytes(np.frombuffer(json.dumps(meta).encode(), np.uint8))}
    members.update({f"{k}.npy": _npy_bytes(a) for k, a in arrays.items()})
    members.update(raw or {})
    return _zip_bytes(members)


def _deflate_bomb(meta: dict, nbytes: int) -> bytes:
    n = nbytes // 4
    entry = {"shape": [n], "dtype": "<f4", "sha256": "0" * 64}
    header = _npy_bytes(
        np.frombuffer(json.dumps(dict(meta, arrays={"weight.0": entry})).encode(), np.uint8)
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("__meta__.npy", header, compress_type=zipfile.ZIP_STORED)
        with z.open("weight.0.npy", "w", force_zip64=True) as f:
            f.write(_npy_header("<f4", (n,)))
            zeros = bytes(1 << 20)
            for _ in range(nbytes >> 20):
                f.write(zeros)
    return buf.getvalue()


def _idx_variants():
    """(name, bytes, kind) of gzipped / raw IDX files named as MNIST's."""

    def idx(magic, dims, payload: bytes) -> bytes:
        return struct.pack(">I", magic) + struct.pack(f">{len(dims)}I", *dims) + payload

    def gz(data: bytes) -> bytes:
        return gzip.compress(data, compresslevel=9)

    yield (
        "idx_gz_bomb_declared",
        gz(idx(0x0803, (2_000_000, 28, 28), bytes(50 << 20))),
        "idx-images",
    )
    yield "idx_gz_bomb_huge_dims", gz(idx(0x0803, (1 << 31, 1 << 20, 1 << 20), b"")), "idx-images"
    yield "idx_raw_short", idx(0x0803, (60000, 28, 28), bytes(1000)), "idx-images"
    yield "idx_raw_long", idx(0x0801, (10,), bytes(20)), "idx-labels"
    yield "idx_bad_magic", idx(0x0D03, (1, 28, 28), bytes(784)), "idx-images"
    yield "idx_wrong_sample_shape", idx(0x0803, (1, 27, 27), bytes(729)), "idx-images"
    yield "idx_empty", b"", "idx-images"
    yield "idx_gz_truncated", gz(idx(0x0803, (10, 28, 28), bytes(7840)))[:40], "idx-images"
    # the published shape with the wrong content: caught by the published SHA-256
    yield "idx_raw_official_shape_bad_content", idx(0x0801, (10000,), bytes(10000)), "idx-labels"


def generate(folder) -> list[tuple[str, Path, str]]:
    """Write the corpus into ``folder``; returns ``(name, path, kind)`` for every file."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    good_path = folder / "valid.gpuflow"
    meta, arrays = _valid_model(good_path)
    good = good_path.read_bytes()
    out = []
    for name, bad_meta, bad_arrays in _header_variants(meta, arrays):
        path = folder / f"{name}.gpuflow"
        write_crafted(path, bad_meta, bad_arrays)
        out.append((name, path, "model"))
    for name, data in _raw_variants(meta, arrays, good):
        path = folder / f"{name}.gpuflow"
        path.write_bytes(data)
        out.append((name, path, "model"))
    names = {"idx-images": "t10k-images-idx3-ubyte", "idx-labels": "t10k-labels-idx1-ubyte"}
    for name, data, kind in _idx_variants():
        sub = folder / name
        sub.mkdir()
        path = sub / (names[kind] + (".gz" if data[:2] == b"\x1f\x8b" else ""))
        path.write_bytes(data)
        out.append((name, path, kind))
    return out


if __name__ == "__main__":
    for entry in generate(sys.argv[1] if len(sys.argv) > 1 else "malformed-corpus"):
        print(entry[0], entry[1])
