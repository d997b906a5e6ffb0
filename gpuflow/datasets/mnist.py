"""MNIST handwritten digits, Keras-compatible: ``load_data(path=None)``.

Reads, from a local folder, either ``mnist.npz`` in the Keras format (arrays
``x_train``, ``y_train``, ``x_test``, ``y_test``) or the four IDX files of the
original distribution, each gzipped or not::

    train-images-idx3-ubyte[.gz]  train-labels-idx1-ubyte[.gz]
    t10k-images-idx3-ubyte[.gz]   t10k-labels-idx1-ubyte[.gz]

The folder is ``path`` when given, else ``$GPUFLOW_DATA/mnist``, else
``~/.gpuflow/datasets/mnist`` (files directly in ``$GPUFLOW_DATA`` or
``~/.gpuflow/datasets`` are found too). When neither set is there, the files
are downloaded into that folder from :data:`MIRRORS`, tried in turn; each
download is checked against its SHA-256 and lands under its real name only
when complete and correct. Offline, :class:`DataUnavailableError` says which
folder to put which files in.

Standard library and NumPy only; imports nothing else from gpuflow.
"""

from __future__ import annotations

import os
import sys
import zipfile
from collections.abc import Iterable, Mapping

import numpy as np

from ._fetch import DownloadError, fetch
from ._idx import CorruptFileError, read_idx

__all__ = [
    "IDX_FILES",
    "IDX_SHA256",
    "MIRRORS",
    "NPZ_FILE",
    "NPZ_SHA256",
    "RAW_IDX_FILES",
    "CorruptFileError",
    "DataUnavailableError",
    "default_folder",
    "load_data",
]

NPZ_FILE = "mnist.npz"
IDX_FILES = {
    "x_train": "train-images-idx3-ubyte",
    "y_train": "train-labels-idx1-ubyte",
    "x_test": "t10k-images-idx3-ubyte",
    "y_test": "t10k-labels-idx1-ubyte",
}
"""Array name -> IDX file name (without ``.gz``)."""

NPZ_SHA256 = {NPZ_FILE: "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"}
IDX_SHA256 = {
    "train-images-idx3-ubyte.gz": (
        "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"
    ),
    "train-labels-idx1-ubyte.gz": (
        "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"
    ),
    "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
}

RAW_IDX_FILES = {
    "train-images-idx3-ubyte": (
        (60000, 28, 28),
        "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    ),
    "train-labels-idx1-ubyte": (
        (60000,),
        "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    ),
    "t10k-images-idx3-ubyte": (
        (10000, 28, 28),
        "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    ),
    "t10k-labels-idx1-ubyte": (
        (10000,),
        "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    ),
}
"""IDX file name -> (shape, SHA-256 of the uncompressed file) of the published MNIST files.

A file of one of these names whose header declares the published shape must have this
content, gzipped or not (the ``.gz`` files decompress to exactly these bytes); a file with
another shape is read as the user's own data in the MNIST format.
"""

MIRRORS: tuple[tuple[str, Mapping[str, str]], ...] = (
    ("https://storage.googleapis.com/tensorflow/tf-keras-datasets/", NPZ_SHA256),
    ("https://ossci-datasets.s3.amazonaws.com/mnist/", IDX_SHA256),
    ("https://storage.googleapis.com/cvdf-datasets/mnist/", IDX_SHA256),
)
"""Download sources, tried in order: (base URL, {file name: SHA-256}).

A mirror offers either ``mnist.npz`` or the four IDX files; a SHA-256 of None
accepts any content. Replace it (or pass ``mirrors=`` to :func:`load_data`) to
use a local mirror or to test.
"""

DEFAULT_TIMEOUT = 30.0
_IMAGE_SHAPE = (28, 28)


class DataUnavailableError(FileNotFoundError):
    """The data set is not on disk and could not be downloaded.

    Attributes:
        folder: The folder the files should be put in.
        errors: One line per failed download attempt.
    """

    def __init__(self, message: str, folder: str, errors: list[str]):
        super().__init__(message)
        self.folder = folder
        self.errors = errors

    def __str__(self) -> str:
        return str(self.args[0])


def default_folder() -> str:
    """Returns the folder MNIST is read from and downloaded to by default.

    ``$GPUFLOW_DATA/mnist`` when the environment variable is set and not
    empty, else ``~/.gpuflow/datasets/mnist``.
    """
    return os.path.join(_data_root(), "mnist")


def _data_root() -> str:
    root = os.environ.get("GPUFLOW_DATA") or os.path.join("~", ".gpuflow", "datasets")
    return os.path.abspath(os.path.expanduser(root))


def _find_local(folders: Iterable[str]) -> tuple[str, object] | None:
    """Returns ("npz", file) or ("idx", {array name: file}) for the first complete set."""
    for folder in folders:
        npz = os.path.join(folder, NPZ_FILE)
        if os.path.isfile(npz):
            return "npz", npz
        found = {}
        for key, name in IDX_FILES.items():
            for candidate in (name, name + ".gz"):
                if os.path.isfile(os.path.join(folder, candidate)):
                    found[key] = os.path.join(folder, candidate)
                    break
        if len(found) == len(IDX_FILES):
            return "idx", found
    return None


def _have(folder: str, name: str) -> bool:
    """True when ``name`` (or its gzipped / un-gzipped twin) is already in ``folder``."""
    twin = name[:-3] if name.endswith(".gz") else name + ".gz"
    return os.path.isfile(os.path.join(folder, name)) or (
        name != NPZ_FILE and os.path.isfile(os.path.join(folder, twin))
    )


def _checked(arrays: dict[str, np.ndarray], sources: dict[str, str]) -> dict[str, np.ndarray]:
    """Validates shapes and label range; casts to uint8. Errors name the file."""
    for split in ("train", "test"):
        x, y = arrays["x_" + split], arrays["y_" + split]
        xs, ys = sources["x_" + split], sources["y_" + split]
        if x.ndim != 3 or x.shape[1:] != _IMAGE_SHAPE:
            raise CorruptFileError(
                f"{xs}: expected x_{split} images of shape (n, 28, 28), received {x.shape}"
            )
        if y.ndim != 1:
            raise CorruptFileError(
                f"{ys}: expected y_{split} labels of shape (n,), received {y.shape}"
            )
        if len(x) != len(y):
            raise CorruptFileError(
                f"{xs}, {ys}: expected as many labels as images, "
                f"received {len(x)} images and {len(y)} labels"
            )
        for name, a, src, top in (("x_" + split, x, xs, 255), ("y_" + split, y, ys, 9)):
            if a.dtype != np.uint8:
                if a.dtype.kind not in "iu" or (a.size and (a.min() < 0 or a.max() > top)):
                    raise CorruptFileError(
                        f"{src}: expected {name} as integers 0..{top}, received dtype "
                        f"{a.dtype.name}"
                    )
                arrays[name] = a.astype(np.uint8)
            elif a.size and a.max() > top:
                raise CorruptFileError(
                    f"{src}: expected {name} values 0..{top}, received a maximum of {a.max()}"
                )
    return arrays


_MAX_NPZ_MEMBER = 256 << 20  # the largest member of Keras' mnist.npz is 47 MB uncompressed


def _load_npz(path: str) -> dict[str, np.ndarray]:
    try:
        with zipfile.ZipFile(path) as archive:  # sizes first: a small file must not inflate to GBs
            for info in archive.infolist():
                if info.file_size > _MAX_NPZ_MEMBER:
                    raise CorruptFileError(
                        path,
                        info.filename,
                        f"member {info.filename} declares "
                        f"{info.file_size} bytes, over the {_MAX_NPZ_MEMBER} an "
                        "MNIST array may have",
                    )
        with np.load(path, allow_pickle=False) as f:
            missing = [k for k in IDX_FILES if k not in f.files]
            if missing:
                raise CorruptFileError(
                    f"{path}: expected arrays x_train, y_train, x_test, y_test, "
                    f"received {sorted(f.files)} (missing {missing})"
                )
            arrays = {k: f[k] for k in IDX_FILES}
    except CorruptFileError:
        raise
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, KeyError) as e:
        raise CorruptFileError(
            f"{path}: not a readable Keras mnist.npz ({type(e).__name__}: {e}); "
            "delete it and load again"
        ) from e
    return _checked(arrays, {k: path for k in IDX_FILES})


def _load_idx(files: dict[str, str]) -> dict[str, np.ndarray]:
    arrays = {}
    for key, path in files.items():
        images = key.startswith("x")
        arrays[key] = read_idx(
            path,
            ndim=3 if images else 1,
            sample_shape=_IMAGE_SHAPE if images else (),
            known=RAW_IDX_FILES.get(IDX_FILES[key]),
        )
    return _checked(arrays, files)


def _load(
    found: tuple[str, object],
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    kind, where = found
    a = _load_npz(where) if kind == "npz" else _load_idx(where)
    return (a["x_train"], a["y_train"]), (a["x_test"], a["y_test"])


def _resolve(path: str | os.PathLike | None) -> tuple[str | None, list[str], str]:
    """Returns (npz file to read directly or None, folders to search, download folder)."""
    if path is None:
        root = _data_root()
        folder = os.path.join(root, "mnist")
        return None, [folder, root], folder
    path = os.path.expanduser(os.fspath(path))
    if path.endswith(".npz") and not os.path.isfile(path) and os.path.dirname(path) == "":
        # Keras reads a bare file name relative to its cache folder.
        path = os.path.join(default_folder(), path)
    if os.path.isfile(path):
        return os.path.abspath(path), [], os.path.dirname(os.path.abspath(path))
    folder = (
        os.path.dirname(os.path.abspath(path)) if path.endswith(".npz") else os.path.abspath(path)
    )
    return None, [folder], folder


def _unavailable(folder: str, errors: list[str], download: bool) -> DataUnavailableError:
    names = ", ".join(n + ".gz" for n in IDX_FILES.values())
    if errors:
        why = "could not be downloaded (" + "; ".join(errors) + ")"
    elif download:
        why = "no download mirrors are configured"
    else:
        why = "downloads are off (download=False)"
    message = (
        f"MNIST is not in {folder} and {why}. Put {NPZ_FILE} (Keras format) or the four IDX files "
        f"{names} (gzipped or not) in {folder}, or point GPUFLOW_DATA or load_data(path=...) "
        "at a folder that holds them."
    )
    return DataUnavailableError(message, folder, errors)


def load_data(
    path: str | os.PathLike | None = None,
    *,
    mirrors: Iterable[tuple[str, Mapping[str, str | None]]] | None = None,
    download: bool = True,
    timeout: float = DEFAULT_TIMEOUT,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Loads MNIST, downloading it once when it is not on disk.

    Args:
        path: A folder holding ``mnist.npz`` or the four IDX files, or the
            path of an ``.npz`` file. A bare ``.npz`` file name (no folder,
            e.g. Keras' ``"mnist.npz"``) that is not in the working directory
            is looked up in :func:`default_folder`, as Keras looks in its
            cache. None (default): :func:`default_folder`.
        mirrors: Download sources, tried in order, as (base URL, {file name:
            SHA-256 or None}); None means :data:`MIRRORS`.
        download: If False, never touch the network.
        timeout: Seconds to wait for each connection and read.

    Returns:
        ``((x_train, y_train), (x_test, y_test))``: ``x_*`` uint8 of shape
        (n, 28, 28) with values 0..255; ``y_*`` uint8 of shape (n,) with
        values 0..9. n is 60000 and 10000 for the official files.

    Raises:
        DataUnavailableError: The files are not there and no mirror delivered
            them; the message names the folder and the files to put in it.
        CorruptFileError: A file on disk is not valid IDX / npz data or has
            the wrong shapes; the message names the file.
    """
    npz, folders, target = _resolve(path)
    if npz is not None:
        return _load(("npz", npz))
    found = _find_local(folders)
    if found is not None:
        return _load(found)
    errors: list[str] = []
    created = not os.path.isdir(target)
    if download:
        for base, files in MIRRORS if mirrors is None else mirrors:
            try:
                os.makedirs(target, exist_ok=True)
                for name, sha256 in files.items():
                    if _have(target, name):
                        continue
                    url = base.rstrip("/") + "/" + name
                    print(f"gpuflow: downloading {url} to {target}", file=sys.stderr, flush=True)
                    fetch(url, os.path.join(target, name), sha256, timeout=timeout)
            except (DownloadError, OSError) as e:
                errors.append(str(e) if isinstance(e, DownloadError) else f"{target}: {e}")
                continue
            found = _find_local([target])
            if found is not None:
                return _load(found)
            errors.append(f"{base}: offered {sorted(files)}, not {NPZ_FILE} nor the four IDX files")
    if created and os.path.isdir(target) and not os.listdir(target):
        os.rmdir(target)  # leave the disk as we found it
    raise _unavailable(target, errors, download)
