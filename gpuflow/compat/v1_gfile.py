"""``tf.compat.v1.gfile``: TF 1's file functions (``Exists``, ``MakeDirs``, ``GFile``, ...),
with TF 1's names and argument names, doing what ``tf.io.gfile`` does."""

from __future__ import annotations

import types

from ..io import gfile as _gfile


def Exists(filename) -> bool:  # noqa: N802 - TensorFlow's names
    return _gfile.exists(filename)


def IsDirectory(dirname) -> bool:  # noqa: N802
    return _gfile.isdir(dirname)


def Glob(filename) -> list:  # noqa: N802
    return _gfile.glob(filename)


def ListDirectory(dirname) -> list:  # noqa: N802
    return _gfile.listdir(dirname)


def MakeDirs(dirname) -> None:  # noqa: N802
    _gfile.makedirs(dirname)


def MkDir(dirname) -> None:  # noqa: N802
    _gfile.mkdir(dirname)


def Remove(filename) -> None:  # noqa: N802
    _gfile.remove(filename)


def DeleteRecursively(dirname) -> None:  # noqa: N802
    _gfile.rmtree(dirname)


def Copy(oldpath, newpath, overwrite=False) -> None:  # noqa: N802
    _gfile.copy(oldpath, newpath, overwrite=overwrite)


def Rename(oldname, newname, overwrite=False) -> None:  # noqa: N802
    _gfile.rename(oldname, newname, overwrite=overwrite)


def Stat(filename):  # noqa: N802
    return _gfile.stat(filename)


def Walk(top, in_order=True):  # noqa: N802
    """``(dirname, subdirs, files)`` for each directory under ``top``; parents first when
    ``in_order`` (TF 1's name for ``topdown``)."""
    return _gfile.walk(top, topdown=in_order)


class FastGFile(_gfile.GFile):
    """TF 1's ``FastGFile``: a GFile (TensorFlow deprecated it for ``tf.io.gfile.GFile``)."""


gfile = types.SimpleNamespace(
    Exists=Exists,
    IsDirectory=IsDirectory,
    Glob=Glob,
    ListDirectory=ListDirectory,
    MakeDirs=MakeDirs,
    MkDir=MkDir,
    Remove=Remove,
    DeleteRecursively=DeleteRecursively,
    Copy=Copy,
    Rename=Rename,
    Stat=Stat,
    Walk=Walk,
    GFile=_gfile.GFile,
    Open=_gfile.GFile,
    FastGFile=FastGFile,
)
