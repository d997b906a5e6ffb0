"""``get_file``: a file from the local Keras cache, downloaded (checked, atomically) when absent."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def _hash(path: Path, algorithm: str) -> str:
    digest = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _algorithm(file_hash: str, hash_algorithm: str) -> str:
    if hash_algorithm in ("sha256", "md5"):
        return hash_algorithm
    return "sha256" if len(file_hash) == 64 else "md5"


def get_file(
    fname=None,
    origin=None,
    untar: bool = False,
    md5_hash=None,
    file_hash=None,
    cache_subdir: str = "datasets",
    hash_algorithm: str = "auto",
    extract: bool = False,
    archive_format: str = "auto",
    cache_dir=None,
    force_download: bool = False,
) -> str:
    """The path of ``fname`` in the cache (``~/.keras/datasets``), downloading ``origin`` if needed.

    Args:
        fname: the file name in the cache (default: the last part of ``origin``).
        origin: the URL to download from.
        file_hash: the expected SHA-256 (or MD5) of the file; a cached file that differs is
            downloaded again, a download that differs is refused.
        cache_subdir: the folder under ``cache_dir``; an absolute path is used as is.
        hash_algorithm: ``"sha256"``, ``"md5"`` or ``"auto"`` (from the hash's length).
        cache_dir: the cache root (default ``$KERAS_HOME`` or ``~/.keras``).
        force_download: download even when the file is cached.
        extract: unpack the archive (``archive_format``: "auto", "tar", "zip") and return
            the folder: ``fname`` "x.tar.gz" unpacks to "x_extracted", a ``fname`` without
            a dot (or none) is kept as "x_archive" and unpacks to "x", as in Keras 3.
        untar: ``extract`` with ``archive_format="tar"`` (Keras 2's name).

    Returns:
        The local path of the file (of the unpacked folder with ``extract``/``untar``).

    Raises:
        ValueError: when neither ``fname`` nor ``origin`` is given.
        OSError: when the file is not cached and cannot be downloaded (e.g. offline), naming
            the URL and the path where the file can be placed by hand.
    """
    if origin is None and fname is None:
        raise ValueError("get_file: give origin (the URL) and/or fname")
    given = fname
    fname = os.fspath(fname) if fname else os.path.basename(str(origin).split("?")[0])
    root = Path(cache_dir or os.environ.get("KERAS_HOME") or Path.home() / ".keras").expanduser()
    folder = Path(cache_subdir) if os.path.isabs(cache_subdir) else root / cache_subdir
    path = folder / fname
    if extract or untar:
        # Keras 3's names: "x.tar.gz" downloads as such and unpacks to "x_extracted";
        # "x" (no dot, or no fname) downloads as "x_archive" and unpacks to "x"
        stem = fname.split(".")[0]
        if given and "." in fname:
            target = folder / f"{stem}_extracted"
        else:
            target, path = folder / stem, folder / f"{stem}_archive"
    file_hash = file_hash or md5_hash
    algorithm = _algorithm(file_hash, hash_algorithm) if file_hash else None
    if path.is_file() and not force_download:
        if file_hash is None or _hash(path, algorithm) == file_hash:
            return (
                _unpacked(path, target, "tar" if untar else archive_format)
                if (extract or untar)
                else str(path)
            )
    if origin is None:
        raise OSError(f"get_file: {path} is not in the cache and no origin URL was given")
    from ..datasets._fetch import DownloadError, fetch

    folder.mkdir(parents=True, exist_ok=True)
    try:
        fetch(origin, path, file_hash if algorithm == "sha256" else None)
    except (DownloadError, OSError) as exc:
        raise OSError(
            f"get_file: could not download {origin} ({exc}). If this machine is offline, "
            f"download the file elsewhere and place it at {path}"
        ) from None
    if algorithm == "md5" and _hash(path, "md5") != file_hash:
        path.unlink()
        raise OSError(f"get_file: {origin} downloaded, but its MD5 differs from {file_hash}")
    if extract or untar:
        return _unpacked(path, target, "tar" if untar else archive_format)
    return str(path)


def _unpacked(archive: Path, target: Path, archive_format) -> str:
    """The folder ``archive`` unpacks to (unpacked again each call, as Keras does)."""
    import warnings

    from .archives import extract_archive

    if not extract_archive(archive, target, archive_format):
        warnings.warn("Could not extract archive.", stacklevel=3)
    return str(target)
