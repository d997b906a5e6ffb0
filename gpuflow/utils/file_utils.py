"""``get_file``: a file from the local Keras cache, downloaded (checked, atomically) when absent,
and extracted into a folder when it is an archive, at the paths Keras 3 uses."""

from __future__ import annotations

import hashlib
import os
import tempfile
import urllib.parse
import warnings

from .archive_utils import extract_archive


def _hash(path: str, algorithm: str) -> str:
    digest = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _algorithm(file_hash: str, hash_algorithm: str) -> str:
    """Keras' choice: sha256 when asked, or "auto" with a 64-digit hash; MD5 otherwise."""
    if hash_algorithm == "sha256":
        return "sha256"
    if hash_algorithm == "auto" and len(file_hash) == 64:
        return "sha256"
    return "md5"


def _say(text: str) -> None:
    from .io_utils import is_interactive_logging_enabled, log_line

    if is_interactive_logging_enabled():
        print(text, flush=True)
    else:
        log_line(text)


def keras_home() -> str:
    """``$KERAS_HOME``, else ``~/.keras`` (``/tmp/.keras`` when the home folder is read-only)."""
    if "KERAS_HOME" in os.environ:
        return os.environ["KERAS_HOME"]
    base = os.path.expanduser("~")
    return os.path.join(base if os.access(base, os.W_OK) else "/tmp", ".keras")


def _cache_folder(cache_dir, cache_subdir: str) -> str:
    if cache_dir is None:
        cache_dir = keras_home()
        os.makedirs(os.path.expanduser(cache_dir), exist_ok=True)  # as importing Keras does
    base = os.path.expanduser(os.fspath(cache_dir))
    if not os.access(base, os.W_OK):  # Keras falls back to /tmp/.keras (also for a new folder)
        base = os.path.join("/tmp" if os.path.isdir("/tmp") else tempfile.gettempdir(), ".keras")
    folder = os.path.join(base, cache_subdir)
    os.makedirs(folder, exist_ok=True)
    return folder


def _targets(folder: str, fname, origin: str, extract: bool) -> tuple[str, str | None]:
    """(where the downloaded file goes, the folder it is extracted into or None)."""
    given = fname
    fname = os.fspath(fname) if fname else fname
    if not fname:
        fname = os.path.basename(urllib.parse.urlsplit(origin).path)
        if not fname:
            raise ValueError(
                f"get_file: Can't parse the file name from the origin provided: '{origin}'. "
                "Please specify the `fname` argument."
            )
    elif os.sep in fname:
        raise ValueError(
            "get_file: Paths are no longer accepted as the `fname` argument. To specify the "
            f"file's parent directory, use the `cache_dir` argument. Received: fname={fname}"
        )
    if not extract:
        return os.path.join(folder, fname), None
    if given and "." in fname:  # "flowers.tgz": the archive keeps the name
        stem = fname[: fname.find(".")]
        return os.path.join(folder, fname), os.path.join(folder, f"{stem}_extracted")
    return os.path.join(folder, f"{fname}_archive"), os.path.join(folder, fname)


def _download(origin: str, target: str, file_hash, algorithm: str, shown_algorithm: str) -> None:
    from ..datasets._fetch import ChecksumError, DownloadError, fetch

    _say(f"Downloading data from {origin}")
    sha256 = file_hash if file_hash is not None and algorithm == "sha256" else None
    try:
        fetch(origin, target, sha256)
    except ChecksumError:
        raise ValueError(
            f"get_file: Incomplete or corrupted file detected. The {shown_algorithm} file hash "
            f"does not match the provided value of {file_hash}."
        ) from None
    except (DownloadError, OSError) as exc:
        raise OSError(
            f"get_file: URL fetch failure on {origin} ({exc}). If this machine is offline, "
            f"download the file elsewhere and place it at {target}"
        ) from None
    if file_hash is not None and algorithm == "md5" and _hash(target, "md5") != file_hash:
        os.remove(target)
        raise ValueError(
            f"get_file: Incomplete or corrupted file detected. The {shown_algorithm} file hash "
            f"does not match the provided value of {file_hash}."
        )


def get_file(
    fname=None,
    origin=None,
    untar: bool = False,
    md5_hash=None,
    file_hash=None,
    cache_subdir: str = "datasets",
    hash_algorithm: str = "auto",
    extract: bool = False,
    archive_format="auto",
    cache_dir=None,
    force_download: bool = False,
) -> str:
    """Downloads ``origin`` into the Keras cache unless it is there, and returns its path.

    The file goes to ``cache_dir/cache_subdir/fname`` (``~/.keras/datasets/fname`` by
    default). With ``extract=True`` (or ``untar=True``) a tar or zip archive is also
    extracted, at Keras 3's places: ``fname="flowers.tgz"`` keeps the archive under that name
    and extracts it into ``flowers_extracted/``; an ``fname`` without a dot (or none, taken
    from the URL) names the folder, and the archive is kept as ``<fname>_archive``. The
    archive is extracted again on each call; members that would land outside the folder are
    skipped with a warning.

    Args:
        fname: the file's name in the cache (default: the last part of ``origin``'s path).
        origin: the URL to download from (``file://`` URLs work too).
        untar: deprecated form of ``extract=True`` for tar archives.
        md5_hash: deprecated form of ``file_hash`` with ``hash_algorithm="md5"``.
        file_hash: the expected SHA-256 (or MD5) of the file; a cached file that differs is
            downloaded again, a download that differs is refused.
        cache_subdir: the folder under ``cache_dir``; an absolute path is used as is.
        hash_algorithm: ``"sha256"``, ``"md5"`` or ``"auto"`` (SHA-256 for 64 digits).
        extract: extract the archive and return the folder.
        archive_format: ``"auto"`` (tar then zip), ``"tar"``, ``"zip"``, a list, or None.
        cache_dir: the cache root (default ``$KERAS_HOME`` or ``~/.keras``; as Keras,
            ``/tmp/.keras`` when the folder is not writable or does not exist).
        force_download: download even when the file is cached.

    Returns:
        The local path of the file, or of the extraction folder with ``extract``/``untar``.

    Raises:
        ValueError: no ``origin``; an ``fname`` with a folder in it; a hash mismatch after the
            download.
        OSError: the file is not cached and cannot be downloaded (e.g. offline); the message
            names the URL and the path where the file can be placed by hand.
    """
    if origin is None:
        raise ValueError(
            'get_file: please specify the "origin" argument (URL of the file to download).'
        )
    if md5_hash is not None and file_hash is None:
        file_hash, hash_algorithm = md5_hash, "md5"
    folder = _cache_folder(cache_dir, cache_subdir)
    target, extraction_dir = _targets(folder, fname, origin, bool(extract or untar))
    algorithm = _algorithm(file_hash, hash_algorithm) if file_hash is not None else None
    download = force_download or not os.path.exists(target)
    if not download and file_hash is not None and _hash(target, algorithm) != file_hash:
        _say(
            "A local file was found, but it seems to be incomplete or outdated because the "
            f"{hash_algorithm} file hash does not match the original value of {file_hash} so "
            "we will re-download the data."
        )
        download = True
    if download:
        _download(origin, target, file_hash, algorithm, hash_algorithm)
    if extraction_dir is None:
        return target
    if not extract_archive(target, extraction_dir, "tar" if untar else archive_format):
        warnings.warn("Could not extract archive.", stacklevel=2)
    return extraction_dir
