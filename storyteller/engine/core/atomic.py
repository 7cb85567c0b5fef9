"""Writing a file so that a crash at any moment leaves the old or the new one: stories, settings,
model cards and exports all save through `write_atomic`."""

from __future__ import annotations

import os
import tempfile
import time
from glob import escape as glob_escape
from pathlib import Path

# A temporary file left by a save that crashed is stale once it is this old; a younger one may
# belong to a save still running in another process.
STALE_TEMPORARY_SECONDS = 600


def write_atomic(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a crash at any moment leaves the old or the new file.

    The file keeps its permissions (mkstemp creates 0600); a new file gets the usual umask mode.
    Temporary files of this path that an earlier crashed save left behind are removed.
    """
    path = Path(path)
    directory = path.parent
    directory.mkdir(parents=True, exist_ok=True)
    mode = _mode_for(path)
    handle, temporary = tempfile.mkstemp(prefix=_temporary_prefix(path), suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
            file.flush()
            if hasattr(os, "fchmod"):  # not on Windows, where files have no such mode
                try:
                    os.fchmod(file.fileno(), mode)
                except OSError:  # FAT and exFAT refuse modes: keeping one is a nicety, the save is not
                    pass
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable
        directory_handle = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(directory_handle)
        finally:
            os.close(directory_handle)
    remove_stale_temporaries(path)


def _temporary_prefix(path: Path) -> str:
    return f".{path.name}."


def _read_umask() -> int:
    # os.umask can only be read by setting it: done once, at import, before worker threads create files.
    umask = os.umask(0)
    os.umask(umask)
    return umask


_UMASK = _read_umask()


def _mode_for(path: Path) -> int:
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        return 0o666 & ~_UMASK


def remove_stale_temporaries(path: Path, older_than: float = STALE_TEMPORARY_SECONDS) -> list[Path]:
    """Delete `.NAME.*.tmp` files of this path that a crashed save left; returns what was removed."""
    path = Path(path)
    removed = []
    limit = time.time() - older_than
    for leftover in path.parent.glob(f"{glob_escape(_temporary_prefix(path))}*.tmp"):
        try:
            if leftover.is_file() and leftover.stat().st_mtime < limit:
                leftover.unlink()
                removed.append(leftover)
        except OSError:
            continue  # someone else removed it, or it is not ours to remove: leave it
    return removed
