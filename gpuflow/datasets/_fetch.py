"""Download one file, check its SHA-256, and publish it atomically.

Standard library only. A download goes to a hidden temporary file in the
destination folder and is renamed onto its final name only once every byte has
arrived and the checksum matches, so a reader never sees a partial or corrupt
file under the real name, and a failed download leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import tempfile
import urllib.error
import urllib.request

_CHUNK = 1 << 16
_USER_AGENT = "gpuflow-datasets (+python urllib)"


class DownloadError(OSError):
    """A file could not be downloaded (network error, HTTP error, short read)."""


class ChecksumError(DownloadError):
    """A downloaded file's SHA-256 differs from the expected one."""


def sha256_file(path: str | os.PathLike) -> str:
    """Returns the hex SHA-256 digest of a file's bytes.

    Args:
        path: The file to hash.

    Returns:
        The lowercase hexadecimal digest.
    """
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def fetch(url: str, dest: str | os.PathLike, sha256: str | None, *, timeout: float = 30.0) -> str:
    """Downloads ``url`` to ``dest``, verifying its SHA-256 when one is given.

    The bytes are streamed into a temporary file next to ``dest`` (same folder,
    so the final rename is atomic) and hashed on the way. Only when the
    download is complete and the digest matches is the temporary file renamed
    to ``dest``; on any failure, including an interrupt, it is deleted.

    Args:
        url: The address to download (any scheme urllib understands).
        dest: The final path of the file. Its folder must exist.
        sha256: The expected lowercase hex SHA-256 of the file, or None to
            accept any content.
        timeout: Seconds to wait for the connection and for each read.

    Returns:
        ``str(dest)``.

    Raises:
        ChecksumError: The file arrived but its SHA-256 is not ``sha256``.
        DownloadError: The server could not be reached, answered with an
            error, or the transfer stopped early.
    """
    dest = os.fspath(dest)
    folder = os.path.dirname(os.path.abspath(dest))
    fd, tmp = tempfile.mkstemp(
        prefix="." + os.path.basename(dest) + ".", suffix=".part", dir=folder
    )
    try:
        digest = hashlib.sha256()
        received = 0
        request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
        with os.fdopen(fd, "wb") as out:
            try:
                with urllib.request.urlopen(request, timeout=timeout) as response:
                    expected_len = response.headers.get("Content-Length")
                    for chunk in iter(lambda: response.read(_CHUNK), b""):
                        digest.update(chunk)
                        out.write(chunk)
                        received += len(chunk)
            except urllib.error.HTTPError as e:
                raise DownloadError(f"{url}: HTTP {e.code} {e.reason}") from e
            except urllib.error.URLError as e:
                raise DownloadError(f"{url}: {e.reason}") from e
            except (OSError, http.client.HTTPException, ValueError) as e:
                raise DownloadError(f"{url}: {type(e).__name__}: {e}") from e
        if expected_len is not None and expected_len.isdigit() and int(expected_len) != received:
            raise DownloadError(f"{url}: transfer stopped after {received} of {expected_len} bytes")
        got = digest.hexdigest()
        if sha256 is not None and got != sha256.lower():
            raise ChecksumError(
                f"{url}: SHA-256 mismatch: expected {sha256.lower()}, received {got} "
                f"({received} bytes); the file was discarded"
            )
        os.replace(tmp, dest)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return dest
