"""Paragraphs and sentences with character offsets into the document text.

A sentence ends at ".", "!" or "?" before a capitalised word or a digit, also where a careless copy lost the
space ("of this year.We reiterate"), unless the full stop closes an abbreviation (data/<lang>/sentences.yaml);
list lines and table rows ("UXO: 410") are sentences of their own. A "sentence" longer than MAX_SENTENCE
characters (no real one is; a text without full stops is) is cut at clause breaks, so that every rule works
on a bounded stretch of text and extraction stays linear in the length of a document.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from minemap.extraction.lang import alternation, load
from minemap.extraction.quick import quick_init

MAX_SENTENCE = 1500
_PARA = re.compile(r"\n[ \t]*\n\s*")
_CANDIDATE = re.compile(r"[.!?]+[\"”’')\]]*(?=\s+[\"“‘(\[]?[A-Z0-9\u0400-\u04ffƏÇŞÖÜĞİ])|\n(?=\s*[-•*–] )"
                        # a full stop glued to the next sentence: "year.We", "Laçın.Earlier", "2023.The",
                        # "ANAMA).The" (two lower-case letters, a digit or a bracket before it, a capitalised
                        # word after it that is not part of an address; Azerbaijani letters too, as place names
                        # end sentences)
                        # (the full stop first: every branch starts with a character the engine can scan for)
                        r"|\.(?:(?<=[a-zçğıöşüə]{2}\.)|(?<=[\d)]\.))(?=[A-ZÇĞİÖŞÜƏ][a-zçğıöşüə]+\b(?!\.\w))")
_WORD_BEFORE = re.compile(r"([A-Za-z.]+)$")
_CLAUSE_BREAK = re.compile(r"[;,]\s|\s")


@quick_init
@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    para: int          # paragraph index in the document
    index: int         # sentence index in the document


@lru_cache(maxsize=None)
def _words():
    d = load("sentences")
    # a list line or table row: a short label, a separator, a number and at most a unit ("UXO: 410",
    # "Anti-tank mines – 12", "Cleared area (ha)     1,024.6", "Aghdam – 9 816,3" with digits grouped by spaces);
    # each is a clause of its own
    list_line = re.compile(r"(?m)^[ \t]*(?:[-•*–][ \t]+)?[^\W\d][^\n]{0,60}?(?:[ \t]*[:=][ \t]*|[ \t]+[–—-]+[ \t]*|"
                           r"[ \t]*\t[ \t]*|[ \t]{2,})(?:" + alternation(d["list_line_qualifiers"]) + r")?[ \t]*\d(?:[\d.,]|[ \u00a0\u202f](?=\d{3}\b))*"
                           r"(?:[ \t]*[^\W\d][\w.²%]*){0,3}[ \t]*$")
    return set(d["abbreviations"]), set(d["may_end_sentence"]), list_line


def is_list_line(text: str) -> bool:
    """Whether `text` is one list line or table row ("- Aghdam: 11,480.3", "UXO – 410", "| Aghdam | 874 |")."""
    return bool(_words()[2].fullmatch(text) or _PIPE_ROW.fullmatch(text))


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


def _abbreviation(text: str, dot: int) -> str | None:
    """The abbreviation a full stop at `dot` closes ("gen", "u.s"), or None."""
    m = _WORD_BEFORE.search(text, max(0, dot - 12), dot)
    if not m:
        return None
    word = m.group(1).lower().strip(".")
    abbreviations, _, _ = _words()
    if word in abbreviations:
        return word
    # single initials ("A. Aliyev") and dotted acronyms
    return word if len(word) == 1 and text[dot - 1].isupper() else None


def _ends_sentence(para: str, m: re.Match) -> bool:
    dot = m.start()
    if para[dot] != ".":
        return True
    word = _abbreviation(para, dot)
    if word is None:
        return True
    # "Jan. 5" is a date, "No. 3" a number: but "... in Dec. The" ends a sentence
    nxt = m.end()
    while nxt < len(para) and para[nxt].isspace():
        nxt += 1
    if nxt >= len(para) or para[nxt].isdigit() or para[dot - 1].isupper():
        return False
    return word in _words()[1]


# a row of a Markdown table ("| Aghdam | 874 | 611 |"): a clause of its own
_PIPE_ROW = re.compile(r"(?m)^[ \t]*\|[^\n]*\|[ \t]*$")


def _line_cuts(para: str) -> list[int]:
    if "\n" not in para:
        return []
    cuts = []
    for m in _words()[2].finditer(para):
        cuts.append(m.start())
        cuts.append(m.end())
    if "|" in para:
        for m in _PIPE_ROW.finditer(para):
            cuts.append(m.start())
            cuts.append(m.end())
    return cuts


def _bounded(para: str, start: int, end: int):
    """(start, end) pieces of para[start:end] no longer than MAX_SENTENCE, cut at clause breaks."""
    while end - start > MAX_SENTENCE:
        cut = None
        for m in _CLAUSE_BREAK.finditer(para, start + MAX_SENTENCE // 2, start + MAX_SENTENCE):
            cut = m.end()
        cut = cut or start + MAX_SENTENCE
        yield start, cut
        start = cut
    yield start, end


def split_sentences(text: str) -> list[Sentence]:
    out: list[Sentence] = []
    for p_index, (ps, pe) in enumerate(paragraphs(text)):
        para = text[ps:pe]
        cuts = _line_cuts(para)
        cuts += [m.end() for m in _CANDIDATE.finditer(para) if _ends_sentence(para, m)]
        start = 0
        for cut in sorted(set(cuts)) + [len(para)]:
            for seg_s, seg_e in _bounded(para, start, cut):
                while seg_s < seg_e and para[seg_s].isspace():
                    seg_s += 1
                while seg_e > seg_s and para[seg_e - 1].isspace():
                    seg_e -= 1
                if seg_e > seg_s:
                    out.append(Sentence(ps + seg_s, ps + seg_e, para[seg_s:seg_e], p_index, len(out)))
            start = cut
    return out
