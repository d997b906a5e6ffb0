"""Atomic file writes whose leftovers (after ``kill -9``) say what they are and get cleaned up.

A file is written to ``NAME.partial-save-pidPID-XXXX.tmp`` in the same folder, flushed to
disk and renamed over ``NAME`` only once complete. A process killed mid-save leaves that
partial file behind; the next save to ``NAME`` deletes every partial file of ``NAME`` whose
writing process is gone (never one another live process is still writing).
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path

_MARK = ".partial-save-pid"


def partial_prefix(path) -> str:
    """The name prefix of this process's partial files for ``path``."""
    return f"{Path(path).name}{_MARK}{os.getpid()}-"


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return False  # our own leftovers are from an earlier, failed save
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's live process
    return True


def remove_stale_partials(path) -> list[str]:
    """Delete the partial files of ``path`` left by processes that no longer run."""
    path = Path(path)
    pattern = re.compile(re.escape(path.name + _MARK) + r"(\d+)-.*\.tmp\Z")
    removed = []
    try:
        entries = list(os.scandir(path.parent))
    except FileNotFoundError:
        return removed
    for entry in entries:
        match = pattern.match(entry.name)
        if match and not _alive(int(match.group(1))):
            try:
                os.unlink(entry.path)
                removed.append(entry.path)
            except FileNotFoundError:
                pass
    return removed


@contextlib.contextmanager
def atomic_write(path, mode: str = "wb"):
    """Open a partial file next to ``path``; on success rename it over ``path``.

    On any error (or KeyboardInterrupt) the partial file is deleted and ``path`` is untouched.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_partials(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=partial_prefix(path), suffix=".tmp")
    try:
        with os.fdopen(fd, mode, **({} if "b" in mode else {"encoding": "utf-8"})) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
