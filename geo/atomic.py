"""All-or-nothing output folders: a run writes everything into a staging folder next to the output
folder and moves the files into place only once every file has been written, so a run that fails
leaves the previous outputs as they were."""
from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


@contextmanager
def staged_dir(outdir: str | Path) -> Iterator[Path]:
    """Yield a fresh staging folder; on success move its files into `outdir`, on error delete it.

    The staging folder lives in outdir's parent (same filesystem), so each move is an atomic rename.
    Files of earlier runs that this run does not write again are left in place.
    """
    outdir = Path(outdir).resolve()
    outdir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{outdir.name}.staging-", dir=outdir.parent))
    try:
        yield tmp
        outdir.mkdir(parents=True, exist_ok=True)
        for src in sorted(tmp.rglob("*")):
            if src.is_dir():
                continue
            dest = outdir / src.relative_to(tmp)
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dest)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
