"""Writing files so that no reader, and no crash, ever sees half of one."""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path


def write_atomic(path: str | os.PathLike[str], data: bytes | str, durable: bool = False) -> Path:
    """Write `data` (text as UTF-8) to `path` through a temporary file in the same folder and `os.replace`.

    With `durable`, the data reaches the disk before the file takes its name (published files, not caches).
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data.encode("utf-8") if isinstance(data, str) else data)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def unwritable(folder: Path) -> str | None:
    """Why files cannot be written in `folder` (created if missing), or None when they can: tried, not guessed
    from permissions (which do not stop root, nor tell of a full disk)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(dir=folder, prefix=".probe-")
        try:
            os.write(handle, b"probe")
        finally:
            os.close(handle)
            os.unlink(probe)
    except OSError as error:
        return error.strerror or str(error)
    return None


@contextmanager
def cache_or_spare(folder: Path, near: Path | None, what: str) -> Iterator[Path]:
    """`folder`, or when it cannot be written (read-only, a full disk, a file in its place) a temporary folder
    beside `near` for this build only, said once: a cache that cannot be written never stops a build."""
    reason = unwritable(folder)
    if reason is None:
        yield folder
        return
    print(f"the {what} {folder} cannot be written ({reason}): this build goes on without it", file=sys.stderr)
    if near is not None:
        near.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".spare-cache-", dir=near) as spare:
        yield Path(spare)


def write_manifest(entries: dict[str, dict[str, object]], folder: Path) -> Path:
    """`folder/manifest.json`: the files a folder of downloads holds (path, bytes...), which the site reads."""
    target = folder / "manifest.json"
    target.write_text(json.dumps(entries, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return target


def prune_unused(paths: Iterable[Path], days: float) -> list[Path]:
    """Remove the cache files of `paths` that no run used (wrote or touched) for `days`; returns those removed."""
    limit = time.time() - days * 86400
    removed = []
    for path in paths:
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < limit:
                path.unlink()
                removed.append(path)
    return removed
