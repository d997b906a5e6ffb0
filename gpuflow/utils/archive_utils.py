"""Extracting a tar or zip archive into a folder, as ``keras.utils.get_file(extract=True)`` does.

Members whose path (or, for links, whose target) would land outside the folder are skipped
with a warning, as Keras 3 skips them; tar members go through the standard library's
``"data"`` filter as well (no absolute paths, devices, or setuid bits).
"""

from __future__ import annotations

import inspect
import os
import shutil
import tarfile
import warnings
import zipfile


def _inside(base: str, relative: str) -> str | None:
    """The real path of ``relative`` under ``base`` when it stays inside ``base``, else None."""
    path = os.path.realpath(os.path.join(base, relative))
    try:
        return path if os.path.commonpath([path, base]) == base else None
    except ValueError:  # different drives
        return None


def _link_inside(info: tarfile.TarInfo, base: str) -> bool:
    if info.islnk():  # a hard link's target is named from the archive's root
        return _inside(base, info.name) is not None and _inside(base, info.linkname) is not None
    destination = _inside(base, info.name)  # a symlink's target is relative to its folder
    if destination is None:
        return False
    return _inside(base, os.path.join(os.path.dirname(destination), info.linkname)) is not None


def _skip(name: str) -> None:
    warnings.warn(f"Skipping invalid path during archive extraction: '{name}'.", stacklevel=3)


def _safe_zip_members(archive: zipfile.ZipFile, base: str):
    for info in archive.infolist():
        if _inside(base, info.filename) is None:
            _skip(info.filename)
        else:
            yield info


def _safe_tar_members(archive: tarfile.TarFile, base: str):
    for info in archive:
        if info.issym() or info.islnk():
            ok = _link_inside(info, base)
        else:
            ok = _inside(base, info.name) is not None
        if ok:
            yield info
        else:
            _skip(info.name)


def _extract_open(archive, path: str) -> None:
    base = os.path.realpath(path)
    if isinstance(archive, zipfile.ZipFile):
        archive.extractall(path, members=_safe_zip_members(archive, base))
        return
    kwargs = {}
    if "filter" in inspect.signature(archive.extractall).parameters:
        kwargs["filter"] = "data"
    archive.extractall(path, members=_safe_tar_members(archive, base), **kwargs)


_FORMATS = {
    "tar": (tarfile.is_tarfile, tarfile.open),
    "zip": (zipfile.is_zipfile, zipfile.ZipFile),
}


def extract_archive(file_path, path=".", archive_format="auto") -> bool:
    """Extracts the archive ``file_path`` into the folder ``path`` when it has a known format.

    Args:
        file_path: the archive (``.tar``, ``.tar.gz``, ``.tgz``, ``.tar.bz2``, ``.zip``).
        path: the folder to extract into (made when absent).
        archive_format: ``"auto"`` (tar, then zip), ``"tar"``, ``"zip"``, a list of those,
            or None / an empty list (extract nothing).

    Returns:
        True when the file matched one of the formats and was extracted, else False.

    Raises:
        NotImplementedError: for a format other than ``"tar"`` / ``"zip"``.
    """
    if archive_format is None:
        return False
    if archive_format == "auto":
        archive_format = ["tar", "zip"]
    if isinstance(archive_format, str):
        archive_format = [archive_format]
    file_path, path = os.fspath(file_path), os.fspath(path)
    for kind in archive_format:
        if kind not in _FORMATS:
            raise NotImplementedError(
                f"get_file: archive_format must be 'auto', 'tar', 'zip' or None; received {kind!r}"
            )
        is_match, open_archive = _FORMATS[kind]
        if not is_match(file_path):
            continue
        with open_archive(file_path) as archive:
            try:
                _extract_open(archive, path)
            except (tarfile.TarError, RuntimeError, KeyboardInterrupt):
                if os.path.isfile(path):
                    os.remove(path)
                elif os.path.isdir(path):
                    shutil.rmtree(path)
                raise
        return True
    return False
