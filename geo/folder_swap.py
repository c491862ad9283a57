"""Replace a folder by another as a whole, so that the path always names the old set or the new set.

On Linux, `renameat2(RENAME_EXCHANGE)` swaps the two folders in one step: at every instant the output
path names a complete folder. Where that call does not exist or the file system refuses it, the old
folder is renamed aside and the new one renamed into place: two steps, between which the path names no
folder. A run killed between them leaves the old set aside under a known name; `recover` (called by the
next run, under the folder's lock) renames it back.

Names next to the output folder OUT (all in OUT's parent, so every rename stays on one file system):
  .OUT.staging-*   a run's new outputs while they are written (after an exchange: the old outputs)
  .OUT.old-*       the old outputs, renamed aside (fallback only)
"""
from __future__ import annotations

import ctypes
import errno
import os
import shutil
import stat
import tempfile
from pathlib import Path

RENAME_EXCHANGE = 2  # linux/fs.h
# errno values by which a kernel or file system says "no exchange here": use the two-step fallback.
_NO_EXCHANGE = {errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP}


def _renameat2():
    try:
        fn = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):  # not glibc >= 2.28 / not Linux
        return None
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    fn.restype = ctypes.c_int
    return fn


_RENAMEAT2 = _renameat2()
AT_FDCWD = -100
# Tests turn this off to run the two-step path that platforms without the call use.
use_exchange = _RENAMEAT2 is not None


# A mount point (a Docker volume given as -o) cannot be renamed: its new files are staged inside it.
IN_PLACE_PREFIX = ".minemap-staging-"


def in_place(outdir: Path) -> bool:
    """True when `outdir` is a mount point: it can be neither swapped nor renamed aside."""
    return outdir.is_dir() and os.path.ismount(outdir)


def new_staging_inside(outdir: Path) -> Path:
    return Path(tempfile.mkdtemp(prefix=IN_PLACE_PREFIX, dir=outdir))


def replace_files(staging: Path, outdir: Path, drop: list[str]) -> None:
    """The mount-point fallback: move each new file over the old one (each move atomic, the set not),
    remove the names in `drop`, then the empty staging folder."""
    for entry in sorted(os.scandir(staging), key=lambda e: e.name):
        os.replace(entry.path, outdir / entry.name)
    for name in drop:
        try:
            os.unlink(outdir / name)
        except FileNotFoundError:
            pass
    _fsync_dir(outdir)
    os.rmdir(staging)


def staging_prefix(outdir: Path) -> str:
    return f".{outdir.name}.staging-"


def old_prefix(outdir: Path) -> str:
    return f".{outdir.name}.old-"


def new_staging(outdir: Path) -> Path:
    return Path(tempfile.mkdtemp(prefix=staging_prefix(outdir), dir=outdir.parent))


def exchange(a: Path, b: Path) -> bool:
    """Atomically swap the folders at `a` and `b`; False when this system cannot (nothing was changed)."""
    if not use_exchange:
        return False
    if _RENAMEAT2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in _NO_EXCHANGE:
        return False
    raise OSError(err, os.strerror(err), str(b))


def swap_in(staging: Path, outdir: Path) -> Path | None:
    """Make the complete folder `staging` the folder `outdir`; the old outputs are removed afterwards.
    A process killed at any point leaves `outdir` complete (old or new), or the old set aside for
    `recover` to put back. Returns the folder of the old outputs if it could not be removed."""
    if not outdir.exists():
        os.rename(staging, outdir)
        return None
    if exchange(staging, outdir):
        retired = staging                      # now holds the old outputs, under a staging name
    else:
        retired = set_aside(outdir)
        os.rename(staging, outdir)
    _fsync_dir(outdir.parent)
    remove(retired)
    return retired if os.path.lexists(retired) else None


def set_aside(outdir: Path) -> Path:
    """Rename `outdir` to a fresh .OUT.old-* name (the first step of the fallback); return that name."""
    retired = Path(tempfile.mkdtemp(prefix=old_prefix(outdir), dir=outdir.parent))
    os.rename(outdir, retired)                 # replaces the empty placeholder folder
    return retired


def remove(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def recover(outdir: Path) -> list[Path]:
    """After a killed run: put the old outputs back if the run died between the two renames of the
    fallback, then delete every staging and old folder of `outdir`. Call only under the folder's lock
    (a folder of a run still writing would otherwise be deleted). Returns the folders it removed; one
    that could not be removed is still there."""
    parent = outdir.parent
    if not parent.is_dir():
        return []
    if in_place(outdir):
        inside = sorted(p for p in outdir.iterdir() if p.name.startswith(IN_PLACE_PREFIX) and p.is_dir()
                        and not p.is_symlink())
        for p in inside:
            remove(p)
        return inside
    mine = sorted(p for p in parent.iterdir()
                  if p.name.startswith((staging_prefix(outdir), old_prefix(outdir))) and p.is_dir()
                  and not p.is_symlink())
    olds = [p for p in mine if p.name.startswith(old_prefix(outdir))]
    if olds and not os.path.lexists(outdir):
        keep = max(olds, key=lambda p: p.stat().st_mtime)
        os.rename(keep, outdir)
        mine.remove(keep)
    for p in mine:
        remove(p)
    return mine


def fsync_tree(folder: Path) -> None:
    """Flush every file and folder under `folder` to disk before it is swapped in: a power cut after the
    swap must not leave the new folder with empty files. Only regular files: opening a kept symlink
    could fail (dangling) and opening a kept FIFO would block."""
    for root, dirs, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            if not stat.S_ISREG(os.lstat(path).st_mode):
                continue
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(Path(root))


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
