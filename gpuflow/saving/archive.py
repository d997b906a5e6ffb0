"""gpuflow's own file format, read defensively: every size is checked before it is allocated.

A file is a zip of uncompressed ``.npy`` members (what ``np.savez`` writes): ``__meta__.npy``,
a uint8 array holding a JSON header (format, version and, per array, its shape, dtype and
SHA-256), and one member per array (bfloat16, which ``.npy`` cannot name, is stored as its
uint16 bit patterns under the header dtype ``"bfloat16"``). Reading never unpickles, never
decompresses, and checks each member's ``.npy`` header and stored size against the JSON
header before allocating it, so a file can make the reader allocate no more than the bytes
it really holds. Any defect
raises :class:`FileFormatError` naming the file and the field.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from pathlib import Path

import numpy as np

from .. import dtypes
from .atomic import atomic_write
from .errors import FileFormatError

META = "__meta__"
MAX_META_BYTES = 64 << 20  # a JSON header larger than this is not one gpuflow wrote
FILE_KINDS = "biuf"  # bool, ints, floats: never object arrays
_SHA = re.compile(r"[0-9a-f]{64}\Z")
_BF16 = dtypes.bfloat16._np
BF16_BITS = np.dtype("<u2")  # how a bfloat16 member is stored


def header_dtype(array: np.ndarray) -> str:
    """The dtype an archive's header records for ``array`` (``"bfloat16"`` or NumPy's str)."""
    return "bfloat16" if array.dtype == _BF16 else array.dtype.str


def digest(array: np.ndarray) -> str:
    """The SHA-256 of ``array``'s bytes in C order."""
    # hashed through a byte view: no copy of the array (tobytes would double peak memory)
    array = np.ascontiguousarray(array)
    if array.dtype == _BF16:  # no buffer-protocol format for it: hash its bit patterns
        array = array.view(BF16_BITS)
    return hashlib.sha256(memoryview(array.reshape(-1)).cast("B")).hexdigest()


def write_archive(path, meta: dict, arrays: dict) -> None:
    """Write ``meta`` (with an ``arrays`` table added) and ``arrays`` to ``path`` atomically."""
    arrays = {k: np.asarray(a) for k, a in arrays.items()}
    for key, array in arrays.items():
        if array.dtype.kind not in FILE_KINDS and array.dtype != _BF16:
            raise TypeError(
                f"save: array {key!r} has dtype {array.dtype.name}; gpuflow files hold "
                "bool, integer and float arrays only"
            )
    meta = dict(
        meta,
        arrays={
            k: {"shape": list(a.shape), "dtype": header_dtype(a), "sha256": digest(a)}
            for k, a in arrays.items()
        },
    )
    header = np.frombuffer(json.dumps(meta).encode("utf-8"), dtype=np.uint8)
    stored = {k: a.view(BF16_BITS) if a.dtype == _BF16 else a for k, a in arrays.items()}
    with atomic_write(path) as f:
        np.savez(f, **{META: header}, **stored)


def read_archive(path, op: str, fmt: str, version: int) -> tuple[dict, dict]:
    """``(meta, arrays)`` of the file at ``path`` written as format ``fmt`` up to ``version``."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"{op}: no such file: {path}")
    if not zipfile.is_zipfile(path):
        raise FileFormatError(
            path,
            "file",
            f"not a readable {fmt} file: no zip directory "
            "(truncated, or not written by model.save)",
            op,
        )
    try:
        with zipfile.ZipFile(path) as archive:
            infos = {info.filename: info for info in archive.infolist()}
            meta = read_meta(archive, infos, path, op, fmt, version)
            table = meta["arrays"]
            extra = sorted(set(infos) - {f"{k}.npy" for k in table} - {f"{META}.npy"})
            if extra:
                raise FileFormatError(
                    path, "arrays", f"members {extra[:5]} are not listed in the header", op
                )
            arrays = {
                key: _read_member(archive, infos, key, entry, path, op)
                for key, entry in table.items()
            }
    except FileFormatError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        EOFError,
        ValueError,
        NotImplementedError,
        RuntimeError,
    ) as exc:  # a damaged zip directory or member
        raise FileFormatError(
            path, "zip archive", f"damaged or truncated ({type(exc).__name__}: {exc})", op
        ) from None
    return meta, arrays


def read_meta(archive, infos, path, op, fmt, version) -> dict:
    """The verified JSON header of an open archive (``infos``: its members by name)."""
    info = infos.get(f"{META}.npy")
    if info is None:
        raise FileFormatError(path, "header", f"no {META} member: not a {fmt} file", op)
    if info.file_size > MAX_META_BYTES:
        raise FileFormatError(
            path,
            "header",
            f"declares {info.file_size} bytes, more than the {MAX_META_BYTES} a header may have",
            op,
        )
    entry = {"shape": [info.file_size], "dtype": "|u1", "sha256": None}
    raw = _read_member(archive, infos, META, entry, path, op, exact_shape=False)
    try:
        meta = json.loads(raw.tobytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise FileFormatError(
            path, "header", f"not valid JSON ({type(exc).__name__})", op
        ) from None
    if not isinstance(meta, dict) or meta.get("format") != fmt:
        got = meta.get("format") if isinstance(meta, dict) else type(meta).__name__
        raise FileFormatError(path, "header.format", f"expected {fmt!r}, found {got!r}", op)
    got = meta.get("version")
    if not isinstance(got, int) or isinstance(got, bool) or got < 1:
        raise FileFormatError(path, "header.version", f"expected a positive int, found {got!r}", op)
    if got > version:
        raise FileFormatError(
            path,
            "header.version",
            f"file version {got} was written by a newer "
            f"gpuflow (this one reads up to {version}); "
            "upgrade gpuflow",
            op,
        )
    table = meta.get("arrays")
    if not isinstance(table, dict):
        raise FileFormatError(
            path, "header.arrays", f"expected a table, found {type(table).__name__}", op
        )
    for key, entry in table.items():
        _check_entry(key, entry, path, op)
    return meta


def _check_entry(key, entry, path, op) -> None:
    field = f"header.arrays.{key}"
    if not isinstance(entry, dict) or set(entry) != {"shape", "dtype", "sha256"}:
        raise FileFormatError(path, field, "expected {shape, dtype, sha256}", op)
    shape = entry["shape"]
    if (
        not isinstance(shape, list)
        or len(shape) > 32
        or not all(isinstance(n, int) and not isinstance(n, bool) and 0 <= n < 2**62 for n in shape)
    ):
        raise FileFormatError(
            path, field + ".shape", f"expected a list of sizes, found {shape!r}"[:200], op
        )
    try:
        dtype = np.dtype(entry["dtype"]) if isinstance(entry["dtype"], str) else None
    except (TypeError, ValueError):
        dtype = None
    if dtype is not None and dtype == _BF16 and entry["dtype"] == "bfloat16":
        pass
    elif dtype is None or dtype.kind not in FILE_KINDS or dtype.fields or dtype.subdtype:
        raise FileFormatError(
            path,
            field + ".dtype",
            f"expected a bool, int or float dtype, found {entry['dtype']!r}"[:200],
            op,
        )
    if not isinstance(entry["sha256"], str) or not _SHA.match(entry["sha256"]):
        raise FileFormatError(path, field + ".sha256", "expected 64 hex digits", op)


def _read_member(archive, infos, key, entry, path, op, exact_shape=True) -> np.ndarray:
    field = f"arrays.{key}"
    info = infos.get(f"{key}.npy")
    if info is None:
        raise FileFormatError(path, field, "listed in the header but missing from the file", op)
    if info.compress_type != zipfile.ZIP_STORED:
        # gpuflow never compresses; refusing keeps a small file from inflating into a large one
        raise FileFormatError(path, field, "is compressed; gpuflow writes uncompressed members", op)
    dtype = np.dtype(entry["dtype"])
    member_dtype = BF16_BITS if dtype == _BF16 else dtype
    with archive.open(info) as f:
        try:
            major, _ = np.lib.format.read_magic(f)
            read_header = (
                np.lib.format.read_array_header_1_0
                if major == 1
                else np.lib.format.read_array_header_2_0
            )
            shape, fortran, stored_dtype = read_header(f)
        except (ValueError, SyntaxError, TypeError) as exc:
            raise FileFormatError(path, field, f"bad .npy header ({exc})"[:300], op) from None
        want = tuple(entry["shape"]) if exact_shape else None
        if (want is not None and shape != want) or stored_dtype != member_dtype or fortran:
            raise FileFormatError(
                path,
                field,
                f"holds {stored_dtype} {shape}, the header declares "
                f"{dtype} {tuple(entry['shape'])}",
                op,
            )
        nbytes = int(np.prod(shape, dtype=object) if shape else 1) * dtype.itemsize
        if info.file_size != f.tell() + nbytes:
            raise FileFormatError(
                path,
                field,
                f"stores {info.file_size - f.tell()} data bytes for "
                f"{dtype} {shape}, which needs {nbytes}",
                op,
            )
        buffer = np.empty(nbytes, dtype=np.uint8)
        if f.readinto(memoryview(buffer)) != nbytes:
            raise FileFormatError(path, field, "truncated", op)
    if entry["sha256"] is not None and hashlib.sha256(buffer).hexdigest() != entry["sha256"]:
        raise FileFormatError(path, field, "fails its SHA-256 check (damaged or modified)", op)
    return buffer.view(dtype).reshape(shape)
