"""The Keras data-set cache: files under ``$KERAS_HOME/datasets`` (``~/.keras/datasets``).

The loaders of :mod:`gpuflow.datasets` that mirror ``keras.datasets`` (CIFAR, Fashion-MNIST,
IMDB, Reuters, the housing sets) read and download the same files, under the same names and
in the same folders, as Keras 3 does, so a cache filled by one is used by the other. The
download itself is :func:`gpuflow.utils.file_utils.get_file` (atomic, hash checked); offline,
:class:`~gpuflow.datasets.mnist.DataUnavailableError` names the file and where to put it.

Standard library and NumPy only at import time.
"""

from __future__ import annotations

import io
import os
import pickle
import shutil
import tarfile
import tempfile
import zipfile

import numpy as np

from ._idx import CorruptFileError
from .mnist import DataUnavailableError

KERAS_ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
"""The folder Keras downloads its data sets from."""

_ALLOWED_PICKLE_GLOBALS = frozenset(
    {
        ("numpy", "ndarray"),
        ("numpy", "dtype"),
        ("numpy.core.multiarray", "_reconstruct"),
        ("numpy._core.multiarray", "_reconstruct"),
    }
)


def cache_folder(cache_subdir: str = "datasets") -> str:
    """Returns ``$KERAS_HOME/<cache_subdir>`` (``~/.keras/<cache_subdir>`` without the variable)."""
    root = os.environ.get("KERAS_HOME") or os.path.join("~", ".keras")
    return os.path.join(os.path.abspath(os.path.expanduser(root)), cache_subdir)


def cached_file(
    op: str,
    fname: str,
    origin: str,
    file_hash: str | None,
    cache_subdir: str = "datasets",
    hint: str = "",
) -> str:
    """Returns the path of ``fname`` in the Keras cache, downloading ``origin`` when absent.

    Args:
        op: the loader's name, for messages (``"cifar10.load_data"``).
        fname: the file name in the cache folder.
        origin: the URL Keras downloads it from.
        file_hash: SHA-256 (64 hex digits) or MD5 (32) of the published file, or None.
        cache_subdir: the folder under the Keras home (``"datasets"``).
        hint: a sentence added to the offline message (what the file is).

    Raises:
        DataUnavailableError: the file is not cached and could not be downloaded; the message
            names the URL, the file and the folder to put it in.
    """
    from ..utils.file_utils import get_file

    folder = cache_folder(cache_subdir)
    try:
        return get_file(fname, origin=origin, file_hash=file_hash, cache_subdir=folder)
    except (OSError, ValueError) as exc:  # offline, or the download's hash differs
        raise DataUnavailableError(
            f"{op}: {os.path.join(folder, fname)} is not in the Keras cache and could not be "
            f"downloaded from {origin} ({exc}). {hint}Download {origin} elsewhere and save it "
            f"as {os.path.join(folder, fname)} (or point KERAS_HOME at a folder whose "
            f"{cache_subdir}/ holds it).",
            folder,
            [str(exc)],
        ) from None


def extract_tar(op: str, archive: str, dest: str) -> None:
    """Extracts the tar archive ``archive`` into the folder ``dest``, all or nothing.

    Members are written into a temporary folder beside ``dest``, which is renamed onto
    ``dest`` only once every member is out; members whose path leaves the folder (absolute
    names, ``..``) and links, devices and other special files are refused.

    Raises:
        CorruptFileError: the archive is not a readable tar file or holds an unsafe member.
    """
    parent = os.path.dirname(os.path.abspath(dest))
    os.makedirs(parent, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="." + os.path.basename(dest) + ".", dir=parent)
    try:
        try:
            with tarfile.open(archive) as tar:
                for member in tar.getmembers():
                    target = os.path.realpath(os.path.join(tmp, member.name))
                    inside = os.path.commonpath([target, os.path.realpath(tmp)]) == (
                        os.path.realpath(tmp)
                    )
                    if not inside or not (member.isfile() or member.isdir()):
                        raise CorruptFileError(
                            archive,
                            member.name,
                            f"{op}: refusing archive member {member.name!r} "
                            "(outside the folder, a link or a special file)",
                        )
                if hasattr(tarfile, "data_filter"):  # Python >= 3.10.12
                    tar.extractall(tmp, filter="data")
                else:  # every member was checked above
                    tar.extractall(tmp)  # noqa: S202
        except (tarfile.TarError, EOFError, OSError) as exc:
            raise CorruptFileError(
                archive,
                "tar",
                f"{op}: not a readable tar.gz archive ({type(exc).__name__}: {exc}); "
                "delete it and load again",
            ) from exc
        if os.path.isdir(dest):
            shutil.rmtree(dest)
        os.replace(tmp, dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


class RestrictedUnpickler(pickle.Unpickler):
    """An unpickler that builds NumPy arrays and plain Python values, and nothing else."""

    def find_class(self, module, name):
        if (module, name) in _ALLOWED_PICKLE_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(
            f"refusing to unpickle {module}.{name} while loading a Keras data set: "
            "the file may be corrupted or malicious"
        )


def unpickle(op: str, path: str, encoding: str = "ASCII"):
    """Reads a pickle that may hold only NumPy arrays and plain Python values."""
    try:
        with open(path, "rb") as f:
            return RestrictedUnpickler(f, encoding=encoding).load()
    except (pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError) as exc:
        raise CorruptFileError(
            path, "pickle", f"{op}: not a readable data-set pickle ({exc})"
        ) from exc


def _read_npy(member: str, raw: bytes):
    fp = io.BytesIO(raw)
    try:
        return np.lib.format.read_array(fp, allow_pickle=False)
    except ValueError:  # an object array: only arrays and plain values may be unpickled
        fp.seek(0)
        version = np.lib.format.read_magic(fp)
        if version[0] == 1:
            np.lib.format.read_array_header_1_0(fp)
        elif version[0] in (2, 3):
            np.lib.format.read_array_header_2_0(fp)
        else:
            raise ValueError(f"unsupported .npy version {version}") from None
        return RestrictedUnpickler(fp).load()


def load_npz(op: str, path: str, keys: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Reads the arrays ``keys`` of a Keras ``.npz`` file, object arrays included.

    Object arrays (IMDB's and Reuters' lists of word indices) are unpickled with
    :class:`RestrictedUnpickler`, so a hostile file cannot run code; numeric arrays are read
    with pickling off.

    Raises:
        CorruptFileError: the file is not a zip of ``.npy`` members, or lacks one of ``keys``.
    """
    arrays = {}
    try:
        with zipfile.ZipFile(path) as archive:
            names = [n for n in archive.namelist() if n.endswith(".npy")]
            present = sorted(n[: -len(".npy")] for n in names)
            missing = [k for k in keys if k not in present]
            if missing:
                raise CorruptFileError(
                    path,
                    "arrays",
                    f"{op}: expected arrays {list(keys)}, received {present} (missing {missing})",
                )
            for key in keys:
                with archive.open(key + ".npy") as raw:
                    arrays[key] = _read_npy(key, raw.read())
    except CorruptFileError:
        raise
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, pickle.UnpicklingError) as exc:
        raise CorruptFileError(
            path,
            "npz",
            f"{op}: not a readable Keras .npz file ({type(exc).__name__}: {exc}); "
            "delete it and load again",
        ) from exc
    return arrays
