"""Refresh the Leaflet copy that map.html inlines (geo/data/leaflet/) from Leaflet's official npm package.

    python -m minemap.vendor_leaflet [VERSION]        (default: the version in geo/webmap.py)

Runs `npm pack leaflet@VERSION` in a scratch folder, checks the tarball against the integrity hash that
npm reports for it, and copies dist/leaflet.js, dist/leaflet.css, dist/images/*.png and the LICENSE into
geo/data/leaflet/, with SOURCE.txt saying where they came from. Nothing else of the package is kept.
Update LEAFLET_VERSION in geo/webmap.py to the same version (the CDN links of `--cdn` use it).
"""
from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent          # the package folder (geo/ in the repository)
DEST = HERE / "data" / "leaflet"
KEEP = re.compile(r"^package/(LICENSE|dist/leaflet\.js|dist/leaflet\.css|dist/images/[\w.-]+\.png)$")


def current_version() -> str:
    text = (HERE / "webmap.py").read_text(encoding="utf-8")
    return re.search(r'LEAFLET_VERSION = "([\d.]+)"', text).group(1)


def main(argv: list[str]) -> int:
    version = argv[0] if argv else current_version()
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(["npm", "pack", f"leaflet@{version}", "--json"], cwd=tmp, check=True,
                             capture_output=True, text=True).stdout
        info = json.loads(out)[0]
        tarball = Path(tmp) / info["filename"]
        algo, _, digest = info["integrity"].partition("-")
        got = base64.b64encode(hashlib.new(algo, tarball.read_bytes()).digest()).decode("ascii")
        if got != digest:
            print(f"integrity mismatch for {tarball.name}: npm says {digest}, file is {got}", file=sys.stderr)
            return 1
        if DEST.exists():
            shutil.rmtree(DEST)
        (DEST / "images").mkdir(parents=True)
        kept = []
        with tarfile.open(tarball) as tar:
            for member in tar.getmembers():
                if member.isfile() and KEEP.match(member.name):
                    rel = member.name.removeprefix("package/").removeprefix("dist/")
                    (DEST / rel).write_bytes(tar.extractfile(member).read())
                    kept.append(rel)
        (DEST / "SOURCE.txt").write_text(
            f"Leaflet {info['version']} from the npm package {info['id']} ({info['filename']},\n"
            f"{info['integrity']}), fetched with `npm pack` by `python -m minemap.vendor_leaflet`.\n"
            "Licence: BSD-2-Clause, see LICENSE. Files: " + ", ".join(sorted(kept)) + "\n", encoding="utf-8")
    print(f"Leaflet {version}: {len(kept)} files in {DEST}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
