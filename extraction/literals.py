"""What a pattern cannot match without: a cheap first look at a text before a costly pattern reads it.

`required(source)` reads a regex (with the `re` module's own parser) and returns a few strings one of which
every match must contain, e.g. {"blast", "explo", "went off", ...} for the cue "incident". A text that holds
none of them cannot match, whatever the pattern's look-arounds, anchors or repeats say: `Prefilter` tests
that with substring searches, several times faster than the cue patterns with their look-behinds and optional
groups read the text. Derived from the patterns themselves, the test stays right when the language data
change.

Only case-sensitive characters count as required: a literal under IGNORECASE may match other characters
("K" the Kelvin sign, "ſ"), so it is left out and the strings come from elsewhere, or there is no test.
"""
from __future__ import annotations

from re import _constants as C  # noqa: N812  (the parser's opcodes)
from re import _parser

# how good a set of required strings is as a test: longer strings occur less by chance (past this length they
# are all rare enough), fewer strings cost less to look for
_LONG_ENOUGH = 5
_ZERO_WIDTH = (C.AT, C.ASSERT, C.ASSERT_NOT)
_REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT)


def _case_blind(flags: int, add: int = 0, remove: int = 0) -> bool:
    return bool((flags | add) & C.SRE_FLAG_IGNORECASE) and not remove & C.SRE_FLAG_IGNORECASE


def _fixed(items, icase: bool) -> str | None:
    """The one string `items` always matches, or None."""
    out = []
    for op, av in items:
        if op is C.LITERAL and not (icase and _cased(av)):
            out.append(chr(av))
        elif op in _ZERO_WIDTH:
            continue
        elif op is C.SUBPATTERN:
            _, add, remove, sub = av
            s = _fixed(sub.data, _case_blind(C.SRE_FLAG_IGNORECASE if icase else 0, add, remove))
            if s is None:
                return None
            out.append(s)
        else:
            return None
    return "".join(out)


def _cased(code: int) -> bool:
    ch = chr(code)
    return ch.lower() != ch.upper() or ch in "ıİſK"


def _quality(found: frozenset) -> tuple:
    # the spaces around a word count for nothing: the test looks for the word alone (Prefilter), and " the "
    # is in nearly every sentence
    return (min(min(len(s.strip()) for s in found), _LONG_ENOUGH), -len(found))


def _required(items, icase: bool) -> frozenset | None:
    """Strings one of which every match of the sequence `items` contains (None: nothing is known)."""
    options: list[frozenset] = []
    run: list[str] = []

    def close_run():
        if run:
            options.append(frozenset(["".join(run)]))
            run.clear()

    for op, av in items:
        if op is C.LITERAL and not (icase and _cased(av)):
            run.append(chr(av))
        elif op in _ZERO_WIDTH:
            continue   # the characters on both sides of an assertion are neighbours in the text
        elif op is C.SUBPATTERN or op is C.ATOMIC_GROUP:
            if op is C.SUBPATTERN:
                _, add, remove, sub = av
                inner_icase = _case_blind(C.SRE_FLAG_IGNORECASE if icase else 0, add, remove)
            else:
                sub, inner_icase = av, icase
            s = _fixed(sub.data, inner_icase)
            if s is not None:
                run.append(s)
                continue
            close_run()
            got = _required(sub.data, inner_icase)
            if got:
                options.append(got)
        elif op is C.BRANCH:
            close_run()
            alternatives = [_required(alt.data, icase) for alt in av[1]]
            if all(alternatives):
                options.append(frozenset().union(*alternatives))
        elif op in _REPEATS:
            close_run()
            low, _, sub = av
            if low >= 1:
                s = _fixed(sub.data, icase)
                got = frozenset([s]) if s else _required(sub.data, icase)
                if got:
                    options.append(got)
        else:
            close_run()   # a class of characters, any character, a back-reference: nothing fixed
    close_run()
    options = [o for o in options if all(o)]
    return max(options, key=_quality) if options else None


def required(source: str, flags: int = 0) -> list[str] | None:
    """Strings one of which every match of pattern `source` contains, none inside another; None when the
    pattern has no such strings."""
    parsed = _parser.parse(source, flags)
    found = _required(parsed.data, _case_blind(parsed.state.flags))
    if not found:
        return None
    out: list[str] = []
    for s in sorted(found, key=len):
        if not any(o in s for o in out):   # "explo" is in every text that holds "explosion"
            out.append(s)
    return out


def contains_any(words):
    """A function telling whether a text holds any of `words`: a chain of `in` tests, each a fast substring
    search in C (a pattern of the words costs more: the engine tries them wherever a word could start)."""
    return eval("lambda text: " + " or ".join(f"{w!r} in text" for w in words))   # (reprs: no code injected)


class Prefilter:
    """`may_match(text)`: False only when pattern `source` cannot match anywhere in `text`.

    `quick` is false when the pattern requires only short strings, or many (a test that nearly always
    passes, or costs as much as the pattern, is pure cost)."""

    def __init__(self, source: str, flags: int = 0):
        # a part of a required string is required too: the spaces around words add nothing
        self.words = sorted({w.strip() or w for w in required(source, flags) or []})
        self.quick = bool(self.words) and min(map(len, self.words)) >= 3 and len(self.words) <= 60
        self.may_match = contains_any(self.words) if self.words else (lambda text: True)
