"""Names people write for Azerbaijan's units -> ISO codes, and the district mentions in a text.

Pure Python (no geopandas): extraction calls `find` on every sentence, so it is a dict lookup per word, not a
regex alternation over a thousand names. Texts and names are folded the same way (case, diacritics, "ə"),
character for character, so that spans found in the folded text are spans of the original text.
The spellings themselves live in data/aliases.tsv (with the decisions on ambiguous names).
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable

from minemap.boundaries.units import CODES, UNITS, Unit

__all__ = ["Mention", "Gazetteer", "default_gazetteer", "fold"]


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    code: str
    surface: str


def _fold_table() -> dict[int, str]:
    table = {}
    for cp in list(range(0x00C0, 0x0250)) + list(range(0x1E00, 0x1F00)):
        base = unicodedata.normalize("NFD", chr(cp))[0]
        if base.isascii() and base.isalpha():
            table[cp] = base
    # Azerbaijani schwa in both code points (pycountry writes "Kǝngǝrli" with U+01DD); English forms mostly
    # write it "a" (Ağdam -> Aghdam, Tərtər -> Tartar); the "e" reading is added as an alias variant.
    for ch in "əƏǝƎ":
        table[ord(ch)] = "a"
    table[ord("ı")] = "i"
    table[ord("İ")] = "i"  # str.lower() would make two characters of it and shift every later offset
    table[ord("ё")] = "е"
    table[ord("Ё")] = "е"
    for ch in "\u2019\u02bc\u2018":  # typographic apostrophes, so "Aghdam’s" splits like "Aghdam's"
        table[ord(ch)] = "'"
    return table


_TABLE = _fold_table()
_COMBINING = re.compile(r"[\u0300-\u036f]")
_WORD = re.compile(r"\w+")
# What may stand between the words of a multi-word name: spaces and hyphens, nothing else ("Aghdam,
# district" is not "Aghdam district").
_GAP = re.compile(r"[\s\-\u2010-\u2013]+")


def fold(text: str) -> str:
    """Case- and diacritic-folded text of the same length (when `text` has no combining marks)."""
    return text.translate(_TABLE).lower()


def _fold_with_offsets(text: str) -> tuple[str, list[int] | None]:
    """Folded text and, if its length differs from `text`, the original index of each folded character."""
    if not _COMBINING.search(text):
        return fold(text), None
    # Decomposed input ("u" + U+0308): drop the marks, remember where each kept character came from.
    kept, offsets = [], []
    for i, ch in enumerate(text):
        if "\u0300" <= ch <= "\u036f":
            continue
        kept.append(ch)
        offsets.append(i)
    offsets.append(len(text))
    return fold("".join(kept)), offsets


def _tokens(name: str) -> tuple[str, ...]:
    folded, _ = _fold_with_offsets(name)
    return tuple(_WORD.findall(folded))


# Azerbaijani -> English transliteration, applied to the ISO names to derive the common English spellings.
_TRANSLIT = str.maketrans({"ş": "sh", "ç": "ch", "x": "kh", "c": "j", "q": "g", "ğ": "gh"})

RAYON_SUFFIXES = ("district", "districts", "region", "regions", "rayon", "raion", "rayonu", "rayonunda",
                  "rayonunun", "province")
CITY_SUFFIXES = ("city", "town", "municipality", "sahari", "saharinda", "seheri")
CITY_PREFIXES = (("city", "of"), ("town", "of"))


def _variants(iso_name: str) -> set[str]:
    """Spellings derived from an Azerbaijani name: as written, "ə" read as "e", and transliterated."""
    lower = iso_name.replace("İ", "i").lower()
    out = {iso_name}
    for schwa in ("a", "e"):
        plain = lower.replace("ə", schwa).replace("ǝ", schwa)
        out.add(plain)
        out.add(plain.translate(_TRANSLIT))
    return out


def _read_alias_file() -> list[tuple[str, str, str]]:
    text = resources.files("minemap.boundaries").joinpath("data/aliases.tsv").read_text(encoding="utf-8")
    rows = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) < 2:
            raise ValueError(f"aliases.tsv line {n}: expected code<TAB>alias[<TAB>flags], got {line!r}")
        rows.append((parts[0].strip(), parts[1].strip(), parts[2].strip() if len(parts) > 2 else ""))
    return rows


class Gazetteer:
    """Resolves names to ISO 3166-2:AZ codes and finds unit mentions in text.

    `rows` are (code, alias, flags) as in data/aliases.tsv (code "-" = blocker, flag "cs" = capitalised only);
    by default that file is read.
    """

    def __init__(self, rows: Iterable[tuple[str, str, str]] | None = None, units: Iterable[Unit] = UNITS):
        units = tuple(units)
        kinds = {u.code: u.kind for u in units}
        rows = list(_read_alias_file() if rows is None else rows)

        base: dict[tuple[str, ...], set[str]] = {}
        blockers: set[tuple[str, ...]] = set()
        capitalised: set[tuple[str, ...]] = set()

        def add(code: str, name: str) -> None:
            key = _tokens(name)
            if key:
                base.setdefault(key, set()).add(code)

        for u in units:
            for v in _variants(u.name):
                add(u.code, v)
            add(u.code, u.name_en)
        for code, alias, flags in rows:
            key = _tokens(alias)
            if not key:
                raise ValueError(f"alias {alias!r} has no letters")
            if code == "-":
                blockers.add(key)
                continue
            if code not in kinds:
                raise ValueError(f"alias {alias!r}: unknown unit code {code!r}")
            add(code, alias)
            if "cs" in flags.split(","):
                capitalised.add(key)

        # entries: token key -> (code or None for a blocker, index of the token whose first letter must be
        # upper case, or -1)
        entries: dict[tuple[str, ...], tuple[str | None, int]] = {}
        expansions: dict[tuple[str, ...], tuple[str | None, int]] = {}
        for key, codes in base.items():
            rayons = sorted(c for c in codes if kinds[c] == "rayon")
            cities = sorted(c for c in codes if kinds[c] == "city")
            if len(rayons) > 1 or len(cities) > 1:
                raise ValueError(f"name {' '.join(key)!r} is given to several units: {sorted(codes)}")
            rayon = rayons[0] if rayons else None
            city = cities[0] if cities else None
            cs = 0 if key in capitalised else -1
            # A name shared by a rayon and its city means the rayon unless the text says "city".
            entries[key] = (rayon or city, cs)
            if not all(t.isascii() for t in key):
                continue  # the English/Azerbaijani suffixes make no sense after Cyrillic or Armenian names
            for suffix in RAYON_SUFFIXES:
                expansions[key + (suffix,)] = (rayon or city, cs)
            for suffix in CITY_SUFFIXES:
                expansions[key + (suffix,)] = (city or rayon, cs)
            for prefix in CITY_PREFIXES:
                expansions[prefix + key] = (city or rayon, len(prefix) if cs == 0 else -1)
        for key in blockers:
            # "Shaki-Zagatala region" must outrank "Zagatala region", so blockers take the suffixes too
            for longer in [key] + [key + (s,) for s in RAYON_SUFFIXES + CITY_SUFFIXES]:
                expansions.pop(longer, None)
                entries[longer] = (None, -1)
        for key, value in expansions.items():
            entries.setdefault(key, value)

        self._entries = entries
        first: dict[str, list[tuple[tuple[str, ...], str | None, int]]] = {}
        for key, (code, cs) in entries.items():
            first.setdefault(key[0], []).append((key, code, cs))
        for lst in first.values():
            lst.sort(key=lambda item: -len(item[0]))
        self._first = first
        self._tokens: dict[str, re.Pattern] = {}

    def _token(self, word: str) -> re.Pattern:
        """`word` at the start of a token of a folded text (the caller checks the character before it: a pattern
        that starts with a literal is scanned many times faster than one that starts with a look-behind)."""
        rx = self._tokens.get(word)
        if rx is None:
            rx = self._tokens[word] = re.compile(re.escape(word) + r"(?!\w)")
        return rx

    def __contains__(self, name: str) -> bool:
        return self.resolve(name) is not None

    def find(self, text: str) -> list[Mention]:
        """Unit mentions in `text`: sorted by start, non-overlapping, the longest match winning overlaps."""
        folded, offsets = _fold_with_offsets(text)
        first = self._first
        # only the words that start a name are looked at, wherever they stand: a text's other words cost a set
        # intersection, not a loop
        starting = first.keys() & set(_WORD.findall(folded))
        if not starting:
            return []
        cands: list[tuple[int, int, str | None]] = []
        entries = self._entries
        for word in starting:
            longest = len(first[word][0][0])
            for m in self._token(word).finditer(folded):
                if m.start() and (folded[m.start() - 1].isalnum() or folded[m.start() - 1] == "_"):
                    continue   # the end of a longer word
                # the words that follow, joined by nothing but spaces and hyphens: (start, end, word)
                after = [(m.start(), m.end(), word)]
                while len(after) < longest:
                    gap = _GAP.match(folded, after[-1][1])
                    nxt = _WORD.match(folded, gap.end()) if gap else None
                    if nxt is None:
                        break
                    after.append((nxt.start(), nxt.end(), nxt.group()))
                words = tuple([t[2] for t in after])
                for n in range(len(after), 0, -1):
                    hit = entries.get(words[:n])
                    if hit is None:
                        continue
                    code, cs = hit
                    if cs >= 0 and not text[offsets[after[cs][0]] if offsets else after[cs][0]].isupper():
                        continue
                    cands.append((after[0][0], after[n - 1][1], code))
        if not cands:
            return []
        cands.sort(key=lambda c: (c[0] - c[1], c[0]))
        # longest first; the chosen spans do not overlap, so a candidate need only be checked against its two
        # neighbours among them (a text with thousands of names must not compare every pair)
        chosen: list[tuple[int, int, str | None]] = []
        starts: list[int] = []
        for c in cands:
            i = bisect.bisect_left(starts, c[0])
            if (i == 0 or chosen[i - 1][1] <= c[0]) and (i == len(chosen) or c[1] <= chosen[i][0]):
                chosen.insert(i, c)
                starts.insert(i, c[0])
        out = []
        for s, e, code in chosen:
            if code is None:
                continue
            if offsets:
                s, e = offsets[s], offsets[e - 1] + 1
                while e < len(text) and "\u0300" <= text[e] <= "\u036f":
                    e += 1
            out.append(Mention(s, e, code, text[s:e]))
        return out

    def resolve(self, name: str) -> str | None:
        """The ISO code for a name ("Agdam District", "Xankəndi", "AZ-XA", "Шуша"), or None."""
        if not name or not name.strip():
            return None
        stripped = name.strip()
        if stripped.upper() in CODES:
            return stripped.upper()
        hit = self._entries.get(_tokens(stripped))
        if hit is not None:
            return hit[0]
        mentions = self.find(stripped)
        if len(mentions) == 1:
            m = mentions[0]
            rest = _tokens(stripped[: m.start] + " " + stripped[m.end:])
            if all(t == "the" for t in rest):
                return m.code
        return None


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    return Gazetteer()
