"""Output folders that are never mixed: a run writes everything into a staging folder next to the output
folder and, once every file is complete, replaces the output folder as a whole (geo.folder_swap).

- One run at a time per folder: a lock next to it (geo.folder_lock); a second run waits for the first.
- Leftovers of killed runs (staging folders, old outputs set aside) are removed by the next run, under
  the lock, before it writes.
- Files in the output folder that a run does not own (the user's notes, a README) are kept: hard-linked
  (or copied) into the new folder before the swap. Files a run owns but did not write this time (the
  maps of an earlier run, when this one has no maps) are not kept: they would not match the new tables.
  A folder that holds sub-folders is refused: recreating someone's tree of folders (`-o ~`) under new
  owners and permissions is not what an output folder is for.
- A mount point (a Docker volume given as the output folder) cannot be renamed: there the new files are
  staged inside it and moved over the old ones one by one (each file complete, the set not at once).
- Problems end in OutputError naming the path: a folder below a file, a read-only folder, a full disk.
  The previous outputs are then left as they were.
"""
from __future__ import annotations

import errno
import logging
import os
import shutil
import sqlite3
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator, Sequence

from minemap.errors import OutputError
from minemap.folder_lock import FolderLock
from minemap.folder_swap import (IN_PLACE_PREFIX, fsync_tree, in_place, new_staging, new_staging_inside, recover,
                                 replace_files, swap_in)

log = logging.getLogger("minemap")


def lock_path(outdir: Path) -> Path:
    return outdir.parent / f".{outdir.name}.lock"


def output_folder(outdir: str | Path) -> Path:
    """The absolute output folder, after checking that it can be one (OutputError names the problem)."""
    given = Path(outdir)
    out = given.resolve()
    if out == Path(out.anchor):
        raise OutputError(f"{given}: the root of a file system cannot be an output folder")
    cwd = Path.cwd().resolve()
    if out == cwd or out in cwd.parents:
        # `-o .`: the folder would be replaced as a whole, with every file of a project in it, under the
        # feet of the shell that runs the command
        raise OutputError(f"{given}: the output folder is replaced as a whole on every run, so it cannot be the "
                          f"current folder or contain it; give it a folder of its own (-o {Path(given) / 'outputs'})")
    for p in (out, *out.parents):
        if p.exists() and not p.is_dir():
            where = "is a file" if p == out else f"is below {p}, which is a file"
            raise OutputError(f"{given}: {where}, not a folder")
    if out.is_dir() and not os.access(out, os.W_OK):
        raise OutputError(f"{given}: the folder is read-only; the previous outputs are unchanged")
    if out.is_dir():
        folders = sorted(e.name for e in os.scandir(out) if e.is_dir(follow_symlinks=False)
                         and not e.name.startswith(IN_PLACE_PREFIX))
        if folders:
            raise OutputError(f"{given}: holds folders minemap did not write ({', '.join(folders[:5])}"
                              f"{', ...' if len(folders) > 5 else ''}); the output folder is replaced as a whole "
                              f"on every run and only files are carried over: move them out or choose another "
                              f"folder")
    if out.parent.is_dir() and not os.access(out.parent, os.W_OK | os.X_OK):
        raise OutputError(f"{given}: the output folder is replaced as a whole, which needs write permission on "
                          f"the folder it is in, {out.parent}, and there is none; write into a folder below it "
                          f"(-o {Path(given) / 'results'}) or choose another")
    return out


def check_not_overlapping(outdir: str | Path, inputs: Iterable[str | Path], what: str = "output folder") -> None:
    """Refuse an output folder (or file: `what`) inside an input folder (the run would read its own
    outputs, or a later run would) and an input inside the output folder (each run replaces that folder
    as a whole)."""
    out = Path(outdir).resolve()
    for given in inputs:
        if str(given) == "-":
            continue
        p = Path(given).resolve()
        if out == p:
            raise OutputError(f"the {what} {outdir} is also an input; write it somewhere else (-o)")
        if p in out.parents:
            raise OutputError(f"the {what} {outdir} is inside the input {given}: the run would read its "
                              f"own outputs, or the next one would; write them somewhere else (-o)")
        if out in p.parents:
            raise OutputError(f"the input {given} is inside the {what} {outdir}, which each run "
                              f"replaces as a whole; move the input or write somewhere else (-o)")


@contextmanager
def staged_dir(outdir: str | Path, owned: Sequence[str] = ()) -> Iterator[Path]:
    """Yield a fresh staging folder; when the block ends without error, it becomes `outdir` as a whole.

    `owned`: the file names a run writes. In the new folder, every other entry of the old one is kept;
    owned names this run did not write are dropped. On error the staging folder is deleted and
    `outdir` is left as it was; OS errors (permissions, full disk) become OutputError."""
    given = outdir
    outdir = output_folder(outdir)
    try:
        outdir.parent.mkdir(parents=True, exist_ok=True)
        lock = FolderLock(lock_path(outdir), on_wait=lambda pid: log.info(
            "waiting for another run%s writing into %s", f" (process {pid})" if pid else "", given))
        with lock:
            for p in recover(outdir):
                if os.path.lexists(p):
                    log.warning("could not remove %s, left by an earlier run: remove it by hand", p)
                else:
                    log.info("removed %s, left by an interrupted run", p.name)
            mount = in_place(outdir)
            tmp = new_staging_inside(outdir) if mount else new_staging(outdir)
            try:
                yield tmp
                if mount:
                    log.warning("%s is a mount point, which cannot be replaced as a whole: its files are "
                                "replaced one by one (each file is complete, but a reader in those "
                                "milliseconds may see old and new files together)", given)
                    fsync_tree(tmp)
                    written = {e.name for e in os.scandir(tmp)}
                    replace_files(tmp, outdir, [n for n in owned if n not in written])
                else:
                    _keep_others(outdir, tmp, owned)
                    os.chmod(tmp, _folder_mode(outdir))
                    fsync_tree(tmp)
                    stuck = swap_in(tmp, outdir)
                    if stuck is not None:
                        log.warning("could not remove %s (the previous outputs): remove it by hand", stuck)
            except BaseException:
                shutil.rmtree(tmp, ignore_errors=True)
                raise
    except (OSError, sqlite3.Error) as exc:
        raise OutputError(f"cannot write the outputs into {given}: {_why(exc)}; the previous outputs are "
                          f"unchanged") from exc


def _why(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        where = f" ({exc.filename})" if exc.filename else ""
        return f"{exc.strerror}{where}"
    if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:   # the GeoPackage's style table
        return f"{os.strerror(errno.ENOSPC)} (SQLite: {exc})"
    return str(exc)


def _keep_others(outdir: Path, staging: Path, owned: Sequence[str]) -> None:
    if not outdir.is_dir():
        return
    kept, dropped = [], []
    for entry in sorted(os.scandir(outdir), key=lambda e: e.name):
        if os.path.lexists(staging / entry.name):
            continue                      # written by this run
        if entry.name in owned:
            dropped.append(entry.name)    # an earlier run's output this run does not write
            continue
        if entry.is_symlink():
            os.symlink(os.readlink(entry.path), staging / entry.name)
        else:
            _link_or_copy(entry.path, staging / entry.name)
        kept.append(entry.name)
    if dropped:
        log.info("removed from %s (an earlier run's, not written by this one): %s", outdir, ", ".join(dropped))
    if kept:
        log.info("kept in %s (not written by minemap): %s", outdir, ", ".join(kept))


def _link_or_copy(src: str | Path, dst: str | Path) -> None:
    """A hard link costs nothing and keeps the file as it is; copy where links are not possible."""
    try:
        os.link(src, dst, follow_symlinks=False)
    except OSError:
        if not stat.S_ISREG(os.lstat(src).st_mode):
            raise OutputError(f"{src}: cannot keep this entry of the output folder (not a regular file)") from None
        shutil.copy2(src, dst)


def _folder_mode(outdir: Path) -> int:
    """The old folder's permissions, else what a plain mkdir gives (the staging folder starts as 0700)."""
    if outdir.is_dir():
        return stat.S_IMODE(outdir.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o777 & ~umask
