"""``tf.io.gfile``: file-system functions on local paths (TensorFlow's also reach cloud
storage; gpuflow's work on the local file system only)."""

from __future__ import annotations

import glob as _glob
import os
import posixpath
import shutil

from ..errors import AlreadyExistsError, FailedPreconditionError, NotFoundError
from .files import as_bytes, as_path


def _path(value, op: str) -> str:
    return as_path(value, f"gfile.{op}", "path")


def exists(path) -> bool:
    """Whether ``path`` exists."""
    return os.path.exists(_path(path, "exists"))


def isdir(path) -> bool:
    """Whether ``path`` is a directory."""
    return os.path.isdir(_path(path, "isdir"))


def glob(pattern) -> list:
    """The paths that match ``pattern`` (``*``, ``?``, ``[...]``), sorted; for an iterable
    of patterns, each pattern's matches in turn (as TensorFlow)."""
    if isinstance(pattern, (str, bytes, os.PathLike)) or hasattr(pattern, "numpy"):
        return sorted(_glob.glob(_path(pattern, "glob")))
    try:
        patterns = list(pattern)
    except TypeError:
        raise TypeError(
            f"gfile.glob: pattern must be a path or an iterable of paths, "
            f"received {type(pattern).__name__}"
        ) from None
    return [match for single in patterns for match in sorted(_glob.glob(_path(single, "glob")))]


def listdir(path) -> list:
    """The names in directory ``path``.

    Raises:
        NotFoundError: when ``path`` is not a directory.
    """
    where = _path(path, "listdir")
    if not os.path.isdir(where):
        raise NotFoundError(None, "gfile.listdir", f"Could not find directory {where}")
    return sorted(os.listdir(where))


class FileStatistics:
    """What :func:`stat` returns: ``length`` in bytes, ``is_directory``, and ``mtime_nsec``
    (the last modification, in nanoseconds since the epoch)."""

    __slots__ = ("length", "is_directory", "mtime_nsec")

    def __init__(self, length: int, is_directory: bool, mtime_nsec: int) -> None:
        self.length, self.is_directory, self.mtime_nsec = length, is_directory, mtime_nsec

    def __repr__(self) -> str:
        return (
            f"FileStatistics(length={self.length}, is_directory={self.is_directory}, "
            f"mtime_nsec={self.mtime_nsec})"
        )


def stat(path) -> FileStatistics:
    """The size, kind and modification time of ``path`` (``tf.io.gfile.stat``).

    Raises:
        NotFoundError: when ``path`` does not exist.
    """
    where = _path(path, "stat")
    try:
        info = os.stat(where)
    except FileNotFoundError:
        raise NotFoundError(None, "gfile.stat", f"{where}; No such file or directory") from None
    is_directory = os.path.isdir(where)
    return FileStatistics(info.st_size, is_directory, info.st_mtime_ns)


def makedirs(path) -> None:
    """Creates ``path`` and its missing parents (no error when it exists).

    Raises:
        FailedPreconditionError: ``path`` (or a parent) is a file.
    """
    where = _path(path, "makedirs")
    try:
        os.makedirs(where, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise FailedPreconditionError(
            None, "gfile.makedirs", f"{where} is not a directory"
        ) from None


def mkdir(path) -> None:
    """Creates the directory ``path`` (its parent must exist). As TensorFlow's, a path
    that exists already is no error (TensorFlow's CreateDir ignores AlreadyExists)."""
    where = _path(path, "mkdir")
    try:
        os.mkdir(where)
    except FileExistsError:
        return
    except FileNotFoundError:
        raise NotFoundError(None, "gfile.mkdir", f"{where}; No such file or directory") from None


def remove(path) -> None:
    """Deletes the file ``path``.

    Raises:
        NotFoundError: when it does not exist.
    """
    where = _path(path, "remove")
    try:
        os.remove(where)
    except FileNotFoundError:
        raise NotFoundError(None, "gfile.remove", f"{where}; No such file or directory") from None


def rmtree(path) -> None:
    """Deletes the directory ``path`` and everything in it."""
    where = _path(path, "rmtree")
    if not os.path.isdir(where):
        raise NotFoundError(None, "gfile.rmtree", f"{where}; No such file or directory")
    shutil.rmtree(where)


def copy(src, dst, overwrite=False) -> None:
    """Copies file ``src`` to ``dst``.

    Raises:
        AlreadyExistsError: when ``dst`` exists and ``overwrite`` is False.
    """
    source, target = _path(src, "copy"), _path(dst, "copy")
    if os.path.exists(target) and not overwrite:
        raise AlreadyExistsError(None, "gfile.copy", f"file already exists: {target}")
    shutil.copyfile(source, target)


def rename(src, dst, overwrite=False) -> None:
    """Moves ``src`` to ``dst``."""
    source, target = _path(src, "rename"), _path(dst, "rename")
    if os.path.exists(target) and not overwrite:
        raise AlreadyExistsError(None, "gfile.rename", f"file already exists: {target}")
    os.replace(source, target)


def join(path, *paths) -> str:
    """``path`` and ``paths`` joined: with "/" (``posixpath.join``) on every platform for a
    URL-style ``scheme://`` path, else as ``os.path.join`` (as TensorFlow). Only joins
    names: any scheme is accepted."""
    first, rest = _name(path, "join"), [_name(p, "join") for p in paths]
    if "://" in first[1:]:
        return posixpath.join(first, *rest)
    return os.path.join(first, *rest)


def _name(value, op: str) -> str:
    """A path as text, its scheme not checked (``join`` only builds names)."""
    if isinstance(value, (str, os.PathLike)):
        return os.fspath(value)
    return as_bytes(value, f"gfile.{op}", "path").decode("utf-8")


def walk(top, topdown=True, onerror=None):
    """``(dirpath, dirnames, filenames)`` for each directory under ``top`` (as ``os.walk``)."""
    return os.walk(_path(top, "walk"), topdown=topdown, onerror=onerror)


class GFile:
    """A file object, as ``tf.io.gfile.GFile(name, mode)``: ``read``, ``write``,
    ``readline``, ``readlines``, iteration, ``seek``/``tell``, and a context manager.

    Raises:
        NotFoundError: when opening a missing file for reading.
    """

    def __init__(self, name, mode="r") -> None:
        self.name = _path(name, "GFile")
        self.mode = mode
        try:
            self._file = open(self.name, mode)  # noqa: SIM115 - closed by close()/__exit__
        except FileNotFoundError:
            raise NotFoundError(
                None, "gfile.GFile", f"{self.name}; No such file or directory"
            ) from None

    def read(self, n=-1):
        return self._file.read(n)

    def readline(self):
        return self._file.readline()

    def readlines(self):
        return self._file.readlines()

    def write(self, data) -> None:
        self._file.write(data)

    def seek(self, offset, whence=0):
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()

    def size(self) -> int:
        return os.path.getsize(self.name)

    def flush(self) -> None:
        self._file.flush()

    def close(self) -> None:
        self._file.close()

    @property
    def closed(self) -> bool:
        return self._file.closed

    def __iter__(self):
        return iter(self._file)

    def __enter__(self) -> GFile:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


Open = GFile  # noqa: N816 - TensorFlow's alias
