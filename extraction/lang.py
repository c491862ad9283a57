"""The words of the reports' language, kept apart from the rules that read them.

Every word or phrase a rule looks for lives in data/<language>/*.yaml: lists of regex fragments, and whole
phrase patterns in which `{key}` stands for the list `key` of the same file. The modules hold the logic: which
pattern is tried where, and what its match decides. A second language is a second folder with the same files
and keys. (YAML, not JSON: regexes read without doubled backslashes, and the files can say why in comments.)
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from minemap.extraction.literals import Prefilter

LANGUAGE = "en"
DATA = Path(__file__).resolve().parent / "data" / LANGUAGE

# a placeholder: "{key}" (regex quantifiers such as {0,3} hold digits only, so they never look like one)
_SLOT = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


@lru_cache(maxsize=None)
def load(name: str) -> dict:
    """data/<language>/<name>.yaml"""
    with (DATA / f"{name}.yaml").open(encoding="utf-8") as f:
        return yaml.load(f, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def words(name: str, key: str) -> list[str]:
    return load(name)[key]


def alternation(fragments) -> str:
    # longest first: a regex alternation takes the first branch that matches, not the longest
    return "(?:" + "|".join(sorted(fragments, key=len, reverse=True)) + ")"


def fill(template: str, name: str) -> str:
    """`template` with each {key} replaced by the alternation of the list `key` of data file `name`."""
    data = load(name)
    return _SLOT.sub(lambda m: alternation(data[m.group(1)]), template)


@lru_cache(maxsize=None)
def pattern(template: str, name: str, flags: int = re.IGNORECASE) -> re.Pattern:
    return re.compile(fill(template, name), flags)


@lru_cache(maxsize=None)
def phrase(name: str, key: str, flags: int = re.IGNORECASE):
    """The phrase pattern `key` of data file `name`, its {slots} filled from the same file; case-insensitive
    unless `flags` says otherwise."""
    source = fill(load(name)[key], name)
    return case_blind(source) if flags == re.IGNORECASE else re.compile(source, flags)


# an upper-case letter that is no escape (\S, \W, \B...) or named group (?P<...>), or a switch of the case flag
_CASED = re.compile(r"(?<!\\)(?<!\(\?)[A-Z]|\(\?-?i")


def case_blind(source: str):
    """A case-insensitive pattern: a LowerCase one when its words are all lower-case, else a compiled one."""
    return re.compile(source, re.IGNORECASE) if _CASED.search(source) else LowerCase(source)


def lowered(text: str) -> str:
    """`text` in lower case, character for character (offsets stay valid: "İ" would become two characters with
    str.lower and is kept as written). Patterns of lower-case words read it several times faster than a
    case-blind pattern reads the text."""
    global _last
    if text is _last[0]:
        return _last[1]   # the same sentence read by one pattern after another
    low = text.lower()
    if len(low) != len(text):
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    _last = (text, low)   # (holding the text keeps its identity from being reused)
    return low


_last = ("", "")


class LowerCase:
    """A case-insensitive pattern of lower-case words, read in the lower-cased text by a case-sensitive
    pattern: several times faster than a case-blind one. Matches give offsets into the text as passed; their
    group text is lower-case."""

    def __init__(self, source: str):
        self.pattern = "(?i)" + source       # to build larger patterns from
        self._rx = re.compile(source)
        # a look for the words the pattern cannot match without, before it scans a text (most sentences
        # hold no cue of most kinds)
        pre = Prefilter(source)
        self._pre = pre if pre.quick else None

    def sub(self, repl, text: str, *args):
        return self._rx.sub(repl, lowered(text), *args)

    def split(self, text: str, *args):
        return self._rx.split(lowered(text), *args)

    def fullmatch(self, text: str, *span):
        return self._rx.fullmatch(lowered(text), *span)

    def search(self, text: str, *span):
        low = lowered(text)
        if self._pre is not None and not self._pre.may_match(low):
            return None
        return self._rx.search(low, *span)

    def match(self, text: str, *span):
        return self._rx.match(lowered(text), *span)

    def finditer(self, text: str, *span):
        low = lowered(text)
        if self._pre is not None and not self._pre.may_match(low):
            return iter(())
        return self._rx.finditer(low, *span)


@lru_cache(maxsize=None)
def cue(key: str) -> LowerCase:
    """Any phrase of cues.yaml[key], case-insensitive, at a word start."""
    return LowerCase(r"(?<![\w-])" + alternation(load("cues")[key]))



class cached:
    """A property computed once per object (functools.cached_property without its lock, which costs more than
    the small facts cached here)."""

    def __init__(self, func):
        self.func, self.name = func, func.__name__
        self.__doc__ = func.__doc__

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.func(obj)
        return value
