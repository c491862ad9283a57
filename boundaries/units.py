"""The 77 first-level units of Azerbaijan (ISO 3166-2:AZ as pycountry lists them, without the grouping AZ-NX).

Azerbaijani names come from pycountry so that they stay identical to the standard; English forms come from
data/units_en.tsv because pycountry has none.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pycountry

# AZ-NX (Nakhchivan Autonomous Republic) groups seven units that have codes of their own; mapping it too
# would count its area twice.
GROUPING_CODES = frozenset({"AZ-NX"})


@dataclass(frozen=True)
class Unit:
    code: str
    name: str  # Azerbaijani, exactly as pycountry
    name_en: str
    kind: str  # "rayon" or "city"


def _english_names() -> dict[str, str]:
    text = resources.files("minemap.boundaries").joinpath("data/units_en.tsv").read_text(encoding="utf-8")
    out = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, name_en = line.split("\t")[:2]
        out[code.strip()] = name_en.strip()
    return out


@lru_cache(maxsize=1)
def _load() -> tuple[Unit, ...]:
    """The project's units (the codes of data/units_en.tsv, which the embedded polygons carry), named as
    pycountry names them. A pycountry release that adds, drops or renames a unit must not break every
    import: the difference is a warning here and a failing test (tests/test_boundaries_gazetteer.py)."""
    english = _english_names()
    iso = {sub.code: sub for sub in pycountry.subdivisions.get(country_code="AZ") or ()
           if sub.code not in GROUPING_CODES}
    units = []
    for code, name_en in english.items():
        sub = iso.get(code)
        name = sub.name if sub is not None else name_en
        kind = "city" if sub is not None and sub.type == "Municipality" else "rayon"
        units.append(Unit(code, name, name_en, kind))
    units.sort(key=lambda u: u.code)
    missing, extra = sorted(set(english) - set(iso)), sorted(set(iso) - set(english))
    if missing or extra:
        warnings.warn(f"pycountry's ISO 3166-2:AZ list differs from minemap's units: not in pycountry "
                      f"{missing or 'none'}, not in minemap {extra or 'none'}; minemap's {len(units)} units are used",
                      stacklevel=2)
    return tuple(units)


UNITS: tuple[Unit, ...] = _load()
CODES: frozenset[str] = frozenset(u.code for u in UNITS)
_BY_CODE = {u.code: u for u in UNITS}


def unit(code: str) -> Unit:
    """The unit with this ISO code; KeyError names the code if there is none."""
    try:
        return _BY_CODE[code]
    except KeyError:
        raise KeyError(f"no ISO 3166-2:AZ unit {code!r}") from None
