"""Atomic file and directory replacement.

A build that fails or is interrupted half-way must leave the previous output
intact: write next to the target, then rename over it.  A directory swap
takes two renames (target -> ``.target.old``, staging -> target); a process
killed between them leaves no target, so :func:`recover_directory` puts the
old one back, and every build starts by removing the staging folders of
builds that were killed.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)  # mkstemp creates 0600; these are shared project files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _old(target: Path) -> Path:
    return target.parent / f".{target.name}.old"


def recover_directory(target: Path) -> bool:
    """Put back the previous directory if a swap was cut between its two renames; True if it did."""
    old = _old(target)
    if not target.exists() and old.is_dir():
        os.replace(old, target)
        return True
    return False


@contextmanager
def exclusive(target: Path) -> Iterator[None]:
    """One build of ``target`` at a time (a lock file beside it)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.parent / f".{target.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


@contextmanager
def replace_directory(target: Path) -> Iterator[Path]:
    """Yield a fresh staging directory that replaces ``target`` on success.

    On any exception (including KeyboardInterrupt) the staging directory is
    removed and ``target`` is left exactly as it was.  Staging folders left
    by killed builds are removed first.
    """
    with exclusive(target):
        recover_directory(target)
        for stale in target.parent.glob(f".{target.name}.new.*"):
            shutil.rmtree(stale, ignore_errors=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new.", dir=target.parent))
        try:
            yield staging
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        old = _old(target)
        shutil.rmtree(old, ignore_errors=True)
        if target.exists():
            os.replace(target, old)
        os.replace(staging, target)
        shutil.rmtree(old, ignore_errors=True)
