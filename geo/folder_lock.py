"""One writer per output folder: an advisory lock (flock) on a file next to the folder.

The kernel releases a flock when its holder exits, however it exits (`kill -9` included), so a killed
run never leaves a lock that blocks the next one. The lock file is removed when the lock is released;
a waiter that then wins the lock on the removed file notices (the path no longer names its file) and
locks the new one, so two runs can never both hold "the" lock. POSIX only (fcntl).
"""
from __future__ import annotations

import fcntl
import os
from pathlib import Path
from typing import Callable


class FolderLock:
    """`with FolderLock(path, on_wait=...)`: hold the lock at `path`; wait while another process holds it,
    calling `on_wait(pid)` once with the holder's process id (None if unknown)."""

    def __init__(self, path: str | Path, on_wait: Callable[[int | None], None] | None = None) -> None:
        self.path = Path(path)
        self.on_wait = on_wait
        self._fd: int | None = None

    def __enter__(self) -> "FolderLock":
        told = False
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    if not told and self.on_wait is not None:
                        self.on_wait(_holder(fd))
                        told = True
                    fcntl.flock(fd, fcntl.LOCK_EX)
                if _same_file(fd, self.path):
                    break
            except BaseException:
                os.close(fd)
                raise
            os.close(fd)   # the holder removed this lock file while we waited: lock the current one
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self._fd is None:
            return
        # Unlink while still holding the lock: a waiter on this file then sees it is gone and retries.
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass
        os.close(self._fd)
        self._fd = None


def _same_file(fd: int, path: Path) -> bool:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return False
    own = os.fstat(fd)
    return (st.st_dev, st.st_ino) == (own.st_dev, own.st_ino)


def _holder(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
        return int(text) if text.isdigit() else None
    except OSError:
        return None
