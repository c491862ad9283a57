"""Paragraphs and sentences with character offsets into the document text."""
from __future__ import annotations

import re
from dataclasses import dataclass

# Words whose trailing period does not end a sentence.
_ABBREV = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sgt", "st", "no", "nos", "vs",
    "etc", "e.g", "i.e", "approx", "inc", "ltd", "co", "jr", "sr", "rev", "gov", "sen", "rep", "dept",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "fig", "ca",
    "u.s", "u.k", "a.m", "p.m", "sq", "mln", "bln", "thsd",
}
_PARA = re.compile(r"\n[ \t]*\n\s*")
_CANDIDATE = re.compile(r"[.!?]+[\"”’')\]]*(?=\s+[\"“‘(\[]?[A-Z0-9\u0400-\u04ffƏÇŞÖÜĞİ])|\n(?=\s*[-•*–] )")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    para: int          # paragraph index in the document
    index: int         # sentence index in the document


def paragraphs(text: str) -> list[tuple[int, int]]:
    spans = []
    pos = 0
    for m in _PARA.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def _is_abbrev(text: str, dot: int) -> bool:
    m = re.search(r"([A-Za-z.]+)$", text[max(0, dot - 12):dot])
    if not m:
        return False
    word = m.group(1).lower().strip(".")
    if word in _ABBREV:
        return True
    # single initials ("A. Aliyev") and dotted acronyms
    return len(word) == 1 and text[dot - 1].isupper()


# a list line or table row: a short label, a separator, a number and at most a unit ("UXO: 410",
# "Anti-tank mines – 12", "Cleared area (ha)     1,024.6"); each is a clause of its own
_LIST_LINE = re.compile(r"(?m)^[ \t]*(?:[-•*–][ \t]+)?[^\W\d][^\n]{0,60}?(?:[ \t]*[:=][ \t]*|[ \t]+[–—-]+[ \t]*|"
                        r"[ \t]*\t[ \t]*|[ \t]{2,})(?:[~≈]|about|some|over|up to|more than)?[ \t]*\d[\d.,]*"
                        r"(?:[ \t]*[^\W\d][\w.²%]*){0,3}[ \t]*$")


def _line_cuts(para: str) -> list[int]:
    if "\n" not in para:
        return []
    cuts = []
    for m in _LIST_LINE.finditer(para):
        cuts.append(m.start())
        cuts.append(m.end())
    return cuts


def split_sentences(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    for p_index, (ps, pe) in enumerate(paragraphs(text)):
        para = text[ps:pe]
        cuts = _line_cuts(para)
        for m in _CANDIDATE.finditer(para):
            if para[m.start()] == "." and _is_abbrev(para, m.start()):
                # "Jan. 5" is a date, "No. 3" a number: but "... in Dec. The" ends a sentence
                nxt = para[m.end():].lstrip()[:1]
                if not nxt or nxt.isdigit() or para[m.start() - 1].isupper() or nxt.islower():
                    continue
                word = re.search(r"([A-Za-z.]+)$", para[:m.start()]).group(1).lower().strip(".")
                if word not in {"etc", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
                                "nov", "dec"}:
                    continue
            cuts.append(m.end())
        start = 0
        for cut in sorted(set(cuts)) + [len(para)]:
            seg_s, seg_e = start, cut
            while seg_s < seg_e and para[seg_s].isspace():
                seg_s += 1
            while seg_e > seg_s and para[seg_e - 1].isspace():
                seg_e -= 1
            if seg_e > seg_s:
                out.append(Sentence(ps + seg_s, ps + seg_e, para[seg_s:seg_e], p_index, len(out)))
            start = cut
    return out
