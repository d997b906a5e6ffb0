"""Unpacking an archive for ``get_file(extract=True)``, as Keras's ``extract_archive``: tar
(plain, gz, bz2, xz) or zip; members that would land outside the target folder (absolute
paths, ``..``, links out of it) are skipped with Keras' warning."""

from __future__ import annotations

import os
import shutil
import tarfile
import warnings
import zipfile

_KINDS = {"tar": (tarfile.is_tarfile, tarfile.open), "zip": (zipfile.is_zipfile, zipfile.ZipFile)}


def extract_archive(file_path, path=".", archive_format="auto") -> bool:
    """Unpack ``file_path`` into ``path``.

    Args:
        file_path: the archive.
        path: the folder to unpack into (made if absent).
        archive_format: ``"auto"`` (tar, then zip), ``"tar"``, ``"zip"``, a list of them,
            or None (nothing is tried).

    Returns:
        True when the archive matched a format and was unpacked, else False.
    """
    if archive_format is None:
        return False
    formats = ["tar", "zip"] if archive_format == "auto" else archive_format
    formats = [formats] if isinstance(formats, str) else list(formats)
    file_path, path = os.fspath(file_path), os.fspath(path)
    for kind in formats:
        if kind not in _KINDS:
            raise NotImplementedError(kind)
        is_kind, open_archive = _KINDS[kind]
        if not is_kind(file_path):
            continue
        with open_archive(file_path) as archive:
            try:
                _extract(archive, path)
            except (tarfile.TarError, RuntimeError, ValueError, KeyboardInterrupt):
                if os.path.isfile(path):
                    os.remove(path)
                elif os.path.isdir(path):
                    shutil.rmtree(path)
                raise
        return True
    return False


def _extract(archive, path: str) -> None:
    os.makedirs(path, exist_ok=True)
    root = os.path.realpath(path)
    if isinstance(archive, tarfile.TarFile):
        members = [m for m in archive.getmembers() if _inside(root, m.name, m)]
        archive.extractall(path, members=members, filter="data")
        return
    archive.extractall(path, members=[m for m in archive.infolist() if _inside(root, m.filename)])


def _inside(root: str, name: str, member=None) -> bool:
    """Whether ``name`` (and a link's target) stays under ``root``; otherwise the member is
    skipped with Keras' warning."""
    target = os.path.realpath(os.path.join(root, name))
    ok = os.path.commonpath([root, target]) == root
    if ok and member is not None and (member.issym() or member.islnk()):
        base = os.path.dirname(target) if member.issym() else root
        link = os.path.realpath(os.path.join(base, member.linkname))
        ok = os.path.commonpath([root, link]) == root
    if not ok:
        warnings.warn(f"Skipping invalid path during archive extraction: '{name}'.", stacklevel=4)
    return ok
