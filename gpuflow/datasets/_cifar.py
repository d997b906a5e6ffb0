"""CIFAR-10 / CIFAR-100 from the Keras cache: the python-pickle batches of the tar.gz archives."""

from __future__ import annotations

import os

import numpy as np

from ._idx import CorruptFileError
from ._keras_cache import cache_folder, cached_file, extract_tar, unpickle


def load_batch(fpath: str, label_key: str = "labels", op: str = "cifar.load_batch"):
    """Reads one CIFAR batch file: returns ``(data, labels)``, data uint8 ``(n, 3, 32, 32)``.

    Raises:
        CorruptFileError: the file is not a CIFAR batch (a pickled dict with ``data`` of
            n x 3072 bytes and ``label_key`` with n labels).
    """
    d = unpickle(op, fpath, encoding="bytes")
    if not isinstance(d, dict):
        raise CorruptFileError(fpath, "pickle", f"{op}: expected a dict, received {type(d)}")
    d = {k.decode("utf8") if isinstance(k, bytes) else k: v for k, v in d.items()}
    for key in ("data", label_key):
        if key not in d:
            raise CorruptFileError(
                fpath, key, f"{op}: expected the keys 'data' and {label_key!r}, found {sorted(d)}"
            )
    data, labels = d["data"], d[label_key]
    if not isinstance(data, np.ndarray) or data.ndim != 2 or data.shape[1] != 3 * 32 * 32:
        raise CorruptFileError(
            fpath,
            "data",
            f"{op}: expected data of shape (n, 3072), received "
            f"{getattr(data, 'shape', type(data).__name__)}",
        )
    if len(labels) != data.shape[0]:
        raise CorruptFileError(
            fpath,
            label_key,
            f"{op}: expected {data.shape[0]} labels (one per image), received {len(labels)}",
        )
    return data.reshape(data.shape[0], 3, 32, 32), labels


def batches_folder(op: str, dirname: str, origin: str, sha256: str, inner: str, names) -> str:
    """Returns the folder that holds the batch files ``names``, downloading and extracting.

    As Keras: the archive is cached as ``<dirname>_archive`` and extracted into ``<dirname>/``
    (which then holds ``inner/``). An already extracted folder is used as it is; otherwise
    the archive is fetched (hash checked) and extracted anew.
    """
    folder = os.path.join(cache_folder(), dirname)
    path = os.path.join(folder, inner)
    if all(os.path.isfile(os.path.join(path, n)) for n in names):
        return path
    archive = cached_file(
        op,
        dirname + "_archive",
        origin,
        sha256,
        hint=f"The file is {os.path.basename(origin)} under another name; or extract that "
        f"archive into {folder} (so that {os.path.join(path, names[0])} exists). ",
    )
    extract_tar(op, archive, folder)
    missing = [n for n in names if not os.path.isfile(os.path.join(path, n))]
    if missing:
        raise CorruptFileError(
            archive, "members", f"{op}: the archive lacks {inner}/{missing[0]} ({missing})"
        )
    return path
